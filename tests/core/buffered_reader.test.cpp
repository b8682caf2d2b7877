// Tests of io::buffered_reader over memory and user streams.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

import io.core;
import io.memory;

using io_test::trickle_reader;

static_assert(io::buffered_readable<io::buffered_reader<trickle_reader&>>);
static_assert(!io::seekable<io::buffered_reader<trickle_reader&>>);
static_assert(!io::writable<io::buffered_reader<trickle_reader&>>);
static_assert(io::buffered_readable<io::buffered_reader<io::memory_stream>>);
static_assert(io::seekable<io::buffered_reader<io::memory_stream>>);

TEST_CASE("buffered_reader references an lvalue stream and owns an rvalue one") {
  io::memory_stream s("abc");
  io::buffered_reader by_reference(s);
  static_assert(std::is_same_v<decltype(by_reference), io::buffered_reader<io::memory_stream&>>);
  CHECK(&by_reference.inner() == &s);
  io::buffered_reader owning(io::memory_stream("xyz"), 16);
  static_assert(std::is_same_v<decltype(owning), io::buffered_reader<io::memory_stream>>);
  CHECK(owning.capacity() == 16);
  CHECK(io::read_all<std::string>(owning) == "xyz");
}

TEST_CASE("the buffer is page-aligned") {
  trickle_reader r{.data = "abc"};
  io::buffered_reader b(r, 100);
  const auto chunk = b.fill();
  CHECK(reinterpret_cast<std::uintptr_t>(chunk.data()) % 4096 == 0);
}

TEST_CASE("small reads are served from one large read of the stream") {
  std::string text(1000, 'x');
  text[999] = 'y';
  trickle_reader r{.data = text, .step = 100000};
  io::buffered_reader b(r, 512);
  std::string out;
  std::array<std::byte, 3> small{};
  for (std::size_t n; (n = b.read(small)) != 0;) out.append(io::as_string_view(std::span(small).first(n)));
  CHECK(out == text);
  CHECK(r.reads == 3); // 512 + 488 + the end
}

TEST_CASE("a read at least as large as the buffer bypasses it") {
  trickle_reader r{.data = "0123456789abcdef", .step = 100};
  io::buffered_reader b(r, 4);
  std::array<std::byte, 10> big{};
  CHECK(b.read(big) == 10);
  CHECK(io::as_string_view(big) == "0123456789");
  CHECK(b.buffered().empty());
  CHECK(r.reads == 1);
}

TEST_CASE("fill lends the buffer and consume moves through it") {
  trickle_reader r{.data = "hello world", .step = 100};
  io::buffered_reader b(r, 8);
  CHECK(io::as_string_view(b.fill()) == "hello wo");
  b.consume(6);
  CHECK(io::as_string_view(b.fill()) == "wo");
  b.consume(100); // clamps to what is buffered
  CHECK(io::as_string_view(b.fill()) == "rld");
  b.consume(3);
  CHECK(b.fill().empty());
}

TEST_CASE("tell and seek account for what is buffered") {
  io::memory_stream s("0123456789");
  io::buffered_reader b(s, 4);
  std::array<std::byte, 1> one{};
  CHECK(b.read(one) == 1);
  CHECK(b.tell() == 1);
  CHECK(s.tell() == 4); // the stream is ahead by what is buffered
  CHECK(b.seek(2, io::whence::current) == 3);
  CHECK(b.read(one) == 1);
  CHECK(io::as_string_view(one) == "3");
  CHECK(b.seek(-2, io::whence::end) == 8);
  CHECK(io::read_all<std::string>(b) == "89");
  std::error_code ec;
  CHECK(b.seek(1, io::whence::begin, ec) == 1);
  CHECK(b.tell(ec) == 1);
  CHECK(!ec);
  b.seek(-1, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(b.seek(-1), io::io_error);
}

TEST_CASE("a failing stream is reported both ways and nothing is invented") {
  trickle_reader thrower{.data = "abcdef", .step = 2, .fail_after = 2};
  io::buffered_reader t(thrower, 4);
  std::array<std::byte, 2> b{};
  CHECK(t.read(b) == 2);
  CHECK_THROWS_AS(t.read(b), std::system_error);

  trickle_reader r{.data = "abcdef", .step = 2, .fail_after = 2};
  io::buffered_reader e(r, 4);
  std::error_code ec;
  CHECK(e.read(b, ec) == 2);
  CHECK(!ec);
  CHECK(e.read(b, ec) == 0);
  CHECK(ec == std::errc::io_error);
  CHECK(e.fill(ec).empty());
  CHECK(ec == std::errc::io_error);
}

TEST_CASE("close drops the buffer and closes the stream") {
  io::memory_stream s("abc");
  io::buffered_reader b(s, 2);
  std::array<std::byte, 1> one{};
  CHECK(b.read(one) == 1);
  b.close();
  CHECK(s.closed());
  CHECK(b.buffered().empty());
  CHECK_THROWS_AS(b.read(one), io::io_error);
  std::error_code ec;
  b.read(one, ec);
  CHECK(ec == io::errc::closed);
  b.close(ec);
  CHECK(!ec);
}
