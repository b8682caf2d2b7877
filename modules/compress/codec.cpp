// io.compress:codec — format names, detection by magic bytes, extensions and level ranges.
module;
#include <zstd.h>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>
module io.compress;

namespace io {

std::string_view codec_name(codec c) noexcept {
  switch (c) {
  case codec::none: return "none";
  case codec::gzip: return "gzip";
  case codec::zlib: return "zlib";
  case codec::zstd: return "zstd";
  case codec::xz: return "xz";
  case codec::bzip2: return "bzip2";
  }
  return "unknown";
}

codec detect_codec(std::span<const std::byte> head) noexcept {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const std::size_t n = head.size();
  if (n >= 2 && at(0) == 0x1f && at(1) == 0x8b) return codec::gzip;
  if (n >= 4 && at(0) == 0x28 && at(1) == 0xb5 && at(2) == 0x2f && at(3) == 0xfd) return codec::zstd;
  // A skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian), as the zstd tool accepts.
  if (n >= 4 && (at(0) & 0xf0) == 0x50 && at(1) == 0x2a && at(2) == 0x4d && at(3) == 0x18) return codec::zstd;
  if (n >= 6 && at(0) == 0xfd && at(1) == '7' && at(2) == 'z' && at(3) == 'X' && at(4) == 'Z' && at(5) == 0)
    return codec::xz;
  if (n >= 4 && at(0) == 'B' && at(1) == 'Z' && at(2) == 'h' && at(3) >= '1' && at(3) <= '9') return codec::bzip2;
  // Any two bytes with the right checksum make a valid zlib header, and many are printable text
  // ("8X", "x^"): only the three non-text headers zlib writes with its default 32 KiB window
  // (levels 0-1, 6 and 7-9) count, so that plain text passes through as `zcat -f` passes it.
  if (n >= 2 && at(0) == 0x78 && (at(1) == 0x01 || at(1) == 0x9c || at(1) == 0xda))
    return codec::zlib;
  return codec::none;
}

codec codec_for_path(const std::filesystem::path& path) noexcept {
  const std::string_view name = path.native();
  if (name.ends_with(".gz")) return codec::gzip;
  if (name.ends_with(".zst")) return codec::zstd;
  if (name.ends_with(".xz")) return codec::xz;
  if (name.ends_with(".bz2")) return codec::bzip2;
  return codec::none;
}

int min_level(codec c) noexcept {
  switch (c) {
  case codec::zstd: return ZSTD_minCLevel();
  case codec::bzip2: return 1;
  default: return 0;
  }
}

int max_level(codec c) noexcept {
  switch (c) {
  case codec::none: return 0;
  case codec::zstd: return ZSTD_maxCLevel();
  default: return 9;
  }
}

int default_level(codec c) noexcept {
  switch (c) {
  case codec::none: return 0;
  case codec::gzip:
  case codec::zlib: return 6;
  case codec::zstd: return 3;
  case codec::xz: return 6;
  case codec::bzip2: return 9;
  }
  return 0;
}

} // namespace io
