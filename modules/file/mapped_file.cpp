// io.file:mapped_file — mmap, mremap, ftruncate, msync, madvise and munmap.
module;
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {

namespace detail {

namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

bool truncate_file(int fd, std::uint64_t size, std::error_code& ec) noexcept {
  while (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) {
      ec = last_error();
      return false;
    }
  }
  return true;
}

// Maps, remaps or unmaps `region` to `length` bytes.
bool remap(int fd, std::uint64_t offset, bool writable, shared_region& region, std::size_t length,
           std::error_code& ec) noexcept {
  if (length == region.length) return true;
  if (length == 0) {
    unmap(region);
    return true;
  }
  void* p;
  if (region.base == nullptr)
    p = ::mmap(nullptr, length, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, static_cast<off_t>(offset));
  else
    p = ::mremap(region.base, region.length, length, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) {
    ec = errno == ENODEV ? make_error_code(errc::not_mappable) : last_error();
    return false;
  }
  region.base = static_cast<std::byte*>(p);
  region.length = length;
  return true;
}

} // namespace

std::size_t system_page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

void resize_shared(int fd, std::uint64_t offset, bool writable, shared_region& region, std::uint64_t file_size,
                   std::size_t length, std::error_code& ec) noexcept {
  ec.clear();
  if (length <= region.length) {
    if (remap(fd, offset, writable, region, length, ec)) truncate_file(fd, file_size, ec);
    return;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    ec = last_error();
    return;
  }
  // A map of a file as it is (a stream opening one) changes nothing, and needs no write access.
  const bool truncates = static_cast<std::uint64_t>(info.st_size) != file_size;
  if (truncates && !truncate_file(fd, file_size, ec)) return;
  if (!remap(fd, offset, writable, region, length, ec) && truncates) {
    std::error_code ignored; // the first error is the one to report
    truncate_file(fd, static_cast<std::uint64_t>(info.st_size), ignored);
  }
}

void sync_shared(const shared_region& region, std::size_t at, std::size_t length, std::error_code& ec) noexcept {
  ec.clear();
  if (region.base == nullptr || length == 0) return;
  const std::size_t start = at / system_page_size() * system_page_size();
  if (::msync(region.base + start, at + length - start, MS_SYNC) != 0) ec = last_error();
}

void unmap(shared_region& region) noexcept {
  if (region.base != nullptr) ::munmap(region.base, region.length);
  region = {};
}

} // namespace detail

namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

// Refuses what cannot be mapped: a directory, what is not a regular file, a virtual file that
// reports a size of 0 and has bytes. Returns the size to map.
std::uint64_t mappable_size(int fd, std::error_code& ec) noexcept {
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    ec = last_error();
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
    if (n < 0) ec = last_error();
    else if (n > 0) ec = errc::not_mappable;
  }
  return ec ? 0 : static_cast<std::uint64_t>(info.st_size);
}

} // namespace

mapped_file::mapped_file(const std::filesystem::path& path, std::error_code& ec) noexcept
    : mapped_file(path, "r", ec) {}

