// io.compress:open_compressed — io::open_compressed: a file read or written through its codec
// (Python's gzip.open, bz2.open, lzma.open and xopen in one).
module;
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
export module io.compress:open_compressed;
import io.core;
import io.file;
import :codec;
import :decompress;
import :compressor;

export namespace io {

/// A file's decoded bytes: the decompressor over a buffered file that io::open_compressed returns
/// for reading.
using compressed_reader = decompress_reader<file_reader>;

/// A compressor into a buffered file: what io::open_compressed returns for writing.
using compressed_writer = compress_writer<file_writer>;

/// A file opened by io::open_compressed: for reading (a compressed_reader: readable and
/// buffered_readable) or for writing (a compressed_writer: writable), reporting errc::not_readable
/// or errc::not_writable for what its mode forbids. Destroyed while writing, it finishes the
/// stream without throwing: call close() to see the errors.
class compressed_file : public bytes_interface<compressed_file> {
public:
  using bytes_interface<compressed_file>::read;
  using bytes_interface<compressed_file>::write;

  /// A file open for reading.
  explicit compressed_file(compressed_reader&& reader) : reader_(std::move(reader)) {}
  /// A file open for writing.
  explicit compressed_file(compressed_writer&& writer) : writer_(std::move(writer)) {}

  /// Reads decoded bytes into a prefix of `buffer`.
  std::size_t read(std::span<std::byte> buffer) {
    if (!reader_) refuse(errc::not_readable, "read");
    return reader_->read(buffer);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    if (!reader_) return ec = errc::not_readable, 0;
    return reader_->read(buffer, ec);
  }
  /// The decoded bytes not yet consumed, decoding more when none are left; empty at the end.
  std::span<const std::byte> fill() {
    if (!reader_) refuse(errc::not_readable, "read");
    return reader_->fill();
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept {
    if (!reader_) return ec = errc::not_readable, std::span<const std::byte>();
    return reader_->fill(ec);
  }
  /// Marks `n` bytes returned by fill() as read.
  void consume(std::size_t n) {
    if (reader_) reader_->consume(n);
  }

  /// Compresses all of `bytes` into the file.
  void write(std::span<const std::byte> bytes) {
    if (!writer_) refuse(errc::not_writable, "write");
    writer_->write(bytes);
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    if (!writer_) return void(ec = errc::not_writable);
    writer_->write(bytes, ec);
  }
  /// Makes everything written so far decodable from the file (a sync flush), and passes it on.
  void flush() {
    if (writer_) writer_->flush();
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept {
    ec.clear();
    if (writer_) writer_->flush(ec);
  }

  /// Finishes the compressed stream (when writing) and closes the file, reporting the first error.
  void close() {
    if (writer_) writer_->close();
    if (reader_) reader_->close();
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept {
    ec.clear();
    if (writer_) writer_->close(ec);
    if (reader_) reader_->close(ec);
  }

  /// The format read (once detected) or written.
  std::optional<codec> format() const noexcept {
    if (writer_) return writer_->format();
    return reader_->format();
  }
  /// The path of the file, as given.
  const std::string& path() const noexcept {
    return writer_ ? writer_->inner().inner().path() : reader_->inner().inner().path();
  }
  /// The decompressor, when reading.
  compressed_reader* reader() noexcept { return reader_ ? &*reader_ : nullptr; }
  /// The compressor, when writing.
  compressed_writer* writer() noexcept { return writer_ ? &*writer_ : nullptr; }

private:
  [[noreturn]] void refuse(errc e, std::string_view operation) const {
    throw io_error(e, operation, path());
  }

  std::optional<compressed_reader> reader_;
  std::optional<compressed_writer> writer_;
};

} // namespace io

namespace io::detail {

// Whether `mode` reads ("r", "rb", "rt"), writes ("w", "a", "x" with "b" or "t"), or neither
// (a mode with "+", or no valid mode): compressed streams go one way.
inline std::optional<bool> compressed_mode_reads(std::string_view mode) noexcept {
  std::error_code ec;
  const open_flags flags = parse_mode(mode, ec);
  if (ec) return std::nullopt;
  const bool reads = has(flags, open_flags::read), writes = has(flags, open_flags::write);
  if (reads == writes) return std::nullopt;
  return reads;
}

} // namespace io::detail

export namespace io {

/// Opens `path` as Python's gzip.open / xopen do: mode "r" (or "rb") reads the decoded bytes,
/// the format detected by its magic bytes (a plain file reads unchanged); "w", "x" or "a" (with
/// "b" or not) writes through the codec named by the extension (`.gz`, `.zst`, `.xz`, `.bz2`;
/// any other is written plain) at `level` (the tool's default when none). "a" appends a new
/// member, which every reader of these formats reads on. A mode with "+" is errc::invalid_argument.
inline compressed_file open_compressed(const std::filesystem::path& path, std::string_view mode = "r",
                                       std::optional<int> level = std::nullopt) {
  const std::optional<bool> reads = detail::compressed_mode_reads(mode);
  if (!reads) throw io_error(errc::invalid_argument, "open {} with mode '" + std::string(mode) + "'", path.native());
  if (*reads) return compressed_file(compressed_reader(open_reader(path)));
  const codec format = codec_for_path(path);
  // The level is checked before the file is opened: a bad level truncates nothing.
  if (level && format != codec::none && (*level < min_level(format) || *level > max_level(format)))
    throw io_error(errc::invalid_argument, "compress {} at level " + std::to_string(*level), path.native());
  return compressed_file(compressed_writer(open_writer(path, mode), format, level));
}

/// As open_compressed(path, mode, level), reporting errors through `ec`; the file then reports
/// the error (or errc::closed) on every operation.
inline compressed_file open_compressed(const std::filesystem::path& path, std::string_view mode,
                                       std::optional<int> level, std::error_code& ec) noexcept {
  ec.clear();
  const std::optional<bool> reads = detail::compressed_mode_reads(mode);
  const codec format = reads.value_or(true) ? codec::none : codec_for_path(path);
  if (!reads || (level && format != codec::none && (*level < min_level(format) || *level > max_level(format)))) {
    ec = errc::invalid_argument;
    std::error_code ignored;
    return compressed_file(compressed_reader(open_reader(std::filesystem::path(), ignored)));
  }
  if (*reads) return compressed_file(compressed_reader(open_reader(path, ec)));
  file_writer out = open_writer(path, mode, ec);
  if (ec) {
    std::error_code ignored;
    return compressed_file(compressed_writer(std::move(out), codec::none, std::nullopt, ignored));
  }
  return compressed_file(compressed_writer(std::move(out), format, level, ec));
}

/// As open_compressed(path, mode), reporting errors through `ec`.
inline compressed_file open_compressed(const std::filesystem::path& path, std::string_view mode,
                                       std::error_code& ec) noexcept {
  return open_compressed(path, mode, std::nullopt, ec);
}

} // namespace io
