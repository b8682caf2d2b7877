// io.file:handle — io::file over POSIX system calls; every call io makes on a file is here.
module;
#include <algorithm>
#include <cerrno>
#include <climits>
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
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
module io.file;

namespace io {
namespace {

static_assert(sizeof(off_t) == 8, "io needs 64-bit file offsets");

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

int posix_flags(open_flags flags) noexcept {
  int result = O_CLOEXEC;
  const bool reads = has(flags, open_flags::read);
  const bool writes = has(flags, open_flags::write) || has(flags, open_flags::append);
  result |= reads && writes ? O_RDWR : writes ? O_WRONLY : O_RDONLY;
  if (has(flags, open_flags::append)) result |= O_APPEND;
  if (has(flags, open_flags::create)) result |= O_CREAT;
  if (has(flags, open_flags::truncate)) result |= O_TRUNC;
  if (has(flags, open_flags::exclusive)) result |= O_EXCL;
  return result;
}

// The verb phrase of an open, as in "cannot open 'x.bin' for reading".
std::string_view open_operation(open_flags flags) noexcept {
  const bool reads = has(flags, open_flags::read);
  if (has(flags, open_flags::exclusive)) return reads ? "create for reading and writing" : "create";
  if (reads && has(flags, open_flags::write)) return "open for reading and writing";
  if (has(flags, open_flags::append)) return "open for appending";
  if (has(flags, open_flags::write)) return "open for writing";
  return "open for reading";
}

// Positions and offsets stay within off_t.
constexpr std::uint64_t max_offset = std::numeric_limits<std::int64_t>::max();

// The most one read or write call is asked to move: Linux's MAX_RW_COUNT (INT_MAX rounded down
// to a page), the most it moves in one call anyway. A count beyond it gains nothing and risks
// errors for the whole count: EFAULT when [buffer, buffer + count) leaves the address space, EINVAL
// when readv/writev lengths add up past SSIZE_MAX or an offset plus the count passes off_t's end.
constexpr std::size_t max_transfer = static_cast<std::size_t>(INT_MAX) & ~std::size_t{4095};

// The count to pass with an offset: at most max_transfer, and never past the largest offset.
std::size_t count_at(std::uint64_t offset, std::size_t size) noexcept {
  return static_cast<std::size_t>(std::min<std::uint64_t>({size, max_transfer, max_offset - offset}));
}

// readv/writev take at most IOV_MAX buffers; io passes them in batches of this many.
constexpr std::size_t iovec_batch = 64;

// Cuts the first `count` vectors to at most max_transfer bytes in all; returns how many to pass.
// When a vector is cut, its length before the cut is kept in `cut_length` (else it stays 0).
std::size_t limit_iovecs(iovec* vectors, std::size_t count, std::size_t& cut_length) noexcept {
  cut_length = 0;
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (vectors[i].iov_len > max_transfer - total) {
      cut_length = vectors[i].iov_len;
      vectors[i].iov_len = max_transfer - total;
      return i + 1;
    }
    total += vectors[i].iov_len;
  }
  return count;
}

std::size_t fill_iovecs(std::span<const std::span<std::byte>> buffers, iovec (&out)[iovec_batch]) noexcept {
  const std::size_t count = std::min(buffers.size(), iovec_batch);
  for (std::size_t i = 0; i < count; ++i) out[i] = {buffers[i].data(), buffers[i].size()};
  std::size_t ignored;
  return limit_iovecs(out, count, ignored); // a short read is allowed
}

} // namespace

file::file(const std::filesystem::path& path, std::string_view mode) {
  std::error_code ec;
  const open_flags flags = parse_mode(mode, ec);
  if (ec) throw io_error(ec, "open with mode '" + std::string(mode) + "'", path.string());
  open(path, flags, ec);
  if (ec) throw io_error(ec, open_operation(flags), path.string());
}

