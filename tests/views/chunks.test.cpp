// Tests of io::views::chunks and io::views::bytes over every kind of source.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/algorithm/count.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>
#include <algorithm>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <system_error>
#include <vector>

import io;

using io_test::for_each_source;
using io_test::reference_chunks;
using io_test::trickle_reader;

static_assert(std::ranges::random_access_range<io::chunks_view<std::span<const std::byte>>>);
static_assert(std::ranges::sized_range<io::chunks_view<std::span<const std::byte>>>);
static_assert(!std::ranges::forward_range<io::chunks_view<io::memory_stream&>>); // a stream: consumed
static_assert(std::ranges::borrowed_range<io::chunks_view<const io::mapped_file&>>);
static_assert(std::ranges::input_range<io::chunks_view<io::file&>>);
static_assert(!std::ranges::forward_range<io::chunks_view<io::file&>>);
static_assert(std::is_same_v<std::ranges::range_value_t<io::chunks_view<io::file&>>, std::span<const std::byte>>);
static_assert(ranges::view_<io::chunks_view<io::file&>>);
static_assert(ranges::random_access_range<io::chunks_view<std::string_view>>);
static_assert(std::ranges::contiguous_range<io::bytes_view<std::string_view>>);
static_assert(std::ranges::borrowed_range<io::bytes_view<std::string_view>>);
static_assert(!std::ranges::forward_range<io::bytes_view<io::memory_stream&>>);
static_assert(std::ranges::input_range<io::bytes_view<io::file&>>);
static_assert(!std::ranges::forward_range<io::bytes_view<io::file&>>);
static_assert(std::is_same_v<std::ranges::range_value_t<io::bytes_view<io::file&>>, std::byte>);
static_assert(ranges::view_<io::bytes_view<io::file&>>);
static_assert(ranges::input_range<io::bytes_view<io::file&>>);

namespace {

template <class R>
std::vector<std::string> collect_chunks(R&& range) {
  std::vector<std::string> out;
  for (std::span<const std::byte> chunk : range) out.emplace_back(io::as_string_view(chunk));
  return out;
}

template <class R>
std::string collect_bytes(R&& range) {
  std::string out;
  for (std::byte b : range) out += static_cast<char>(b);
  return out;
}

std::string sample(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i * 31 + i / 7);
  return s;
}

} // namespace

TEST_CASE("chunks are of the asked size but the last, over every source") {
  for (const std::size_t n : {0u, 1u, 5u, 16u, 17u, 1000u}) {
    const std::string text = sample(n);
    for (const std::size_t size : {1u, 4u, 7u, 16u, 4096u}) {
      for_each_source(text, [&](auto& source, const char* name) {
        INFO(name, ": ", n, " bytes in chunks of ", size);
        CHECK(collect_chunks(io::views::chunks(source, size)) == reference_chunks(text, size));
      });
    }
  }
}

TEST_CASE("chunks over storage are subspans of it, with random access") {
  io::memory_stream s("0123456789");
  const auto chunks = io::views::chunks(s.view(), 4);
  CHECK(chunks.size() == 3);
  CHECK(io::as_string_view(chunks[2]) == "89");
  CHECK(io::as_string_view(*(chunks.end() - 1)) == "89");
  CHECK(chunks[1].data() == s.view().data() + 4);
  CHECK(std::ranges::distance(chunks) == 3);
}

TEST_CASE("chunks of a buffered stream lend its buffer when a whole chunk is there") {
  io::memory_stream memory(sample(100));
  io::buffered_reader s(memory, 64);
  auto chunks = io::views::chunks(s, 16);
  auto it = chunks.begin();
  CHECK((*it).data() + 16 == s.buffered().data()); // in the stream's buffer, and taken from it
  CHECK(s.buffered().size() == 64 - 16);
}

TEST_CASE("chunks and bytes in std::views and range-v3 pipelines, as prvalues") {
  io::memory_stream memory("abcdefghij");
  std::vector<std::size_t> sizes;
  for (std::size_t n : memory | io::views::chunks(3) | std::views::transform([](auto c) { return c.size(); })) sizes.push_back(n);
  CHECK(sizes == std::vector<std::size_t>{3, 3, 3, 1});

  trickle_reader stream{.data = "abcdefghij", .step = 4};
  const auto firsts = stream | io::views::chunks(4) |
                      ranges::views::transform([](std::span<const std::byte> c) { return static_cast<char>(c[0]); }) |
                      ranges::to<std::string>();
  CHECK(firsts == "aei");

  trickle_reader letters{.data = "banana", .step = 2};
  CHECK(ranges::count(letters | io::views::bytes, std::byte{'a'}) == 3);
  io::memory_stream again("banana");
  CHECK(std::ranges::count(again | io::views::bytes, std::byte{'n'}) == 2);
}

TEST_CASE("bytes walk every byte of every source") {
  for (const std::size_t n : {0u, 1u, 3u, 100u, 70000u}) {
    const std::string text = sample(n);
    for_each_source(text, [&](auto& source, const char* name) {
      INFO(name, ": ", n, " bytes");
      CHECK(collect_bytes(io::views::bytes(source)) == text);
    });
  }
}

