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
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ec = {errno, std::system_category()};
    return;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    ec = {errno, std::system_category()};
  } else if (S_ISDIR(info.st_mode)) {
    ec = std::make_error_code(std::errc::is_a_directory);
  } else if (info.st_size > 0) {
    // The mapping keeps the file alive; the descriptor is not needed once it exists.
    void* p = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ec = {errno, std::system_category()};
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
