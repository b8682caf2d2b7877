// Tests of io::views::split over every kind of source, with std::ranges and range-v3.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>
#include <random>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io;

using io_test::for_each_source;
using io_test::reference_split;
using io_test::trickle_reader;

static_assert(std::ranges::forward_range<io::split_view<std::span<const char>>>);
static_assert(std::ranges::borrowed_range<io::split_view<std::span<const char>>>);
static_assert(!std::ranges::forward_range<io::split_view<io::span_stream&>>);
static_assert(std::ranges::input_range<io::split_view<trickle_reader&>>);
static_assert(!std::ranges::forward_range<io::split_view<trickle_reader&>>);
static_assert(ranges::view_<io::split_view<trickle_reader&>>);
static_assert(ranges::view_<io::split_view<io::span_stream&>>);
static_assert(ranges::view_<io::split_view<std::string_view>>);

using io_test::collect;

TEST_CASE("split cuts at a byte as getline does: empty fields kept, no field after a final delimiter") {
  for (const std::string text : std::vector<std::string>{"", ",", "a", "a,b", "a,,b", "a,b,", ",a", "x\r,y"}) {
    for_each_source(text, [&](auto& source, const char* name) {
      INFO(name, " over '", text, "'");
      CHECK(collect(io::views::split(source, ',')) == reference_split(text, ",", false));
    });
    for_each_source(text, [&](auto& source, const char* name) {
      INFO(name, " over '", text, "' through the pipe");
      CHECK(collect(source | io::views::split(',')) == reference_split(text, ",", false));
    });
  }
  io::memory_stream s("a,,b,");
  CHECK(collect(io::views::split(s, ',')) == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("split cuts at a string delimiter, also where it straddles two buffers") {
  std::mt19937 rng(11);
  for (const std::string_view delimiter : {"::", "abc", "<-->", "aa"}) {
    for (int round = 0; round < 20; ++round) {
      std::string text;
      const int n = static_cast<int>(rng() % 120);
      for (int i = 0; i < n; ++i) text += rng() % 6 == 0 ? std::string(delimiter) : std::string(1, "abc:<->"[rng() % 7]);
      for_each_source(text, [&](auto& source, const char* name) {
        INFO(name, ", delimiter '", std::string(delimiter), "', text '", text, "'");
        CHECK(collect(io::views::split(source, delimiter)) == reference_split(text, delimiter, false));
      });
    }
  }
}

TEST_CASE("split pieces flow through std::views and range-v3 pipelines as prvalues") {
  io::memory_stream csv("3,1,4,1,5");
  int sum = 0;
  for (int v : csv | io::views::split(',') | std::views::transform([](std::string_view f) { return std::stoi(std::string(f)); }))
    sum += v;
  CHECK(sum == 14);

  trickle_reader stream{.data = "x;yy;zzz", .step = 2};
  const auto sizes = stream | io::views::split(";") | ranges::views::transform([](std::string_view f) { return f.size(); }) |
                     ranges::to<std::vector<std::size_t>>();
  CHECK(sizes == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("an empty delimiter is invalid_argument both ways") {
  io::memory_stream s("abc");
  CHECK_THROWS_AS(io::views::split(s, ""), io::io_error);
  CHECK_THROWS_AS(io::views::split(""), io::io_error);
  std::error_code ec;
  CHECK(collect(io::views::split(s, "", ec)).empty());
  CHECK(ec == io::errc::invalid_argument);
  trickle_reader r{.data = "abc"};
  CHECK(collect(r | io::views::split("", ec)).empty());
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("a read error in split throws, or ends the range into the error_code") {
  trickle_reader thrower{.data = "a,b,c,d", .step = 2, .fail_after = 4};
  CHECK_THROWS_AS(collect(io::views::split(thrower, ',')), std::system_error);
  trickle_reader r{.data = "a,b,c,d", .step = 2, .fail_after = 4};
  std::error_code ec;
  CHECK(collect(io::views::split(r, ',', ec)) == std::vector<std::string>{"a", "b"});
  CHECK(ec == std::errc::io_error);
}
