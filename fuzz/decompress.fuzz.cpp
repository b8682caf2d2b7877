// Fuzz target: io::decompress over arbitrary bytes, detected and forced to each codec, through
// fill()/consume() and read(), thrown and stored errors: it must never crash, hang or read out of
// bounds, and the two error paths must agree. The bytes are also compressed and decompressed
// again, which must give them back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <system_error>

import io;

namespace {

void expect(bool same) {
  if (!same) std::abort();
}

// Both paths stop at the first read past this many decoded bytes (they read in different sizes,
// so the comparison below stops there too).
constexpr std::size_t max_output = std::size_t{16} << 20;

constexpr io::codec codecs[] = {io::codec::none, io::codec::gzip, io::codec::zlib,
                                io::codec::zstd, io::codec::xz,   io::codec::bzip2};

// Everything through fill()/consume() with an error_code, and the error.
std::string decode(std::span<const std::byte> bytes, std::optional<io::codec> format, std::error_code& ec) {
  io::span_stream in(bytes);
  auto z = format ? io::decompress(in, *format) : io::decompress(in);
  std::string out;
  for (;;) {
    const std::span<const std::byte> got = z.fill(ec);
    if (ec || got.empty()) break;
    out.append(io::as_string_view(got));
    z.consume(got.size());
    if (out.size() > max_output) break; // a small input may decode to gigabytes: enough of it
  }
  return out;
}

// The same through read() into a small buffer, throwing.
std::string decode_throwing(std::span<const std::byte> bytes, std::optional<io::codec> format, std::error_code& ec) {
  io::span_stream in(bytes);
  auto z = format ? io::decompress(in, *format) : io::decompress(in);
  std::string out;
  char buffer[777];
  try {
    for (std::size_t n; (n = z.read(buffer)) != 0;) {
      out.append(buffer, n);
      if (out.size() > max_output) break;
    }
  } catch (const io::io_error& e) {
    ec = e.code();
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  for (int which = -1; which < 6; ++which) {
    const std::optional<io::codec> format = which < 0 ? std::nullopt : std::optional(codecs[which]);
    std::error_code stored, thrown;
    const std::string a = decode(bytes, format, stored);
    const std::string b = decode_throwing(bytes, format, thrown);
    if (a.size() > max_output || b.size() > max_output) {
      expect(a.substr(0, max_output) == b.substr(0, max_output));
      continue;
    }
    expect(a == b);
    expect(stored == thrown);
    if (!format || *format == io::codec::none) {
      if (!stored && io::detect_codec(bytes.first(std::min(size, io::detect_size))) == io::codec::none)
        expect(a == io::as_string_view(bytes)); // plain bytes pass through unchanged
    }
  }
  // A round trip through each codec at a level chosen by the first byte.
  if (size > 0) {
    const io::codec format = codecs[1 + data[0] % 5];
    // Low zstd and xz levels only: their high ones take long and much memory for each input.
    const int level = format == io::codec::zstd ? 1 + data[0] % 5
                      : format == io::codec::xz ? data[0] % 4
                                                : io::min_level(format) + data[0] % (io::max_level(format) - io::min_level(format) + 1);
    io::memory_stream packed;
    {
      auto z = io::compress(packed, format, level);
      z.write(bytes);
      z.finish();
    }
    std::error_code ec;
    io::span_stream in(packed.view());
    auto z = io::decompress(in, format);
    std::string out;
    for (;;) {
      const auto got = z.fill(ec);
      expect(!ec);
      if (got.empty()) break;
      out.append(io::as_string_view(got));
      z.consume(got.size());
    }
    expect(out == io::as_string_view(bytes));
  }
  return 0;
}
