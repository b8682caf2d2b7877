// Tests of fill(n) and io::peek: at least n bytes without consuming them, over every buffered stream.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io.core;
import io.memory;
import io.file;

static_assert(io::peekable<io::buffered_reader<io::memory_stream>>);
static_assert(io::peekable<io::buffered_stream<io::memory_stream>>);
static_assert(io::peekable<io::memory_stream>);
static_assert(io::peekable<io::span_stream>);
static_assert(io::peekable<io::file_reader>);
static_assert(io::peekable<io::buffered_file>);
static_assert(io::peekable<io::take_reader<io::buffered_reader<io::memory_stream>&>>);

namespace {

std::string text_of(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Reads `n` bytes (fewer at the end), gathering short reads.
template <class S>
std::string read_exactly(S& s, std::size_t n) {
  std::string out;
  while (out.size() < n) {
    const std::string piece = io_test::read_string(s, n - out.size());
    if (piece.empty()) break;
    out += piece;
  }
  return out;
}

// Reads the rest of `s` in pieces of 2 bytes.
template <class S>
std::string rest_of(S& s) {
  std::string out;
  for (;;) {
    const std::string piece = io_test::read_string(s, 2);
    if (piece.empty()) return out;
    out += piece;
  }
}

std::string random_text(std::mt19937& rng, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>('a' + rng() % 26);
  return out;
}

// After reading `skip` bytes of `content` from `s` (buffer of `capacity` bytes), fill(n) for every
// n up to the capacity holds at least min(n, rest) bytes that are the next ones, consumes none of
// them, and fill(capacity + 1) reports errc::no_buffer_space (both ways) losing nothing.
template <class Make>
void check_fill(Make make, const std::string& content, std::size_t capacity) {
  for (std::size_t skip = 0; skip <= content.size(); ++skip) {
    for (std::size_t n = 0; n <= capacity + 1; ++n) {
      CAPTURE(capacity);
      CAPTURE(skip);
      CAPTURE(n);
      auto s = make();
      CHECK(read_exactly(s, skip) == content.substr(0, skip)); // buffers 1..9 leave 0..8 bytes buffered
      const std::string rest = content.substr(skip);
      if (n <= capacity) {
        const std::span<const std::byte> peeked = n % 2 == 0 ? s.fill(n) : io::peek(s, n);
        CHECK(peeked.size() >= std::min(n, rest.size()));
        CHECK(peeked.size() <= rest.size());
        CHECK(text_of(peeked) == rest.substr(0, peeked.size()));
        std::error_code ec;
        const std::span<const std::byte> again = io::peek(s, n, ec);
        CHECK_FALSE(ec);
        CHECK(text_of(again) == rest.substr(0, again.size()));
        CHECK(again.size() >= std::min(n, rest.size()));
      } else {
        bool threw = false;
        try {
          (void)io::peek(s, n);
        } catch (const io::io_error& e) {
          threw = true;
          CHECK(e.code() == io::errc::no_buffer_space);
        }
        CHECK(threw);
        std::error_code ec;
        (void)s.fill(n, ec);
        CHECK(ec == io::errc::no_buffer_space);
      }
      CHECK(rest_of(s) == rest); // nothing consumed, nothing lost
    }
  }
}

} // namespace

TEST_CASE("fill(n) over buffered_reader holds n bytes across buffer boundaries, buffers 1..9") {
  std::mt19937 rng(13);
  for (std::size_t size : {0, 1, 5, 17}) {
    const std::string content = random_text(rng, size);
    for (std::size_t capacity = 1; capacity <= 9; ++capacity) {
      check_fill([&] { return io::buffered_reader(io::memory_stream(content), capacity); }, content, capacity);
      // A stream that returns one or three bytes a read: fill(n) gathers several reads.
      for (std::size_t step : {1, 3})
        check_fill([&] { return io::buffered_reader(io_test::trickle_reader{content, step}, capacity); }, content,
                   capacity);
    }
  }
}

TEST_CASE("fill(n) over buffered_stream holds n bytes across buffer boundaries, buffers 1..9") {
  std::mt19937 rng(14);
  for (std::size_t size : {0, 2, 11}) {
    const std::string content = random_text(rng, size);
    for (std::size_t capacity = 1; capacity <= 9; ++capacity)
      check_fill([&] { return io::buffered_stream(io::memory_stream(content), capacity); }, content, capacity);
  }
}

TEST_CASE("fill(n) over files from io::open and io::open_reader, buffers 1..9") {
  io_test::temp_dir dir;
  std::mt19937 rng(15);
  const std::string content = random_text(rng, 13);
  io_test::write_text(dir / "f", content);
  for (std::size_t capacity = 1; capacity <= 9; ++capacity) {
    check_fill([&] { return io::open(dir / "f", "r", capacity); }, content, capacity);
    check_fill([&] { return io::open_reader(dir / "f", capacity); }, content, capacity);
  }
}

TEST_CASE("fill(n) over memory streams returns the rest, whatever n") {
  const std::string content = "\x89PNG\r\n\x1a\n and more";
  io::memory_stream m(content);
  io::span_stream sp(std::string_view{content});
  for (std::size_t n : {0, 4, 8, 100, 1'000'000}) {
    CHECK(text_of(io::peek(m, n)) == content);
    CHECK(text_of(io::peek(sp, n)) == content);
    std::error_code ec;
    CHECK(text_of(io::peek(m, n, ec)) == content);
    CHECK_FALSE(ec);
  }
  m.close();
  std::error_code ec;
  CHECK(io::peek(m, 4, ec).empty());
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS((void)io::peek(m, 4), io::io_error);
}

TEST_CASE("peek sniffs a magic number, then the views read from the start") {
  const std::string content = "\x89PNG\r\n\x1a\nline one\nline two\n";
  io::buffered_reader r(io_test::trickle_reader{content, 3}, 16);
  CHECK(text_of(io::peek(r, 8)) .substr(0, 8) == "\x89PNG\r\n\x1a\n");
  r.consume(8);
  std::vector<std::string> lines;
  for (std::string_view line : r | io::views::lines) lines.emplace_back(line);
  CHECK(lines == std::vector<std::string>{"line one", "line two"});
}

TEST_CASE("fill(n) over take_reader stops at the limit") {
  io::buffered_reader r(io::memory_stream(std::string_view("abcdefgh")), 4);
  io::take_reader t(r, 3);
  CHECK(text_of(t.fill(4)) == "abc");
  std::error_code ec;
  CHECK(text_of(t.fill(2, ec)) == "abc");
  CHECK_FALSE(ec);
}

TEST_CASE("a read error during fill(n) keeps the bytes read before it") {
  io::buffered_reader r(io_test::trickle_reader{"abcdef", 2, 4}, 8);
  std::error_code ec;
  (void)r.fill(6, ec);
  CHECK(ec == std::errc::io_error);
  CHECK(text_of(r.buffered()) == "abcd");
  CHECK_THROWS_AS((void)r.fill(6), std::system_error);
  CHECK(text_of(r.buffered()) == "abcd");
}
