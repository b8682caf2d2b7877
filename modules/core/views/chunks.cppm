// io.core:views.chunks — io::views::chunks and io::chunks_view: a source as fixed-size blocks of bytes.
module;
#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <new>
#include <ranges>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.chunks;
import :error;
import :concepts;
import :detail;
import :bytes;
import :views.source;
import :views.stream_range;

namespace io::detail {

// Storage as spans of `size` bytes (the last may be shorter): random access, no byte copied.
class storage_chunk_iterator {
public:
  using value_type = std::span<const std::byte>;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::random_access_iterator_tag;
  using iterator_category = std::random_access_iterator_tag;

  storage_chunk_iterator() = default;
  storage_chunk_iterator(std::span<const std::byte> bytes, std::size_t size, std::size_t index)
      : bytes_(bytes), size_(size), index_(index) {}

  /// The current chunk.
  inline std::span<const std::byte> operator*() const noexcept {
    const std::size_t offset = index_ * size_; // below bytes_.size() for every chunk that exists
    return bytes_.subspan(offset, std::min(size_, bytes_.size() - offset));
  }
  /// The chunk `n` steps away.
  std::span<const std::byte> operator[](difference_type n) const noexcept { return *(*this + n); }
  inline storage_chunk_iterator& operator++() noexcept { return *this += 1; }
  inline storage_chunk_iterator operator++(int) noexcept { storage_chunk_iterator before = *this; ++*this; return before; }
  inline storage_chunk_iterator& operator--() noexcept { return *this -= 1; }
  inline storage_chunk_iterator operator--(int) noexcept { storage_chunk_iterator before = *this; --*this; return before; }
  inline storage_chunk_iterator& operator+=(difference_type n) noexcept {
    index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n);
    return *this;
  }
  inline storage_chunk_iterator& operator-=(difference_type n) noexcept { return *this += -n; }
  friend inline storage_chunk_iterator operator+(storage_chunk_iterator i, difference_type n) noexcept { return i += n; }
  friend inline storage_chunk_iterator operator+(difference_type n, storage_chunk_iterator i) noexcept { return i += n; }
  friend inline storage_chunk_iterator operator-(storage_chunk_iterator i, difference_type n) noexcept { return i -= n; }
  friend inline difference_type operator-(const storage_chunk_iterator& a, const storage_chunk_iterator& b) noexcept {
    return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
  }
  friend inline bool operator==(const storage_chunk_iterator& a, const storage_chunk_iterator& b) noexcept {
    return a.index_ == b.index_;
  }
  friend inline auto operator<=>(const storage_chunk_iterator& a, const storage_chunk_iterator& b) noexcept {
    return a.index_ <=> b.index_;
  }

private:
  std::span<const std::byte> bytes_;
  std::size_t size_ = 1;
  std::size_t index_ = 0; // the chunk's number
};

// The engine of chunks over storage `T`: a random-access, sized range.
template <class T>
class storage_chunks {
public:
  storage_chunks() = default;
  // `size` 0 makes no chunks (reported by the adaptor).
  storage_chunks(T&& source, std::size_t size, std::error_code*)
      : storage_(std::forward<T>(source)), size_(std::max<std::size_t>(size, 1)), none_(size == 0) {}

  /// The first chunk.
  inline storage_chunk_iterator begin() const noexcept { return {bytes(), size_, 0}; }
  /// Past the last chunk.
  inline storage_chunk_iterator end() const noexcept { return {bytes(), size_, count()}; }

  static constexpr bool borrowed = held_storage<T>::borrowed;

private:
  // The number of chunks: ceil(bytes / size), without overflow for any size.
  inline std::size_t count() const noexcept {
    const std::size_t n = bytes().size();
    return n / size_ + (n % size_ != 0);
  }
  inline std::span<const std::byte> bytes() const noexcept { return none_ ? std::span<const std::byte>{} : as_bytes(storage_.text()); }

  held_storage<T> storage_;
  std::size_t size_ = 1;
  bool none_ = false;
};

