// Tests of io::views::lines over every kind of source, with std::ranges and range-v3.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/algorithm/count_if.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/reverse.hpp>
#include <range/v3/view/transform.hpp>
#include <algorithm>
#include <random>
#include <ranges>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io;

using io_test::for_each_source;
using io_test::reference_lines;
using io_test::trickle_reader;

// Over storage: borrowed forward ranges of string_views; over streams (memory_stream included):
// input ranges that consume them, never forward.
static_assert(std::ranges::forward_range<io::lines_view<std::string_view>>);
static_assert(std::ranges::borrowed_range<io::lines_view<std::string_view>>);
static_assert(std::ranges::borrowed_range<io::lines_view<std::string&>>);
static_assert(std::ranges::forward_range<io::lines_view<const io::mapped_file&>>);
static_assert(std::ranges::view<io::lines_view<std::string_view>>);
static_assert(std::ranges::input_range<io::lines_view<io::memory_stream&>>);
static_assert(!std::ranges::forward_range<io::lines_view<io::memory_stream&>>);
static_assert(std::ranges::input_range<io::lines_view<io::file&>>);
static_assert(!std::ranges::forward_range<io::lines_view<io::file&>>);
static_assert(!std::ranges::forward_range<io::lines_view<io::buffered_file&>>);
static_assert(std::ranges::view<io::lines_view<io::file&>>);
static_assert(std::ranges::view<io::lines_view<io::buffered_file>>);
static_assert(std::is_same_v<std::ranges::range_value_t<io::lines_view<io::file&>>, std::string_view>);
static_assert(ranges::forward_range<io::lines_view<std::string_view>>);
static_assert(ranges::view_<io::lines_view<std::string_view>>);
static_assert(ranges::borrowed_range<io::lines_view<std::string_view>>);
static_assert(ranges::input_range<io::lines_view<io::file&>>);
static_assert(!ranges::forward_range<io::lines_view<io::file&>>);
static_assert(ranges::view_<io::lines_view<io::file&>>);
// An rvalue stream or container is owned (a view that owns a std::string is not borrowed); a
// string literal and a const stream are refused.
static_assert(io::viewable_source<io::memory_stream>);
static_assert(io::viewable_source<io::buffered_file>);
static_assert(io::viewable_source<std::string>);
static_assert(!std::ranges::borrowed_range<io::lines_view<std::string>>);
static_assert(std::ranges::forward_range<io::lines_view<std::string>>);
static_assert(!io::viewable_source<const char (&)[4]>);
static_assert(!io::viewable_source<const io::memory_stream&>);
static_assert(io::viewable_source<std::string_view>);
// The type a pipeline names is the view's own.
static_assert(std::is_same_v<decltype(std::declval<io::buffered_file&>() | io::views::lines), io::lines_view<io::buffered_file&>>);
static_assert(std::is_same_v<decltype(std::declval<io::buffered_file>() | io::views::lines), io::lines_view<io::buffered_file>>);

using io_test::collect;

TEST_CASE("lines ends lines at \\n and \\r\\n, keeps a last unterminated line, over every source") {
  for (const std::string text : std::vector<std::string>{"", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n\nx", "one\ntwo\r\n\nfour", "cr\rinside\n",
                                 std::string(100, 'L') + "\n" + std::string(3, 'x')}) {
    for_each_source(text, [&](auto& source, const char* name) {
      INFO(name, " over ", text.size(), " bytes");
      CHECK(collect(io::views::lines(source)) == reference_lines(text));
    });
  }
}

TEST_CASE("lines of random text with random line lengths match the reference over every source") {
  std::mt19937 rng(7);
  for (int round = 0; round < 30; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      const unsigned r = rng() % 20;
      text += r == 0 ? '\n' : r == 1 ? '\r' : static_cast<char>('a' + r);
    }
    for_each_source(text, [&](auto& source, const char* name) {
      INFO(name, ", round ", round);
      CHECK(collect(source | io::views::lines) == reference_lines(text));
    });
  }
}

