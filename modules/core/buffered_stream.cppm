// io.core:buffered_stream — one buffer for reading and writing a seekable stream (Python's BufferedRandom).
module;
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:buffered_stream;
import :error;
import :concepts;
import :bytes;
import :detail;
import :buffer;

export namespace io {

/// Buffers reads and writes of a seekable stream `S` (owned, or a reference `T&`) in one buffer
/// that holds either read-ahead or pending writes, like Python's BufferedRandom: a write after a
/// read moves the stream back over the unread read-ahead; a read after a write writes out first.
/// It is readable, writable, seekable and buffered_readable. When `S` says at run time what it
/// allows (members `readable()` / `writable()`, as io::file has), a read of a write-only stream
/// reports errc::not_readable and a write to a read-only one errc::not_writable, at once. When `S`
/// says it appends (a member `appends()`, as io::file opened with "a" has), a write after a seek,
/// read or truncate first moves to the end, where the write lands, so that tell() is the true
/// position at once, as with an unbuffered file (CPython's BufferedRandom reports the position the
/// write would have had until the next flush: CPython gh-64281).
template <class S>
  requires readable<std::remove_reference_t<S>> && writable<std::remove_reference_t<S>> &&
           seekable<std::remove_reference_t<S>>
class buffered_stream : public bytes_interface<buffered_stream<S>> {
public:
  using bytes_interface<buffered_stream>::read;
  using bytes_interface<buffered_stream>::write;
  /// The buffer size used when none is given: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Buffers `inner` (an lvalue is referenced, an rvalue moved in) with `capacity` bytes (at least 1).
  explicit buffered_stream(S&& inner, std::size_t capacity = default_capacity)
      : inner_(std::forward<S>(inner)), buffer_(capacity), reposition_(detail::appends(inner_)) {}

  buffered_stream(buffered_stream&&) noexcept = default;
  buffered_stream& operator=(buffered_stream&&) = delete;

  ~buffered_stream() {
    if (closed_ || !buffer_) return;
    std::error_code ignored;
    writes_.write_out(inner_, buffer_, ignored);
  }

