// io.core:buffer — the buffering logic behind buffered_reader, buffered_writer and buffered_stream.
module;
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
export module io.core:buffer;
import :error;
import :detail;

// Member functions defined inside a class in a module interface are not implicitly inline
// ([dcl.inline]/7 in C++20): the hot ones say `inline` so that importers can inline them.
// Exported only because io's adapters are templates instantiated by users: not part of the API.
export namespace io::detail {

// A page-aligned buffer of a fixed capacity (at least 1 byte).
class byte_buffer {
public:
  explicit byte_buffer(std::size_t capacity)
      : capacity_(std::max<std::size_t>(capacity, 1)), data_(make_aligned_buffer(capacity_)) {}

  inline std::byte* data() const noexcept { return data_.get(); }
  inline std::size_t capacity() const noexcept { return capacity_; }
  inline explicit operator bool() const noexcept { return static_cast<bool>(data_); }

private:
  std::size_t capacity_;
  aligned_buffer data_;
};

// The read side: bytes [begin, end) of the buffer came from the stream and were not handed out.
class read_window {
public:
  inline std::span<const std::byte> pending(const byte_buffer& buffer) const noexcept {
    return {buffer.data() + begin_, end_ - begin_};
  }
  inline std::size_t size() const noexcept { return end_ - begin_; }
  inline void consume(std::size_t n) noexcept { begin_ += std::min(n, end_ - begin_); }
  inline void clear() noexcept {
    begin_ = end_ = 0;
    ++generation_;
  }
  // Where the pending bytes start and end in the buffer. A view walks them in place and moves
  // their start with one store a token (set_begin), rather than a consume and a reload a token.
  inline std::size_t begin() const noexcept { return begin_; }
  inline std::size_t end() const noexcept { return end_; }
  inline void set_begin(std::size_t at) noexcept { begin_ = at; }
  // Makes [begin, end) the pending bytes: new bytes, a new generation.
  inline void reset(std::size_t begin, std::size_t end) noexcept {
    begin_ = begin;
    end_ = end;
    ++generation_;
  }
  // Changes whenever the buffer's bytes or the window's end change (a refill, a clear, a fill(n)),
  // so that a view walking the window tells "the same bytes, consumed up to here" from a window
  // that only happens to have the same bounds after a refill.
  inline std::size_t generation() const noexcept { return generation_; }

  // The pending bytes, refilling from `s` with one read when there are none.
  template <class S, class Sink>
  inline std::span<const std::byte> fill(S& s, const byte_buffer& buffer, Sink& sink) {
    if (begin_ == end_) {
      clear();
      const std::size_t n = detail::read(s, std::span(buffer.data(), buffer.capacity()), sink);
      if (!failed(sink)) end_ = n;
    }
    return pending(buffer);
  }

  // At least `n` pending bytes, reading until there are (moving the pending bytes to the front of
  // the buffer when the rest of it is too short) unless the stream ends first; `n` larger than the
  // buffer is errc::no_buffer_space, reported before anything is read. Bytes read before an error
  // stay pending: nothing is lost. fill() above stays the one-read fast path the views use.
  template <class S, class Sink>
  inline std::span<const std::byte> fill(S& s, const byte_buffer& buffer, std::size_t n, Sink& sink) {
    if (size() >= n) return pending(buffer);
    if (n > buffer.capacity()) {
      report(sink, errc::no_buffer_space, "peek {}: more bytes than the buffer holds", path_of(s));
      return pending(buffer);
    }
    if (buffer.capacity() - begin_ < n) {
      if (size() != 0) std::memmove(buffer.data(), buffer.data() + begin_, size());
      end_ -= begin_;
      begin_ = 0;
    }
    ++generation_;
    while (size() < n) {
      const std::size_t got = detail::read(s, std::span(buffer.data() + end_, buffer.capacity() - end_), sink);
      if (failed(sink) || got == 0) break;
      end_ += got;
    }
    return pending(buffer);
  }

