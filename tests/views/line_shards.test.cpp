// Tests of io::views::line_shards: n shards whose lines, one shard after the other, are the lines
// of the whole, over every kind of storage, with std::ranges and range-v3.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/join.hpp>
#include <range/v3/view/transform.hpp>
#include <cstddef>
#include <random>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <vector>

import io;

using io_test::collect;
using io_test::reference_lines;

// Char storage gives string_views, byte storage spans of its element.
static_assert(std::is_same_v<decltype(io::views::line_shards(std::declval<std::string&>(), 2)), std::vector<std::string_view>>);
static_assert(std::is_same_v<decltype(io::views::line_shards(std::string_view(), 2)), std::vector<std::string_view>>);
static_assert(std::is_same_v<decltype(io::views::line_shards(std::declval<const io::mapped_file&>(), 2)),
                             std::vector<std::span<const std::byte>>>);
static_assert(std::is_same_v<decltype(io::views::line_shards(std::span<const std::byte>(), 2)),
                             std::vector<std::span<const std::byte>>>);

namespace {

// Random text: lines of random lengths (some empty, some longer than any shard of a small text),
// words over a small alphabet with '\r's, with or without a final newline.
std::string random_text(std::mt19937& rng, bool final_newline) {
  std::string text;
  const unsigned lines = std::uniform_int_distribution<unsigned>(0, 40)(rng);
  for (unsigned i = 0; i < lines; ++i) {
    const unsigned kind = std::uniform_int_distribution<unsigned>(0, 9)(rng);
    const unsigned length = kind == 0 ? 0 : kind == 1 ? std::uniform_int_distribution<unsigned>(100, 400)(rng)
                                                      : std::uniform_int_distribution<unsigned>(1, 30)(rng);
    for (unsigned j = 0; j < length; ++j) text += " ab\r"[std::uniform_int_distribution<unsigned>(0, 3)(rng)];
    if (i + 1 < lines || final_newline) text += '\n';
  }
  return text;
}

// The shards' lines, shard after shard, each way: a loop, std::views::join and ranges::views::join.
template <class Shards>
void check_lines(std::string_view text, const Shards& shards, std::size_t n) {
  const std::vector<std::string> whole = collect(text | io::views::lines);
  CHECK(whole == reference_lines(text));
  std::vector<std::string> joined;
  for (const auto& shard : shards)
    for (const std::string_view line : shard | io::views::lines) joined.emplace_back(line);
  CHECK(joined == whole);
  auto std_lines = shards | std::views::transform([](auto shard) { return shard | io::views::lines; }) | std::views::join;
  CHECK(collect(std_lines) == whole);
  auto v3_lines = shards | ranges::views::transform([](auto shard) { return shard | io::views::lines; }) | ranges::views::join;
  CHECK(collect(v3_lines) == whole);
  // With terminators kept, the shards' lines put together are the text itself.
  std::string rebuilt;
  for (const auto& shard : shards)
    for (const std::string_view line : shard | io::views::lines({.keep_ends = true})) rebuilt += line;
  CHECK(rebuilt == text);
  (void)n;
}

// The shards cover the storage in order without gaps, and each but the last ends after a '\n' (or
// at the end).
template <class Shards>
void check_cuts(std::string_view text, const Shards& shards, std::size_t n) {
  REQUIRE(shards.size() == (n == 0 ? 1 : n));
  const auto* at = reinterpret_cast<const std::byte*>(text.data());
  const auto* end = at + text.size();
  for (const auto& shard : shards) {
    const auto* first = reinterpret_cast<const std::byte*>(shard.data());
    CHECK((shard.empty() || first == at));
    at += shard.size();
    CHECK(at <= end);
    if (!shard.empty() && at != end) CHECK(at[-1] == std::byte{'\n'});
  }
  CHECK(at == end);
}

} // namespace

TEST_CASE("line_shards: the lines of the shards are the lines of the whole, for random texts and n = 1..17") {
  std::mt19937 rng(1711);
  for (int round = 0; round < 300; ++round) {
    const std::string text = random_text(rng, round % 2 == 0);
    for (std::size_t n = 1; n <= 17; ++n) {
      CAPTURE(text);
      CAPTURE(n);
      const std::vector<std::string_view> shards = io::views::line_shards(text, n);
      check_cuts(text, shards, n);
      check_lines(text, shards, n);
    }
  }
}

TEST_CASE("line_shards: empty storage gives n empty shards, and n = 0 is one shard") {
  const std::string empty;
  for (std::size_t n = 0; n <= 17; ++n) {
    const auto shards = io::views::line_shards(empty, n);
    CHECK(shards.size() == (n == 0 ? 1 : n));
    for (const std::string_view shard : shards) CHECK(shard.empty());
    check_lines(empty, shards, n);
  }
  const std::string text = "one\ntwo\n";
  const auto one = io::views::line_shards(text, 0);
  REQUIRE(one.size() == 1);
  CHECK(one[0] == text);
}

TEST_CASE("line_shards: cuts land at line boundaries, a line longer than a shard leaves later shards empty") {
  const std::string text = "a\nb\nc\nd\n";
  CHECK(io::views::line_shards(text, 2) == std::vector<std::string_view>{"a\nb\n", "c\nd\n"});
  CHECK(io::views::line_shards(text, 4) == std::vector<std::string_view>{"a\n", "b\n", "c\n", "d\n"});
  const std::string long_first = std::string(100, 'x') + "\nshort\n";
  CHECK(io::views::line_shards(long_first, 3) ==
        std::vector<std::string_view>{std::string_view(long_first).substr(0, 101), "", "short\n"});
  const std::string no_newline(50, 'y');
  CHECK(io::views::line_shards(no_newline, 3) == std::vector<std::string_view>{no_newline, "", ""});
  // "\r\n" stays whole: the cut is after the '\n'.
  const std::string crlf = "ab\r\ncd\r\nef\r\ngh\r\n";
  CHECK(io::views::line_shards(crlf, 2) == std::vector<std::string_view>{"ab\r\ncd\r\n", "ef\r\ngh\r\n"});
}

TEST_CASE("line_shards: shards of short lines are even, within a line of size / n") {
  std::mt19937 rng(99);
  std::string text;
  while (text.size() < 200'000) {
    text.append(std::uniform_int_distribution<std::size_t>(0, 79)(rng), 'w');
    text += '\n';
  }
  for (std::size_t n = 1; n <= 17; ++n) {
    const auto shards = io::views::line_shards(text, n);
    for (const std::string_view shard : std::span(shards).first(n - 1)) {
      CHECK(shard.size() + 80 >= text.size() / n);
      CHECK(shard.size() <= text.size() / n + 81);
    }
  }
}

TEST_CASE("line_shards over a mapped file, a span of bytes and a memory_stream's view") {
  std::mt19937 rng(4242);
  io_test::temp_dir dir;
  for (int round = 0; round < 40; ++round) {
    const std::string text = random_text(rng, round % 3 != 0);
    io_test::write_text(dir / "f", text);
    const io::mapped_file mapped(dir / "f");
    io::memory_stream memory(text);
    const std::span<const std::byte> bytes = io::as_bytes(std::string_view(text));
    for (std::size_t n = 1; n <= 17; n += 4) {
      CAPTURE(n);
      check_cuts(io::as_string_view(std::span(mapped.data(), mapped.size())), io::views::line_shards(mapped, n), n);
      check_lines(text, io::views::line_shards(mapped, n), n);
      check_lines(text, io::views::line_shards(memory.view(), n), n);
      check_lines(text, io::views::line_shards(bytes, n), n);
    }
  }
}