  /// Reads into a prefix of `buffer`; returns the byte count, 0 at end of stream.
  std::size_t read(std::span<std::byte> buffer) {
    detail::throw_errors sink;
    if (!prepare_read(sink)) return 0;
    return reads_.read(inner_, buffer_, buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    if (!prepare_read(ec)) return 0;
    return reads_.read(inner_, buffer_, buffer, ec);
  }

  /// The buffered read-ahead, refilling when none is left; empty at end of stream.
  std::span<const std::byte> fill() {
    detail::throw_errors sink;
    if (!prepare_read(sink)) return {};
    return reads_.fill(inner_, buffer_, sink);
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept {
    ec.clear();
    if (!prepare_read(ec)) return {};
    return reads_.fill(inner_, buffer_, ec);
  }

  /// At least `n` bytes of read-ahead (fewer only at end of stream), reading until there are,
  /// without consuming them; `n` above capacity() is errc::no_buffer_space.
  std::span<const std::byte> fill(std::size_t n) {
    detail::throw_errors sink;
    if (!prepare_read(sink)) return {};
    return reads_.fill(inner_, buffer_, n, sink);
  }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t n, std::error_code& ec) noexcept {
    ec.clear();
    if (!prepare_read(ec)) return {};
    return reads_.fill(inner_, buffer_, n, ec);
  }

  /// Marks `n` bytes returned by fill() as read.
  void consume(std::size_t n) noexcept { reads_.consume(n); }
  /// The read-ahead not consumed yet, without reading (empty when there is none).
  inline std::span<const std::byte> buffered() const noexcept { return reads_.pending(buffer_); }
  // The read window, lent to io's views so that they walk the read-ahead in place (not API: a
  // hidden friend, found only by argument-dependent lookup).
  friend inline detail::lent_window lend_read_window(buffered_stream& s) noexcept { return {&s.reads_, s.buffer_.data()}; }

  /// Writes all of `bytes` (into the buffer while they fit).
  void write(std::span<const std::byte> bytes) {
    if (!closed_ && !reposition_ && reads_.size() == 0 && may_write() && writes_.try_append(buffer_, bytes))
        [[likely]]
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

  /// Writes out pending writes and flushes the underlying stream.
  void flush() {
    detail::throw_errors sink;
    flush_impl(sink);
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept {
    ec.clear();
    flush_impl(ec);
  }

  /// Moves to `offset` from `from` after writing out; returns the new position.
  std::uint64_t seek(std::int64_t offset, whence from = whence::begin) {
    detail::throw_errors sink;
    return seek_impl(offset, from, sink);
  }
  /// As seek(offset, from), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, whence from, std::error_code& ec) noexcept {
    ec.clear();
    return seek_impl(offset, from, ec);
  }
  /// As seek(offset), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, std::error_code& ec) noexcept { return seek(offset, whence::begin, ec); }

  /// The position the caller sees: behind the stream's by the read-ahead, ahead by pending writes.
  std::uint64_t tell() {
    detail::throw_errors sink;
    return tell_impl(sink);
  }
  /// As tell(), reporting errors through `ec`.
  std::uint64_t tell(std::error_code& ec) noexcept {
    ec.clear();
    return tell_impl(ec);
  }

  /// Writes out, then resizes the underlying stream to `size` bytes; returns the new size.
  std::uint64_t truncate(std::int64_t size)
    requires requires(std::remove_reference_t<S>& s) { s.truncate(size); }
  {
    detail::throw_errors sink;
    if (!settle(sink, "truncate")) return 0;
    reposition_ = detail::appends(inner_);
    return inner_.truncate(size);
  }
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept
    requires requires(std::remove_reference_t<S>& s) { s.truncate(size, ec); }
  {
    ec.clear();
    if (!settle(ec, "truncate")) return 0;
    reposition_ = detail::appends(inner_);
    return inner_.truncate(size, ec);
  }

  /// Writes out, flushes and closes the underlying stream when it has close(); reports the first
  /// error. Later operations report errc::closed; closing again does nothing.
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
    reads_.clear();
    writes_.clear();
    if constexpr (requires { inner_.close(); }) {
      std::error_code close_ec;
      detail::close(inner_, close_ec);
      if (!ec) ec = close_ec;
    }
  }

  /// Whether close() was called.
  bool closed() const noexcept { return closed_; }
  /// The buffer's free room for writing, where a caller may put bytes in place and then commit()
  /// them (how io::print formats without a copy); empty when a write must first do more (the
  /// stream is closed, holds read-ahead, was not opened for writing, or must move to its end):
  /// then write() as usual.
  std::span<std::byte> spare() noexcept {
    if (closed_ || reposition_ || reads_.size() != 0 || !buffer_ || !may_write()) return {};
    return writes_.spare(buffer_);
  }
  /// Makes the first `n` bytes of spare() written, as write() of them would (n at most its size).
  void commit(std::size_t n) noexcept { writes_.commit(buffer_, n); }
  /// The buffer's size in bytes.
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  /// The underlying stream; pending writes have not reached it and read-ahead was taken from it.
  std::remove_reference_t<S>& inner() noexcept { return inner_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<S>& inner() const noexcept { return inner_; }

private:
  // Whether the stream allows reading or writing, for streams that say so at run time.
  bool may_read() {
    if constexpr (requires { inner_.readable(); }) return inner_.readable();
    else return true;
  }
  bool may_write() {
    if constexpr (requires { inner_.writable(); }) return inner_.writable();
    else return true;
  }
  template <class Sink>
  bool check_open(Sink& sink, const char* operation) {
    if (!closed_) return true;
    detail::report(sink, errc::closed, operation, detail::path_of(inner_));
    return false;
  }

  // Writes out pending writes and gives back unread read-ahead, so that the stream's position is
  // the caller's: the state every operation but read and write starts from.
  template <class Sink>
  bool settle(Sink& sink, const char* operation) {
    if (!check_open(sink, operation)) return false;
    writes_.write_out(inner_, buffer_, sink);
    if (detail::failed(sink)) return false;
    if (reads_.size() != 0) {
      detail::seek(inner_, -static_cast<std::int64_t>(reads_.size()), whence::current, sink);
      if (detail::failed(sink)) return false;
      reads_.clear();
    }
    return true;
  }

  template <class Sink>
  bool prepare_read(Sink& sink) {
    if (!check_open(sink, "read")) return false;
    if (!may_read()) {
      detail::report(sink, errc::not_readable, "read", detail::path_of(inner_));
      return false;
    }
    writes_.write_out(inner_, buffer_, sink);
    reposition_ = detail::appends(inner_); // a read moves the stream away from the end
    return !detail::failed(sink);
  }

  // Before a write of `n` bytes: a stream that appends and was moved away from its end (by a seek,
  // a read or a truncate) goes back there first, dropping the read-ahead as a seek does (an empty
  // write, as with an unbuffered file, moves nothing); otherwise the read-ahead is given back.
  template <class Sink>
  bool prepare_write(std::size_t n, Sink& sink) {
    if (!reposition_ || n == 0) return settle(sink, "write");
    if (!writes_.move_to_end(inner_, buffer_, whence::end, sink)) return false;
    reads_.clear();
    reposition_ = false;
    return true;
  }

  template <class Sink>
  void write_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (!check_open(sink, "write")) return;
    if (!may_write()) return detail::report(sink, errc::not_writable, "write", detail::path_of(inner_));
    if (!prepare_write(bytes.size(), sink)) return;
    writes_.write(inner_, buffer_, bytes, sink);
  }

  template <class Sink>
  std::size_t write_some_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (!check_open(sink, "write")) return 0;
    if (!may_write()) {
      detail::report(sink, errc::not_writable, "write", detail::path_of(inner_));
      return 0;
    }
    if (!prepare_write(bytes.size(), sink)) return 0;
    return writes_.write_some(inner_, buffer_, bytes, sink);
  }

