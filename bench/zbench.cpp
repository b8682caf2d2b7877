// zbench — io.compress's side of the compression benchmarks in bench/run.py, one task per run so
// that it is timed as a whole command, as the codec tools it is compared with are:
//   zbench chunks FILE              decompress FILE (format by magic) in chunks of the decoder's
//                                   buffer (no copy); prints the byte count
//   zbench lines FILE               the lines of decompressed FILE; prints the line count
//   zbench compress CODEC LEVEL IN OUT   compress IN into OUT (gzip, zstd, xz, bzip2)
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

import io;

namespace {

io::codec codec_named(std::string_view name) {
  if (name == "gzip") return io::codec::gzip;
  if (name == "zstd") return io::codec::zstd;
  if (name == "xz") return io::codec::xz;
  if (name == "bzip2") return io::codec::bzip2;
  std::fprintf(stderr, "zbench: unknown codec %.*s\n", static_cast<int>(name.size()), name.data());
  std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
  const std::string_view task = argc > 1 ? argv[1] : "";
  if (task == "chunks" && argc == 3) {
    unsigned long long bytes = 0;
    auto z = io::decompress(io::open(argv[2]));
    for (std::span<const std::byte> chunk : z | io::views::chunks(decltype(z)::default_capacity))
      bytes += chunk.size();
    std::printf("%llu\n", bytes);
    return 0;
  }
  if (task == "lines" && argc == 3) {
    unsigned long long lines = 0;
    for (std::string_view line : io::decompress(io::open(argv[2])) | io::views::lines) {
      (void)line;
      ++lines;
    }
    std::printf("%llu\n", lines);
    return 0;
  }
  if (task == "compress" && argc == 6) {
    auto out = io::compress(io::open_writer(argv[5]), codec_named(argv[2]), std::atoi(argv[3]));
    io::file in(argv[4]);
    for (std::span<const std::byte> chunk : in | io::views::chunks(1 << 20)) out.write(chunk);
    out.close();
    return 0;
  }
  std::fprintf(stderr, "usage: zbench chunks FILE | zbench lines FILE | zbench compress CODEC LEVEL IN OUT\n");
  return 2;
}
