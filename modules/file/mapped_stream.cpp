// io.file:mapped_stream — the heap block, the move to a file, its growth and its cut.
module;
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {

namespace detail {

namespace {

std::size_t round_up_to_page(std::size_t n) noexcept {
  const std::size_t page = system_page_size();
  return n > std::numeric_limits<std::size_t>::max() - page ? n : (n + page - 1) / page * page;
}

} // namespace

store_stream::store_stream(store_stream&& other) noexcept
    : base(other), data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)), threshold_(other.threshold_), writable_(other.writable_),
      file_(std::move(other.file_)), region_(std::exchange(other.region_, {})),
      directory_(std::move(other.directory_)), path_(std::move(other.path_)),
      put_(std::exchange(other.put_, nullptr)), put_end_(std::exchange(other.put_end_, nullptr)),
      buffer_(std::exchange(other.buffer_, nullptr)), buffer_at_(std::exchange(other.buffer_at_, 0)) {
  other.closed_ = true;
  other.pos_ = 0;
}

store_stream& store_stream::operator=(store_stream&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    close(ignored);
    static_cast<base&>(*this) = other;
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    threshold_ = other.threshold_;
    writable_ = other.writable_;
    file_ = std::move(other.file_);
    region_ = std::exchange(other.region_, {});
    directory_ = std::move(other.directory_);
    path_ = std::move(other.path_);
    put_ = std::exchange(other.put_, nullptr);
    put_end_ = std::exchange(other.put_end_, nullptr);
    buffer_ = std::exchange(other.buffer_, nullptr);
    buffer_at_ = std::exchange(other.buffer_at_, 0);
    other.closed_ = true;
    other.pos_ = 0;
  }
  return *this;
}

store_stream::~store_stream() {
  std::error_code ignored;
  close(ignored);
}

void store_stream::fail(const std::error_code& ec, const char* operation) const {
  throw io_error(ec, operation, path_);
}

void store_stream::write_slow(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  if (!open_for(ec, "write")) return;
  if (!writable_) {
    ec = errc::not_writable;
    return;
  }
  // As in BytesIO, an empty write changes nothing, even past the end.
  if (bytes.empty()) return;
  if (bytes.size() > max_position - pos_ || pos_ + bytes.size() > std::numeric_limits<std::size_t>::max() / 2) {
    ec = std::make_error_code(std::errc::file_too_large);
    return;
  }
  const auto pos = static_cast<std::size_t>(pos_);
  const std::size_t end = pos + bytes.size();
  if (!spooling() && end > capacity_ && !reserve(end, ec)) return;
  if (spooling()) {
    // Appends smaller than the buffer go to it; anything else is written to the file at once
    // (a gap before it reads as zeros: the file ends at size_ once the buffer is written out).
    if (pos == size_ && bytes.size() < buffer_size) {
      if (bytes.size() > static_cast<std::size_t>(buffer_ + buffer_size - put_) && !write_buffer(ec)) return;
      if (put_ == buffer_) buffer_at_ = size_;
      std::memcpy(put_, bytes.data(), bytes.size());
      put_ += bytes.size();
    } else if (!write_file(pos, bytes, ec)) {
      return;
    }
    size_ = std::max(size_, end);
    pos_ = end;
    open_window();
    return;
  }
  // A gap between the contents and the position reads as zeros; bytes a truncate dropped may
  // still lie there.
  if (pos > size_) std::memset(data_ + size_, 0, pos - size_);
  std::memcpy(data_ + pos, bytes.data(), bytes.size());
  size_ = std::max(size_, end);
  pos_ = end;
  open_window();
}

void store_stream::open_window() noexcept {
  if (spooling()) {
    if (put_ == buffer_) buffer_at_ = size_;
    put_end_ = buffer_ + buffer_size;
  } else {
    put_ = data_ + size_;
    put_end_ = data_ + capacity_;
  }
}

bool store_stream::write_buffer(std::error_code& ec) noexcept {
  if (put_ == buffer_) return true;
  // On failure the buffer keeps its bytes: writing them again at the same offset later is harmless.
  file_.write_at(buffer_at_, {buffer_, static_cast<std::size_t>(put_ - buffer_)}, ec);
  if (ec) return false;
  put_ = buffer_;
  buffer_at_ = size_;
  return true;
}

