// Tests of bytes in, bytes out over files, the error_code overloads that take the defaults of the
// throwing ones, io::read_file / io::write_file, and read_full / read_exact messages over files.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

import io.core;
import io.file;
import io.memory;

using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

namespace {

template <class... T>
struct types {};
using element_types = types<char, signed char, unsigned char, std::byte, std::uint8_t, std::int8_t, char8_t>;

template <class T>
std::string text_of(std::span<const T> items) {
  std::string out;
  for (const T& item : items) out += static_cast<char>(item);
  return out;
}

template <class T>
std::vector<T> elements(std::string_view text) {
  std::vector<T> out(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<T>(text[i]);
  return out;
}

// Writes "ab" four ways into `s` (members and io::write, both ways), as a vector, an array, a C
// array and a span of T.
template <class T, class Stream>
void write_four_ways(Stream& s) {
  const std::vector<T> vector = elements<T>("ab");
  const std::array<T, 2> array{static_cast<T>('c'), static_cast<T>('d')};
  T c_array[2] = {static_cast<T>('e'), static_cast<T>('f')};
  std::error_code ec;
  s.write(vector);
  s.write(array, ec);
  CHECK_FALSE(ec);
  io::write(s, c_array);
  io::write(s, std::span<const T>(vector), ec);
  CHECK_FALSE(ec);
}

// Reads "abcdefab" back from `s` into a vector, an array, a C array and a span of T.
template <class T, class Stream>
void read_four_ways(Stream& s) {
  std::error_code ec;
  std::vector<T> vector(3);
  CHECK(s.read(vector) == 3);
  CHECK(text_of<T>(vector) == "abc");
  std::array<T, 2> array{};
  CHECK(s.read(array, ec) == 2);
  CHECK_FALSE(ec);
  CHECK(text_of<T>(array) == "de");
  T c_array[2] = {};
  CHECK(io::read(s, c_array) == 2);
  CHECK(text_of<T>(c_array) == "fa");
  CHECK(io::read(s, std::span<T>(vector), ec) == 1);
  CHECK_FALSE(ec);
  CHECK(static_cast<char>(vector[0]) == 'b');
  CHECK(io::read(s, vector) == 0);
}

template <class... T>
void every_type_over_files(const temp_dir& dir, types<T...>) {
  (
      [&] {
        INFO("element size " << sizeof(T) << ", alignment " << alignof(T));
        const auto path = dir / "t";
        {
          io::file f(path, "w+");
          write_four_ways<T>(f);
          f.seek(0);
          read_four_ways<T>(f);
        }
        CHECK(read_text(path) == "abcdefab");
        {
          io::buffered_file f = io::open(path, "w+", 5);
          write_four_ways<T>(f);
          f.seek(0);
          read_four_ways<T>(f);
        }
        CHECK(read_text(path) == "abcdefab");
        {
          io::file_writer w = io::open_writer(path);
          write_four_ways<T>(w);
          w.close();
          io::file_reader r = io::open_reader(path, 16);
          read_four_ways<T>(r);
        }
        {
          io::atomic_file a(path);
          write_four_ways<T>(a);
          a.commit();
        }
        CHECK(read_text(path) == "abcdefab");
        {
          io::file f(path, "w");
          io::any_writer any(f);
          write_four_ways<T>(any);
        }
        {
          io::file f(path);
          io::any_reader any(f);
          read_four_ways<T>(any);
          io::file g(path);
          io::buffered_reader<io::file&> buffered(g, 16);
          read_four_ways<T>(buffered);
        }
        CHECK(text_of<T>(io::read_file<std::vector<T>>(path)) == "abcdefab");
      }(),
      ...);
}

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// A pipe whose write end is fed `data` by a thread and then closed; the read end is opened by path.
class pipe_feed {
public:
  explicit pipe_feed(std::string data) {
    REQUIRE(::pipe(ends_) == 0);
    writer_ = std::thread([this, data = std::move(data)] {
      std::size_t done = 0;
      while (done < data.size()) {
        const ssize_t n = ::write(ends_[1], data.data() + done, data.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      ::close(ends_[1]);
    });
  }
  ~pipe_feed() {
    writer_.join();
    ::close(ends_[0]);
  }
  std::filesystem::path path() const { return "/dev/fd/" + std::to_string(ends_[0]); }

private:
  int ends_[2] = {-1, -1};
  std::thread writer_;
};

// Lowers the file size limit for a scope, so that writes past it fail with EFBIG.
class file_size_limit {
public:
  explicit file_size_limit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~file_size_limit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

std::string message_of(auto&& call) {
  try {
    call();
  } catch (const io::io_error& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("every byte element type goes in and out of files and their adapters through members and io::read/io::write") {
  temp_dir dir;
  every_type_over_files(dir, element_types{});
}

TEST_CASE("a string literal goes to a file without its '\\0', through every stream") {
  temp_dir dir;
  {
    io::buffered_file f = io::open(dir / "lit", "w");
    f.write("one\n");
    io::write(f, "two\n");
    std::error_code ec;
    f.write("three\n", ec);
    CHECK_FALSE(ec);
  }
  CHECK(read_text(dir / "lit") == "one\ntwo\nthree\n");
}

TEST_CASE("each error_code form without spelled defaults compiles and reports a missing file") {
  temp_dir dir;
  const auto missing = dir / "missing";
  const auto nowhere = dir / "no-dir" / "f";
  const auto enoent = std::errc::no_such_file_or_directory;
  std::error_code ec;
  io::file f1(missing, ec);
  CHECK(ec == enoent);
  CHECK_FALSE(f1.is_open());
  io::file f2(nowhere, "w", ec);
  CHECK(ec == enoent);
  io::buffered_file b1 = io::open(missing, ec);
  CHECK(ec == enoent);
  io::buffered_file b2 = io::open(missing, "r", ec);
  CHECK(ec == enoent);
  io::buffered_file b3 = io::open(missing, "r", 4096, ec);
  CHECK(ec == enoent);
  io::file_reader r1 = io::open_reader(missing, ec);
  CHECK(ec == enoent);
  io::file_reader r2 = io::open_reader(missing, 4096, ec);
  CHECK(ec == enoent);
  std::array<std::byte, 4> buffer{};
  r2.read(buffer, ec);
  CHECK(ec == io::errc::closed);
  io::file_writer w1 = io::open_writer(nowhere, ec);
  CHECK(ec == enoent);
  io::file_writer w2 = io::open_writer(nowhere, "a", ec);
  CHECK(ec == enoent);
  io::file_writer w3 = io::open_writer(nowhere, "w", 4096, ec);
  CHECK(ec == enoent);
  io::atomic_file a1(nowhere, ec);
  CHECK(ec == enoent);
  CHECK(io::read_file(missing, ec).empty());
  CHECK(ec == enoent);
  CHECK(io::read_file<std::vector<std::byte>>(missing, ec).empty());
  CHECK(ec == enoent);
  io::write_file(nowhere, "x", ec);
  CHECK(ec == enoent);
  io::write_file(nowhere, "x", io::atomic, ec);
  CHECK(ec == enoent);

  // seek(offset, ec), as seek(offset): from the beginning.
  write_text(dir / "f", "0123456789");
  io::file f(dir / "f", ec);
  CHECK_FALSE(ec);
  CHECK(f.seek(3, ec) == 3);
  CHECK_FALSE(ec);
  io::buffered_file b = io::open(dir / "f", ec);
  CHECK(b.seek(4, ec) == 4);
  io::file_reader r = io::open_reader(dir / "f", ec);
  CHECK(r.seek(5, ec) == 5);
  io::file_writer w = io::open_writer(dir / "g", ec);
  CHECK(w.seek(6, ec) == 6);
  f.close();
  f.seek(1, ec);
  CHECK(ec == io::errc::closed);
  b1.seek(1, ec);
  CHECK(ec == io::errc::closed);
  r1.seek(1, ec);
  CHECK(ec == io::errc::closed);
  w1.seek(1, ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("the error_code forms of read_until, split and read_all take their defaults too") {
  io_test::trickle_reader failing{.data = "a,b,c", .step = 1, .fail_after = 3};
  std::string out;
  std::error_code ec;
  CHECK(io::read_until(failing, ',', out, ec));
  CHECK(out == "a");
  CHECK_FALSE(io::read_until(failing, ',', out, io::line_options{.keep_ends = true}, ec));
  CHECK(ec == std::errc::io_error);

  io_test::trickle_reader again{.data = "a,b,c", .step = 1, .fail_after = 3};
  std::vector<std::string> pieces;
  for (std::string_view piece : io::views::split(again, ',', io::line_options{.keep_ends = true}, ec))
    pieces.emplace_back(piece);
  CHECK(ec == std::errc::io_error);
  CHECK(pieces == std::vector<std::string>{"a,"});
  io_test::trickle_reader piped{.data = "a,b,c", .step = 1};
  pieces.clear();
  for (std::string_view piece : piped | io::views::split(',', io::line_options{}, ec)) pieces.emplace_back(piece);
  CHECK_FALSE(ec);
  CHECK(pieces == std::vector<std::string>{"a", "b", "c"});

  io_test::trickle_reader all{.data = "abcdef", .step = 2, .fail_after = 4};
  CHECK(io::read_all<std::string>(all, ec) == "abcd");
  CHECK(ec == std::errc::io_error);
  io_test::trickle_reader whole{.data = "abcdef", .step = 2};
  CHECK(io::read_all<std::string>(whole, ec) == "abcdef");
  CHECK_FALSE(ec);
}

TEST_CASE("read_file reads regular files of any size whole, as the standard library does") {
  temp_dir dir;
  std::mt19937_64 rng(13);
  for (std::size_t size : {0, 1, 511, 512, 513, 4096, 65536, 65537, 1 << 20}) {
    INFO("size " << size);
    const std::string data = random_bytes(rng, size);
    write_text(dir / "r", data);
    CHECK(io::read_file(dir / "r") == data);
    const auto bytes = io::read_file<std::vector<std::byte>>(dir / "r");
    CHECK(io::as_string_view(bytes) == data);
    std::error_code ec;
    CHECK(io::read_file<std::vector<unsigned char>>(dir / "r", ec).size() == size);
    CHECK_FALSE(ec);
  }
}

TEST_CASE("read_file reads an empty file as empty") {
  temp_dir dir;
  write_text(dir / "empty", "");
  CHECK(io::read_file(dir / "empty").empty());
  std::error_code ec;
  CHECK(io::read_file<std::vector<std::byte>>(dir / "empty", ec).empty());
  CHECK_FALSE(ec);
}

TEST_CASE("read_file reads a /proc file, whose size says 0, whole") {
  CHECK(std::filesystem::file_size("/proc/self/status") == 0);
  const std::string status = io::read_file("/proc/self/status");
  CHECK(status.starts_with("Name:\t"));
  CHECK(status.find("\nPid:\t") != std::string::npos);
  CHECK(status.ends_with('\n'));
  // The command line is stable while the process runs: compare with the standard library.
  CHECK(io::read_file("/proc/self/cmdline") == read_text("/proc/self/cmdline"));
}

TEST_CASE("read_file reads a pipe to its end, both ways") {
  std::mt19937_64 rng(7);
  const std::string data = random_bytes(rng, 300000); // more than a pipe holds at once
  {
    pipe_feed feed(data);
    CHECK(io::read_file(feed.path()) == data);
  }
  {
    pipe_feed feed(data);
    std::error_code ec;
    CHECK(io::as_string_view(io::read_file<std::vector<std::byte>>(feed.path(), ec)) == data);
    CHECK_FALSE(ec);
  }
}

TEST_CASE("read_file names the path when it fails") {
  temp_dir dir;
  const auto missing = dir / "missing";
  CHECK(message_of([&] { (void)io::read_file(missing); }) ==
        "cannot open '" + missing.string() + "' for reading: No such file or directory");
  CHECK(message_of([&] { (void)io::read_file(dir.path()); }) ==
        "cannot open '" + dir.path().string() + "' for reading: Is a directory");
  std::error_code ec;
  CHECK(io::read_file(dir.path(), ec).empty());
  CHECK(ec == std::errc::is_a_directory);
}

TEST_CASE("write_file creates, replaces and names the path when it fails, both ways") {
  temp_dir dir;
  const auto path = dir / "w";
  io::write_file(path, "first version\n");
  CHECK(read_text(path) == "first version\n");
  io::write_file(path, std::vector<unsigned char>{'2', '\n'});
  CHECK(read_text(path) == "2\n");
  std::error_code ec;
  io::write_file(path, std::string("third"), ec);
  CHECK_FALSE(ec);
  CHECK(io::read_file(path) == "third");
  io::write_file(path, std::span<const std::byte>(), ec);
  CHECK_FALSE(ec);
  CHECK(read_text(path).empty());
  const auto nowhere = dir / "no-dir" / "w";
  CHECK(message_of([&] { io::write_file(nowhere, "x"); }) ==
        "cannot open '" + nowhere.string() + "' for writing: No such file or directory");
  CHECK_FALSE(std::filesystem::exists(nowhere));
}

TEST_CASE("write_file with io::atomic replaces the file whole or leaves it untouched, both ways") {
  temp_dir dir;
  const auto path = dir / "a";
  io::write_file(path, "old contents", io::atomic);
  CHECK(read_text(path) == "old contents");
  std::error_code ec;
  io::write_file(path, std::array<char, 3>{'n', 'e', 'w'}, io::atomic, ec);
  CHECK_FALSE(ec);
  CHECK(read_text(path) == "new");

  const auto nowhere = dir / "no-dir" / "a";
  CHECK(message_of([&] { io::write_file(nowhere, "x", io::atomic); }) ==
        "cannot create a temporary file for '" + nowhere.string() + "': No such file or directory");

  // A write that fails partway: past the file size limit, write() fails with EFBIG.
  std::mt19937_64 rng(3);
  const std::string big = random_bytes(rng, 200000);
  write_text(path, "old contents");
  {
    file_size_limit limit(100000);
    const std::string message = message_of([&] { io::write_file(path, big, io::atomic); });
    CHECK(message.find("File too large") != std::string::npos);
    io::write_file(path, big, io::atomic, ec);
    CHECK(ec == std::errc::file_too_large);
  }
  CHECK(read_text(path) == "old contents"); // untouched
  std::size_t leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) leftovers += entry.path() != path;
  CHECK(leftovers == 0); // no temporary left behind

  // Without io::atomic, the same failure leaves a cut file: what io::atomic is for.
  {
    file_size_limit limit(100000);
    CHECK(message_of([&] { io::write_file(path, big); }) ==
          "cannot write '" + path.string() + "': File too large");
    io::write_file(path, big, ec);
    CHECK(ec == std::errc::file_too_large);
  }
  CHECK(read_text(path) == big.substr(0, 100000));
}

TEST_CASE("read_full and read_exact over files name the path, the offset and both counts") {
  temp_dir dir;
  const auto path = dir / "r.bin";
  write_text(path, std::string(42, 'r')); // five 8-byte records and two stray bytes
  const std::string expected =
      "cannot read '" + path.string() + "': expected 8 bytes at offset 40, got 2: unexpected end of stream";
  auto five_then_error = [&](auto& s) {
    std::array<std::byte, 8> record{};
    int records = 0;
    const std::string message = message_of([&] {
      while (io::read_full(s, record)) ++records;
    });
    CHECK(records == 5);
    CHECK(message == expected);
  };
  {
    io::file f(path);
    five_then_error(f);
  }
  {
    io::buffered_file f = io::open(path, "r", 3);
    five_then_error(f);
  }
  {
    io::file_reader f = io::open_reader(path, 16);
    five_then_error(f);
  }
  {
    io::file f(path);
    f.seek(40);
    char eight[8];
    CHECK(message_of([&] { io::read_exact(f, eight); }) == expected);
    std::error_code ec;
    f.seek(40);
    io::read_exact(f, eight, ec);
    CHECK(ec == io::errc::unexpected_eof);
    f.seek(40);
    CHECK_FALSE(io::read_full(f, eight, ec));
    CHECK(ec == io::errc::unexpected_eof);
    f.seek(32);
    CHECK(io::read_full(f, eight, ec));
    CHECK_FALSE(ec);
  }
  {
    write_text(path, std::string(40, 'r'));
    io::file_reader f = io::open_reader(path);
    std::array<unsigned char, 8> record{};
    int records = 0;
    while (io::read_full(f, record)) ++records;
    CHECK(records == 5); // a clean end: no error
  }
  {
    // A pipe cannot tell its position: the message gives the counts only.
    pipe_feed feed("0123456789");
    io::file f(feed.path());
    std::array<char, 8> record{};
    CHECK(io::read_full(f, record));
    CHECK(message_of([&] { io::read_full(f, record); }) ==
          "cannot read '" + feed.path().string() + "': expected 8 bytes, got 2: unexpected end of stream");
  }
}
