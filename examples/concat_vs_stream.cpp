// The lesson behind Python's BytesIO, measured in C++: building a buffer by concatenation
// (`s = s + piece`, a new string each time, as Python's bytes `+`) copies everything written so
// far on every step; appending to a memory_stream (or std::string +=) does not.
// Usage: concat_vs_stream [PIECES]
#include <chrono>
#include <cstdio>
#include <string>

import io;

template <class F>
double milliseconds(F&& build) {
  const auto start = std::chrono::steady_clock::now();
  build();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

int main(int argc, char** argv) {
  const std::size_t pieces = argc > 1 ? std::stoul(argv[1]) : 20000;
  const std::string piece = "0123456789";
  std::string concatenated, appended;
  io::memory_stream stream;

  const double concat_ms = milliseconds([&] { for (std::size_t i = 0; i < pieces; ++i) concatenated = concatenated + piece; });
  const double stream_ms = milliseconds([&] { for (std::size_t i = 0; i < pieces; ++i) io::write(stream, piece); });
  const double append_ms = milliseconds([&] { for (std::size_t i = 0; i < pieces; ++i) appended += piece; });

  const bool same = concatenated == stream.str() && appended == concatenated;
  std::printf("%zu pieces of %zu bytes; identical contents: %s\n", pieces, piece.size(), same ? "yes" : "NO");
  std::printf("s = s + piece      %10.3f ms\n", concat_ms);
  std::printf("memory_stream      %10.3f ms\n", stream_ms);
  std::printf("std::string +=     %10.3f ms\n", append_ms);
  std::printf("concatenation takes %.1fx the time of memory_stream\n", concat_ms / stream_ms);
  std::printf("std::string += takes %.2fx the time of memory_stream\n", append_ms / stream_ms);
  return same ? 0 : 1;
}