TEST_CASE("a chunk size of 0 is invalid_argument both ways") {
  io::memory_stream s("abc");
  CHECK_THROWS_AS(io::views::chunks(s, 0), io::io_error);
  CHECK_THROWS_AS(io::views::chunks(0), io::io_error);
  std::error_code ec;
  CHECK(collect_chunks(io::views::chunks(s, 0, ec)).empty());
  CHECK(ec == io::errc::invalid_argument);
  trickle_reader r{.data = "abc"};
  CHECK(collect_chunks(r | io::views::chunks(0, ec)).empty());
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("read errors in chunks and bytes throw, or end the range into the error_code") {
  trickle_reader t1{.data = "abcdefgh", .step = 2, .fail_after = 5};
  CHECK_THROWS_AS(collect_chunks(io::views::chunks(t1, 2)), std::system_error);
  trickle_reader t2{.data = "abcdefgh", .step = 2, .fail_after = 5};
  CHECK_THROWS_AS(collect_bytes(io::views::bytes(t2)), std::system_error);

  std::error_code ec;
  trickle_reader r1{.data = "abcdefgh", .step = 2, .fail_after = 5};
  CHECK(collect_chunks(io::views::chunks(r1, 2, ec)) == std::vector<std::string>{"ab", "cd", "e"});
  CHECK(ec == std::errc::io_error);
  trickle_reader r2{.data = "abcdefgh", .step = 2, .fail_after = 5};
  CHECK(collect_bytes(r2 | io::views::bytes(ec)) == "abcde");
  CHECK(ec == std::errc::io_error);
  io::buffered_reader b(r2, 4);
  CHECK(collect_chunks(b | io::views::chunks(3, ec)).empty());
  CHECK(ec == std::errc::io_error);
}

TEST_CASE("a chunk cut short by a read error is handed out, then the error ends the range, both ways") {
  // The reader gives 5 bytes, then fails: nothing read before the error is dropped.
  for (std::size_t size : {1, 2, 3, 4, 5, 6, 64}) {
    CAPTURE(size);
    std::vector<std::string> expected;
    for (std::size_t at = 0; at < 5; at += size) expected.emplace_back(std::string_view("abcde").substr(at, size));
    std::error_code ec;
    trickle_reader r{.data = "abcdefgh", .step = 2, .fail_after = 5};
    CHECK(collect_chunks(io::views::chunks(r, size, ec)) == expected);
    CHECK(ec == std::errc::io_error);
    trickle_reader t{.data = "abcdefgh", .step = 2, .fail_after = 5};
    std::vector<std::string> seen;
    CHECK_THROWS_AS(
        [&] {
          for (std::span<const std::byte> chunk : io::views::chunks(t, size))
            seen.emplace_back(reinterpret_cast<const char*>(chunk.data()), chunk.size());
        }(),
        std::system_error);
    CHECK(seen == expected);
    // Through a buffer of 4 bytes: the same chunks.
    trickle_reader u{.data = "abcdefgh", .step = 2, .fail_after = 5};
    io::buffered_reader b(u, 4);
    CHECK(collect_chunks(io::views::chunks(b, size, ec)) == expected);
    CHECK(ec == std::errc::io_error);
  }
}

TEST_CASE("chunks over memory: any size n >= 1 gives ceil(size / n) chunks, one for n near SIZE_MAX") {
  const std::size_t size_max = std::numeric_limits<std::size_t>::max();
  for (const std::size_t n : {0u, 1u, 7u, 4096u}) {
    const std::string text = sample(n);
    for (const std::size_t size : {std::size_t{1}, std::size_t{3}, n, n + 1, size_max / 2 + 1, size_max - 4096,
                                   size_max - 1, size_max}) {
      if (size == 0) continue;
      INFO(n, " bytes in chunks of ", size);
      io::memory_stream memory(text);
      const auto chunks = io::views::chunks(memory.view(), size);
      const std::size_t expected = n == 0 ? 0 : (n - 1) / size + 1;
      CHECK(chunks.size() == expected);
      CHECK(static_cast<std::size_t>(std::ranges::distance(chunks)) == expected);
      CHECK(static_cast<std::size_t>(ranges::distance(chunks)) == expected);
      CHECK(collect_chunks(chunks) == reference_chunks(text, size));
      const std::vector<std::size_t> sizes =
          std::string_view(text) | io::views::chunks(size) | ranges::views::transform([](auto c) { return c.size(); }) |
          ranges::to<std::vector<std::size_t>>();
      std::vector<std::size_t> std_sizes;
      for (std::size_t s : io::views::chunks(text, size) | std::views::transform([](auto c) { return c.size(); }))
        std_sizes.push_back(s);
      CHECK(sizes == std_sizes);
      REQUIRE(std_sizes.size() == expected);
      if (n != 0) CHECK(std_sizes.back() == (n % size == 0 ? std::min(size, n) : n % size));
    }
  }
}
