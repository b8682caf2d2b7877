// Tests of io::mapped_file: a file's bytes as a contiguous range, and a stream over them.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <tuple>
#include <utility>
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
using io_test::thrown;
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

// The second version of maps: writable, at any offset, resized, synced.

static_assert(std::ranges::contiguous_range<const io::mapped_file&>);

namespace {

std::string sequence(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i * 7 % 26);
  return s;
}

} // namespace

TEST_CASE("an r+ map writes through to the file, and writes to the file show in the map") {
  temp_dir dir;
  const auto path = dir / "shared.bin";
  write_text(path, sequence(10000));
  io::mapped_file m(path, "r+");
  CHECK(m.writable());
  REQUIRE(m.size() == 10000);
  const std::span<std::byte> bytes = m.writable_bytes();
  CHECK(bytes.data() == m.data());
  std::memcpy(bytes.data() + 4094, "CROSSING", 8); // across a page boundary
  m.sync();
  std::string expected = sequence(10000);
  expected.replace(4094, 8, "CROSSING");
  CHECK(io_test::read_text(path) == expected);
  io::file f(path, "r+");
  f.write_at(9990, io::as_bytes(std::string_view("0123456789")));
  CHECK(m.text().substr(9990) == "0123456789");
}

TEST_CASE("a read-only map refuses writable_bytes, resize and nothing else, both ways") {
  temp_dir dir;
  write_text(dir / "f", "read only");
  io::mapped_file m(dir / "f");
  CHECK(!m.writable());
  const std::string path = (dir / "f").string();
  auto [code, message] = thrown([&] { (void)m.writable_bytes(); });
  CHECK(code == io::errc::not_writable);
  CHECK(message.find("cannot write to the map of '" + path + "'") == 0);
  std::tie(code, message) = thrown([&] { m.resize(3); });
  CHECK(code == io::errc::not_writable);
  CHECK(message.find("cannot resize the map of '" + path + "'") == 0);
  std::error_code ec;
  CHECK(m.writable_bytes(ec).empty());
  CHECK(ec == io::errc::not_writable);
  m.resize(3, ec);
  CHECK(ec == io::errc::not_writable);
  CHECK(m.text() == "read only");
  m.sync(); // nothing to write
  m.sync(ec);
  CHECK(!ec);
}

TEST_CASE("resize grows and shrinks the file and the map together, new bytes are zeros") {
  temp_dir dir;
  const auto path = dir / "grow.bin";
  write_text(path, "");
  io::mapped_file m(path, "r+");
  CHECK(m.empty());
  for (const std::size_t size : {1u, 4096u, 4097u, 100000u, 5000u, 0u, 12345u}) {
    CAPTURE(size);
    const std::size_t before = m.size();
    const std::string old_text(m.text());
    m.resize(size);
    CHECK(m.size() == size);
    CHECK(std::filesystem::file_size(path) == size);
    const std::size_t kept = std::min(before, size);
    CHECK(m.text().substr(0, kept) == old_text.substr(0, kept));
    CHECK(m.text().substr(kept) == std::string(size - kept, '\0'));
    if (size != 0) {
      m.writable_bytes().back() = std::byte{'z'};
      m.sync(size - 1, 1);
      CHECK(io_test::read_text(path).back() == 'z');
    }
  }
  std::error_code ec;
  m.resize(3, ec);
  CHECK(!ec);
  CHECK(io_test::read_text(path).size() == 3);
}

TEST_CASE("a map of part of an open file starts at any offset, pages aligned inside") {
  temp_dir dir;
  const auto path = dir / "parts.bin";
  const std::string contents = sequence(20000);
  write_text(path, contents);
  io::file f(path, "r");
  for (const std::uint64_t offset : {0u, 1u, 7u, 4095u, 4096u, 4097u, 12289u, 19999u, 20000u}) {
    for (const std::size_t length : {0u, 1u, 100u, 5000u}) {
      CAPTURE(offset);
      CAPTURE(length);
      if (offset + length > contents.size()) continue;
      const io::mapped_file m(f, offset, length);
      const std::size_t expected = length == 0 ? contents.size() - offset : length;
      CHECK(m.size() == expected);
      CHECK(m.offset() == offset);
      CHECK(m.text() == std::string_view(contents).substr(offset, expected));
      CHECK(!m.writable());
    }
  }
}

