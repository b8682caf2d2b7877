// Tests of io::mapped_file: a file's bytes as a contiguous range, and a stream over them.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

import io.core;
import io.memory;
import io.file;

using io_test::temp_dir;
using io_test::write_text;

static_assert(std::ranges::contiguous_range<const io::mapped_file&>);
static_assert(std::ranges::sized_range<const io::mapped_file&>);
static_assert(std::is_same_v<std::ranges::range_value_t<io::mapped_file>, std::byte>);
static_assert(!std::is_copy_constructible_v<io::mapped_file>);

TEST_CASE("a mapped file shows the file's bytes as a range and as text") {
  temp_dir dir;
  write_text(dir / "f", "mapped\nbytes\n");
  const io::mapped_file m(dir / "f");
  CHECK(m.size() == 13);
  CHECK(!m.empty());
  CHECK(m.text() == "mapped\nbytes\n");
  CHECK(io::as_string_view(m.bytes()) == m.text());
  CHECK(std::ranges::count(m, std::byte{'\n'}) == 2);
  CHECK(m.path() == (dir / "f").string());
}

TEST_CASE("an empty file maps to an empty range without an error") {
  temp_dir dir;
  write_text(dir / "empty", "");
  const io::mapped_file m(dir / "empty");
  CHECK(m.empty());
  CHECK(m.size() == 0);
  CHECK(m.begin() == m.end());
  CHECK(m.text().empty());
  std::error_code ec;
  const io::mapped_file n(dir / "empty", ec);
  CHECK(!ec);
}

TEST_CASE("mapping a missing file or a directory is reported both ways") {
  temp_dir dir;
  const std::string path = (dir / "missing").string();
  try {
    io::mapped_file m(path);
    FAIL("mapping a missing file did not throw");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot map '" + path + "': No such file or directory");
  }
  std::error_code ec;
  io::mapped_file m(path, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(m.empty());
  io::mapped_file d(dir.path(), ec);
  CHECK(ec == std::errc::is_a_directory);
}

TEST_CASE("a span stream over a mapping reads and seeks it") {
  temp_dir dir;
  write_text(dir / "f", "0123456789");
  const io::mapped_file m(dir / "f");
  io::span_stream s(m.bytes());
  CHECK(s.seek(-4, io::whence::end) == 6);
  CHECK(io::read_all<std::string>(s) == "6789");
  CHECK(s.view().data() == m.data());
}

TEST_CASE("advice is accepted, and moving a mapping hands it over") {
  temp_dir dir;
  write_text(dir / "f", std::string(100000, 'm'));
  io::mapped_file m(dir / "f");
  m.advise(io::access_pattern::sequential);
  std::error_code ec;
  m.advise(io::access_pattern::random, ec);
  CHECK(!ec);
  m.advise(io::access_pattern::will_need, ec);
  CHECK(!ec);
  const std::byte* data = m.data();
  io::mapped_file n = std::move(m);
  CHECK(n.data() == data);
  CHECK(m.empty()); // NOLINT(bugprone-use-after-move): moved-from state is specified
  n.close();
  CHECK(n.empty());
  n.close();
}

namespace {

// The message and code of mapping `path` through the throwing constructor, and the code through
// the error_code one (which must map nothing).
void check_refused(const std::string& path, std::error_code expected, const std::string& message) {
  INFO(path);
  try {
    io::mapped_file m(path);
    FAIL("mapping did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == expected);
    CHECK(std::string(e.what()) == "cannot map '" + path + "': " + message);
    CHECK(e.path() == path);
  }
  std::error_code ec;
  const io::mapped_file m(path, ec);
  CHECK(ec == expected);
  CHECK(m.empty());
  CHECK(m.data() == nullptr);
}

} // namespace

TEST_CASE("devices and a FIFO are not regular files: refused both ways, and the FIFO's bytes stay unread") {
  check_refused("/dev/null", io::errc::not_mappable, "not a regular file of known size");
  check_refused("/dev/zero", io::errc::not_mappable, "not a regular file of known size");
  temp_dir dir;
  const std::string fifo = (dir / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_refused(fifo, io::errc::not_mappable, "not a regular file of known size"); // no writer: no wait
  // With a writer and bytes waiting in it.
  const int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "waiting", 7) == 7);
  check_refused(fifo, io::errc::not_mappable, "not a regular file of known size");
  char back[16];
  CHECK(::read(fd, back, sizeof back) == 7);
  CHECK(std::string_view(back, 7) == "waiting");
  ::close(fd);
}

TEST_CASE("virtual files that report a size of 0 or a size they lack are refused both ways") {
  check_refused("/proc/self/status", io::errc::not_mappable, "not a regular file of known size");
  check_refused("/proc/cpuinfo", io::errc::not_mappable, "not a regular file of known size");
  if (std::filesystem::exists("/sys/kernel/notes"))
    check_refused("/sys/kernel/notes", io::errc::not_mappable, "not a regular file of known size");
}

TEST_CASE("a genuinely empty regular file still maps as empty, both ways, also next to the refusals") {
  temp_dir dir;
  write_text(dir / "empty", "");
  std::error_code ec;
  io::mapped_file m(dir / "empty", ec);
  CHECK(!ec);
  CHECK(m.empty());
  io::mapped_file refused("/proc/self/status", ec);
  CHECK(ec == io::errc::not_mappable);
  m = io::mapped_file(dir / "empty");
  CHECK(m.empty());
  CHECK(m.text().empty());
}
