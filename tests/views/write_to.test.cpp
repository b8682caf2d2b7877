// Tests of io::write_to and io::write_iterator: ranges written into streams.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/view/transform.hpp>
#include <algorithm>
#include <list>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io;

using io_test::limited_writer;

static_assert(io::writable_range<std::string>);
static_assert(io::writable_range<std::vector<std::string_view>>);
static_assert(io::writable_range<std::vector<std::span<const std::byte>>>);
static_assert(io::writable_range<std::list<char>>);
static_assert(!io::writable_range<std::vector<int>>);
static_assert(std::output_iterator<io::write_iterator<io::memory_stream>, char>);
static_assert(std::output_iterator<io::write_iterator<io::memory_stream>, std::string_view>);

TEST_CASE("a range of characters or bytes is written whole, and the count returned") {
  io::memory_stream out;
  CHECK((std::string("hello ") | io::write_to(out)) == 6);
  const std::vector<std::byte> bytes{std::byte{'w'}, std::byte{'o'}};
  CHECK((bytes | io::write_to(out)) == 2);
  const std::list<char> scattered{'r', 'l', 'd'}; // not contiguous: gathered into blocks
  CHECK((scattered | io::write_to(out)) == 3);
  CHECK(out.str() == "hello world");
}

TEST_CASE("a range of strings is written one after another, or joined with a separator") {
  io::memory_stream out;
  const std::vector<std::string> words{"a", "bb", "ccc"};
  CHECK((words | io::write_to(out)) == 6);
  CHECK(out.str() == "abbccc");
  io::memory_stream joined;
  CHECK((words | io::write_to(joined, ", ")) == 10);
  CHECK(joined.str() == "a, bb, ccc");
}

TEST_CASE("lines read from one stream are written to another through a pipeline") {
  io::memory_stream in("b\na\nc\n");
  io::memory_stream out;
  const auto written = in | io::views::lines | std::views::filter([](std::string_view l) { return l != "a"; }) |
                       io::write_to(out, "\n");
  CHECK(written == 3);
  CHECK(out.str() == "b\nc");

  io::memory_stream upper;
  io::memory_stream source("xy\nz\n");
  source | io::views::lines |
      ranges::views::transform([](std::string_view l) { return std::string(l.size(), '#'); }) | io::write_to(upper, "|");
  CHECK(upper.str() == "##|#");
}

TEST_CASE("a large scattered range is written in full through blocks") {
  std::list<char> many(10000, 'm');
  io::memory_stream out;
  CHECK((many | io::write_to(out)) == 10000);
  CHECK(out.str() == std::string(10000, 'm'));
}

TEST_CASE("write_to reports a failing stream both ways, counting what was written before") {
  const std::vector<std::string> words{"abc", "def", "ghi"};
  limited_writer thrower{.limit = 5};
  CHECK_THROWS_AS(words | io::write_to(thrower), std::system_error);
  limited_writer full{.limit = 5};
  std::error_code ec;
  CHECK((words | io::write_to(full, ec)) == 3);
  CHECK(ec == std::errc::no_space_on_device);
  limited_writer tight{.limit = 4};
  CHECK((words | io::write_to(tight, "-", ec)) == 4);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(tight.data == "abc-");
  io::memory_stream fine;
  CHECK((words | io::write_to(fine, ec)) == 9);
  CHECK(!ec);
}

namespace {

// A stream whose write_some takes at most 2 bytes at a time and fails with ENOSPC once it holds
// `limit` bytes, having taken none of the bytes of the failing call.
struct trickle_writer {
  std::string data;
  std::size_t limit;
  std::size_t write_some(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    if (data.size() >= limit) {
      ec = std::make_error_code(std::errc::no_space_on_device);
      return 0;
    }
    const std::size_t n = std::min<std::size_t>({bytes.size(), 2, limit - data.size()});
    data += io::as_string_view(bytes.first(n));
    return n;
  }
  std::size_t write_some(std::span<const std::byte> bytes) {
    std::error_code ec;
    const std::size_t n = write_some(bytes, ec);
    if (ec) throw std::system_error(ec, "trickle");
    return n;
  }
  void write(std::span<const std::byte> bytes) {
    while (!bytes.empty()) bytes = bytes.subspan(write_some(bytes));
  }
  void flush() {}
};

} // namespace

TEST_CASE("write_to counts exactly the bytes that reached a stream whose write fails midway") {
  const std::vector<std::string> words{"abcdef", "ghijkl"};
  trickle_writer out{.limit = 9};
  std::error_code ec;
  CHECK((words | io::write_to(out, ec)) == 9);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(out.data == "abcdefghi");
  trickle_writer bytes_out{.limit = 5};
  CHECK((std::string("0123456789") | io::write_to(bytes_out, ec)) == 5);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("write_iterator takes characters, bytes and strings from the standard algorithms") {
  io::memory_stream out;
  const std::string text = "copy";
  std::ranges::copy(text, io::write_iterator(out));
  const std::vector<std::string_view> words{" me", " too"};
  std::ranges::copy(words, io::write_iterator(out));
  auto it = io::write_iterator(out);
  *it++ = std::byte{'!'};
  CHECK(out.str() == "copy me too!");
  limited_writer full{.limit = 2};
  CHECK_THROWS_AS(std::ranges::copy(text, io::write_iterator(full)), std::system_error);
}

TEST_CASE("write_to and write_iterator write into files, buffered or not") {
  io_test::temp_dir dir;
  const std::vector<std::string> lines{"first", "second", "third"};
  {
    io::file raw(dir / "raw", "w");
    CHECK((lines | io::write_to(raw, "\n")) == 18);
    io::buffered_file buffered = io::open(dir / "buffered", "w");
    CHECK((lines | io::write_to(buffered)) == 16);
    std::ranges::copy(std::string_view("!"), io::write_iterator(buffered));
    buffered.close();
  }
  CHECK(io_test::read_text(dir / "raw") == "first\nsecond\nthird");
  CHECK(io_test::read_text(dir / "buffered") == "firstsecondthird!");
  io::file full("/dev/full", "w");
  std::error_code ec;
  CHECK((lines | io::write_to(full, ec)) == 0);
  CHECK(ec == std::errc::no_space_on_device);
}
