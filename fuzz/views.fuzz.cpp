// Fuzz target: lines, split, chunks and bytes over a stream that returns random short reads
// through random tiny buffers, and over memory, checked against the plain reference model.
#include "../tests/views/sources.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

import io;

namespace {

void expect(bool same) {
  if (!same) std::abort(); // libFuzzer keeps the input that got here
}

template <class R>
std::vector<std::string> chunks(R&& range) {
  std::vector<std::string> out;
  for (std::span<const std::byte> c : range) out.emplace_back(io::as_string_view(c));
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t step = 1 + data[0] % 16;       // bytes per read of the stream
  const std::size_t capacity = 1 + data[0] / 16;   // the buffer in front of it
  const unsigned what = data[1] % 5;
  const std::size_t chunk_size = 1 + data[1] / 5 % 9;
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::string_view delimiter = data[1] % 2 == 0 ? "\n" : "ab";

  io_test::trickle_reader reader{.data = text, .step = step};
  io::buffered_reader stream(reader, capacity);
  switch (what) {
  case 0:
    expect(io_test::collect(io::views::lines(stream)) == io_test::reference_lines(text));
    expect(io_test::collect(io::views::lines(std::string_view(text))) == io_test::reference_lines(text));
    break;
  case 1:
  case 2:
    expect(io_test::collect(io::views::split(stream, delimiter)) == io_test::reference_split(text, delimiter, false));
    expect(io_test::collect(io::views::split(std::string_view(text), delimiter)) == io_test::reference_split(text, delimiter, false));
    break;
  case 3:
    expect(chunks(io::views::chunks(stream, chunk_size)) == io_test::reference_chunks(text, chunk_size));
    expect(chunks(io::views::chunks(reader, chunk_size)).empty()); // the reader is used up
    break;
  case 4: {
    std::string bytes;
    for (std::byte b : io::views::bytes(stream)) bytes += static_cast<char>(b);
    expect(bytes == text);
    break;
  }
  }
  return 0;
}