// The state of chunks over a stream, shared by its iterators. A chunk points into the stream's
// buffer when the buffer holds a whole chunk, else into the view's own buffer, and stays valid
// until the next increment; each chunk is taken from the stream as it is handed out. An unbuffered
// stream is read straight into the view's buffer, one chunk at a time, so it is never read ahead.
template <class T>
struct chunk_state {
  using stream_type = std::remove_reference_t<T>;

  // A size of 0 makes no chunks.
  chunk_state(T&& source, std::size_t n, std::error_code* e) : stream(std::forward<T>(source)), size(n), ec(e), done(n == 0) {}

  // begin(): the next chunk, as std::ranges::istream_view does (a second loop goes on after the
  // last chunk handed out).
  inline void start() {
    if (!done) advance();
  }
  // Nothing read ahead to give back: see advance().
  inline void last_gone() noexcept {}

  held<T> stream;
  std::size_t size;
  std::error_code* ec;
  // Page-aligned and allocated at the first chunk that needs it: the kernel copies into an
  // aligned buffer several times faster than into one 16 bytes past a page, where malloc puts it.
  aligned_buffer own;
  std::span<const std::byte> current;
  bool done;
  bool failed_after = false;  // the current chunk was cut short by an error, kept in `thrown` or `ec`
  std::exception_ptr thrown;  // that error, when it was thrown
  std::size_t live = 0;       // iterators alive

  // The view's buffer, allocated on first use; empty after an allocation failure reported
  // through ec (with no ec, std::bad_alloc propagates).
  inline std::span<std::byte> own_buffer() {
    if (!own) {
      if (ec == nullptr) {
        own = make_aligned_buffer(size);
      } else {
        try {
          own = make_aligned_buffer(size);
        } catch (const std::bad_alloc&) {
          *ec = std::make_error_code(std::errc::not_enough_memory);
          return {};
        }
      }
    }
    return {own.get(), size};
  }

  inline void advance() {
    if (failed_after) { // the chunk before was cut short by an error, which ends the range now
      done = true;
      current = {};
      if (thrown) std::rethrow_exception(std::exchange(thrown, nullptr));
      return;
    }
    std::size_t n = 0;
    stream_type& s = stream.get();
    if constexpr (buffered_readable<stream_type>) {
      stream_input<stream_type> input(s, ec);
      const std::span<const std::byte> buffered = input.fill();
      if (input.failed()) { // reported once: not read again
        done = true;
        current = {};
        return;
      }
      if (buffered.size() >= size) { // a whole chunk in the stream's buffer: no copy
        current = buffered.first(size);
        input.consume(size); // the bytes stay in the buffer until the next read
        return;
      }
      n = gather(own_buffer(), [&](std::span<std::byte> rest) {
        const std::span<const std::byte> available = input.fill();
        const std::size_t k = std::min(available.size(), rest.size());
        std::copy_n(available.data(), k, rest.data());
        input.consume(k);
        return k;
      });
    } else {
      // Straight into the view's buffer, gathering short reads.
      n = gather(own_buffer(), [&](std::span<std::byte> rest) { return ec ? detail::read(s, rest, *ec) : s.read(rest); });
    }
    if (n == 0) {
      done = true;
      current = {};
      return;
    }
    current = std::span<const std::byte>(own.get(), n);
  }

  // Fills `out` with calls to `step` (a count; 0 at the end) until it is full. An error midway,
  // thrown or left in `ec`, after some bytes came: they are handed out as a shorter chunk and the
  // error ends the range at the next increment, so that nothing read is dropped.
  template <class Step>
  std::size_t gather(std::span<std::byte> out, Step step) {
    std::size_t n = 0;
    while (n < out.size()) {
      std::size_t got = 0;
      try {
        got = step(out.subspan(n));
      } catch (...) {
        if (n == 0) throw;
        thrown = std::current_exception();
        failed_after = true;
        break;
      }
      if (ec != nullptr && *ec) {
        failed_after = n != 0;
        break;
      }
      if (got == 0) break;
      n += got;
    }
    return n;
  }
};

