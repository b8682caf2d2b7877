// Tests of io's generic algorithms over streams that return short reads and fail on purpose.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io.core;
import io.memory;

using io_test::limited_writer;
using io_test::trickle_reader;

static_assert(io::readable<trickle_reader>);
static_assert(!io::buffered_readable<trickle_reader>);
static_assert(io::writable<limited_writer>);

TEST_CASE("as_bytes and as_string_view view the same memory both ways") {
  const std::string_view text = "bytes";
  const auto bytes = io::as_bytes(text);
  CHECK(bytes.size() == 5);
  CHECK(static_cast<const void*>(bytes.data()) == static_cast<const void*>(text.data()));
  CHECK(io::as_string_view(bytes) == text);
  char buffer[3];
  CHECK(io::as_writable_bytes(buffer).size() == 3);
}

TEST_CASE("read_exact gathers short reads until the buffer is full") {
  trickle_reader r{.data = "abcdefghij", .step = 3};
  std::array<std::byte, 7> b{};
  io::read_exact(r, b);
  CHECK(io::as_string_view(b) == "abcdefg");
  CHECK(r.reads == 3);
}

TEST_CASE("read_exact reports an early end as unexpected_eof, both ways") {
  std::array<std::byte, 8> b{};
  trickle_reader thrower{.data = "abc", .step = 2};
  try {
    io::read_exact(thrower, b);
    FAIL("read_exact past the end did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::unexpected_eof);
    // A stream without a position or a path: the counts alone.
    CHECK(std::string(e.what()) == "cannot read: expected 8 bytes, got 3: unexpected end of stream");
  }
  trickle_reader r{.data = "abc", .step = 2};
  std::error_code ec;
  io::read_exact(r, b, ec);
  CHECK(ec == io::errc::unexpected_eof);
  CHECK(io::as_string_view(std::span(b).first(3)) == "abc");
}

TEST_CASE("read_full over a stream of short reads: true when filled, false at a clean end, an error when torn") {
  trickle_reader r{.data = "abcdefgh", .step = 3};
  std::vector<char> four(4);
  CHECK(io::read_full(r, four));
  CHECK(std::string(four.begin(), four.end()) == "abcd");
  CHECK(io::read_full(r, four));
  CHECK_FALSE(io::read_full(r, four));
  trickle_reader torn{.data = "abcdef", .step = 3};
  CHECK(io::read_full(torn, four));
  try {
    io::read_full(torn, four);
    FAIL("a torn read was not reported");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot read: expected 4 bytes, got 2: unexpected end of stream");
  }
  trickle_reader failing{.data = "abcdefgh", .step = 3, .fail_after = 6};
  std::error_code ec;
  CHECK(io::read_full(failing, four, ec));
  CHECK_FALSE(io::read_full(failing, four, ec));
  CHECK(ec == std::errc::io_error);
  CHECK_THROWS_AS(io::read_full(failing, four), std::system_error);
}

TEST_CASE("io::read and io::write take any bytes over a user's stream that has only the span members") {
  trickle_reader r{.data = "abcdef", .step = 4};
  unsigned char buffer[8];
  CHECK(io::read(r, buffer) == 4);
  std::error_code ec;
  CHECK(io::read(r, std::span(buffer).first(1), ec) == 1);
  CHECK_FALSE(ec);
  limited_writer w{.limit = 6};
  io::write(w, "ab");
  io::write(w, std::vector<std::byte>{std::byte{'c'}});
  io::write(w, std::span(buffer).first(2), ec);
  CHECK_FALSE(ec);
  CHECK(w.data == "abceb"); // the second read put "e" over "a"
  io::write(w, std::string("long"), ec);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK_THROWS_AS(io::write(w, "long"), std::system_error);
}

TEST_CASE("read_exact passes a stream's failure on, both ways") {
  std::array<std::byte, 8> b{};
  trickle_reader thrower{.data = "abcdefghij", .step = 2, .fail_after = 4};
  CHECK_THROWS_AS(io::read_exact(thrower, b), std::system_error);
  trickle_reader r{.data = "abcdefghij", .step = 2, .fail_after = 4};
  std::error_code ec;
  io::read_exact(r, b, ec);
  CHECK(ec == std::errc::io_error);
}

TEST_CASE("read_all collects an unbuffered stream into a vector or a string") {
  std::string big(100000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  trickle_reader r{.data = big, .step = 4096};
  const std::vector<std::byte> bytes = io::read_all(r);
  CHECK(io::as_string_view(bytes) == big);
  trickle_reader again{.data = big, .step = 777};
  CHECK(io::read_all<std::string>(again) == big);
}

TEST_CASE("read_all appends to what the container holds and returns the count") {
  io::memory_stream s("world");
  std::string out = "hello ";
  CHECK(io::read_all(s, out) == 5);
  CHECK(out == "hello world");
  CHECK(io::read_all(s, out) == 0);
}

TEST_CASE("read_all keeps what it read before a failure, both ways") {
  trickle_reader thrower{.data = "abcdefgh", .step = 3, .fail_after = 6};
  std::string thrown_out;
  CHECK_THROWS_AS(io::read_all(thrower, thrown_out), std::system_error);
  CHECK(thrown_out == "abcdef");
  trickle_reader r{.data = "abcdefgh", .step = 3, .fail_after = 6};
  std::string out;
  std::error_code ec;
  CHECK(io::read_all(r, out, ec) == 6);
  CHECK(ec == std::errc::io_error);
  CHECK(out == "abcdef");
}

TEST_CASE("copy moves every byte from a reader to a writer and returns the count") {
  std::string big(300000, 'q');
  big[12345] = 'Z';
  trickle_reader r{.data = big, .step = 50000};
  limited_writer w;
  CHECK(io::copy(r, w) == big.size());
  CHECK(w.data == big);

  io::memory_stream from("buffered source");
  limited_writer to;
  CHECK(io::copy(from, to) == 15);
  CHECK(to.data == "buffered source");
}

TEST_CASE("copy reports a full writer, both ways, with the bytes copied before it") {
  io::memory_stream thrower_source("0123456789");
  limited_writer thrower{.limit = 4};
  CHECK_THROWS_AS(io::copy(thrower_source, thrower), std::system_error);

  trickle_reader r{.data = "0123456789", .step = 3};
  limited_writer w{.limit = 7};
  std::error_code ec;
  CHECK(io::copy(r, w, ec) == 6);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(w.data == "012345");
}

TEST_CASE("copy reports a failing reader through error_code") {
  trickle_reader r{.data = "0123456789", .step = 3, .fail_after = 5};
  limited_writer w;
  std::error_code ec;
  io::copy(r, w, ec);
  CHECK(ec == std::errc::io_error);
}

TEST_CASE("write sends text as bytes, both ways") {
  limited_writer w{.limit = 5};
  io::write(w, "abc");
  CHECK(w.data == "abc");
  std::error_code ec;
  io::write(w, "def", ec);
  CHECK(ec == std::errc::no_space_on_device);
  io::write(w, "de", ec);
  CHECK(!ec);
  CHECK(w.data == "abcde");
}
