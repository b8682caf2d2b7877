// The ten most frequent words of a file: lines | split | transform, counted in a std::map and
// ranked with range-v3. Usage: word_freq FILE
#include <range/v3/action/sort.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/take.hpp>
#include <cstdio>
#include <map>
#include <ranges>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

import io;

// "Bread," -> "bread": letters only, lower case.
std::string normalize(std::string_view word) {
  std::string out;
  for (const char c : word)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) out += static_cast<char>(c | 0x20);
  return out;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: word_freq FILE\n");
    return 2;
  }
  io::buffered_file in = io::open(argv[1]);
  std::map<std::string, int> counts;
  for (const std::string_view line : in | io::views::lines)
    for (const std::string& word : io::views::split(line, ' ') | std::views::transform(normalize))
      if (!word.empty()) ++counts[word];

  // Most frequent first; equal counts in alphabetical order.
  auto ranked = counts | ranges::to<std::vector<std::pair<std::string, int>>>() |
                ranges::actions::sort([](const auto& a, const auto& b) {
                  return a.second != b.second ? a.second > b.second : a.first < b.first;
                });
  for (const auto& [word, n] : ranked | ranges::views::take(10)) std::printf("%7d %s\n", n, word.c_str());
}
