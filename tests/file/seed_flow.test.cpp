// The idea io grew from, end to end: the same code over a memory buffer and a file.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <string>

import io;

using io_test::read_text;
using io_test::temp_dir;

namespace {

// Concept-constrained: compiled for each stream type.
template <io::readable S>
std::size_t count_bytes(S& in, std::byte wanted) {
  std::size_t count = 0;
  std::byte chunk[512];
  for (std::size_t n; (n = in.read(chunk)) != 0;)
    for (std::size_t i = 0; i < n; ++i) count += chunk[i] == wanted;
  return count;
}

// Type-erased: compiled once.
std::string shout(io::any_reader in) {
  std::string text = io::read_all<std::string>(in);
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return text;
}

} // namespace

TEST_CASE("write into memory, hand it to stream code, save it to a file, read the file back identical") {
  io::memory_stream buffer;
  for (int i = 0; i < 1000; ++i) io::write(buffer, "line " + std::to_string(i) + "\n");
  const std::string contents = buffer.str();

  buffer.seek(0);
  CHECK(count_bytes(buffer, std::byte{'\n'}) == 1000);
  buffer.seek(0);
  const std::string shouted = shout(buffer);
  CHECK(shouted.starts_with("LINE 0\nLINE 1\n"));

  temp_dir dir;
  {
    io::buffered_file out = io::open(dir / "saved.txt", "w");
    buffer.seek(0);
    CHECK(io::copy(buffer, out) == contents.size());
    out.close();
  }
  CHECK(read_text(dir / "saved.txt") == contents);

  io::buffered_file in = io::open(dir / "saved.txt", "rb");
  CHECK(count_bytes(in, std::byte{'\n'}) == 1000);
  in.seek(0);
  CHECK(shout(in) == shouted);
  io::file raw(dir / "saved.txt");
  CHECK(shout(raw) == shouted);
  in.seek(0);
  CHECK(io::read_all<std::string>(in) == contents);
}