  // Copies pending bytes into `out`, refilling once when there are none; a read at least as large
  // as the buffer goes straight to `s` when nothing is pending. An empty read goes straight to `s`
  // too, which reports a closed stream and reads nothing: a refill would change what the next
  // reads return (Python's read1(0) reads nothing either).
  template <class S, class Sink>
  inline std::size_t read(S& s, const byte_buffer& buffer, std::span<std::byte> out, Sink& sink) {
    if (out.empty()) return detail::read(s, out, sink);
    if (begin_ == end_ && out.size() >= buffer.capacity()) return detail::read(s, out, sink);
    const std::span<const std::byte> available = fill(s, buffer, sink);
    const std::size_t n = std::min(available.size(), out.size());
    if (n != 0) std::memcpy(out.data(), available.data(), n);
    begin_ += n;
    return n;
  }

private:
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t generation_ = 0;
};

// A buffered stream's read window and the buffer it indexes, lent to io's views (found by ADL as
// lend_read_window(stream), a hidden friend of buffered_stream and buffered_reader): a view over
// the stream walks the buffered bytes in place, moving the window's start as it hands tokens out.
struct lent_window {
  read_window* window = nullptr;
  const std::byte* buffer = nullptr;
};

// The write side: bytes [0, size) of the buffer were written and not yet passed to the stream.
class write_window {
public:
  inline std::span<const std::byte> pending(const byte_buffer& buffer) const noexcept {
    return {buffer.data(), size_};
  }
  inline std::size_t size() const noexcept { return size_; }
  inline void clear() noexcept { size_ = 0; }

  // The free room after the pending bytes, where a caller may put bytes in place (commit() them).
  inline std::span<std::byte> spare(const byte_buffer& buffer) const noexcept {
    return {buffer.data() + size_, buffer.capacity() - size_};
  }
  // Makes the first `n` bytes of spare() pending (n at most its size).
  inline void commit(const byte_buffer& buffer, std::size_t n) noexcept { size_ += std::min(n, buffer.capacity() - size_); }

  // Copies `bytes` into the buffer if they fit; the inline fast path of every buffered write.
  inline bool try_append(const byte_buffer& buffer, std::span<const std::byte> bytes) noexcept {
    if (bytes.size() > buffer.capacity() - size_) return false;
    if (!bytes.empty()) std::memcpy(buffer.data() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    return true;
  }

  // Passes the pending bytes to `s`. On failure exactly the bytes that did not reach `s` stay
  // pending: nothing is dropped silently, and nothing is written twice when flushed again. A
  // stream with write_some reports what a failing write took; others take all or nothing.
  template <class S, class Sink>
  inline void write_out(S& s, const byte_buffer& buffer, Sink& sink) {
    if constexpr (writes_some<S>) {
      while (size_ != 0) {
        const std::size_t n = detail::write_some(s, pending(buffer), sink);
        if (failed(sink)) return;
        drop_front(buffer, n);
      }
    } else {
      if (size_ == 0) return;
      detail::write(s, pending(buffer), sink);
      if (!failed(sink)) size_ = 0;
    }
  }

  // Buffers `bytes`, writing out first when they do not fit; bytes at least as large as the buffer
  // go straight to `s`.
  template <class S, class Sink>
  inline void write(S& s, const byte_buffer& buffer, std::span<const std::byte> bytes, Sink& sink) {
    if (try_append(buffer, bytes)) return;
    write_out(s, buffer, sink);
    if (failed(sink)) return;
    if (bytes.size() >= buffer.capacity()) return detail::write(s, bytes, sink);
    try_append(buffer, bytes);
  }

  // Before a write to a stream that appends and was moved away from its end (by a seek, a read or
  // a truncate): writes out, then moves to the end, where the write will land, so that the pending
  // bytes count from there. `end` is whence::end. Returns whether it went well.
  template <class S, class Whence, class Sink>
  inline bool move_to_end(S& s, const byte_buffer& buffer, Whence end, Sink& sink) {
    write_out(s, buffer, sink);
    return !failed(sink) && seek_to_end(s, end, sink);
  }

  // Takes a prefix of `bytes` and returns its size, or fails having taken none of them: all of
  // them into the buffer when they fit (after writing out); bytes at least as large as the buffer
  // go straight to `s`, through its own write_some when it has one.
  template <class S, class Sink>
  inline std::size_t write_some(S& s, const byte_buffer& buffer, std::span<const std::byte> bytes, Sink& sink) {
    if (try_append(buffer, bytes)) return bytes.size();
    write_out(s, buffer, sink);
    if (failed(sink)) return 0;
    if (bytes.size() >= buffer.capacity()) {
      if constexpr (writes_some<S>) {
        return detail::write_some(s, bytes, sink);
      } else {
        detail::write(s, bytes, sink);
        return failed(sink) ? 0 : bytes.size();
      }
    }
    try_append(buffer, bytes);
    return bytes.size();
  }

private:
  // Forgets the first `n` pending bytes, which reached the stream (after a short write).
  inline void drop_front(const byte_buffer& buffer, std::size_t n) noexcept {
    if (n < size_) std::memmove(buffer.data(), buffer.data() + n, size_ - n);
    size_ -= std::min(n, size_);
  }

  std::size_t size_ = 0;
};

} // namespace io::detail
