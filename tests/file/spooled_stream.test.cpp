// Tests of io::spooled_stream and io::mapped_stream: BytesIO semantics in memory and in a mapped
// file (the differential against CPython is tests/memory/bytesio_parity.py with stream_replay).
#include <doctest/doctest.h>

#include "../support.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

import io;

using io_test::temp_dir;
using io_test::thrown;

static_assert(io::contiguous_source<io::spooled_stream>);
static_assert(io::contiguous_source<io::mapped_stream>);
static_assert(io::writable<io::spooled_stream>);
static_assert(io::writable<io::mapped_stream>);

namespace {

// The targets of this process's descriptors that lie in `directory`.
std::vector<std::string> descriptors_in(const std::filesystem::path& directory) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (!ec && target.starts_with(directory.string() + "/")) found.push_back(target);
  }
  return found;
}

// The size of the file this process has open in `directory` (a spooled stream's unnamed file).
std::uint64_t open_file_size_in(const std::filesystem::path& directory) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
    struct stat info {};
    if (!ec && target.starts_with(directory.string() + "/") && ::stat(entry.path().c_str(), &info) == 0)
      return static_cast<std::uint64_t>(info.st_size);
  }
  FAIL("no file open in " << directory);
  return 0;
}

} // namespace

TEST_CASE("a spooled stream stays in memory up to its threshold and moves when its size first exceeds it") {
  temp_dir dir;
  io::spooled_stream s(10, dir.path());
  CHECK(s.threshold() == 10);
  io::write(s, "0123456789");
  CHECK(!s.rolled_over());
  CHECK(descriptors_in(dir.path()).empty());
  s.seek(4);
  CHECK(io_test::read_string(s, 2) == "45");
  s.seek(20); // seeking past the threshold moves nothing
  CHECK(!s.rolled_over());
  io::write(s, ""); // nor does an empty write there
  CHECK(!s.rolled_over());
  io::write(s, "X");
  CHECK(s.rolled_over());
  CHECK(s.tell() == 21);
  CHECK(s.str() == std::string("0123456789") + std::string(10, '\0') + "X");
  s.truncate(3); // never moves back
  CHECK(s.rolled_over());
  CHECK(s.str() == "012");
}

TEST_CASE("threshold 0 spills at the first byte, the file has no name, and the directory no entry") {
  temp_dir dir;
  io::spooled_stream s(0, dir.path());
  CHECK(!s.rolled_over());
  io::write(s, "a");
  CHECK(s.rolled_over());
  CHECK(std::filesystem::is_empty(dir.path()));
  const std::vector<std::string> open = descriptors_in(dir.path());
  REQUIRE(open.size() == 1);
  // O_TMPFILE shows as "/dir/#inode (deleted)", the fallback's file as "/dir/tmpXXXX (deleted)".
  CHECK(open[0].ends_with(" (deleted)"));
  s.close();
  CHECK(descriptors_in(dir.path()).empty());
}

TEST_CASE("after the rollover view() is a zero-copy span over the map, as fill() is") {
  temp_dir dir;
  io::spooled_stream s(100, dir.path());
  const std::string text(5000, 'q');
  io::write(s, text);
  REQUIRE(s.rolled_over());
  s.seek(1000);
  const std::span<const std::byte> all = s.view();
  CHECK(s.fill().data() == all.data() + 1000);
  CHECK(io::as_string_view(all) == text);
  std::string lines;
  io::spooled_stream t(4, dir.path());
  io::write(t, "one\ntwo\nthree\n");
  t.seek(0);
  for (const std::string_view line : t | io::views::lines) {
    CHECK(line.data() >= reinterpret_cast<const char*>(t.view().data())); // borrowed from the map
    (lines += line) += ',';
  }
  CHECK(lines == "one,two,three,");
}