bool store_stream::write_file(std::size_t at, std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  if (!write_buffer(ec)) return false;
  file_.write_at(at, bytes, ec);
  if (!ec) return true;
  // A write that extended the file and then failed leaves bytes past the contents, where a later
  // gap must read as zeros: cut them (the write's own error is the one reported).
  if (at + bytes.size() > size_) {
    std::error_code ignored;
    file_.truncate(static_cast<std::int64_t>(size_), ignored);
  }
  return false;
}

bool store_stream::settle(std::error_code& ec) const noexcept {
  ec.clear();
  if (closed_ || !spooling()) return true;
  // Reading changes no contents, so the const stream may write out its buffer and map more of its
  // file: a stream that holds a file was never defined const (only writes move it there).
  auto& self = const_cast<store_stream&>(*this);
  if (!self.write_buffer(ec)) return false;
  if (size_ > region_.length) {
    // Mapped read-only and geometrically past the end of the file: only the contents are touched.
    const std::size_t length = round_up_to_page(std::max(size_, region_.length + region_.length / 2));
    resize_shared(self.file_.native_handle(), 0, false, self.region_, size_, length, ec);
    if (ec) return false;
    self.data_ = self.region_.base;
  }
  return true;
}

void store_stream::settle_or_fail(const char* operation) const {
  check_open(operation);
  std::error_code ec;
  if (!settle(ec)) fail(ec, operation);
}

void store_stream::flush(std::error_code& ec) noexcept {
  ec.clear();
  if (open_for(ec, "flush") && spooling()) write_buffer(ec);
}

void store_stream::flush() {
  std::error_code ec;
  flush(ec);
  if (ec == errc::closed) check_open("flush");
  if (ec) fail(ec, "flush");
}

bool store_stream::reserve(std::size_t end, std::error_code& ec) noexcept {
  if (in_file()) return grow_file(end, ec);
  if (end > threshold_) {
    // The first time the contents outgrow the threshold: on to an unnamed file.
    file f = temporary_file(directory_, ec);
    if (ec) {
      try {
        path_ = (directory_.empty() ? std::filesystem::path("(temporary directory)") : directory_).string();
      } catch (...) {
      }
      return false;
    }
    move_to(std::move(f), ec);
    return !ec;
  }
  // Geometric growth on the heap, never past the threshold, so that the fast path of write()
  // cannot carry the contents past it; huge pages for a large block, as memory_stream's.
  const std::size_t room = std::min(threshold_, std::max({end, capacity_ * 2, std::size_t{64}}));
  void* p = detail::grow_heap_block(data_, room);
  if (p == nullptr) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return false;
  }
  data_ = static_cast<std::byte*>(p);
  capacity_ = room;
  return true;
}

bool store_stream::grow_file(std::size_t end, std::error_code& ec) noexcept {
  const std::size_t room = round_up_to_page(std::max(end, capacity_ + capacity_ / 2));
  resize_shared(file_.native_handle(), 0, true, region_, room, room, ec);
  data_ = region_.base;
  capacity_ = region_.length;
  // Writing through the map costs a page fault per page (the kernel zero-fills each page before
  // the write): prefaulting the new room with MADV_POPULATE_WRITE was measured and gained nothing.
  if (ec) path_ = file_.path();
  return !ec;
}

void store_stream::move_to(file f, std::error_code& ec) noexcept {
  auto* buffer = static_cast<std::byte*>(std::malloc(buffer_size));
  if (buffer == nullptr) ec = std::make_error_code(std::errc::not_enough_memory);
  else if (size_ != 0) f.write_at(0, {data_, size_}, ec);
  if (ec) {
    std::free(buffer);
    try {
      path_ = f.path();
    } catch (...) {
    }
    return; // `f` closes: an unnamed file is gone with it
  }
  std::free(data_);
  data_ = nullptr;
  capacity_ = 0;
  file_ = std::move(f);
  buffer_ = put_ = buffer;
  open_window();
  try {
    path_ = file_.path();
  } catch (...) {
  }
}

void store_stream::adopt(file f, bool writable, std::error_code& ec) noexcept {
  writable_ = writable;
  try {
    path_ = f.path();
  } catch (...) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return;
  }
  // Only a regular file: its size is what a map shows.
  struct stat info;
  if (::fstat(f.native_handle(), &info) != 0) {
    ec = {errno, std::system_category()};
    return;
  }
  if (S_ISDIR(info.st_mode)) {
    ec = std::make_error_code(std::errc::is_a_directory);
    return;
  }
  if (!S_ISREG(info.st_mode)) {
    ec = errc::not_mappable;
    return;
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size != 0) {
    // resize_shared maps from nothing without changing the file's size.
    resize_shared(f.native_handle(), 0, writable, region_, size, size, ec);
    if (ec) return;
  }
  data_ = region_.base;
  size_ = capacity_ = region_.length;
  file_ = std::move(f);
  closed_ = false;
  open_window();
}