TEST_CASE("a line may be longer than any buffer") {
  const std::string long_line(1'000'000, 'z');
  const std::string text = "short\n" + long_line + "\nend";
  for_each_source(text, [&](auto& source, const char* name) {
    INFO(name);
    const auto lines = collect(io::views::lines(source));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1] == long_line);
  });
}

TEST_CASE("lines over storage are views into it that outlive the view") {
  io::memory_stream s("first\nsecond\n");
  std::vector<std::string_view> kept;
  for (std::string_view line : io::views::lines(s.view())) kept.push_back(line);
  REQUIRE(kept.size() == 2);
  CHECK(kept[1] == "second");
  CHECK(kept[0].data() == reinterpret_cast<const char*>(s.view().data()));
  CHECK(s.tell() == 0); // storage: no position moves
  // A borrowed range: an iterator from a temporary view is still good.
  auto first = std::ranges::begin(io::views::lines(s.view()));
  CHECK(*first == "first");
}

TEST_CASE("lines over a memory stream start at its position, scan its storage in place and consume it") {
  io::memory_stream s("skip\nkeep\nthis\n");
  s.seek(5);
  std::vector<std::string_view> kept;
  for (std::string_view line : io::views::lines(s)) kept.push_back(line);
  CHECK(kept == std::vector<std::string_view>{"keep", "this"});
  CHECK(kept[0].data() == reinterpret_cast<const char*>(s.view().data()) + 5); // no copy
  CHECK(s.tell() == 15);
}

TEST_CASE("lines over a buffered stream consume it up to the last line handed out") {
  io::memory_stream memory("a\nb\nc\n");
  io::buffered_reader s(memory, 64);
  for (std::string_view line : io::views::lines(s)) {
    if (line == "b") break;
  }
  CHECK(io::read_all<std::string>(s) == "c\n"); // right after the last line handed out
}

TEST_CASE("lines in std::views pipelines, as a prvalue") {
  io::memory_stream memory("apple\nbanana\ncherry\navocado\n");
  std::vector<std::string> a_words;
  for (std::string_view w : memory | io::views::lines | std::views::filter([](std::string_view l) { return l.starts_with('a'); }))
    a_words.emplace_back(w);
  CHECK(a_words == std::vector<std::string>{"apple", "avocado"});

  io_test::temp_dir dir;
  io_test::write_text(dir / "f", "1\n22\n333\n");
  io::buffered_file file = io::open(dir / "f");
  std::vector<std::size_t> sizes;
  for (std::size_t n : file | io::views::lines | std::views::transform([](std::string_view l) { return l.size(); }))
    sizes.push_back(n);
  CHECK(sizes == std::vector<std::size_t>{1, 2, 3});

  io::span_stream span("x\ny\nz\n");
  auto taken = io::views::lines(span) | std::views::take(2);
  CHECK(std::ranges::distance(taken) == 2);
}

TEST_CASE("lines in range-v3 pipelines, as a prvalue, into a container") {
  io::memory_stream memory("apple\nbanana\ncherry\navocado\n");
  const auto upper = memory | io::views::lines | ranges::views::filter([](std::string_view l) { return l.size() > 5; }) |
                     ranges::views::transform([](std::string_view l) { return std::string(l); }) |
                     ranges::to<std::vector<std::string>>();
  CHECK(upper == std::vector<std::string>{"banana", "cherry", "avocado"});

  io_test::temp_dir dir;
  io_test::write_text(dir / "f", "keep 1\ndrop\nkeep 2\n");
  io::file file(dir / "f");
  const auto kept = file | io::views::lines | ranges::views::filter([](std::string_view l) { return l.starts_with("keep"); }) |
                    ranges::to<std::vector<std::string>>();
  CHECK(kept == std::vector<std::string>{"keep 1", "keep 2"});

  const io::mapped_file mapped(dir / "f");
  CHECK(ranges::count_if(io::views::lines(mapped), [](std::string_view l) { return l.size() == 6; }) == 2);
}