mapped_file::mapped_file(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept
    : path_(path.string()) {
  ec.clear();
  if (mode != "r" && mode != "r+") {
    ec = errc::invalid_argument;
    return;
  }
  writable_ = mode == "r+";
  // Non-blocking, so that a FIFO without a writer is refused below instead of waiting for one.
  const int fd = ::open(path.c_str(), (writable_ ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    ec = last_error();
    return;
  }
  const std::uint64_t size = mappable_size(fd, ec);
  if (!ec && size != 0) {
    // A read-only map needs no descriptor once it exists: the mapping keeps the file alive.
    void* p = ::mmap(nullptr, static_cast<std::size_t>(size), writable_ ? PROT_READ | PROT_WRITE : PROT_READ,
                     writable_ ? MAP_SHARED : MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      // ENODEV: the file system cannot map files (sysfs, whose files report a size they lack).
      ec = errno == ENODEV ? make_error_code(errc::not_mappable) : last_error();
    } else {
      region_ = {static_cast<std::byte*>(p), static_cast<std::size_t>(size)};
      size_ = region_.length;
    }
  }
  if (writable_ && !ec) {
    descriptor_ = fd;
    return;
  }
  ::close(fd);
  if (ec) writable_ = false;
}

mapped_file::mapped_file(const std::filesystem::path& path) : mapped_file(path, "r") {}

mapped_file::mapped_file(const std::filesystem::path& path, std::string_view mode) {
  std::error_code ec;
  *this = mapped_file(path, mode, ec);
  if (ec == errc::invalid_argument)
    throw io_error(ec, "map {} with mode '" + std::string(mode) + "' (use \"r\" or \"r+\")", path.string());
  if (ec) throw io_error(ec, "map", path.string());
}

mapped_file::mapped_file(const file& f, std::uint64_t offset, std::size_t length, std::error_code& ec) noexcept {
  ec.clear();
  try {
    path_ = f.path();
  } catch (...) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return;
  }
  if (!f.is_open()) {
    ec = errc::closed;
    return;
  }
  if (!f.readable()) {
    ec = errc::not_readable;
    return;
  }
  const std::uint64_t size = mappable_size(f.native_handle(), ec);
  if (ec) return;
  if (offset > size || (length != 0 && length > size - offset)) {
    ec = errc::invalid_argument;
    return;
  }
  if (length == 0) length = static_cast<std::size_t>(size - offset);
  writable_ = f.writable();
  offset_ = offset / detail::system_page_size() * detail::system_page_size();
  lead_ = static_cast<std::size_t>(offset - offset_);
  // The map's own descriptor, so that resize() and sync() work after `f` is closed.
  const int fd = ::fcntl(f.native_handle(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) {
    ec = last_error();
    writable_ = false;
    return;
  }
  if (length != 0) {
    void* p = ::mmap(nullptr, lead_ + length, writable_ ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd,
                     static_cast<off_t>(offset_));
    if (p == MAP_FAILED) {
      ec = errno == ENODEV ? make_error_code(errc::not_mappable) : last_error();
      ::close(fd);
      writable_ = false;
      return;
    }
    region_ = {static_cast<std::byte*>(p), lead_ + length};
    size_ = length;
  }
  if (writable_) descriptor_ = fd;
  else ::close(fd);
}

mapped_file::mapped_file(const file& f, std::uint64_t offset, std::size_t length) {
  std::error_code ec;
  *this = mapped_file(f, offset, length, ec);
  if (ec == errc::invalid_argument)
    throw io_error(ec, "map " + std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                           " of {}, past its end", f.path());
  if (ec) throw io_error(ec, "map", f.path());
}

mapped_file::mapped_file(mapped_file&& other) noexcept
    : region_(std::exchange(other.region_, {})), lead_(std::exchange(other.lead_, 0)),
      size_(std::exchange(other.size_, 0)), offset_(std::exchange(other.offset_, 0)),
      descriptor_(std::exchange(other.descriptor_, -1)), writable_(std::exchange(other.writable_, false)),
      path_(std::move(other.path_)) {}

mapped_file& mapped_file::operator=(mapped_file&& other) noexcept {
  if (this != &other) {
    close();
    region_ = std::exchange(other.region_, {});
    lead_ = std::exchange(other.lead_, 0);
    size_ = std::exchange(other.size_, 0);
    offset_ = std::exchange(other.offset_, 0);
    descriptor_ = std::exchange(other.descriptor_, -1);
    writable_ = std::exchange(other.writable_, false);
    path_ = std::move(other.path_);
  }
  return *this;
}

mapped_file::~mapped_file() { close(); }

void mapped_file::close() noexcept {
  detail::unmap(region_);
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
  lead_ = 0;
  size_ = 0;
  writable_ = false;
}

std::span<std::byte> mapped_file::writable_bytes(std::error_code& ec) noexcept {
  ec = writable_ ? std::error_code{} : make_error_code(errc::not_writable);
  if (!writable_ || region_.base == nullptr) return {};
  return {region_.base + lead_, size_};
}

std::span<std::byte> mapped_file::writable_bytes() {
  std::error_code ec;
  const std::span<std::byte> bytes = writable_bytes(ec);
  if (ec) throw io_error(ec, "write to the map of {}", path_);
  return bytes;
}

void mapped_file::resize(std::size_t size, std::error_code& ec) noexcept {
  ec.clear();
  if (!writable_) {
    ec = errc::not_writable;
    return;
  }
  if (size > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) - offset_ - lead_) {
    ec = std::make_error_code(std::errc::file_too_large);
    return;
  }
  detail::resize_shared(descriptor_, offset_, true, region_, offset_ + lead_ + size, size == 0 ? 0 : lead_ + size, ec);
  size_ = region_.length > lead_ ? region_.length - lead_ : 0;
}

void mapped_file::resize(std::size_t size) {
  std::error_code ec;
  resize(size, ec);
  if (ec) throw io_error(ec, "resize the map of {}", path_);
}

void mapped_file::sync(std::error_code& ec) noexcept {
  ec.clear();
  if (writable_) detail::sync_shared(region_, 0, region_.length, ec);
}

void mapped_file::sync() {
  std::error_code ec;
  sync(ec);
  if (ec) throw io_error(ec, "sync the map of {}", path_);
}

void mapped_file::sync(std::size_t offset, std::size_t length, std::error_code& ec) noexcept {
  ec.clear();
  if (offset > size_ || length > size_ - offset) {
    ec = errc::invalid_argument;
    return;
  }
  if (writable_) detail::sync_shared(region_, lead_ + offset, length, ec);
}

void mapped_file::sync(std::size_t offset, std::size_t length) {
  std::error_code ec;
  sync(offset, length, ec);
  if (ec == errc::invalid_argument)
    throw io_error(ec, "sync " + std::to_string(length) + " bytes at " + std::to_string(offset) + " of the map of {} (" +
                           std::to_string(size_) + " bytes)", path_);
  if (ec) throw io_error(ec, "sync the map of {}", path_);
}

void mapped_file::advise(access_pattern pattern, std::error_code& ec) noexcept {
  ec.clear();
  advise_pages(pattern, 0, region_.length, ec);
}

void mapped_file::advise(access_pattern pattern) {
  std::error_code ec;
  advise(pattern, ec);
  if (ec) throw io_error(ec, "advise", path_);
}

void mapped_file::advise(access_pattern pattern, std::size_t offset, std::size_t length, std::error_code& ec) noexcept {
  ec.clear();
  if (offset > size_ || length > size_ - offset) {
    ec = errc::invalid_argument;
    return;
  }
  if (length == 0) return;
  const std::size_t page = detail::system_page_size();
  const std::size_t start = (lead_ + offset) / page * page;
  const std::size_t end = std::min(region_.length, (lead_ + offset + length + page - 1) / page * page);
  advise_pages(pattern, start, end - start, ec);
}

void mapped_file::advise(access_pattern pattern, std::size_t offset, std::size_t length) {
  std::error_code ec;
  advise(pattern, offset, length, ec);
  if (ec == errc::invalid_argument)
    throw io_error(ec, "advise " + std::to_string(length) + " bytes at " + std::to_string(offset) + " of the map of {} (" +
                           std::to_string(size_) + " bytes)", path_);
  if (ec) throw io_error(ec, "advise", path_);
}

void mapped_file::advise_pages(access_pattern pattern, std::size_t start, std::size_t length,
                               std::error_code& ec) const noexcept {
  if (region_.base == nullptr || length == 0) return;
  int advice = MADV_NORMAL;
  switch (pattern) {
  case access_pattern::normal: advice = MADV_NORMAL; break;
  case access_pattern::sequential: advice = MADV_SEQUENTIAL; break;
  case access_pattern::random: advice = MADV_RANDOM; break;
  case access_pattern::will_need: advice = MADV_WILLNEED; break;
  case access_pattern::dont_need: advice = MADV_DONTNEED; break;
  case access_pattern::populate:
#if defined(MADV_POPULATE_READ)
    // Read even in a writable map: MADV_POPULATE_WRITE would dirty every page of a shared map,
    // and sync() would then write the whole range back, changed or not.
    advice = MADV_POPULATE_READ;
    break;
#else
    return; // advice only: without it, the first reads fault the pages in
#endif
  }
  if (::madvise(region_.base + start, length, advice) != 0) {
    // A kernel older than 5.14 does not know MADV_POPULATE_*: the advice is dropped, as advice may be.
    if (pattern == access_pattern::populate && errno == EINVAL) return;
    ec = last_error();
  }
}

} // namespace io
