// io.file:whole_file — writing a whole file, directly or through io::atomic_file.
module;
#include <cstddef>
#include <filesystem>
#include <span>
#include <system_error>
module io.file;

namespace io::detail {

void write_whole_file(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  file out(path, "w");
  out.write(bytes);
  out.close();
}

void write_whole_file(const std::filesystem::path& path, std::span<const std::byte> bytes,
                      std::error_code& ec) noexcept {
  file out(path, "w", ec);
  if (ec) return;
  out.write(bytes, ec);
  if (ec) return;
  out.close(ec);
}

void write_whole_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  atomic_file out(path);
  out.write(bytes);
  out.commit();
}

void write_whole_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes,
                                 std::error_code& ec) noexcept {
  atomic_file out(path, ec);
  if (ec) return;
  out.write(bytes, ec);
  if (ec) return;
  out.commit(ec);
}

} // namespace io::detail
