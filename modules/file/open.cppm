// io.file:open — io::open, Python's open(): buffered file streams built from io.core's adapters.
module;
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <new>
#include <optional>
#include <string>
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

/// Opens `path` as Python's open(path, mode) does, buffered with `buffer_size` bytes. A buffer
/// size that cannot be allocated throws std::bad_alloc before the file is opened (so "w" truncates
/// nothing).
inline buffered_file open(const std::filesystem::path& path, std::string_view mode = "r",
                          std::size_t buffer_size = default_buffer_size) {
  buffered_file f(file(), buffer_size);
  f.inner() = file(path, mode);
  return f;
}

} // namespace io

namespace io::detail {

// Builds a buffered stream `F` over a file opened with `mode`, reporting errors through `ec`: a
// buffer that cannot be allocated is std::errc::not_enough_memory and opens nothing (so "w"
// truncates nothing); the stream then holds no file and reports errc::closed.
template <class F>
F open_buffered(const std::filesystem::path& path, std::string_view mode, std::size_t buffer_size,
                std::error_code& ec) noexcept {
  ec.clear();
  std::optional<F> f;
  try {
    f.emplace(file(), buffer_size);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return F(file(), 1);
  }
  f->inner() = file(path, mode, ec);
  return std::move(*f);
}

} // namespace io::detail

export namespace io {

/// As open(path, mode, buffer_size), reporting errors through `ec` (a buffer size that cannot be
/// allocated is std::errc::not_enough_memory, and opens nothing); the stream then holds no file
/// and reports errc::closed.
inline buffered_file open(const std::filesystem::path& path, std::string_view mode, std::size_t buffer_size,
                          std::error_code& ec) noexcept {
  return detail::open_buffered<buffered_file>(path, mode, buffer_size, ec);
}
/// As open(path, mode), reporting errors through `ec`.
inline buffered_file open(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept {
  return io::open(path, mode, default_buffer_size, ec);
}
/// As open(path), reporting errors through `ec`.
inline buffered_file open(const std::filesystem::path& path, std::error_code& ec) noexcept {
  return io::open(path, "r", default_buffer_size, ec);
}

// The same four, for a path given as a C string or a std::string: the overloads a program that
// passes a string literal, argv[i] or a std::string picks. Defined in open.cpp, so that the
// caller's unit does not instantiate std::filesystem::path's converting constructor template,
// which cost a consumer of io a fifth of its compile time (bench/compile_time.py).

/// As open(path, mode, buffer_size), for a path given as a C string.
buffered_file open(const char* path, std::string_view mode = "r", std::size_t buffer_size = default_buffer_size);
/// As open(path, mode, buffer_size, ec), for a path given as a C string.
buffered_file open(const char* path, std::string_view mode, std::size_t buffer_size, std::error_code& ec) noexcept;
/// As open(path, mode, ec), for a path given as a C string.
buffered_file open(const char* path, std::string_view mode, std::error_code& ec) noexcept;
/// As open(path, ec), for a path given as a C string.
buffered_file open(const char* path, std::error_code& ec) noexcept;
/// As open(path, mode, buffer_size), for a path given as a std::string.
buffered_file open(const std::string& path, std::string_view mode = "r", std::size_t buffer_size = default_buffer_size);
/// As open(path, mode, buffer_size, ec), for a path given as a std::string.
buffered_file open(const std::string& path, std::string_view mode, std::size_t buffer_size, std::error_code& ec) noexcept;
/// As open(path, mode, ec), for a path given as a std::string.
buffered_file open(const std::string& path, std::string_view mode, std::error_code& ec) noexcept;
/// As open(path, ec), for a path given as a std::string.
buffered_file open(const std::string& path, std::error_code& ec) noexcept;

/// Opens `path` for reading, buffered; a buffer size that cannot be allocated throws std::bad_alloc.
inline file_reader open_reader(const std::filesystem::path& path, std::size_t buffer_size = default_buffer_size) {
  file_reader f(file(), buffer_size);
  f.inner() = file(path, "r");
  return f;
}

/// As open_reader(path, buffer_size), reporting errors through `ec` (the stream then holds no file).
inline file_reader open_reader(const std::filesystem::path& path, std::size_t buffer_size, std::error_code& ec) noexcept {
  return detail::open_buffered<file_reader>(path, "r", buffer_size, ec);
}
/// As open_reader(path), reporting errors through `ec` (the stream then holds no file).
inline file_reader open_reader(const std::filesystem::path& path, std::error_code& ec) noexcept {
  return io::open_reader(path, default_buffer_size, ec);
}

/// Opens `path` for writing ("w", "a", "x"; with "+" it may also be read through inner()), buffered.
/// A buffer size that cannot be allocated throws std::bad_alloc before the file is opened.
inline file_writer open_writer(const std::filesystem::path& path, std::string_view mode = "w",
                               std::size_t buffer_size = default_buffer_size) {
  file_writer f(file(), buffer_size);
  f.inner() = file(path, mode);
  return f;
}
/// As open_writer(path, mode, buffer_size), reporting errors through `ec` (the stream then holds no file).
inline file_writer open_writer(const std::filesystem::path& path, std::string_view mode, std::size_t buffer_size,
                               std::error_code& ec) noexcept {
  return detail::open_buffered<file_writer>(path, mode, buffer_size, ec);
}
/// As open_writer(path, mode), reporting errors through `ec`.
inline file_writer open_writer(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept {
  return io::open_writer(path, mode, default_buffer_size, ec);
}
/// As open_writer(path), reporting errors through `ec`.
inline file_writer open_writer(const std::filesystem::path& path, std::error_code& ec) noexcept {
  return io::open_writer(path, "w", default_buffer_size, ec);
}

} // namespace io
