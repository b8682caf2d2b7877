// io.file:file_lock — F_OFD_SETLK / F_OFD_SETLKW over an io::file's descriptor, EINTR retried.
module;
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {
namespace {

constexpr std::uint64_t max_offset = std::numeric_limits<std::int64_t>::max();

// Sets (or clears) the lock of `descriptor` on [offset, offset + length); a lock held by someone
// else makes a non-waiting call report EAGAIN (or EACCES, which POSIX also allows).
std::error_code set_lock(int descriptor, short type, std::uint64_t offset, std::uint64_t length, bool wait) noexcept {
  if (offset > max_offset || length > max_offset - offset) return errc::invalid_argument;
  struct flock request {};
  request.l_type = type;
  request.l_whence = SEEK_SET;
  request.l_start = static_cast<off_t>(offset);
  request.l_len = static_cast<off_t>(length);
  request.l_pid = 0; // open-file-description locks require 0
  for (;;) {
    if (::fcntl(descriptor, wait ? F_OFD_SETLKW : F_OFD_SETLK, &request) == 0) return {};
    if (errno != EINTR) return {errno, std::system_category()};
  }
}

bool busy(const std::error_code& ec) noexcept {
  return ec == std::errc::resource_unavailable_try_again || ec == std::errc::permission_denied;
}

// Opens the file at `path` to lock it: for writing, which an exclusive lock needs, without
// creating or truncating anything; a shared lock makes do with reading when writing is refused.
int open_to_lock(const std::filesystem::path& path, bool exclusive, open_flags& flags, std::error_code& ec) noexcept {
  flags = open_flags::read | open_flags::write;
  int fd;
  do fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0 && !exclusive && (errno == EACCES || errno == EROFS || errno == ETXTBSY)) {
    flags = open_flags::read;
    do fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
  }
  if (fd < 0) ec = {errno, std::system_category()};
  return fd;
}

// Whether `locked` is still the file at `path`: a rename may have put another there while the
// lock was awaited. A missing `path` is a difference (opening it again then reports it).
bool still_there(const file& locked, const std::filesystem::path& path, std::error_code& ec) noexcept {
  struct stat mine;
  struct stat current;
  if (::fstat(locked.native_handle(), &mine) != 0) {
    ec = {errno, std::system_category()};
    return false;
  }
  if (::stat(path.c_str(), &current) != 0) {
    if (errno != ENOENT) ec = {errno, std::system_category()};
    return false;
  }
  return mine.st_dev == current.st_dev && mine.st_ino == current.st_ino;
}

} // namespace

file_lock::file_lock(atomic_file& f) noexcept : file_(&detail::atomic_file_lock::descriptor(f)), atomic_(&f) {}

file_lock& file_lock::operator=(file_lock&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    unlock(ignored);
    file_ = other.file_;
    atomic_ = other.atomic_;
    offset_ = other.offset_;
    length_ = other.length_;
    held_ = std::exchange(other.held_, held::none);
  }
  return *this;
}

file_lock::~file_lock() {
  std::error_code ignored;
  unlock(ignored);
}

void file_lock::take(held kind, bool wait, bool& taken, std::error_code& ec) noexcept {
  ec.clear();
  taken = false;
  // Over an atomic_file, the target is opened at each lock; a held lock is converted in place.
  if (atomic_ != nullptr && held_ == held::none) {
    take_target(kind, wait, taken, ec);
    return;
  }
  if (!file_->is_open()) {
    ec = errc::closed;
    return;
  }
  ec = set_lock(file_->native_handle(), kind == held::exclusive ? F_WRLCK : F_RDLCK, offset_, length_, wait);
  if (!wait && busy(ec)) {
    ec.clear();
    return;
  }
  if (ec) return;
  held_ = kind;
  taken = true;
}

