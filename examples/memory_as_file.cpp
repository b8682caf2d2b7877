// The idea io grew from: code that reads a file takes a memory buffer instead (Python's BytesIO).
#include <cstdio>
#include <span>
#include <string>

import io;

// Written once against the concept: any readable stream, file or memory, fits.
template <io::readable Stream>
std::size_t count_lines(Stream& in) {
  std::size_t lines = 0;
  std::byte chunk[4096];
  for (std::size_t n; (n = in.read(chunk)) != 0;)
    for (const std::byte b : std::span(chunk, n)) lines += b == std::byte{'\n'};
  return lines;
}

// Compiled once, with one non-template signature: any readable stream converts to any_reader.
std::string first_line(io::any_reader in) {
  const std::string text = io::read_all<std::string>(in);
  return text.substr(0, text.find('\n'));
}

int main() {
  io::memory_stream buffer;                                 // buffer = io.BytesIO()
  for (int i = 1; i <= 3; ++i) io::write(buffer, "line " + std::to_string(i) + "\n");
  std::printf("wrote %llu bytes\n", static_cast<unsigned long long>(buffer.tell()));

  buffer.seek(0);                                           // buffer.seek(0)
  std::printf("lines: %zu\n", count_lines(buffer));
  buffer.seek(0);
  std::printf("first line: %s\n", first_line(buffer).c_str());
  std::printf("getvalue: %s", buffer.str().c_str());        // buffer.getvalue()

  const std::string mine = "caller's text\nin place\n";
  io::span_stream borrowed(mine);                           // reads `mine` without copying it
  std::printf("lines in a borrowed buffer: %zu\n", count_lines(borrowed));
}