TEST_CASE("rollover() moves the contents now and keeps the position, on a closed stream it reports closed both ways") {
  temp_dir dir;
  io::spooled_stream s(1 << 20, dir.path());
  io::write(s, "kept");
  s.seek(2);
  s.rollover();
  CHECK(s.rolled_over());
  CHECK(s.tell() == 2);
  CHECK(s.str() == "kept");
  s.rollover(); // already there
  io::spooled_stream empty(1 << 20, dir.path());
  empty.rollover();
  CHECK(empty.rolled_over());
  CHECK(empty.view().empty());
  io::write(empty, "later");
  CHECK(empty.str() == "later");
  s.close();
  CHECK(thrown([&] { s.rollover(); }).first == io::errc::closed);
  std::error_code ec;
  s.rollover(ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("a rollover into a directory that does not exist is reported both ways and the contents stay whole in memory") {
  temp_dir dir;
  const auto missing = dir / "missing";
  io::spooled_stream s(4, missing);
  io::write(s, "1234");
  auto [code, message] = thrown([&] { io::write(s, "5"); });
  CHECK(code == std::errc::no_such_file_or_directory);
  CHECK(message.find("'" + missing.string()) != std::string::npos);
  CHECK(!s.rolled_over());
  CHECK(s.str() == "1234");
  std::error_code ec;
  s.rollover(ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  s.write(io::as_bytes(std::string_view("56")), ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(s.str() == "1234");
  CHECK(s.tell() == 4);
}

TEST_CASE("persist gives a rolled-over stream's file a name without copying, replacing the target, and closes the stream") {
  temp_dir dir;
  const auto target = dir / "out.bin";
  io_test::write_text(target, "old contents");
  io::spooled_stream s(8, dir.path());
  io::write(s, std::string(10000, 'n'));
  s.truncate(9000); // the file holds exactly the contents, not its capacity
  REQUIRE(s.rolled_over());
  s.persist(target);
  CHECK(s.closed());
  CHECK(io_test::read_text(target) == std::string(9000, 'n'));
  struct stat info {};
  REQUIRE(::stat(target.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) names.push_back(entry.path().filename());
  CHECK(names == std::vector<std::string>{"out.bin"});
}

TEST_CASE("persist writes a stream still in memory out atomically, both ways") {
  temp_dir dir;
  for (const bool use_ec : {false, true}) {
    const auto target = dir / (use_ec ? "b" : "a");
    io::spooled_stream s(1000, dir.path());
    io::write(s, "small");
    std::error_code ec;
    if (use_ec) s.persist(target, ec);
    else s.persist(target);
    CHECK(!ec);
    CHECK(!s.rolled_over());
    CHECK(s.closed());
    CHECK(io_test::read_text(target) == "small");
  }
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 2);
}

TEST_CASE("persist into a missing directory is reported both ways, naming the target, the stream keeps its contents") {
  temp_dir dir;
  const auto target = dir / "missing" / "out.bin";
  for (const std::size_t threshold : {0u, 1000u}) {
    CAPTURE(threshold);
    io::spooled_stream s(threshold, dir.path());
    io::write(s, "contents");
    s.seek(3);
    auto [code, message] = thrown([&] { s.persist(target); });
    CHECK(code == std::errc::no_such_file_or_directory);
    CHECK(message.find("cannot persist the spooled stream as '" + target.string() + "'") == 0);
    std::error_code ec;
    s.persist(target, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!s.closed());
    CHECK(s.str() == "contents");
    CHECK(s.tell() == 3);
    CHECK(s.rolled_over() == (threshold == 0));
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a mapped stream keeps an r+ file's contents, grows it as it writes and leaves exactly the contents at close") {
  temp_dir dir;
  const auto path = dir / "m.bin";
  io_test::write_text(path, "existing");
  io::mapped_stream s(path, "r+");
  CHECK(s.str() == "existing");
  CHECK(s.tell() == 0);
  io::write(s, "EX");
  s.seek(0, io::whence::end);
  for (int i = 0; i < 1000; ++i) io::write(s, "0123456789");
  CHECK(std::filesystem::file_size(path) >= 10008); // capacity, until close
  s.seek(3);
  CHECK(io_test::read_string(s, 5) == "sting");
  s.sync();
  s.close();
  CHECK(io_test::read_text(path).size() == 10008);
  CHECK(io_test::read_text(path).substr(0, 12) == "EXisting0123");
  io::mapped_stream again(path, "rb");
  CHECK(again.view().size() == 10008);
}

TEST_CASE("a read-only mapped stream reads and refuses writes and truncates both ways") {
  temp_dir dir;
  const auto path = dir / "r.bin";
  io_test::write_text(path, "read me");
  io::mapped_stream s(path, "r");
  CHECK(io::read_all<std::string>(s) == "read me");
  auto [code, message] = thrown([&] { io::write(s, "x"); });
  CHECK(code == io::errc::not_writable);
  CHECK(message.find("cannot write '" + path.string() + "'") == 0);
  std::error_code ec;
  s.write(io::as_bytes(std::string_view("x")), ec);
  CHECK(ec == io::errc::not_writable);
  s.truncate(2, ec);
  CHECK(ec == io::errc::not_writable);
  s.close();
  CHECK(io_test::read_text(path) == "read me");
}

TEST_CASE("mapped streams refuse modes without + and missing files, both ways") {
  temp_dir dir;
  for (const char* mode : {"w", "a+", "rw", "r+bb"}) {
    CAPTURE(mode);
    auto [code, message] = thrown([&] { io::mapped_stream s(dir / "f", mode); });
    CHECK(code == io::errc::invalid_argument);
    CHECK(message.find("with mode '" + std::string(mode) + "'") != std::string::npos);
    std::error_code ec;
    io::mapped_stream s(dir / "f", mode, ec);
    CHECK(ec == io::errc::invalid_argument);
    CHECK(s.closed());
  }
  auto [code, message] = thrown([&] { io::mapped_stream s(dir / "missing", "r+"); });
  CHECK(code == std::errc::no_such_file_or_directory);
  io::mapped_stream created(dir / "new", "x+");
  io::write(created, "new");
  created.close();
  CHECK(io_test::read_text(dir / "new") == "new");
  std::error_code ec;
  io::mapped_stream exists(dir / "new", "x+", ec);
  CHECK(ec == std::errc::file_exists);
}

static_assert(std::same_as<decltype(std::declval<io::spooled_stream&>().take()), std::vector<std::byte>>);

TEST_CASE("take() moves the contents out as the container asked for and leaves the stream empty at 0, before and after the rollover") {
  temp_dir dir;
  io::spooled_stream s(16, dir.path());
  io::write(s, "in memory");
  s.seek(100);
  const io::byte_array in_memory = s.take<io::byte_array>();
  CHECK(in_memory == io::byte_array(std::string_view("in memory")));
  CHECK(!s.closed());
  CHECK(!s.rolled_over());
  CHECK(s.tell() == 0);
  CHECK(s.view().empty());
  io::write(s, "again");
  CHECK(s.str() == "again");
  io::write(s, std::string(20, 'x'));
  REQUIRE(s.rolled_over());
  // A small append waits in the write buffer: take() writes it out and copies it with the rest.
  io::write(s, "tail");
  s.seek(3);
  const std::string in_file = s.take<std::string>();
  CHECK(in_file == "again" + std::string(20, 'x') + "tail");
  // The stream stays in its file, cut to 0 bytes.
  CHECK(s.rolled_over());
  CHECK(!s.closed());
  CHECK(s.tell() == 0);
  CHECK(s.view().empty());
  CHECK(open_file_size_in(dir.path()) == 0);
  io::write(s, "next");
  CHECK(s.str() == "next");
  CHECK(s.take() == std::vector<std::byte>(io::as_bytes(std::string_view("next")).begin(), io::as_bytes(std::string_view("next")).end()));
  CHECK(open_file_size_in(dir.path()) == 0);

  std::error_code ec;
  io::write(s, "by code");
  CHECK(s.take<std::string>(ec) == "by code");
  CHECK(!ec);
  CHECK(s.take<io::byte_array>(ec).empty()); // taking nothing is no error
  CHECK(!ec);
  io::spooled_stream small(1000, dir.path());
  io::write(small, "by code too");
  CHECK(small.take<io::byte_array>(ec) == io::byte_array(std::string_view("by code too")));
  CHECK(!ec);
  CHECK(small.view().empty());
}

TEST_CASE("take() on a closed spooled stream reports errc::closed naming take, both ways") {
  temp_dir dir;
  io::spooled_stream s(0, dir.path());
  io::write(s, "gone");
  s.close();
  auto [code, message] = thrown([&] { (void)s.take<std::string>(); });
  CHECK(code == io::errc::closed);
  CHECK(message.starts_with("cannot take"));
  std::error_code ec;
  CHECK(s.take<io::byte_array>(ec).empty());
  CHECK(ec == io::errc::closed);
}

TEST_CASE("a mapped stream's take() copies the file's contents and cuts it to 0 bytes, a read-only one refuses and keeps them, both ways") {
  temp_dir dir;
  const auto path = dir / "m.bin";
  io_test::write_text(path, "file contents");
  io::mapped_stream m(path, "r+");
  m.seek(4);
  CHECK(m.take<std::string>() == "file contents");
  CHECK(m.tell() == 0);
  CHECK(m.view().empty());
  CHECK(std::filesystem::file_size(path) == 0);
  io::write(m, "new");
  m.close();
  CHECK(io_test::read_text(path) == "new");

  io::mapped_stream r(path, "r");
  r.seek(1);
  auto [code, message] = thrown([&] { (void)r.take<io::byte_array>(); });
  CHECK(code == io::errc::not_writable);
  CHECK(message.find("cannot take '" + path.string() + "'") == 0);
  std::error_code ec;
  CHECK(r.take<std::string>(ec).empty());
  CHECK(ec == io::errc::not_writable);
  CHECK(r.str() == "new");
  CHECK(r.tell() == 1);
}
