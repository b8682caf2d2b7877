// io.file:open — io::open for paths given as C strings and std::strings, compiled once here.
module;
#include <cstddef>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
module io.file;

namespace io {

namespace {

// open(path, mode, buffer_size, ec) for a path to convert first: running out of memory while
// converting it is reported as a buffer that cannot be allocated is, and opens nothing.
template <class Path>
buffered_file open_converted(const Path& name, std::string_view mode, std::size_t buffer_size,
                             std::error_code& ec) noexcept {
  std::filesystem::path path;
  try {
    path = std::filesystem::path(name);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return buffered_file(file(), 1);
  }
  return io::open(path, mode, buffer_size, ec);
}

} // namespace

buffered_file open(const char* path, std::string_view mode, std::size_t buffer_size) {
  return io::open(std::filesystem::path(path), mode, buffer_size);
}
buffered_file open(const char* path, std::string_view mode, std::size_t buffer_size, std::error_code& ec) noexcept {
  return open_converted(path, mode, buffer_size, ec);
}
buffered_file open(const char* path, std::string_view mode, std::error_code& ec) noexcept {
  return open_converted(path, mode, default_buffer_size, ec);
}
buffered_file open(const char* path, std::error_code& ec) noexcept {
  return open_converted(path, "r", default_buffer_size, ec);
}

buffered_file open(const std::string& path, std::string_view mode, std::size_t buffer_size) {
  return io::open(std::filesystem::path(path), mode, buffer_size);
}
buffered_file open(const std::string& path, std::string_view mode, std::size_t buffer_size, std::error_code& ec) noexcept {
  return open_converted(path, mode, buffer_size, ec);
}
buffered_file open(const std::string& path, std::string_view mode, std::error_code& ec) noexcept {
  return open_converted(path, mode, default_buffer_size, ec);
}
buffered_file open(const std::string& path, std::error_code& ec) noexcept {
  return open_converted(path, "r", default_buffer_size, ec);
}

} // namespace io
