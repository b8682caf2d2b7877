// io.file:atomic_file — temporary files, fsync, rename and directory fsync.
module;
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {
namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

// A number for a temporary file's name, different at each call and in each process. Not
// std::random_device: it may open /dev/urandom, which can fail (and throw) where this cannot.
std::uint64_t name_number() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t x = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                    (static_cast<std::uint64_t>(::getpid()) << 40) ^ (counter.fetch_add(1) * 0x9e3779b97f4a7c15u);
  // splitmix64's finalizer spreads the bits.
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return (x ^ (x >> 31)) & 0xffffffffu;
}

// Creates a new file beside `target` with a name nobody else has; retries on a clash.
file create_temporary(const std::filesystem::path& target, std::filesystem::path& name, std::error_code& ec) {
  const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = directory / ("." + target.filename().string() + "." + std::to_string(name_number()) + ".tmp");
    file f(name, open_flags::write | open_flags::create | open_flags::exclusive, ec);
    if (ec == std::errc::file_exists) continue;
    if (ec) {
      // The file may exist though the open failed (a failing fstat after it): leave nothing behind.
      ::unlink(name.c_str());
      return {};
    }
    // The new version keeps the old one's permissions rather than the creation default.
    struct stat info;
    if (::stat(target.c_str(), &info) == 0) ::fchmod(f.native_handle(), info.st_mode & 07777);
    return f;
  }
  return {};
}

void sync_directory(const std::filesystem::path& directory, std::error_code& ec) noexcept {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    ec = last_error();
    return;
  }
  while (::fsync(fd) != 0) {
    if (errno != EINTR) {
      ec = last_error();
      break;
    }
  }
  ::close(fd);
}

} // namespace

atomic_file::atomic_file(const std::filesystem::path& target, std::error_code& ec) noexcept
    : target_(target), out_(create_temporary(target, temporary_, ec), default_buffer_size) {
  if (ec) finished_ = true;
}

atomic_file::atomic_file(const std::filesystem::path& target, std::size_t buffer_size)
    : target_(target), out_(file(), buffer_size) {
  std::error_code ec;
  file temporary = create_temporary(target, temporary_, ec);
  if (ec) {
    finished_ = true;
    throw io_error(ec, "create a temporary file for {}", target.string());
  }
  out_.inner() = std::move(temporary);
}

atomic_file::~atomic_file() { discard(); }

void atomic_file::discard() noexcept {
  if (finished_) return;
  finished_ = true;
  // Close first so that the buffered bytes cannot reach the file; then remove it.
  std::error_code ignored;
  out_.inner().close(ignored);
  out_.close(ignored);
  ::unlink(temporary_.c_str());
}

void atomic_file::commit(std::error_code& ec) noexcept {
  ec.clear();
  if (finished_) {
    ec = errc::closed;
    return;
  }
  out_.flush(ec);
  if (!ec) out_.inner().sync(ec);
  if (!ec) out_.inner().close(ec);
  if (!ec && ::rename(temporary_.c_str(), target_.c_str()) != 0) ec = last_error();
  if (ec) {
    discard();
    return;
  }
  finished_ = true;
  committed_ = true;
  std::error_code ignored;
  out_.close(ignored); // the file is closed already: this marks the writer closed for later writes
  sync_directory(target_.has_parent_path() ? target_.parent_path() : ".", ec);
}

void atomic_file::commit() {
  std::error_code ec;
  commit(ec);
  if (ec) throw io_error(ec, "commit", target_.string());
}

} // namespace io