// Walks the chunks.
template <class T>
class chunk_cursor {
public:
  chunk_cursor() = default;
  inline explicit chunk_cursor(chunk_state<T>* s) noexcept : state_(s) {}
  inline std::span<const std::byte> read() const noexcept { return state_->current; }
  inline void next() { state_->advance(); }
  inline bool done() const noexcept { return state_->done; }
  inline void leave() noexcept {}
  inline chunk_state<T>* state() const noexcept { return state_; }

private:
  chunk_state<T>* state_ = nullptr;
};

// The engine of chunks over a stream: an input range.
template <class T>
class stream_chunks : public stream_range<chunk_state<T>, chunk_cursor<T>> {
public:
  stream_chunks() = default;
  stream_chunks(T&& source, std::size_t size, std::error_code* ec)
      : stream_range<chunk_state<T>, chunk_cursor<T>>(std::in_place, std::forward<T>(source), size, ec) {}
};

template <class T>
using chunk_engine = std::conditional_t<storage_source<T>, storage_chunks<T>, stream_chunks<T>>;

// A size of 0 cannot cut anything: report it.
inline void check_chunk_size(std::size_t size, std::error_code* ec) {
  if (size != 0) return;
  if (ec == nullptr) throw io_error(errc::invalid_argument, "cut chunks of 0 bytes");
  *ec = errc::invalid_argument;
}

} // namespace io::detail

export namespace io {

/// A source `T` as std::span<const std::byte> chunks of a fixed size, the last possibly shorter
/// (what `source | io::views::chunks(n)` is): over storage a random-access, sized range of
/// subspans (borrowed unless it owns an rvalue container); over a stream an input range that
/// consumes it, each chunk valid until the next increment.
template <class T>
class chunks_view : public detail::chunk_engine<T>,
                    public std::ranges::view_interface<chunks_view<T>>,
                    public ranges::view_base {
  using engine = detail::chunk_engine<T>;

public:
  chunks_view() = default;
  /// The chunks of `size` bytes of `source`; errors go to *ec when set.
  chunks_view(T&& source, std::size_t size, std::error_code* ec) : engine(std::forward<T>(source), size, ec) {}
  using engine::begin;
  using engine::end;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::chunks.
struct chunks_fn {
  /// `source` in chunks of `size` bytes.
  template <class T>
  inline auto operator()(T&& source, std::size_t size) const {
    static_assert(detail::check_source<T>());
    detail::check_chunk_size(size, nullptr);
    if constexpr (viewable_source<T>) return chunks_view<T>(std::forward<T>(source), size, nullptr);
  }
  /// As chunks(source, size), with read errors (and a size of 0) reported through `ec`.
  template <class T>
  inline auto operator()(T&& source, std::size_t size, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    detail::check_chunk_size(size, &ec);
    if constexpr (viewable_source<T>) return chunks_view<T>(std::forward<T>(source), size, &ec);
  }
  /// The adaptor with its size bound, for `source | io::views::chunks(4096)`.
  inline auto operator()(std::size_t size) const {
    detail::check_chunk_size(size, nullptr);
    return detail::source_closure{[size](auto&& source) { return chunks_fn{}(std::forward<decltype(source)>(source), size); }};
  }
  /// The adaptor with its size and `ec` bound.
  inline auto operator()(std::size_t size, std::error_code& ec) const {
    return detail::source_closure{[size, ec = &ec](auto&& source) {
      return chunks_fn{}(std::forward<decltype(source)>(source), size, *ec);
    }};
  }
};

/// A source as std::span<const std::byte> chunks of a fixed size, the last possibly shorter.
/// Over storage a random-access range of subspans; over a stream an input range that consumes
/// it, whose spans stay valid until the next increment. Read errors throw io_error, or go to
/// `ec`; a size of 0 is errc::invalid_argument.
inline constexpr chunks_fn chunks{};

} // namespace io::views

template <class T>
inline constexpr bool std::ranges::enable_borrowed_range<io::chunks_view<T>> = io::detail::chunk_engine<T>::borrowed;
template <class T>
inline constexpr bool ranges::enable_borrowed_range<io::chunks_view<T>> = io::detail::chunk_engine<T>::borrowed;
