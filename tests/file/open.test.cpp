// Tests of io::open and the buffered file streams: Python's open() over io.core's adapters.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <system_error>

import io.core;
import io.file;

using io_test::read_string;
using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

static_assert(io::readable<io::buffered_file>);
static_assert(io::writable<io::buffered_file>);
static_assert(io::seekable<io::buffered_file>);
static_assert(io::buffered_readable<io::buffered_file>);
static_assert(io::buffered_readable<io::file_reader>);
static_assert(io::seekable<io::file_reader>);
static_assert(!io::writable<io::file_reader>);
static_assert(io::writable<io::file_writer>);
static_assert(!io::readable<io::file_writer>);

TEST_CASE("open(path) reads a file through a buffer, lending it with fill") {
  temp_dir dir;
  write_text(dir / "f", "buffered contents");
  io::buffered_file f = io::open(dir / "f");
  CHECK(io::as_string_view(f.fill()) == "buffered contents");
  f.consume(9);
  CHECK(f.tell() == 9);
  CHECK(io::read_all<std::string>(f) == "contents");
}

TEST_CASE("open with w buffers writes until flush or close") {
  temp_dir dir;
  io::buffered_file f = io::open(dir / "f", "w");
  io::write(f, "pending");
  CHECK(read_text(dir / "f").empty());
  f.flush();
  CHECK(read_text(dir / "f") == "pending");
  io::write(f, " and closed");
  f.close();
  CHECK(read_text(dir / "f") == "pending and closed");
}

TEST_CASE("the buffered file's destructor writes out what is pending") {
  temp_dir dir;
  {
    io::buffered_file f = io::open(dir / "f", "wb", 4096);
    io::write(f, "written at destruction");
  }
  CHECK(read_text(dir / "f") == "written at destruction");
}

TEST_CASE("open with r+ interleaves buffered reads and writes at the right positions") {
  temp_dir dir;
  write_text(dir / "f", "0123456789");
  io::buffered_file f = io::open(dir / "f", "r+", 4);
  std::array<std::byte, 2> two{};
  CHECK(f.read(two) == 2);
  io::write(f, "ab");
  CHECK(f.tell() == 4);
  CHECK(f.read(two) == 2);
  CHECK(io::as_string_view(two) == "45");
  f.seek(-1, io::whence::end);
  io::write(f, "Z");
  f.close();
  CHECK(read_text(dir / "f") == "01ab45678Z");
}

TEST_CASE("open with a appends, and a+ reads what is there") {
  temp_dir dir;
  write_text(dir / "log", "one\n");
  {
    io::buffered_file f = io::open(dir / "log", "a");
    io::write(f, "two\n");
  }
  io::buffered_file f = io::open(dir / "log", "a+");
  f.seek(0);
  io::write(f, "three\n");
  f.seek(0);
  CHECK(io::read_all<std::string>(f) == "one\ntwo\nthree\n");
}

TEST_CASE("a buffered file opened for appending starts at its end, and a+ reads nothing there") {
  temp_dir dir;
  write_text(dir / "log", "one\n");
  io::buffered_file a = io::open(dir / "log", "a");
  CHECK(a.tell() == 4);
  std::error_code ec;
  io::buffered_file plus = io::open(dir / "log", "a+", 16, ec);
  REQUIRE(!ec);
  CHECK(plus.tell(ec) == 4);
  CHECK(io::read_all<std::string>(plus).empty());
  io::write(plus, "two\n");
  CHECK(plus.tell() == 8);
}

TEST_CASE("a buffered append after a seek, a read or a truncate is at the end, and tell() says so at once") {
  temp_dir dir;
  write_text(dir / "log", "0123456789");
  io::buffered_file f = io::open(dir / "log", "a+", 16);
  f.seek(2);
  io::write(f, "ab"); // lands at the end, whatever the position
  CHECK(f.tell() == 12);
  std::error_code ec;
  CHECK(f.tell(ec) == 12);
  CHECK(io::read_all<std::string>(f).empty());
  f.seek(0);
  CHECK(read_string(f, 3) == "012");
  io::write(f, "cd", ec);
  REQUIRE(!ec);
  CHECK(f.tell() == 14);
  CHECK(f.truncate(5) == 5);
  CHECK(f.tell() == 14); // truncate leaves the position, as in Python
  io::write(f, "ef");
  CHECK(f.tell() == 7);
  f.seek(0);
  CHECK(io::read_all<std::string>(f) == "01234ef");
  f.close();
  CHECK(read_text(dir / "log") == "01234ef");
}

