// io.core:buffered_writer — a write buffer over any writable stream.
module;
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:buffered_writer;
import :error;
import :concepts;
import :bytes;
import :detail;
import :buffer;

export namespace io {

/// Buffers writes to `S` (a stream, owned, or a reference `T&` to one) in a page-aligned buffer.
/// Writes at least as large as the buffer go straight to `S`. flush() and close() report errors;
/// the destructor writes out what is buffered and swallows errors, so call close() to see them.
/// After a failed write-out the bytes stay buffered: nothing is dropped without an error. When `S`
/// appends (a member `appends()`, as io::file opened with "a" has), a write after a seek first
/// moves to the end, where the write lands, so that tell() is the true position at once.
template <class S>
  requires writable<std::remove_reference_t<S>>
class buffered_writer : public bytes_interface<buffered_writer<S>> {
public:
  using bytes_interface<buffered_writer>::write;
  /// The buffer size used when none is given: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Buffers `inner` (an lvalue is referenced, an rvalue moved in) with `capacity` bytes (at least 1).
  explicit buffered_writer(S&& inner, std::size_t capacity = default_capacity)
      : inner_(std::forward<S>(inner)), buffer_(capacity), reposition_(detail::appends(inner_)) {}

  buffered_writer(buffered_writer&&) noexcept = default;
  buffered_writer& operator=(buffered_writer&&) = delete;

  ~buffered_writer() {
    if (closed_ || !buffer_) return;
    std::error_code ignored;
    flush(ignored);
  }

  /// Writes all of `bytes` (into the buffer while they fit).
  void write(std::span<const std::byte> bytes) {
    if (!closed_ && !reposition_ && window_.try_append(buffer_, bytes)) [[likely]]
      return;
    detail::throw_errors sink;
    write_impl(bytes, sink);
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    write_impl(bytes, ec);
  }

  /// Writes a prefix of `bytes` (all of them when they fit in the buffer) and returns its size, or
  /// fails having written none of them; a count of what reached the stream before an error.
  std::size_t write_some(std::span<const std::byte> bytes) {
    detail::throw_errors sink;
    return write_some_impl(bytes, sink);
  }
  /// As write_some(bytes), reporting errors through `ec`.
  std::size_t write_some(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    return write_some_impl(bytes, ec);
  }

  /// Writes out the buffer and flushes the underlying stream.
  void flush() {
    detail::throw_errors sink;
    flush_impl(sink);
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept {
    ec.clear();
    flush_impl(ec);
  }

  /// Writes out the buffer, flushes and closes the underlying stream when it has close();
  /// reports the first error. Later operations report errc::closed; closing again does nothing.
  void close() {
    std::error_code ec;
    close(ec);
    throw_if_error(ec, "close", detail::path_of(inner_));
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept {
    ec.clear();
    if (closed_) return;
    flush_impl(ec);
    closed_ = true;
    window_.clear();
    if constexpr (requires { inner_.close(); }) {
      std::error_code close_ec;
      detail::close(inner_, close_ec);
      if (!ec) ec = close_ec;
    }
  }

  /// Writes out the buffer and moves to `offset` from `from`; returns the new position.
  std::uint64_t seek(std::int64_t offset, whence from = whence::begin)
    requires seekable<std::remove_reference_t<S>>
  {
    detail::throw_errors sink;
    return seek_impl(offset, from, sink);
  }
  /// As seek(offset, from), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, whence from, std::error_code& ec) noexcept
    requires seekable<std::remove_reference_t<S>>
  {
    ec.clear();
    return seek_impl(offset, from, ec);
  }
  /// As seek(offset), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, std::error_code& ec) noexcept
    requires seekable<std::remove_reference_t<S>>
  {
    return seek(offset, whence::begin, ec);
  }

  /// The position the next write goes to.
  std::uint64_t tell()
    requires seekable<std::remove_reference_t<S>>
  {
    return inner_.tell() + window_.size();
  }
  /// As tell(), reporting errors through `ec`.
  std::uint64_t tell(std::error_code& ec) noexcept
    requires seekable<std::remove_reference_t<S>>
  {
    ec.clear();
    const std::uint64_t inner_position = detail::tell(inner_, ec);
    return ec ? 0 : inner_position + window_.size();
  }

  /// The bytes written but not yet passed to the underlying stream.
  std::span<const std::byte> buffered() const noexcept { return window_.pending(buffer_); }
  /// The buffer's size in bytes.
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  /// The underlying stream; bytes still buffered have not reached it.
  std::remove_reference_t<S>& inner() noexcept { return inner_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<S>& inner() const noexcept { return inner_; }

private:
  // Before a write of `n` bytes to a stream that appends and was moved away from its end: back
  // there first (an empty write, as with an unbuffered file, moves nothing).
  template <class Sink>
  bool prepare_write(std::size_t n, Sink& sink) {
    if (!reposition_ || n == 0) return true;
    if constexpr (seekable<std::remove_reference_t<S>>) {
      if (!window_.move_to_end(inner_, buffer_, whence::end, sink)) return false;
    }
    reposition_ = false;
    return true;
  }

  template <class Sink>
  void write_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (closed_) return detail::report(sink, errc::closed, "write", detail::path_of(inner_));
    if (!prepare_write(bytes.size(), sink)) return;
    window_.write(inner_, buffer_, bytes, sink);
  }

  template <class Sink>
  std::size_t write_some_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (closed_) {
      detail::report(sink, errc::closed, "write", detail::path_of(inner_));
      return 0;
    }
    if (!prepare_write(bytes.size(), sink)) return 0;
    return window_.write_some(inner_, buffer_, bytes, sink);
  }

  template <class Sink>
  void flush_impl(Sink& sink) {
    if (closed_) return detail::report(sink, errc::closed, "flush", detail::path_of(inner_));
    window_.write_out(inner_, buffer_, sink);
    if (!detail::failed(sink)) detail::flush(inner_, sink);
  }

  template <class Sink>
  std::uint64_t seek_impl(std::int64_t offset, whence from, Sink& sink) {
    if (closed_) {
      detail::report(sink, errc::closed, "seek", detail::path_of(inner_));
      return 0;
    }
    window_.write_out(inner_, buffer_, sink);
    if (detail::failed(sink)) return 0;
    reposition_ = detail::appends(inner_);
    return detail::seek(inner_, offset, from, sink);
  }

  S inner_;
  detail::byte_buffer buffer_;
  detail::write_window window_;
  bool closed_ = false;
  // Appending, and the stream may not be at its end: the next write moves there first.
  bool reposition_ = false;
};

/// Deduces buffered_writer<T&> from an lvalue (referenced) and buffered_writer<T> from an rvalue.
template <class S>
buffered_writer(S&&) -> buffered_writer<S>;
/// As above, with a buffer capacity.
template <class S>
buffered_writer(S&&, std::size_t) -> buffered_writer<S>;

} // namespace io