file::file(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept {
  const open_flags flags = parse_mode(mode, ec);
  if (!ec) open(path, flags, ec);
}

file::file(const std::filesystem::path& path, open_flags flags) {
  std::error_code ec;
  open(path, flags, ec);
  if (ec) throw io_error(ec, open_operation(flags), path.string());
}

file::file(const std::filesystem::path& path, open_flags flags, std::error_code& ec) noexcept {
  open(path, flags, ec);
}

void file::open(const std::filesystem::path& path, open_flags flags, std::error_code& ec) noexcept {
  ec.clear();
  path_ = path.string();
  // Kept even when the open fails, so that a failed stream reports errc::closed, not a mode error.
  flags_ = has(flags, open_flags::append) ? flags | open_flags::write : flags;
  if (!has(flags, open_flags::read) && !has(flags, open_flags::write) && !has(flags, open_flags::append)) {
    ec = errc::invalid_argument;
    return;
  }
  int fd;
  do fd = ::open(path.c_str(), posix_flags(flags), 0666);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    ec = last_error();
    return;
  }
  // POSIX opens a directory for reading; Python's open() refuses it, and so does io.
  struct stat info;
  std::error_code refused;
  if (::fstat(fd, &info) != 0) refused = last_error();
  else if (S_ISDIR(info.st_mode)) refused = std::make_error_code(std::errc::is_a_directory);
  // O_APPEND moves to the end only at the first write: until then tell() would say 0 and a+ would
  // read from the start. Python's FileIO seeks to the end on open, and so does io (a pipe, which
  // has no position, is fine).
  else if (has(flags, open_flags::append) && ::lseek(fd, 0, SEEK_END) < 0 && errno != ESPIPE)
    refused = last_error();
  if (refused) {
    ::close(fd);
    ec = refused;
    return;
  }
  descriptor_ = fd;
  owned_ = true;
}

file file::from_native(int descriptor, open_flags flags, std::string name, bool owned) noexcept {
  file f;
  f.descriptor_ = descriptor;
  f.flags_ = flags;
  f.owned_ = owned;
  f.path_ = std::move(name);
  return f;
}

file::file(file&& other) noexcept
    : descriptor_(std::exchange(other.descriptor_, -1)), flags_(other.flags_), owned_(other.owned_),
      path_(std::move(other.path_)) {}

file& file::operator=(file&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    close(ignored);
    descriptor_ = std::exchange(other.descriptor_, -1);
    flags_ = other.flags_;
    owned_ = other.owned_;
    path_ = std::move(other.path_);
  }
  return *this;
}

file::~file() {
  std::error_code ignored;
  close(ignored);
}

bool file::usable(std::error_code& ec, open_flags needed) const noexcept {
  if (!is_open()) ec = errc::closed;
  else if (has(needed, open_flags::read) && !readable()) ec = errc::not_readable;
  else if (has(needed, open_flags::write) && !writable()) ec = errc::not_writable;
  else return true;
  return false;
}

void file::fail(const std::error_code& ec, std::string_view operation) const {
  throw io_error(ec, operation, path_);
}

std::size_t file::read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::read)) return 0;
  for (;;) {
    const ssize_t n = ::read(descriptor_, buffer.data(), std::min(buffer.size(), max_transfer));
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) {
      ec = last_error();
      return 0;
    }
  }
}

std::size_t file::read(std::span<std::byte> buffer) {
  std::error_code ec;
  const std::size_t n = read(buffer, ec);
  if (ec) fail(ec, "read");
  return n;
}

std::size_t file::write_some(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::write) || bytes.empty()) return 0;
  for (;;) {
    const ssize_t n = ::write(descriptor_, bytes.data(), std::min(bytes.size(), max_transfer));
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) {
      ec = std::make_error_code(std::errc::io_error); // no progress: never spin
      return 0;
    }
    if (errno != EINTR) {
      ec = last_error();
      return 0;
    }
  }
}

