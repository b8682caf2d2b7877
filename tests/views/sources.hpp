// The same contents as every kind of source io's views take, so each view is checked against all.
#pragma once
#include "../support.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

import io;

namespace io_test {

// Reference results, written plainly: what the views must produce.
inline std::vector<std::string> reference_split(std::string_view text, std::string_view delimiter, bool strip_cr) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t end = text.find(delimiter);
    std::string token(text.substr(0, end));
    if (strip_cr && !token.empty() && token.back() == '\r') token.pop_back();
    out.push_back(token);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + delimiter.size());
  }
  return out;
}

inline std::vector<std::string> reference_lines(std::string_view text) { return reference_split(text, "\n", true); }

inline std::vector<std::string> reference_chunks(std::string_view text, std::size_t size) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); i += size) out.emplace_back(text.substr(i, size));
  return out;
}

// The tokens of a lines or split view, copied out.
template <class R>
std::vector<std::string> collect(R&& range) {
  std::vector<std::string> out;
  for (std::string_view token : range) out.emplace_back(token);
  return out;
}

// Calls `check(source, name)` with `text` held by each kind of source; `check` is a generic lambda.
template <class Check>
void for_each_source(const std::string& text, Check&& check) {
  {
    io::memory_stream s(text);
    check(s, "memory_stream");
  }
  {
    io::span_stream s(text);
    check(s, "span_stream");
  }
  {
    std::string_view s = text;
    check(s, "string_view");
  }
  {
    std::string s = text;
    check(s, "string");
  }
  {
    trickle_reader s{.data = text, .step = 3};
    check(s, "trickle_reader (3-byte reads)");
  }
  {
    trickle_reader inner{.data = text, .step = 5};
    io::any_reader s = inner;
    check(s, "any_reader");
  }
  {
    io::buffered_reader s(io::memory_stream(text), 4); // 4-byte buffer: most tokens cross its end
    check(s, "buffered_reader (4-byte buffer)");
  }
  temp_dir dir;
  write_text(dir / "f", text);
  {
    io::file s(dir / "f");
    check(s, "file");
  }
  {
    io::buffered_file s = io::open(dir / "f", "r", 7);
    check(s, "buffered_file (7-byte buffer)");
  }
  {
    io::buffered_file s = io::open(dir / "f");
    check(s, "buffered_file");
  }
  {
    const io::mapped_file s(dir / "f");
    check(s, "mapped_file");
  }
}

} // namespace io_test