  template <class Sink>
  void flush_impl(Sink& sink) {
    if (!check_open(sink, "flush")) return;
    writes_.write_out(inner_, buffer_, sink);
    if (!detail::failed(sink)) detail::flush(inner_, sink);
  }

  template <class Sink>
  std::uint64_t seek_impl(std::int64_t offset, whence from, Sink& sink) {
    if (!check_open(sink, "seek")) return 0;
    writes_.write_out(inner_, buffer_, sink);
    if (detail::failed(sink)) return 0;
    // A relative seek counts from the caller's position, behind the stream's by the read-ahead.
    if (from == whence::current) offset -= static_cast<std::int64_t>(reads_.size());
    // The read-ahead goes only once the seek succeeded: a failed seek leaves the stream as it was.
    const std::uint64_t position = detail::seek(inner_, offset, from, sink);
    if (!detail::failed(sink)) reads_.clear();
    reposition_ = detail::appends(inner_);
    return position;
  }

  template <class Sink>
  std::uint64_t tell_impl(Sink& sink) {
    if (!check_open(sink, "tell")) return 0;
    const std::uint64_t inner_position = detail::tell(inner_, sink);
    if (detail::failed(sink)) return 0;
    return inner_position - reads_.size() + writes_.size();
  }

  S inner_;
  detail::byte_buffer buffer_;
  detail::read_window reads_;
  detail::write_window writes_;
  bool closed_ = false;
  // Appending, and the stream may not be at its end: the next write moves there first.
  bool reposition_ = false;
};

/// Deduces buffered_stream<T&> from an lvalue (referenced) and buffered_stream<T> from an rvalue.
template <class S>
buffered_stream(S&&) -> buffered_stream<S>;
/// As above, with a buffer capacity.
template <class S>
buffered_stream(S&&, std::size_t) -> buffered_stream<S>;

} // namespace io