std::size_t file::write_some(std::span<const std::byte> bytes) {
  std::error_code ec;
  const std::size_t n = write_some(bytes, ec);
  if (ec) fail(ec, "write");
  return n;
}

void file::write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::write)) return;
  while (!bytes.empty()) {
    bytes = bytes.subspan(write_some(bytes, ec));
    if (ec) return;
  }
}

void file::write(std::span<const std::byte> bytes) {
  std::error_code ec;
  write(bytes, ec);
  if (ec) fail(ec, "write");
}

std::size_t file::read_at(std::uint64_t offset, std::span<std::byte> buffer, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::read)) return 0;
  if (offset > max_offset) {
    ec = errc::invalid_argument;
    return 0;
  }
  for (;;) {
    const ssize_t n = ::pread(descriptor_, buffer.data(), count_at(offset, buffer.size()), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) {
      ec = last_error();
      return 0;
    }
  }
}

std::size_t file::read_at(std::uint64_t offset, std::span<std::byte> buffer) {
  std::error_code ec;
  const std::size_t n = read_at(offset, buffer, ec);
  if (ec) fail(ec, "read at offset");
  return n;
}

void file::write_at(std::uint64_t offset, std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::write)) return;
  // Linux's pwrite appends on an O_APPEND file whatever the offset: refuse rather than surprise.
  if (has(flags_, open_flags::append) || offset > max_offset || bytes.size() > max_offset - offset) {
    ec = errc::invalid_argument;
    return;
  }
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(descriptor_, bytes.data(), count_at(offset, bytes.size()), static_cast<off_t>(offset));
    if (n > 0) {
      bytes = bytes.subspan(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    } else if (n == 0) {
      ec = std::make_error_code(std::errc::io_error);
      return;
    } else if (errno != EINTR) {
      ec = last_error();
      return;
    }
  }
}

void file::write_at(std::uint64_t offset, std::span<const std::byte> bytes) {
  std::error_code ec;
  write_at(offset, bytes, ec);
  if (ec) fail(ec, "write at offset");
}

std::size_t file::read_vector(std::span<const std::span<std::byte>> buffers, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::read)) return 0;
  iovec vectors[iovec_batch];
  const std::size_t count = fill_iovecs(buffers, vectors);
  for (;;) {
    const ssize_t n = ::readv(descriptor_, vectors, static_cast<int>(count));
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) {
      ec = last_error();
      return 0;
    }
  }
}

std::size_t file::read_vector(std::span<const std::span<std::byte>> buffers) {
  std::error_code ec;
  const std::size_t n = read_vector(buffers, ec);
  if (ec) fail(ec, "read");
  return n;
}

void file::write_vector(std::span<const std::span<const std::byte>> buffers, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::write)) return;
  iovec vectors[iovec_batch];
  while (!buffers.empty()) {
    std::size_t count = std::min(buffers.size(), iovec_batch);
    for (std::size_t i = 0; i < count; ++i)
      vectors[i] = {const_cast<std::byte*>(buffers[i].data()), buffers[i].size()};
    buffers = buffers.subspan(count);
    iovec* pending = vectors;
    // Write this batch, stepping over what each (possibly short) writev took.
    for (;;) {
      while (count != 0 && pending->iov_len == 0) ++pending, --count;
      if (count == 0) break;
      std::size_t cut_length;
      const std::size_t passed = limit_iovecs(pending, count, cut_length);
      const ssize_t n = ::writev(descriptor_, pending, static_cast<int>(passed));
      if (cut_length != 0) pending[passed - 1].iov_len = cut_length; // the rest goes in a later call
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ec = n == 0 ? std::make_error_code(std::errc::io_error) : last_error();
        return;
      }
      for (auto left = static_cast<std::size_t>(n); left != 0;) {
        const std::size_t step = std::min(left, pending->iov_len);
        pending->iov_base = static_cast<std::byte*>(pending->iov_base) + step;
        pending->iov_len -= step;
        left -= step;
        if (pending->iov_len == 0 && left != 0) ++pending, --count;
      }
    }
  }
}