TEST_CASE("a map of part of a file: past the end and unreadable files are refused both ways, the map outlives the file") {
  temp_dir dir;
  const auto path = dir / "parts.bin";
  write_text(path, sequence(5000));
  const std::string name = path.string();
  {
    io::file f(path, "r");
    auto [code, message] = thrown([&] { io::mapped_file m(f, 4990, 11); });
    CHECK(code == io::errc::invalid_argument);
    CHECK(message.find("cannot map 11 bytes at offset 4990 of '" + name + "', past its end") == 0);
    std::error_code ec;
    io::mapped_file m(f, 5001, 0, ec);
    CHECK(ec == io::errc::invalid_argument);
    CHECK(m.empty());
  }
  {
    io::file f(path, "w");
    auto [code, message] = thrown([&] { io::mapped_file m(f, 0); });
    CHECK(code == io::errc::not_readable);
    CHECK(message.find("cannot map '" + name + "'") == 0);
  }
  write_text(path, sequence(5000));
  io::file f(path, "r+");
  io::mapped_file m(f, 4100, 10);
  f.close();
  CHECK(m.writable());
  std::memcpy(m.writable_bytes().data(), "0123456789", 10);
  m.resize(20); // the file ends 20 bytes after the map's first byte
  m.sync();
  const std::string back = io_test::read_text(path);
  CHECK(back.size() == 4120);
  CHECK(back.substr(4100) == "0123456789" + sequence(5000).substr(4110, 10)); // the file's own bytes
  CHECK(back.substr(0, 4100) == sequence(5000).substr(0, 4100));
}

TEST_CASE("a mode other than r or r+ is refused both ways, quoting it") {
  temp_dir dir;
  write_text(dir / "f", "x");
  auto [code, message] = thrown([&] { io::mapped_file m(dir / "f", "w"); });
  CHECK(code == io::errc::invalid_argument);
  CHECK(message.find("cannot map '" + (dir / "f").string() + "' with mode 'w'") == 0);
  std::error_code ec;
  io::mapped_file m(dir / "f", "a+", ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(m.empty());
}

TEST_CASE("sync of a range past the map is refused both ways, dont_need advice keeps a shared map's bytes") {
  temp_dir dir;
  write_text(dir / "f", sequence(9000));
  io::mapped_file m(dir / "f", "r+");
  m.writable_bytes()[8999] = std::byte{'!'};
  m.advise(io::access_pattern::dont_need);
  CHECK(m.text().back() == '!');
  m.sync(8000, 1000);
  auto [code, message] = thrown([&] { m.sync(8000, 1001); });
  CHECK(code == io::errc::invalid_argument);
  std::error_code ec;
  m.sync(9001, 0, ec);
  CHECK(ec == io::errc::invalid_argument);
}

namespace {

// A field (kB) of the mapping of this process that holds `p`, from /proc/self/smaps: "Rss:", the
// pages mapped into the process's page tables, which page faults and MADV_POPULATE_* add and
// MADV_DONTNEED removes, or "Shared_Dirty:", its pages written to and not yet written back.
long smaps_kb(const void* p, std::string_view field = "Rss:") {
  std::istringstream smaps(io_test::read_text("/proc/self/smaps"));
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    unsigned long long begin = 0, end = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &begin, &end) == 2 && line.find(' ') > line.find('-')) {
      inside = address >= begin && address < end;
    } else if (inside && line.starts_with(field)) {
      return std::stol(line.substr(field.size()));
    }
  }
  return -1;
}

} // namespace

TEST_CASE("advice on a range: populate maps its pages in, dont_need takes them out, a range past the map is refused") {
  temp_dir dir;
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  write_text(dir / "f", sequence(64 * page));
  io::mapped_file m(dir / "f");
  const long before = smaps_kb(m.data());
  REQUIRE(before >= 0);
  CHECK(before < 64 * static_cast<long>(page) / 1024); // nothing read yet
  m.advise(io::access_pattern::populate, 0, m.size());
  CHECK(smaps_kb(m.data()) == 64 * static_cast<long>(page) / 1024);
  // A range that is not page-aligned advises the pages around it; the rest stays mapped.
  m.advise(io::access_pattern::dont_need, page + 10, 2 * page);
  CHECK(smaps_kb(m.data()) == 61 * static_cast<long>(page) / 1024);
  CHECK(m.text()[page + 10] == sequence(64 * page)[page + 10]); // a shared map reads the file again
  std::error_code ec;
  m.advise(io::access_pattern::dont_need, 0, m.size(), ec);
  CHECK(!ec);
  CHECK(smaps_kb(m.data()) == 0);
  m.advise(io::access_pattern::populate, m.size(), 0, ec); // empty, at the end: nothing to do
  CHECK(!ec);
  m.advise(io::access_pattern::populate, 1, m.size(), ec);
  CHECK(ec == io::errc::invalid_argument);
  // In a writable shared map the pages come in clean: nothing for sync() to write back (the
  // file's own writes are written back first, since smaps counts a dirty page cache page too).
  io::file(dir / "f", "r+").sync();
  io::mapped_file w(dir / "f", "r+");
  w.advise(io::access_pattern::populate, 0, w.size());
  CHECK(smaps_kb(w.data()) == 64 * static_cast<long>(page) / 1024);
  CHECK(smaps_kb(w.data(), "Shared_Dirty:") == 0);
  CHECK(smaps_kb(w.data(), "Private_Dirty:") == 0);
  auto [code, message] = thrown([&] { m.advise(io::access_pattern::will_need, m.size() + 1, 0); });
  CHECK(code == io::errc::invalid_argument);
  CHECK(message.find((dir / "f").string()) != std::string::npos);
}
