// io.file:open — io::open, Python's open(): buffered file streams built from io.core's adapters.
module;
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <system_error>
export module io.file:open;
import io.core;
import :mode;
import :handle;

export namespace io {

/// A buffered file open for what its mode allows (Python's BufferedReader, BufferedWriter and
/// BufferedRandom in one type): readable, writable, seekable and buffered_readable, reporting
/// errc::not_readable / errc::not_writable when the mode forbids the operation.
using buffered_file = buffered_stream<file>;

/// A buffered file open for reading only.
using file_reader = buffered_reader<file>;

/// A buffered file open for writing only; call close() to see the last write's errors.
using file_writer = buffered_writer<file>;

/// The buffer size io::open uses when none is given: 64 KiB.
inline constexpr std::size_t default_buffer_size = 64 * 1024;

/// Opens `path` as Python's open(path, mode) does, buffered with `buffer_size` bytes.
inline buffered_file open(const std::filesystem::path& path, std::string_view mode = "r",
                          std::size_t buffer_size = default_buffer_size) {
  return buffered_file(file(path, mode), buffer_size);
}

/// As open(path, mode, buffer_size), reporting errors through `ec`; the stream then holds no file
/// and reports errc::closed.
inline buffered_file open(const std::filesystem::path& path, std::string_view mode, std::size_t buffer_size,
                          std::error_code& ec) {
  return buffered_file(file(path, mode, ec), buffer_size);
}

/// Opens `path` for reading, buffered.
inline file_reader open_reader(const std::filesystem::path& path, std::size_t buffer_size = default_buffer_size) {
  return file_reader(file(path, "r"), buffer_size);
}

/// Opens `path` for writing ("w", "a", "x"; with "+" it may also be read through inner()), buffered.
inline file_writer open_writer(const std::filesystem::path& path, std::string_view mode = "w",
                               std::size_t buffer_size = default_buffer_size) {
  return file_writer(file(path, mode), buffer_size);
}

} // namespace io
