// Runs io's views and read_line over one file through every kind of source and prints what they
// give, one result per line in hex, for tests/views/views_parity.py to compare with CPython.
//
// Usage: views_replay FILE BREAK_AFTER READ_MAX
// Output lines: "<op> <source> <hex> <hex> ...", where op is
//   keep     lines with their terminators (Python's `for line in f`)
//   words    io::views::words (Python's bytes.split())
//   rest     the lines up to BREAK_AFTER, then what read_all gives after a `break` (the position rule)
//   readline read_line with max_length READ_MAX and keep_ends, until the end, each followed by tell()
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

import io;

namespace {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "x"; // never empty, so that an empty token is still one word on the line
  for (const unsigned char c : bytes) (out += digits[c >> 4]) += digits[c & 15];
  return out;
}

void print(const std::string& op, const std::string& source, const std::string& items) {
  std::printf("%s %s%s\n", op.c_str(), source.c_str(), items.c_str());
}

// Calls `f(stream, name)` with the file opened as each kind of stream.
void for_each_stream(const char* path, auto&& f) {
  for (const std::size_t buffer : {1, 2, 3, 5, 9, 0}) {
    io::buffered_file s = buffer == 0 ? io::open(path) : io::open(path, "r", buffer);
    f(s, "buffered_file/" + std::to_string(buffer));
  }
  {
    io::file s(path);
    f(s, "file");
  }
  {
    io::buffered_reader s(io::file(path), 4);
    f(s, "buffered_reader/4");
  }
  {
    io::memory_stream s(io::read_all<std::string>(io::file(path)));
    f(s, "memory_stream");
  }
  {
    const std::string bytes = io::read_all<std::string>(io::file(path));
    io::span_stream s(bytes);
    f(s, "span_stream");
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const char* path = argv[1];
  const long break_after = std::atol(argv[2]);
  const std::size_t read_max = static_cast<std::size_t>(std::atol(argv[3]));

  for_each_stream(path, [&](auto& s, const std::string& name) {
    std::string items;
    for (std::string_view line : s | io::views::lines({.keep_ends = true})) (items += ' ') += hex(line);
    print("keep", name, items);
  });
  for_each_stream(path, [&](auto& s, const std::string& name) {
    std::string items;
    for (std::string_view word : s | io::views::words) (items += ' ') += hex(word);
    print("words", name, items);
  });
  for_each_stream(path, [&](auto& s, const std::string& name) {
    std::string items;
    {
      long n = 0;
      for (std::string_view line : io::views::lines(s, {.keep_ends = true})) {
        if (n++ == break_after) break;
        (items += ' ') += hex(line);
      }
    }
    (items += ' ') += hex(io::read_all<std::string>(s));
    print("rest", name, items);
  });
  for_each_stream(path, [&](auto& s, const std::string& name) {
    std::string items, line;
    while (io::read_line(s, line, {.keep_ends = true, .max_length = read_max}))
      ((items += ' ') += hex(line)) += "@" + std::to_string(s.tell());
    print("readline", name, items);
  });
  // Storage: the same lines and words, in place.
  const io::mapped_file map(path);
  for (const auto& [name, text] : {std::pair<std::string, std::string_view>{"mapped_file", map.text()}}) {
    std::string keep, words;
    for (std::string_view line : text | io::views::lines({.keep_ends = true})) (keep += ' ') += hex(line);
    for (std::string_view word : text | io::views::words) (words += ' ') += hex(word);
    print("keep", name, keep);
    print("words", name, words);
  }
  return 0;
}
