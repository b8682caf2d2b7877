// A user's translation unit: textual standard and range-v3 headers and doctest, then io's modules,
// composed in one pipeline with std::views and range-v3.
#include <doctest/doctest.h>

#include <range/v3/algorithm/count.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

import io;

TEST_CASE("memory stream contents flow through std::views and range-v3 in one translation unit") {
  io::memory_stream s;
  io::write(s, "a1b2c3");
  const std::string_view text = io::as_string_view(s.view());

  auto digits = text | std::views::filter([](char c) { return c >= '0' && c <= '9'; });
  CHECK(std::string(digits.begin(), digits.end()) == "123");

  const auto letters = text | ranges::views::filter([](char c) { return c >= 'a'; }) |
                       ranges::views::transform([](char c) { return static_cast<char>(c - 32); }) |
                       ranges::to<std::string>();
  CHECK(letters == "ABC");
  CHECK(ranges::count(text, 'b') == 1);

  std::vector<std::string> pieces{"x", "y"};
  for (const auto& p : pieces | std::views::reverse) io::write(s, p);
  CHECK(s.str() == "a1b2c3yx");
}
