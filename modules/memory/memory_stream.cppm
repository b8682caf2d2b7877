// io.memory:memory_stream — a growable in-memory byte stream with the semantics of Python's io.BytesIO.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>
export module io.memory:memory_stream;
import io.core;
import :byte_array;

export namespace io {

/// Storage a memory stream can hold and hand back: a resizable contiguous container of single
/// bytes, such as std::vector<std::byte> or std::string.
template <class C>
concept byte_storage = byte_container<C> && std::default_initializable<C> && std::movable<C> &&
                       requires(const C& c) {
                         { c.capacity() } -> std::convertible_to<std::size_t>;
                       };

/// An in-memory stream of bytes that behaves like Python's io.BytesIO: readable, writable,
/// seekable and buffered_readable. Writes overwrite or extend at the position; seeking past the
/// end is allowed and a later write fills the gap with zeros; truncate never extends.
/// `Storage` is what it holds and hands back by take(): io::byte_array for io::memory_stream,
/// std::vector<std::byte> or std::string to adopt and return one of those without copying.
/// Spans from view() and fill() are invalidated by write, truncate, take and close.
template <byte_storage Storage>
class basic_memory_stream : public detail::memory_stream_base<basic_memory_stream<Storage>> {
  using base = detail::memory_stream_base<basic_memory_stream>;
  friend base;

public:
  using base::write;
  /// An empty stream.
  basic_memory_stream() = default;

  /// A stream holding a copy of `initial`, positioned at 0.
  explicit basic_memory_stream(std::string_view initial)
      : basic_memory_stream(io::as_bytes(initial)) {}

  /// A stream holding a copy of `initial`, positioned at 0.
  explicit basic_memory_stream(std::span<const std::byte> initial) : size_(initial.size()) {
    resize_storage(initial.size());
    if (!initial.empty()) std::memcpy(storage_.data(), initial.data(), initial.size());
  }

  /// A stream that takes over `contents` without copying, positioned at 0.
  explicit basic_memory_stream(Storage&& contents) noexcept
      : storage_(std::move(contents)), size_(storage_.size()) {}

  /// Writes `bytes` at the position, overwriting and extending; the position moves past them.
  void write(std::span<const std::byte> bytes) {
    // The common case, appending while the storage has room, stays inline: a check and a memcpy.
    if (!this->closed_ && this->pos_ == size_ && bytes.size() <= storage_.size() - size_) [[likely]] {
      if (!bytes.empty()) std::memcpy(storage_.data() + size_, bytes.data(), bytes.size());
      size_ += bytes.size();
      this->pos_ = size_;
      return;
    }
    detail::throw_errors sink;
    write_slow(bytes, sink);
  }
  /// As write(bytes), reporting errors (running out of memory too) through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    detail::capture(ec, [&] {
      write_slow(bytes, ec);
      return 0;
    });
  }

  /// Does nothing but report a closed stream: memory needs no flushing.
  void flush() { this->check_open("flush"); }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept { this->open_for(ec, "flush"); }

  /// Cuts the contents to `size` bytes if longer (never extends) and returns `size`; the position
  /// does not move. A negative size is errc::invalid_argument.
  std::uint64_t truncate(std::int64_t size) {
    detail::throw_errors sink;
    return truncate_impl(size, sink);
  }
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept {
    ec.clear();
    return truncate_impl(size, ec);
  }
  /// Cuts the contents at the position, as Python's truncate() without a size.
  std::uint64_t truncate() { return truncate(static_cast<std::int64_t>(this->pos_)); }
  /// As truncate(), reporting errors through `ec`.
  std::uint64_t truncate(std::error_code& ec) noexcept {
    return truncate(static_cast<std::int64_t>(this->pos_), ec);
  }

  /// Moves the contents out without copying and leaves the stream empty at position 0.
  Storage take() {
    this->check_open("take");
    storage_.resize(size_); // shrinking: no reallocation, no copy
    this->pos_ = 0;
    size_ = 0;
    return std::exchange(storage_, Storage{});
  }

  /// Releases the contents; every later operation but close() and closed() reports errc::closed.
  void close() noexcept {
    this->closed_ = true;
    this->pos_ = 0;
    size_ = 0;
    storage_ = Storage{};
  }

private:
  std::span<const std::byte> stored() const noexcept {
    return {reinterpret_cast<const std::byte*>(storage_.data()), size_};
  }

  // Sets the storage's size to `n`. Bytes past size_ are never read before they are written (a gap
  // is zero-filled when a write creates it), so storage that can skip zero-filling them does.
  void resize_storage(std::size_t n) {
    if constexpr (requires { storage_.resize_for_overwrite(n); })
      storage_.resize_for_overwrite(n);
    else
      storage_.resize(n);
  }

  template <class Sink>
  void write_slow(std::span<const std::byte> bytes, Sink& sink) {
    if (!this->open_for(sink, "write")) return;
    // As in BytesIO, an empty write changes nothing, even past the end.
    if (bytes.empty()) return;
    if (bytes.size() > base::max_position - this->pos_)
      return detail::report(sink, std::make_error_code(std::errc::file_too_large), "write");
    const auto pos = static_cast<std::size_t>(this->pos_);
    const std::size_t end = pos + bytes.size();
    if (end > storage_.size()) {
      // Use the capacity there is first, then grow geometrically.
      const std::size_t room = storage_.capacity();
      resize_storage(end <= room ? room : std::max(end, room + room / 2 + 64));
    }
    // A gap between the contents and the position reads as zeros; bytes a truncate dropped may
    // still lie there.
    if (pos > size_) std::memset(storage_.data() + size_, 0, pos - size_);
    std::memcpy(storage_.data() + pos, bytes.data(), bytes.size());
    size_ = std::max(size_, end);
    this->pos_ = end;
  }

  template <class Sink>
  std::uint64_t truncate_impl(std::int64_t size, Sink& sink) {
    if (!this->valid_truncate(size, sink)) return 0;
    if (static_cast<std::uint64_t>(size) < size_) size_ = static_cast<std::size_t>(size);
    return static_cast<std::uint64_t>(size);
  }

  // storage_.size() is the room written so far; size_ bytes of it are the contents.
  Storage storage_;
  std::size_t size_ = 0;
};

/// The in-memory stream of bytes, Python's io.BytesIO, holding an io::byte_array (grown with
/// realloc, so that appending stays cheap at any size).
using memory_stream = basic_memory_stream<byte_array>;

} // namespace io
