// Tests of io::file: Python's modes on real files, positional and vectored I/O, and every error.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <system_error>
#include <vector>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

import io.core;
import io.file;

using io_test::read_string;
using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

static_assert(io::readable<io::file>);
static_assert(io::writable<io::file>);
static_assert(io::seekable<io::file>);
static_assert(!io::buffered_readable<io::file>);
static_assert(!std::is_copy_constructible_v<io::file>);
static_assert(std::is_nothrow_move_constructible_v<io::file>);

namespace {


// The message of the io_error `f` throws, or "no error".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const io::io_error& e) {
    return e.what();
  }
  return "no error";
}

// Runs `f` in a child process without root's privileges (as nobody) and returns what it returned;
// permission checks do not apply to root.
template <class F>
std::string unprivileged(F&& f) {
  return io_test::in_child(std::forward<F>(f), true);
}

} // namespace

TEST_CASE("r reads an existing file from the start") {
  temp_dir dir;
  write_text(dir / "a.txt", "hello");
  io::file f(dir / "a.txt");
  CHECK(f.is_open());
  CHECK(f.readable());
  CHECK(!f.writable());
  CHECK(read_string(f, 3) == "hel");
  CHECK(read_string(f, 10) == "lo");
  CHECK(read_string(f, 10).empty());
}

TEST_CASE("w creates or truncates, and writes") {
  temp_dir dir;
  write_text(dir / "a.txt", "old contents");
  {
    io::file f(dir / "a.txt", "w");
    io::write(f, "new");
  }
  CHECK(read_text(dir / "a.txt") == "new");
  {
    io::file f(dir / "b.txt", "wb");
    io::write(f, "created");
  }
  CHECK(read_text(dir / "b.txt") == "created");
}

TEST_CASE("a always writes at the end, even after a seek") {
  temp_dir dir;
  write_text(dir / "log", "one\n");
  io::file f(dir / "log", "a+");
  f.seek(0);
  io::write(f, "two\n");
  CHECK(f.tell() == 8);
  f.seek(0);
  CHECK(read_string(f, 100) == "one\ntwo\n");
  f.close();
  CHECK(read_text(dir / "log") == "one\ntwo\n");
}

TEST_CASE("a file opened for appending starts at its end, as Python's FileIO, both ways") {
  temp_dir dir;
  write_text(dir / "log", "one\n");
  io::file a(dir / "log", "a");
  CHECK(a.tell() == 4);
  std::error_code ec;
  io::file plus(dir / "log", "a+", ec);
  REQUIRE(!ec);
  CHECK(plus.tell(ec) == 4);
  CHECK(read_string(plus, 100).empty()); // a+ reads nothing until a seek, as in Python
  io::file typed(dir / "log", io::open_flags::append | io::open_flags::read, ec);
  REQUIRE(!ec);
  CHECK(typed.tell() == 4);
  plus.seek(0);
  CHECK(read_string(plus, 100) == "one\n");
}

TEST_CASE("x creates a new file and refuses an existing one, both ways") {
  temp_dir dir;
  {
    io::file f(dir / "new", "x");
    io::write(f, "fresh");
  }
  CHECK(read_text(dir / "new") == "fresh");
  const std::string path = (dir / "new").string();
  CHECK(error_of([&] { io::file f(dir / "new", "x"); }) == "cannot create '" + path + "': File exists");
  std::error_code ec;
  io::file f(dir / "new", "x", ec);
  CHECK(ec == std::errc::file_exists);
  CHECK(!f.is_open());
  CHECK(read_text(dir / "new") == "fresh");
}

TEST_CASE("r+ reads and writes without truncating, w+ truncates first") {
  temp_dir dir;
  write_text(dir / "f", "abcdef");
  {
    io::file f(dir / "f", "r+");
    CHECK(read_string(f, 2) == "ab");
    io::write(f, "XY");
    f.seek(0);
    CHECK(read_string(f, 10) == "abXYef");
  }
  {
    io::file f(dir / "f", "w+");
    CHECK(f.size() == 0);
    io::write(f, "123");
    f.seek(0);
    CHECK(read_string(f, 10) == "123");
  }
}