void file_lock::take_target(held kind, bool wait, bool& taken, std::error_code& ec) noexcept {
  file& f = *file_;
  const std::filesystem::path& path = detail::atomic_file_lock::destination(*atomic_);
  for (;;) {
    // Open unless another file_lock over the same atomic_file holds it open (one owner's locks).
    const bool opened_here = !f.is_open();
    if (opened_here) {
      open_flags flags;
      const int fd = open_to_lock(path, kind == held::exclusive, flags, ec);
      if (ec) return;
      try {
        f = file::from_native(fd, flags, path.string());
      } catch (const std::bad_alloc&) {
        ::close(fd);
        ec = std::make_error_code(std::errc::not_enough_memory);
        return;
      }
    }
    ec = set_lock(f.native_handle(), kind == held::exclusive ? F_WRLCK : F_RDLCK, offset_, length_, wait);
    if (!ec) {
      if (still_there(f, path, ec)) {
        held_ = kind;
        taken = true;
        return;
      }
      // Replaced while this waited (or the check failed): the lock guards a file nobody will
      // read again. Released and closed; on to the file there now.
      set_lock(f.native_handle(), F_UNLCK, offset_, length_, false);
      std::error_code ignored;
      f.close(ignored);
      if (ec) return;
      continue;
    }
    if (opened_here) {
      std::error_code ignored;
      f.close(ignored);
    }
    if (!wait && busy(ec)) ec.clear();
    return;
  }
}

void file_lock::fail(const std::error_code& ec, held kind, const char* how) const {
  std::string operation = std::string(how) + (kind == held::exclusive ? " exclusively " : " shared ");
  if (offset_ != 0 || length_ != 0)
    operation += "bytes " + std::to_string(offset_) + " to " + (length_ == 0 ? "the end" : std::to_string(offset_ + length_)) + " of {}";
  else
    operation += "{}";
  if (atomic_ == nullptr) throw io_error(ec, operation, file_->path());
  if (ec == std::errc::no_such_file_or_directory)
    operation += " (it does not exist yet: serialise the writers that create it with a separate lock file)";
  throw io_error(ec, operation, atomic_->target().string());
}

void file_lock::lock(std::error_code& ec) noexcept {
  bool taken;
  take(held::exclusive, true, taken, ec);
}

void file_lock::lock() {
  std::error_code ec;
  lock(ec);
  if (ec) fail(ec, held::exclusive, "lock");
}

bool file_lock::try_lock(std::error_code& ec) noexcept {
  bool taken;
  take(held::exclusive, false, taken, ec);
  return taken;
}

bool file_lock::try_lock() {
  std::error_code ec;
  const bool taken = try_lock(ec);
  if (ec) fail(ec, held::exclusive, "lock");
  return taken;
}

void file_lock::lock_shared(std::error_code& ec) noexcept {
  bool taken;
  take(held::shared, true, taken, ec);
}

void file_lock::lock_shared() {
  std::error_code ec;
  lock_shared(ec);
  if (ec) fail(ec, held::shared, "lock");
}

bool file_lock::try_lock_shared(std::error_code& ec) noexcept {
  bool taken;
  take(held::shared, false, taken, ec);
  return taken;
}

bool file_lock::try_lock_shared() {
  std::error_code ec;
  const bool taken = try_lock_shared(ec);
  if (ec) fail(ec, held::shared, "lock");
  return taken;
}

bool file_lock::try_until(held kind, std::chrono::steady_clock::time_point deadline, std::error_code& ec) noexcept {
  using namespace std::chrono;
  auto pause = milliseconds(1);
  for (;;) {
    bool taken;
    take(kind, false, taken, ec);
    if (taken || ec) return taken;
    const auto now = steady_clock::now();
    if (now >= deadline) return false;
    // fcntl has no timed wait: poll, backing off so that a long wait costs little.
    std::this_thread::sleep_for(std::min<steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, milliseconds(50));
  }
}

bool file_lock::try_until(held kind, std::chrono::steady_clock::time_point deadline) {
  std::error_code ec;
  const bool taken = try_until(kind, deadline, ec);
  if (ec) fail(ec, kind, "lock");
  return taken;
}

void file_lock::unlock(std::error_code& ec) noexcept {
  ec.clear();
  if (held_ == held::none) return;
  const held was = held_;
  held_ = held::none;
  // Closing the file released the lock already (the io::file owns its open file description).
  if (!file_->is_open()) return;
  // The target an atomic_file's lock opened is unlocked, then closed. Closing alone would not
  // release the lock while a duplicate of the descriptor lives on (a child forked meanwhile).
  if (atomic_ != nullptr) {
    ec = set_lock(file_->native_handle(), F_UNLCK, offset_, length_, false);
    std::error_code closing;
    file_->close(closing);
    if (!ec) ec = closing;
    return;
  }
  ec = set_lock(file_->native_handle(), F_UNLCK, offset_, length_, false);
  if (ec) held_ = was;
}

void file_lock::unlock() {
  std::error_code ec;
  const held was = held_;
  unlock(ec);
  if (ec) fail(ec, was, "unlock");
}

} // namespace io
