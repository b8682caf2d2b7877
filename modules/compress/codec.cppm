// io.compress:codec — the compressed formats io reads and writes, their magic bytes and levels.
module;
#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>
export module io.compress:codec;

export namespace io {

/// A compressed format; `none` is uncompressed bytes, passed through unchanged.
enum class codec {
  none,  ///< not compressed
  gzip,  ///< gzip (RFC 1952), every member of a multi-member file; `.gz`
  zlib,  ///< a zlib stream (RFC 1950); no file extension of its own
  zstd,  ///< Zstandard, every frame, skippable frames skipped; `.zst`
  xz,    ///< xz, every stream; `.xz`
  bzip2, ///< bzip2, every stream; `.bz2`
};

/// The name of `c` as its command-line tool prints it ("gzip", "zstd", "xz", "bzip2", "zlib", "none").
std::string_view codec_name(codec c) noexcept;

/// The format whose magic bytes begin `head`, or codec::none: gzip (1f 8b), zstd (28 b5 2f fd, or a
/// skippable frame 5? 2a 4d 18), xz (fd '7zXZ' 00), bzip2 ('BZh' and a digit 1-9) and zlib (78 01,
/// 78 9c or 78 da: zlib's headers at levels 0-1, 6 and 7-9; its levels 2-5 write "x^", which
/// plain text may begin with, and are read only when forced). `head` needs detect_size bytes
/// unless the stream is shorter.
codec detect_codec(std::span<const std::byte> head) noexcept;

/// How many leading bytes detect_codec looks at.
inline constexpr std::size_t detect_size = 6;

/// The format that the extension of `path` names: `.gz` gzip, `.zst` zstd, `.xz` xz, `.bz2`
/// bzip2, anything else none.
codec codec_for_path(const std::filesystem::path& path) noexcept;

/// The lowest compression level of `c`: gzip and zlib 0 (stored), zstd ZSTD_minCLevel() (a
/// negative, fastest level), xz 0, bzip2 1; none 0.
int min_level(codec c) noexcept;
/// The highest compression level of `c`: gzip and zlib 9, zstd ZSTD_maxCLevel() (22), xz 9, bzip2 9.
int max_level(codec c) noexcept;
/// The level the command-line tool uses by default: gzip and zlib 6, zstd 3, xz 6, bzip2 9.
int default_level(codec c) noexcept;

} // namespace io