TEST_CASE("a read error midway throws io_error from the iteration") {
  trickle_reader failing{.data = "one\ntwo\nthree\nfour\n", .step = 4, .fail_after = 9};
  std::vector<std::string> seen;
  try {
    for (std::string_view line : io::views::lines(failing)) seen.emplace_back(line);
    FAIL("the read error did not surface");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::io_error);
  }
  CHECK(seen == std::vector<std::string>{"one", "two"});

  io_test::temp_dir dir;
  io::file write_only(dir / "w", "w");
  CHECK_THROWS_AS(collect(io::views::lines(write_only)), io::io_error);
}

TEST_CASE("with an error_code, a read error ends the range and is kept there") {
  trickle_reader failing{.data = "one\ntwo\nthree\nfour\n", .step = 4, .fail_after = 9};
  std::error_code ec = io::errc::closed; // cleared when the view is made
  std::vector<std::string> seen;
  for (std::string_view line : io::views::lines(failing, ec)) seen.emplace_back(line);
  CHECK(ec == std::errc::io_error);
  CHECK(seen == std::vector<std::string>{"one", "two"}); // no half line after the error

  trickle_reader again{.data = "a\nb\n", .step = 1, .fail_after = 3};
  std::vector<std::string> piped;
  for (std::string_view line : again | io::views::lines(ec) | std::views::filter([](auto) { return true; }))
    piped.emplace_back(line);
  CHECK(ec == std::errc::io_error);
  CHECK(piped == std::vector<std::string>{"a"});

  io::memory_stream fine("x\ny");
  CHECK(collect(io::views::lines(fine, ec)).size() == 2);
  CHECK(!ec);
}

static_assert(std::ranges::bidirectional_range<io::lines_view<std::string_view>>);
static_assert(std::ranges::common_range<io::lines_view<const io::mapped_file&>>);
static_assert(ranges::bidirectional_range<io::lines_view<std::string_view>>);

TEST_CASE("lines over storage are bidirectional: reversed, they are the reversed reference") {
  std::mt19937 rng(31);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = static_cast<int>(rng() % 10); i > 0; --i) {
      text += std::string(rng() % 5, static_cast<char>('a' + rng() % 3));
      const unsigned end = rng() % 5;
      text += end == 0 ? "\r\n" : end == 1 ? "\r" : "\n";
    }
    if (rng() % 2 == 0) text += std::string(rng() % 4, 'z');
    CAPTURE(text);
    std::vector<std::string> expected = reference_lines(text);
    std::ranges::reverse(expected);
    std::vector<std::string> got;
    for (std::string_view line : std::string_view(text) | io::views::lines | std::views::reverse) got.emplace_back(line);
    CHECK(got == expected);
    const auto with_range_v3 = std::string_view(text) | io::views::lines | ranges::views::reverse |
                               ranges::views::transform([](std::string_view l) { return std::string(l); }) |
                               ranges::to<std::vector<std::string>>();
    CHECK(with_range_v3 == expected);
    // Forward again after walking back: both directions meet.
    auto lines = std::string_view(text) | io::views::lines({.keep_ends = true});
    std::string joined;
    for (auto it = lines.end(); it != lines.begin();) joined.insert(0, *--it);
    CHECK(joined == text);
  }
}

TEST_CASE("the last lines of a mapped file, read from its end (tail -n 2)") {
  io_test::temp_dir dir;
  io_test::write_text(dir / "log", "one\ntwo\nthree\nfour\n");
  const io::mapped_file map(dir / "log");
  std::vector<std::string> last;
  for (std::string_view line : map | io::views::lines | std::views::reverse | std::views::take(2)) last.emplace_back(line);
  CHECK(last == std::vector<std::string>{"four", "three"});
}
