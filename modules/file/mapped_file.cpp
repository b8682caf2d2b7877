// io.file:mapped_file — mmap, madvise and munmap.
module;
#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {

mapped_file::mapped_file(const std::filesystem::path& path, std::error_code& ec) noexcept
    : path_(path.string()) {
  ec.clear();
  // Non-blocking, so that a FIFO without a writer is refused below instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    ec = {errno, std::system_category()};
    return;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    ec = {errno, std::system_category()};
  } else if (S_ISDIR(info.st_mode)) {
    ec = std::make_error_code(std::errc::is_a_directory);
  } else if (!S_ISREG(info.st_mode)) {
    // A FIFO, socket or device has no size to map: an empty range would drop its bytes silently.
    ec = errc::not_mappable;
  } else if (info.st_size == 0) {
    // An empty file maps as empty, but virtual files (procfs) report a size of 0 and have bytes:
    // one byte read tells them apart.
    std::byte probe;
    ssize_t n;
    do n = ::pread(fd, &probe, 1, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) ec = {errno, std::system_category()};
    else if (n > 0) ec = errc::not_mappable;
  } else {
    // The mapping keeps the file alive; the descriptor is not needed once it exists.
    void* p = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      // ENODEV: the file system cannot map files (sysfs, whose files report a size they lack).
      ec = errno == ENODEV ? make_error_code(errc::not_mappable) : std::error_code(errno, std::system_category());
    } else {
      data_ = static_cast<const std::byte*>(p);
      size_ = static_cast<std::size_t>(info.st_size);
    }
  }
  ::close(fd);
}

mapped_file::mapped_file(const std::filesystem::path& path) {
  std::error_code ec;
  *this = mapped_file(path, ec);
  if (ec) throw io_error(ec, "map", path.string());
}

mapped_file::mapped_file(mapped_file&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      path_(std::move(other.path_)) {}

mapped_file& mapped_file::operator=(mapped_file&& other) noexcept {
  if (this != &other) {
    close();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    path_ = std::move(other.path_);
  }
  return *this;
}

mapped_file::~mapped_file() { close(); }

void mapped_file::close() noexcept {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

void mapped_file::advise(access_pattern pattern, std::error_code& ec) noexcept {
  ec.clear();
  if (data_ == nullptr) return;
  int advice = MADV_NORMAL;
  switch (pattern) {
  case access_pattern::normal: advice = MADV_NORMAL; break;
  case access_pattern::sequential: advice = MADV_SEQUENTIAL; break;
  case access_pattern::random: advice = MADV_RANDOM; break;
  case access_pattern::will_need: advice = MADV_WILLNEED; break;
  }
  if (::madvise(const_cast<std::byte*>(data_), size_, advice) != 0) ec = {errno, std::system_category()};
}

void mapped_file::advise(access_pattern pattern) {
  std::error_code ec;
  advise(pattern, ec);
  if (ec) throw io_error(ec, "advise", path_);
}

} // namespace io
