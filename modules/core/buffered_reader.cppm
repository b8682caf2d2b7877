// io.core:buffered_reader — a read buffer over any readable stream.
module;
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:buffered_reader;
import :error;
import :concepts;
import :bytes;
import :detail;
import :buffer;

export namespace io {

/// Buffers reads from `S` (a stream, owned, or a reference `T&` to one) in a page-aligned buffer.
/// It is buffered_readable, and seekable when `S` is. Reads at least as large as the buffer go
/// straight to `S` while nothing is buffered.
template <class S>
  requires readable<std::remove_reference_t<S>>
class buffered_reader : public bytes_interface<buffered_reader<S>> {
public:
  using bytes_interface<buffered_reader>::read;
  /// The buffer size used when none is given: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Buffers `inner` (an lvalue is referenced, an rvalue moved in) with `capacity` bytes (at least 1).
  explicit buffered_reader(S&& inner, std::size_t capacity = default_capacity)
      : inner_(std::forward<S>(inner)), buffer_(capacity) {}

  /// Reads into a prefix of `buffer` from what is buffered, refilling once when nothing is.
  std::size_t read(std::span<std::byte> buffer) {
    detail::throw_errors sink;
    return window_.read(inner_, buffer_, buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    return window_.read(inner_, buffer_, buffer, ec);
  }

  /// The buffered bytes, refilling from the stream when none are left; empty at end of stream.
  std::span<const std::byte> fill() {
    detail::throw_errors sink;
    return window_.fill(inner_, buffer_, sink);
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept {
    ec.clear();
    return window_.fill(inner_, buffer_, ec);
  }

  /// At least `n` buffered bytes (fewer only at end of stream), reading until there are, without
  /// consuming them; `n` above capacity() is errc::no_buffer_space.
  std::span<const std::byte> fill(std::size_t n) {
    detail::throw_errors sink;
    return window_.fill(inner_, buffer_, n, sink);
  }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t n, std::error_code& ec) noexcept {
    ec.clear();
    return window_.fill(inner_, buffer_, n, ec);
  }

  /// Marks `n` buffered bytes as read (at most as many as are buffered).
  void consume(std::size_t n) noexcept { window_.consume(n); }

  /// Moves to `offset` from `from`, discarding the buffer; returns the new position.
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

  /// The position of the next byte read() would return.
  std::uint64_t tell()
    requires seekable<std::remove_reference_t<S>>
  {
    return inner_.tell() - window_.size();
  }
  /// As tell(), reporting errors through `ec`.
  std::uint64_t tell(std::error_code& ec) noexcept
    requires seekable<std::remove_reference_t<S>>
  {
    ec.clear();
    const std::uint64_t inner_position = detail::tell(inner_, ec);
    return ec ? 0 : inner_position - window_.size();
  }

  /// Drops the buffer and closes the underlying stream.
  void close()
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    window_.clear();
    inner_.close();
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    ec.clear();
    window_.clear();
    detail::close(inner_, ec);
  }

  /// The bytes buffered and not yet read, without refilling.
  std::span<const std::byte> buffered() const noexcept { return window_.pending(buffer_); }
  // The read window, lent to io's views so that they walk the read-ahead in place (not API: a
  // hidden friend, found only by argument-dependent lookup).
  friend inline detail::lent_window lend_read_window(buffered_reader& s) noexcept { return {&s.window_, s.buffer_.data()}; }
  /// The buffer's size in bytes.
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  /// The underlying stream.
  std::remove_reference_t<S>& inner() noexcept { return inner_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<S>& inner() const noexcept { return inner_; }

private:
  template <class Sink>
  std::uint64_t seek_impl(std::int64_t offset, whence from, Sink& sink) {
    // A relative seek counts from the position the caller sees, which trails the stream's
    // position by what is still buffered.
    if (from == whence::current) offset -= static_cast<std::int64_t>(window_.size());
    // The buffer goes only once the seek succeeded: a failed seek leaves the position as it was.
    const std::uint64_t position = detail::seek(inner_, offset, from, sink);
    if (!detail::failed(sink)) window_.clear();
    return position;
  }

  S inner_;
  detail::byte_buffer buffer_;
  detail::read_window window_;
};

/// Deduces buffered_reader<T&> from an lvalue (referenced) and buffered_reader<T> from an rvalue.
template <class S>
buffered_reader(S&&) -> buffered_reader<S>;
/// As above, with a buffer capacity.
template <class S>
buffered_reader(S&&, std::size_t) -> buffered_reader<S>;

} // namespace io
