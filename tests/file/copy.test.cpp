// Tests of io::copy between files: the kernel path and its fallbacks give the same bytes.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <system_error>

#include <unistd.h>

import io.core;
import io.memory;
import io.file;

using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

namespace {

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

} // namespace

TEST_CASE("copy between files moves every byte from the positions on and moves both positions") {
  temp_dir dir;
  const std::string contents = pattern(3'000'000);
  write_text(dir / "from", contents);
  io::file from(dir / "from");
  io::file to(dir / "to", "w");
  from.seek(10);
  io::write(to, "head:");
  CHECK(io::copy(from, to) == contents.size() - 10);
  CHECK(from.tell() == contents.size());
  CHECK(to.tell() == contents.size() - 10 + 5);
  to.close();
  CHECK(read_text(dir / "to") == "head:" + contents.substr(10));
}

TEST_CASE("copy into a file opened for appending takes the fallback and appends") {
  temp_dir dir;
  write_text(dir / "from", "appended");
  write_text(dir / "to", "start;");
  io::file from(dir / "from");
  io::file to(dir / "to", "a");
  CHECK(io::copy(from, to) == 8);
  to.close();
  CHECK(read_text(dir / "to") == "start;appended");
}

TEST_CASE("copy from a pipe falls back to reading and writing") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  io::file in = io::file::from_native(fds[0], io::open_flags::read, "<pipe>");
  {
    io::file out = io::file::from_native(fds[1], io::open_flags::write, "<pipe>");
    io::write(out, "from a pipe");
  }
  temp_dir dir;
  io::file to(dir / "to", "w");
  CHECK(io::copy(in, to) == 11);
  to.close();
  CHECK(read_text(dir / "to") == "from a pipe");
}

TEST_CASE("copy of a virtual file that reports no size still copies its bytes") {
  temp_dir dir;
  io::file from("/proc/self/status");
  io::file to(dir / "to", "w");
  CHECK(io::copy(from, to) > 0);
  to.close();
  CHECK(read_text(dir / "to").starts_with("Name:"));
}

TEST_CASE("copy between buffered files sends the buffered bytes first") {
  temp_dir dir;
  const std::string contents = pattern(200000);
  write_text(dir / "from", contents);
  io::buffered_file from = io::open(dir / "from", "r", 4096);
  io::buffered_file to = io::open(dir / "to", "w", 4096);
  std::array<std::byte, 100> head{};
  CHECK(from.read(head) == 100); // the reader now holds read-ahead
  io::write(to, "pending;");     // and the writer a pending write
  CHECK(io::copy(from, to) == contents.size() - 100);
  to.close();
  CHECK(read_text(dir / "to") == "pending;" + contents.substr(100));
}

TEST_CASE("copy reports a full device and a wrong mode, both ways") {
  temp_dir dir;
  write_text(dir / "from", pattern(10000));
  io::file from(dir / "from");
  io::file full("/dev/full", "w");
  try {
    io::copy(from, full);
    FAIL("copy to /dev/full did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_space_on_device);
  }
  from.seek(0);
  std::error_code ec;
  io::copy(from, full, ec);
  CHECK(ec == std::errc::no_space_on_device);

  io::file read_only(dir / "from");
  io::copy(from, read_only, ec);
  CHECK(ec == io::errc::not_writable);
  io::file write_only(dir / "other", "w");
  io::copy(write_only, write_only, ec);
  CHECK(ec == io::errc::not_readable);
  read_only.close();
  io::copy(read_only, write_only, ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("the generic copy still serves a memory stream and a file") {
  temp_dir dir;
  io::memory_stream memory("memory to file");
  io::file to(dir / "to", "w+");
  CHECK(io::copy(memory, to) == 14);
  to.seek(0);
  io::memory_stream back;
  CHECK(io::copy(to, back) == 14);
  CHECK(back.str() == "memory to file");
}