void store_stream::cut_file(std::error_code& ec) noexcept {
  // A spooled stream's file ends where the contents do once its buffer is written out.
  if (spooling()) {
    write_buffer(ec);
    return;
  }
  if (!in_file() || !writable_) return;
  resize_shared(file_.native_handle(), 0, true, region_, size_, size_, ec);
  data_ = region_.base;
  capacity_ = region_.length;
}

std::uint64_t store_stream::truncate(std::int64_t size, std::error_code& ec) noexcept {
  ec.clear();
  if (!valid_truncate(size, ec)) return 0;
  if (!writable_) {
    ec = errc::not_writable;
    return 0;
  }
  if (spooling()) {
    if (!write_buffer(ec)) return 0;
    if (static_cast<std::uint64_t>(size) < size_ && file_.truncate(size, ec) == 0 && ec) return 0;
  }
  if (static_cast<std::uint64_t>(size) < size_) size_ = static_cast<std::size_t>(size);
  if (!spooling()) cut_file(ec);
  open_window();
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

std::uint64_t store_stream::truncate(std::int64_t size) {
  std::error_code ec;
  const std::uint64_t result = truncate(size, ec);
  if (ec == errc::invalid_argument) throw io_error(ec, "truncate to a negative size", path_);
  if (ec) fail(ec, "truncate");
  return result;
}

bool store_stream::ready_to_take(std::error_code& ec) const noexcept {
  ec.clear();
  if (!open_for(ec, "take")) return false;
  if (!writable_) {
    ec = errc::not_writable;
    return false;
  }
  return settle(ec);
}

void store_stream::empty_out(std::error_code& ec) noexcept {
  ec.clear();
  if (in_file()) {
    // The buffer was written out when the contents were copied: truncate only cuts the file.
    truncate(0, ec);
    if (ec) return;
  } else {
    std::free(data_);
    data_ = nullptr;
    capacity_ = 0;
    size_ = 0;
  }
  pos_ = 0;
  open_window();
}

void store_stream::sync(std::error_code& ec) noexcept {
  ec.clear();
  if (!open_for(ec, "sync") || !in_file()) return;
  if (spooling()) write_buffer(ec);
  else if (writable_) sync_shared(region_, 0, region_.length, ec);
  if (!ec) file_.sync(ec);
}

void store_stream::sync() {
  std::error_code ec;
  sync(ec);
  if (ec) fail(ec, "sync");
}

void store_stream::release() noexcept {
  unmap(region_);
  if (!in_file()) std::free(data_);
  std::free(buffer_);
  buffer_ = put_ = put_end_ = nullptr;
  buffer_at_ = 0;
  data_ = nullptr;
  size_ = capacity_ = 0;
  pos_ = 0;
  closed_ = true;
}

void store_stream::close(std::error_code& ec) noexcept {
  ec.clear();
  if (closed_) return;
  // The file keeps exactly the contents: the zeros of its unused capacity go.
  cut_file(ec);
  release();
  if (file_.is_open()) {
    std::error_code closing;
    file_.close(closing);
    if (!ec) ec = closing;
  }
}

void store_stream::close() {
  std::error_code ec;
  close(ec);
  if (ec) fail(ec, "close");
}

} // namespace detail

mapped_stream::mapped_stream(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept {
  ec.clear();
  closed_ = true;
  std::string plain; // the mode without its `b`, which changes nothing here
  try {
    path_ = path.string();
    for (const char c : mode)
      if (c != 'b') plain += c;
  } catch (...) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return;
  }
  if (mode.size() - plain.size() > 1 || (plain != "r" && plain != "r+" && plain != "w+" && plain != "x+")) {
    ec = errc::invalid_argument;
    return;
  }
  file f(path, plain, ec);
  if (ec) return;
  adopt(std::move(f), plain != "r", ec);
}

mapped_stream::mapped_stream(const std::filesystem::path& path, std::string_view mode) {
  std::error_code ec;
  *this = mapped_stream(path, mode, ec);
  if (ec == errc::invalid_argument)
    throw io_error(ec, "open {} with mode '" + std::string(mode) + "' (a mapped stream takes \"r\", \"r+\", \"w+\" or \"x+\")",
                   path.string());
  if (ec) throw io_error(ec, "map", path.string());
}

} // namespace io
