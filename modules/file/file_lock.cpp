// io.file:file_lock — F_OFD_SETLK / F_OFD_SETLKW over an io::file's descriptor, EINTR retried.
module;
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
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

} // namespace

file_lock& file_lock::operator=(file_lock&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    unlock(ignored);
    file_ = other.file_;
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

void file_lock::fail(const std::error_code& ec, held kind, const char* how) const {
  std::string operation = std::string(how) + (kind == held::exclusive ? " exclusively " : " shared ");
  if (offset_ != 0 || length_ != 0)
    operation += "bytes " + std::to_string(offset_) + " to " + (length_ == 0 ? "the end" : std::to_string(offset_ + length_)) + " of {}";
  else
    operation += "{}";
  throw io_error(ec, operation, file_->path());
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