void file::write_vector(std::span<const std::span<const std::byte>> buffers) {
  std::error_code ec;
  write_vector(buffers, ec);
  if (ec) fail(ec, "write");
}

std::uint64_t file::seek(std::int64_t offset, whence from, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::none)) return 0;
  int posix_whence = SEEK_SET;
  switch (from) {
  case whence::begin: posix_whence = SEEK_SET; break;
  case whence::current: posix_whence = SEEK_CUR; break;
  case whence::end: posix_whence = SEEK_END; break;
  default: ec = errc::invalid_argument; return 0;
  }
  if (from == whence::begin && offset < 0) {
    ec = errc::invalid_argument;
    return 0;
  }
  const off_t position = ::lseek(descriptor_, static_cast<off_t>(offset), posix_whence);
  if (position >= 0) return static_cast<std::uint64_t>(position);
  ec = errno == ESPIPE ? make_error_code(errc::not_seekable)
       : errno == EINVAL ? make_error_code(errc::invalid_argument)
                         : last_error();
  return 0;
}

std::uint64_t file::seek(std::int64_t offset, whence from) {
  std::error_code ec;
  const std::uint64_t position = seek(offset, from, ec);
  if (ec) fail(ec, "seek");
  return position;
}

std::uint64_t file::tell(std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::none)) return 0;
  const off_t position = ::lseek(descriptor_, 0, SEEK_CUR);
  if (position >= 0) return static_cast<std::uint64_t>(position);
  ec = errno == ESPIPE ? make_error_code(errc::not_seekable) : last_error();
  return 0;
}

std::uint64_t file::tell() {
  std::error_code ec;
  const std::uint64_t position = tell(ec);
  if (ec) fail(ec, "tell");
  return position;
}

std::uint64_t file::size(std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::none)) return 0;
  struct stat info;
  if (::fstat(descriptor_, &info) != 0) {
    ec = last_error();
    return 0;
  }
  return static_cast<std::uint64_t>(info.st_size);
}

std::uint64_t file::size() {
  std::error_code ec;
  const std::uint64_t n = size(ec);
  if (ec) fail(ec, "stat");
  return n;
}

std::uint64_t file::truncate(std::int64_t size, std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::write)) return 0;
  if (size < 0) {
    ec = errc::invalid_argument;
    return 0;
  }
  while (::ftruncate(descriptor_, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) {
      ec = last_error();
      return 0;
    }
  }
  return static_cast<std::uint64_t>(size);
}

std::uint64_t file::truncate(std::int64_t size) {
  std::error_code ec;
  const std::uint64_t n = truncate(size, ec);
  if (ec) fail(ec, "truncate");
  return n;
}

void file::flush(std::error_code& ec) noexcept {
  ec.clear();
  usable(ec, open_flags::none);
}

void file::flush() {
  std::error_code ec;
  flush(ec);
  if (ec) fail(ec, "flush");
}

void file::sync(std::error_code& ec) noexcept {
  ec.clear();
  if (!usable(ec, open_flags::none)) return;
  while (::fsync(descriptor_) != 0) {
    if (errno != EINTR) {
      ec = last_error();
      return;
    }
  }
}

void file::sync() {
  std::error_code ec;
  sync(ec);
  if (ec) fail(ec, "sync");
}

void file::close(std::error_code& ec) noexcept {
  ec.clear();
  if (!is_open()) return;
  const int fd = std::exchange(descriptor_, -1);
  // On Linux the descriptor is gone even when close() fails, EINTR included: never retry.
  if (owned_ && ::close(fd) != 0 && errno != EINTR) ec = last_error();
}

void file::close() {
  std::error_code ec;
  close(ec);
  if (ec) fail(ec, "close");
}

} // namespace io