TEST_CASE("an empty write to a buffered appending file moves nothing, as with an unbuffered one") {
  temp_dir dir;
  write_text(dir / "log", "0123456789");
  io::buffered_file f = io::open(dir / "log", "a+", 16);
  f.seek(3);
  io::write(f, "");
  CHECK(f.tell() == 3);
  CHECK(read_string(f, 2) == "34");
}

TEST_CASE("a buffered append-only writer after a seek appends, and tell() says so at once") {
  temp_dir dir;
  write_text(dir / "log", "0123456789");
  io::file_writer w = io::open_writer(dir / "log", "a", 16);
  CHECK(w.tell() == 10);
  w.seek(0);
  io::write(w, "ab");
  CHECK(w.tell() == 12);
  std::error_code ec;
  CHECK(w.tell(ec) == 12);
  w.seek(1, io::whence::begin, ec);
  io::write(w, "cd", ec);
  REQUIRE(!ec);
  CHECK(w.tell() == 14);
  w.close();
  CHECK(read_text(dir / "log") == "0123456789abcd");
}

TEST_CASE("write_some to a buffered appending file after a seek is at the end too, both ways") {
  temp_dir dir;
  write_text(dir / "log", "0123456789");
  io::buffered_file f = io::open(dir / "log", "a+", 16);
  f.seek(2);
  CHECK(f.write_some(io::as_bytes("ab")) == 2);
  CHECK(f.tell() == 12);
  io::file_writer w = io::open_writer(dir / "log", "a", 16);
  w.seek(0);
  std::error_code ec;
  CHECK(w.write_some(io::as_bytes("cd"), ec) == 2);
  REQUIRE(!ec);
  CHECK(w.tell() == 12); // its own end, before f's pending "ab"
  f.close();
  w.close();
  CHECK(read_text(dir / "log") == "0123456789abcd");
}

TEST_CASE("a buffered read of zero bytes reads nothing into the buffer, as Python's read1(0)") {
  temp_dir dir;
  write_text(dir / "f", "0123456789");
  io::buffered_file f = io::open(dir / "f", "r", 4);
  std::array<std::byte, 8> eight{};
  CHECK(f.read(std::span(eight).first(0)) == 0);
  CHECK(f.tell() == 0);
  CHECK(f.read(eight) == 8); // a read as large as the buffer goes straight to the file
  std::error_code ec;
  CHECK(f.read(std::span(eight).first(0), ec) == 0);
  CHECK(!ec);
  CHECK(f.read(eight, ec) == 2);
  io::file_reader r = io::open_reader(dir / "f", 4);
  CHECK(r.read(std::span(eight).first(0)) == 0);
  CHECK(r.read(eight) == 8);
}

