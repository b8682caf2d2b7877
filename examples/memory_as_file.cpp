// The idea io grew from: code that reads a file takes a memory buffer instead (Python's BytesIO),
// and both are ranges: one pipeline of std::views, collected by range-v3, over memory and a file.
#include <cstdio>
#include <filesystem>
#include <ranges>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <range/v3/range/conversion.hpp>

import io;

// Written once: the messages of a log's errors, from any stream (a view owns an rvalue stream).
template <class Stream>
std::vector<std::string> errors(Stream&& log) {
  return std::forward<Stream>(log) | io::views::lines |
         std::views::filter([](std::string_view line) { return line.starts_with("ERROR "); }) |
         std::views::transform([](std::string_view line) { return std::string(line.substr(6)); }) |
         ranges::to<std::vector>(); // std::ranges::to where the standard library has it
}

int main() {
  io::memory_stream buffer;                                      // buffer = io.BytesIO()
  for (std::string_view line : {"INFO start", "ERROR disk full", "INFO retry", "ERROR gave up"})
    io::write(buffer, std::string(line) + "\n");                 // buffer.write(...)
  buffer.seek(0);
  for (const std::string& e : errors(buffer)) std::printf("memory: %s\n", e.c_str());
  std::printf("read %llu of %zu bytes\n", static_cast<unsigned long long>(buffer.tell()), buffer.view().size());

  const auto path = std::filesystem::temp_directory_path() / "io-example.log";
  io::atomic_file out(path);                                     // appears whole, or not at all
  out.write(buffer.view());
  out.commit();
  for (const std::string& e : errors(io::open(path))) std::printf("file:   %s\n", e.c_str());

  io::buffered_file f = io::open(path);                          // for line in f: ... break
  for (std::string_view line : f | io::views::lines)
    if (line.starts_with("ERROR")) break;
  std::printf("after the first error:\n%s", io::read_all<std::string>(f).c_str()); // f.read()
  std::filesystem::remove(path);
}
