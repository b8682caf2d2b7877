// Tests of io::mapped_file: a file's bytes as a contiguous range, and a stream over them.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <cstddef>
#include <ranges>
#include <span>
#include <string>
#include <system_error>

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