TEST_CASE("a failed seek of a buffered reader leaves its position, both ways") {
  temp_dir dir;
  write_text(dir / "f", "0123456789");
  io::file_reader r = io::open_reader(dir / "f", 4);
  CHECK(read_string(r, 1) == "0"); // three more bytes are buffered
  CHECK_THROWS_AS(r.seek(-5, io::whence::current), io::io_error);
  CHECK(r.tell() == 1);
  std::error_code ec;
  r.seek(-9, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(r.tell() == 1);
  CHECK(read_string(r, 3) == "123");
}

TEST_CASE("a read of zero bytes from a closed buffered file reports the closed file, both ways") {
  temp_dir dir;
  write_text(dir / "f", "0123456789");
  io::file_reader r = io::open_reader(dir / "f", 4);
  io::buffered_file f = io::open(dir / "f", "r", 4);
  r.close();
  f.close();
  std::array<std::byte, 1> one{};
  CHECK_THROWS_AS((void)r.read(std::span(one).first(0)), io::io_error);
  CHECK_THROWS_AS((void)f.read(std::span(one).first(0)), io::io_error);
  std::error_code ec;
  r.read(std::span(one).first(0), ec);
  CHECK(ec == io::errc::closed);
  f.read(std::span(one).first(0), ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("a buffered file opened for writing refuses reads and one opened for reading refuses writes") {
  temp_dir dir;
  write_text(dir / "f", "x");
  io::buffered_file w = io::open(dir / "f", "a");
  std::array<std::byte, 1> b{};
  CHECK_THROWS_AS((void)w.read(b), io::io_error);
  std::error_code ec;
  w.read(b, ec);
  CHECK(ec == io::errc::not_readable);

  io::buffered_file r = io::open(dir / "f", "r");
  try {
    io::write(r, "y");
    FAIL("writing a file opened with r did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::not_writable);
  }
  io::write(r, "y", ec);
  CHECK(ec == io::errc::not_writable);
}

TEST_CASE("open reports a missing file both ways") {
  temp_dir dir;
  CHECK_THROWS_AS(io::open(dir / "missing"), io::io_error);
  std::error_code ec;
  io::buffered_file f = io::open(dir / "missing", "r", 1024, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  std::array<std::byte, 1> b{};
  f.read(b, ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("buffered data is never reported written to /dev/full: flush and close fail, both ways") {
  io::buffered_file f = io::open("/dev/full", "w");
  io::write(f, "buffered"); // fits in the buffer: nothing reached the device yet
  try {
    f.flush();
    FAIL("flush to /dev/full did not throw");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot write '/dev/full': No space left on device");
  }
  std::error_code ec;
  f.flush(ec);
  CHECK(ec == std::errc::no_space_on_device);
  f.close(ec);
  CHECK(ec == std::errc::no_space_on_device);

  io::buffered_file g = io::open("/dev/full", "w");
  io::write(g, "buffered");
  CHECK_THROWS_AS(g.close(), io::io_error);

  io::file_writer h = io::open_writer("/dev/full");
  io::write(h, "buffered");
  h.close(ec);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("open_reader and open_writer give one-way buffered files") {
  temp_dir dir;
  {
    io::file_writer w = io::open_writer(dir / "f");
    io::write(w, "one way");
    w.close();
  }
  io::file_reader r = io::open_reader(dir / "f", 3);
  CHECK(r.capacity() == 3);
  CHECK(io::read_all<std::string>(r) == "one way");
  {
    io::file_writer a = io::open_writer(dir / "f", "a");
    io::write(a, ", and back");
  }
  CHECK(read_text(dir / "f") == "one way, and back");
  CHECK_THROWS_AS(io::open_writer(dir / "f", "x"), io::io_error);
  CHECK_THROWS_AS(io::open_reader(dir / "missing"), io::io_error);
}

TEST_CASE("a large write through a small buffer goes straight to the file") {
  temp_dir dir;
  std::string big(100000, 'b');
  big[54321] = '!';
  io::buffered_file f = io::open(dir / "f", "w+", 1024);
  io::write(f, "head;");
  io::write(f, big);
  f.seek(0);
  CHECK(io::read_all<std::string>(f) == "head;" + big);
}

TEST_CASE("open takes a path as a C string or a std::string, in every form, and names it in errors") {
  temp_dir dir;
  const std::string name = (dir / "f").string();
  const std::string missing = (dir / "missing").string();
  {
    io::buffered_file f = io::open(name.c_str(), "w", 16);
    io::write(f, "c string");
  }
  CHECK(read_text(dir / "f") == "c string");
  {
    io::buffered_file f = io::open(name, "a");
    io::write(f, ", std::string");
  }
  CHECK(io::read_all<std::string>(io::open(name.c_str())) == "c string, std::string");
  CHECK(io::read_all<std::string>(io::open(name)) == "c string, std::string");
  std::error_code ec;
  CHECK(io::read_all<std::string>(io::open(name.c_str(), "rb", 1, ec)) == "c string, std::string");
  CHECK(!ec);
  CHECK(io::read_all<std::string>(io::open(name, "rb", 3, ec)) == "c string, std::string");
  CHECK(!ec);
  CHECK(io::read_all<std::string>(io::open(name.c_str(), ec)) == "c string, std::string");
  CHECK(io::read_all<std::string>(io::open(name, "r", ec)) == "c string, std::string");

  // Errors, both ways, name the path and the operation.
  for (const auto& attempt : {+[](const std::string& p) { (void)io::open(p.c_str()); },
                              +[](const std::string& p) { (void)io::open(p); },
                              +[](const std::string& p) { (void)io::open(p.c_str(), "r+", 8); },
                              +[](const std::string& p) { (void)io::open(p, "rb", 8); }}) {
    try {
      attempt(missing);
      FAIL("opening a missing file did not throw");
    } catch (const std::system_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
      CHECK(std::string(e.what()).find(missing) != std::string::npos);
    }
  }
  io::buffered_file g = io::open(missing.c_str(), ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(!g.inner().is_open());
  (void)io::open(missing, "r", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  (void)io::open(missing.c_str(), "rb", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  (void)io::open(missing, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
}