TEST_CASE("typed flags open as the mode strings do") {
  temp_dir dir;
  {
    io::file f(dir / "t", io::open_flags::write | io::open_flags::create);
    io::write(f, "typed");
  }
  io::file f(dir / "t", io::open_flags::read);
  CHECK(read_string(f, 10) == "typed");
  std::error_code ec;
  io::file none(dir / "t", io::open_flags::none, ec);
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("a missing file is reported both ways, naming the path and the operation") {
  temp_dir dir;
  const std::string path = (dir / "missing.bin").string();
  CHECK(error_of([&] { io::file f(path, "rb"); }) ==
        "cannot open '" + path + "' for reading: No such file or directory");
  try {
    io::file f(path);
  } catch (const io::io_error& e) {
    CHECK(e.path() == path);
    CHECK(e.operation() == "open for reading");
    CHECK(e.code() == std::errc::no_such_file_or_directory);
  }
  std::error_code ec;
  io::file f(path, "r", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(!f.is_open());
  CHECK(error_of([&] { io::file g(dir / "no" / "such" / "dir", "w"); }).starts_with("cannot open '"));
}

TEST_CASE("a directory given as a file is refused at open, both ways") {
  temp_dir dir;
  const std::string path = dir.path().string();
  CHECK(error_of([&] { io::file f(path); }) == "cannot open '" + path + "' for reading: Is a directory");
  std::error_code ec;
  io::file f(path, "r", ec);
  CHECK(ec == std::errc::is_a_directory);
  io::file w(path, "w", ec);
  CHECK(ec == std::errc::is_a_directory);
}

TEST_CASE("an invalid mode is reported with the mode and the path, both ways") {
  temp_dir dir;
  const std::string path = (dir / "f").string();
  CHECK(error_of([&] { io::file f(path, "rw"); }) == "cannot open '" + path + "' with mode 'rw': invalid argument");
  std::error_code ec;
  io::file f(path, "rw", ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(!std::filesystem::exists(path));
}

TEST_CASE("permission denied is reported both ways") {
  temp_dir dir;
  write_text(dir / "secret", "x");
  std::filesystem::permissions(dir / "secret", std::filesystem::perms::none);
  const std::string path = (dir / "secret").string();
  CHECK(unprivileged([&] { return error_of([&] { io::file f(path); }); }) ==
        "cannot open '" + path + "' for reading: Permission denied");
  CHECK(unprivileged([&] {
          std::error_code ec;
          io::file f(path, "w", ec);
          return std::to_string(ec == std::errc::permission_denied);
        }) == "1");
}

TEST_CASE("reading a write-only file and writing a read-only one are reported both ways") {
  temp_dir dir;
  const std::string path = (dir / "f").string();
  io::file w(path, "w");
  std::array<std::byte, 4> b{};
  CHECK(error_of([&] { (void)w.read(b); }) == "cannot read '" + path + "': stream not open for reading");
  std::error_code ec;
  w.read(b, ec);
  CHECK(ec == io::errc::not_readable);
  w.read_at(0, b, ec);
  CHECK(ec == io::errc::not_readable);

  io::file r(path, "r");
  CHECK(error_of([&] { io::write(r, "x"); }) == "cannot write '" + path + "': stream not open for writing");
  io::write(r, "x", ec);
  CHECK(ec == io::errc::not_writable);
  r.truncate(0, ec);
  CHECK(ec == io::errc::not_writable);
  r.write_at(0, io::as_bytes("x"), ec);
  CHECK(ec == io::errc::not_writable);
}

TEST_CASE("seek and tell use 64-bit positions, a negative position is an error both ways") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  io::write(f, "0123456789");
  CHECK(f.tell() == 10);
  CHECK(f.seek(-3, io::whence::end) == 7);
  CHECK(f.seek(2, io::whence::current) == 9);
  CHECK(f.seek(20) == 20);
  CHECK(read_string(f, 5).empty());
  CHECK(error_of([&] { f.seek(-1); }).ends_with("': invalid argument"));
  std::error_code ec;
  f.seek(-1, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  f.seek(-100, io::whence::end, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(ec == std::errc::invalid_argument);
  CHECK(f.tell() == 20);
}

TEST_CASE("a write after seeking past the end leaves a hole of zeros") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  io::write(f, "ab");
  f.seek(5);
  io::write(f, "c");
  CHECK(f.size() == 6);
  CHECK(read_text(dir / "f") == std::string("ab\0\0\0c", 6));
}

TEST_CASE("truncate shrinks and extends with zeros, as files do, keeping the position") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  io::write(f, "abcdef");
  CHECK(f.truncate(3) == 3);
  CHECK(f.size() == 3);
  CHECK(f.tell() == 6);
  CHECK(f.truncate(5) == 5);
  CHECK(read_text(dir / "f") == std::string("abc\0\0", 5));
  std::error_code ec;
  f.truncate(-1, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(f.truncate(-1), io::io_error);
}

TEST_CASE("read_at and write_at leave the position alone") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  io::write(f, "0123456789");
  f.seek(4);
  std::array<std::byte, 3> b{};
  CHECK(f.read_at(7, b) == 3);
  CHECK(io::as_string_view(b) == "789");
  CHECK(f.read_at(9, b) == 1);
  CHECK(f.read_at(100, b) == 0);
  f.write_at(1, io::as_bytes("AB"));
  f.write_at(11, io::as_bytes("Z"));
  CHECK(f.tell() == 4);
  CHECK(read_text(dir / "f") == std::string("0AB3456789\0Z", 12));
  std::error_code ec;
  f.read_at(std::uint64_t{1} << 63, b, ec);
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("write_at on a file opened for appending is refused instead of appending") {
  temp_dir dir;
  io::file f(dir / "f", "a");
  io::write(f, "abc");
  std::error_code ec;
  f.write_at(0, io::as_bytes("X"), ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(f.write_at(0, io::as_bytes("X")), io::io_error);
  CHECK(read_text(dir / "f") == "abc");
}

TEST_CASE("vectored reads and writes move several buffers in one call") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  const std::string a = "first,", b = "", c = "second,", d = "third";
  const std::span<const std::byte> out[] = {io::as_bytes(a), io::as_bytes(b), io::as_bytes(c), io::as_bytes(d)};
  f.write_vector(out);
  CHECK(read_text(dir / "f") == "first,second,third");
  f.seek(0);
  std::array<std::byte, 6> x{};
  std::array<std::byte, 4> y{};
  const std::span<std::byte> in[] = {x, y};
  CHECK(f.read_vector(in) == 10);
  CHECK(io::as_string_view(x) == "first,");
  CHECK(io::as_string_view(y) == "seco");
}

TEST_CASE("a vectored write of more buffers than one batch writes them all in order") {
  temp_dir dir;
  io::file f(dir / "f", "w");
  std::vector<std::string> pieces;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    pieces.push_back(std::to_string(i) + ";");
    expected += pieces.back();
  }
  std::vector<std::span<const std::byte>> spans;
  for (const auto& p : pieces) spans.push_back(io::as_bytes(p));
  f.write_vector(spans);
  f.close();
  CHECK(read_text(dir / "f") == expected);
}

TEST_CASE("seeking a pipe is not_seekable, both ways") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  io::file in = io::file::from_native(fds[0], io::open_flags::read, "<pipe>");
  io::file out = io::file::from_native(fds[1], io::open_flags::write, "<pipe>");
  CHECK(error_of([&] { in.seek(0); }) == "cannot seek '<pipe>': stream does not support seeking");
  std::error_code ec;
  in.seek(0, io::whence::begin, ec);
  CHECK(ec == io::errc::not_seekable);
  in.tell(ec);
  CHECK(ec == io::errc::not_seekable);
  io::write(out, "through a pipe");
  out.close();
  CHECK(io::read_all<std::string>(in) == "through a pipe");
}

TEST_CASE("writing to /dev/full fails at write, both ways") {
  io::file f("/dev/full", "w");
  CHECK(error_of([&] { io::write(f, "lost?"); }) == "cannot write '/dev/full': No space left on device");
  std::error_code ec;
  io::write(f, "lost?", ec);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("every operation after close reports closed, both ways, closing again is fine") {
  temp_dir dir;
  io::file f(dir / "f", "w+");
  f.close();
  CHECK(!f.is_open());
  std::array<std::byte, 1> b{};
  const std::string path = (dir / "f").string();
  CHECK(error_of([&] { (void)f.read(b); }) == "cannot read '" + path + "': I/O operation on closed stream");
  CHECK_THROWS_AS(io::write(f, "x"), io::io_error);
  CHECK_THROWS_AS(f.seek(0), io::io_error);
  CHECK_THROWS_AS((void)f.tell(), io::io_error);
  CHECK_THROWS_AS((void)f.size(), io::io_error);
  CHECK_THROWS_AS(f.truncate(0), io::io_error);
  CHECK_THROWS_AS(f.flush(), io::io_error);
  CHECK_THROWS_AS(f.sync(), io::io_error);
  CHECK_THROWS_AS((void)f.read_at(0, b), io::io_error);
  CHECK_THROWS_AS(f.write_at(0, b), io::io_error);
  std::error_code ec;
  f.read(b, ec);
  CHECK(ec == io::errc::closed);
  f.write(b, ec);
  CHECK(ec == io::errc::closed);
  f.seek(0, io::whence::begin, ec);
  CHECK(ec == io::errc::closed);
  f.size(ec);
  CHECK(ec == io::errc::closed);
  f.sync(ec);
  CHECK(ec == io::errc::closed);
  f.flush(ec);
  CHECK(ec == io::errc::closed);
  f.close(ec);
  CHECK(!ec);
  f.close();
}

TEST_CASE("close reports the system's error") {
  temp_dir dir;
  io::file f(dir / "f", "w");
  ::close(f.native_handle()); // the descriptor goes away behind io's back
  std::error_code ec;
  f.close(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(!f.is_open());
}

TEST_CASE("sync and flush succeed on an open file") {
  temp_dir dir;
  io::file f(dir / "f", "w");
  io::write(f, "durable");
  f.flush();
  f.sync();
  std::error_code ec;
  f.sync(ec);
  CHECK(!ec);
}

TEST_CASE("a moved file handle carries the descriptor and the moved-from one is closed") {
  temp_dir dir;
  io::file a(dir / "f", "w");
  const int fd = a.native_handle();
  io::file b = std::move(a);
  CHECK(b.native_handle() == fd);
  CHECK(!a.is_open()); // NOLINT(bugprone-use-after-move): moved-from state is specified
  io::write(b, "moved");
  io::file c;
  c = std::move(b);
  io::write(c, "!");
  c.close();
  CHECK(read_text(dir / "f") == "moved!");
}

TEST_CASE("the standard streams wrap files on descriptors 0, 1 and 2 that io never closes") {
  CHECK(io::standard_input().raw().native_handle() == 0);
  CHECK(io::standard_input().raw().readable());
  CHECK(!io::standard_input().raw().writable());
  CHECK(io::standard_input().path() == "<stdin>");
  CHECK(io::standard_output().raw().native_handle() == 1);
  CHECK(io::standard_output().raw().writable());
  CHECK(io::standard_output().path() == "<stdout>");
  CHECK(io::standard_error().raw().native_handle() == 2);
  CHECK(io::standard_error().path() == "<stderr>");
  CHECK(io::standard_error().mode() == io::buffering::none);
  CHECK(io::standard_output().mode() ==
        (io::is_terminal(io::standard_output()) ? io::buffering::line : io::buffering::full));
  CHECK(&io::standard_output() == &io::standard_output());
  io::write(io::standard_error(), ""); // an empty write is fine
  CHECK(io::standard_error().buffered().empty());
}

TEST_CASE("a file that io does not own stays open when the handle closes") {
  temp_dir dir;
  io::file owner(dir / "f", "w");
  {
    io::file borrowed = io::file::from_native(owner.native_handle(), io::open_flags::write, "borrowed", false);
    io::write(borrowed, "via borrowed;");
  }
  io::write(owner, "still open");
  owner.close();
  CHECK(read_text(dir / "f") == "via borrowed;still open");
}

namespace {

// A region of `size` bytes of address space (reserved, not backed by memory) whose first page is
// readable and writable and the rest inaccessible: a real buffer larger than one system call moves.
class reserved_region {
public:
  explicit reserved_region(std::size_t size) : size_(size) {
    void* p = ::mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    REQUIRE(p != MAP_FAILED);
    data_ = static_cast<std::byte*>(p);
    REQUIRE(::mprotect(data_, 4096, PROT_READ | PROT_WRITE) == 0);
  }
  reserved_region(const reserved_region&) = delete;
  reserved_region& operator=(const reserved_region&) = delete;
  ~reserved_region() { ::munmap(data_, size_); }
  std::span<std::byte> all() const { return {data_, size_}; }
  std::string_view first(std::size_t n) const { return {reinterpret_cast<const char*>(data_), n}; }

private:
  std::byte* data_;
  std::size_t size_;
};

} // namespace

TEST_CASE("reads into a buffer of 8 GiB get the file's bytes: read, read_at, read_vector, both ways") {
  temp_dir dir;
  const std::string text = "a small file read into a buffer larger than any one read moves";
  write_text(dir / "small", text);
  const reserved_region region(std::size_t{8} << 30);
  io::file f(dir / "small");
  CHECK(f.read(region.all()) == text.size());
  CHECK(region.first(text.size()) == text);
  std::error_code ec;
  std::memset(region.all().data(), 0, 4096);
  CHECK(f.read_at(0, region.all(), ec) == text.size());
  CHECK(!ec);
  CHECK(region.first(text.size()) == text);
  CHECK(f.read_at(0, region.all()) == text.size());
  // Two buffers of 8 GiB each: lengths that add up past what one readv takes.
  std::memset(region.all().data(), 0, 4096);
  f.seek(0);
  const std::span<std::byte> twice[] = {region.all(), region.all()};
  CHECK(f.read_vector(twice, ec) == text.size());
  CHECK(!ec);
  CHECK(region.first(text.size()) == text);
  f.seek(0);
  CHECK(f.read_vector(twice) == text.size());
  CHECK(f.read(region.all(), ec) == 0); // then the end, not an error
  CHECK(!ec);
}

TEST_CASE("a write larger than one system call moves is written whole, plain and vectored") {
  // Pages of an untouched anonymous mapping read as zeros without using memory; /dev/null takes
  // any count at once, so that 3 GiB cost nothing.
  const std::size_t size = std::size_t{3} << 30;
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  REQUIRE(p != MAP_FAILED);
  const std::span<const std::byte> zeros(static_cast<const std::byte*>(p), size);
  io::file null("/dev/null", "w");
  std::error_code ec;
  null.write(zeros, ec);
  CHECK(!ec);
  CHECK(null.write_some(zeros) == 0x7ffff000); // Linux moves at most this much in one call
  const std::span<const std::byte> parts[] = {zeros, zeros, zeros};
  null.write_vector(parts, ec);
  CHECK(!ec);
  null.write_at(0, zeros, ec); // /dev/null ignores the offset
  CHECK(!ec);
  ::munmap(p, size);
}

TEST_CASE("read_at near the largest offset is the end of the file, not an error, both ways") {
  temp_dir dir;
  write_text(dir / "f", "some bytes");
  io::file f(dir / "f");
  constexpr std::uint64_t last = std::numeric_limits<std::int64_t>::max();
  std::array<std::byte, 4096> buffer{};
  for (const std::uint64_t offset : {last - 4096, last - 10, last - 1, last}) {
    INFO("offset ", offset);
    std::error_code ec;
    CHECK(f.read_at(offset, buffer, ec) == 0);
    CHECK(!ec);
    CHECK(f.read_at(offset, buffer) == 0);
  }
  std::error_code ec;
  f.read_at(last + 1, buffer, ec);
  CHECK(ec == io::errc::invalid_argument);
}
