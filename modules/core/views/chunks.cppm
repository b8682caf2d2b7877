// io.core:views.chunks — a source as fixed-size blocks of bytes.
module;
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <ranges>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.chunks;
import :error;
import :concepts;
import :detail;
import :views.source;

export namespace io {

/// Bytes in memory as spans of `size` bytes (the last may be shorter): a borrowed random-access,
/// sized range of subspans; no byte is copied.
class chunk_view : public std::ranges::view_interface<chunk_view>, public ranges::view_base {
public:
  /// Walks the chunks.
  class iterator {
  public:
    using value_type = std::span<const std::byte>;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::random_access_iterator_tag;

    iterator() = default;
    /// The current chunk.
    inline std::span<const std::byte> operator*() const noexcept {
      const std::size_t offset = index_ * size_;
      return bytes_.subspan(offset, std::min(size_, bytes_.size() - offset));
    }
    /// The chunk `n` steps away.
    std::span<const std::byte> operator[](difference_type n) const noexcept { return *(*this + n); }
    inline iterator& operator++() noexcept { return *this += 1; }
    inline iterator operator++(int) noexcept { iterator before = *this; ++*this; return before; }
    inline iterator& operator--() noexcept { return *this -= 1; }
    inline iterator operator--(int) noexcept { iterator before = *this; --*this; return before; }
    inline iterator& operator+=(difference_type n) noexcept {
      index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n);
      return *this;
    }
    inline iterator& operator-=(difference_type n) noexcept { return *this += -n; }
    friend inline iterator operator+(iterator i, difference_type n) noexcept { return i += n; }
    friend inline iterator operator+(difference_type n, iterator i) noexcept { return i += n; }
    friend inline iterator operator-(iterator i, difference_type n) noexcept { return i -= n; }
    friend inline difference_type operator-(const iterator& a, const iterator& b) noexcept {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend inline bool operator==(const iterator& a, const iterator& b) noexcept { return a.index_ == b.index_; }
    friend inline auto operator<=>(const iterator& a, const iterator& b) noexcept { return a.index_ <=> b.index_; }

  private:
    friend chunk_view;
    iterator(std::span<const std::byte> bytes, std::size_t size, std::size_t index)
        : bytes_(bytes), size_(size), index_(index) {}
    std::span<const std::byte> bytes_;
    std::size_t size_ = 1;
    std::size_t index_ = 0; // the chunk's number
  };

  chunk_view() = default;
  /// `bytes` in chunks of `size` bytes (none when `size` is 0).
  chunk_view(std::span<const std::byte> bytes, std::size_t size)
      : bytes_(size == 0 ? bytes.first(0) : bytes), size_(std::max<std::size_t>(size, 1)) {}

  /// The first chunk.
  inline iterator begin() const noexcept { return {bytes_, size_, 0}; }
  /// Past the last chunk.
  inline iterator end() const noexcept { return {bytes_, size_, size()}; }
  /// The number of chunks.
  inline std::size_t size() const noexcept {
    // Not (bytes + size - 1) / size: that overflows for a chunk size near SIZE_MAX.
    return bytes_.empty() ? 0 : (bytes_.size() - 1) / size_ + 1;
  }

private:
  std::span<const std::byte> bytes_;
  std::size_t size_ = 1;
};

/// A readable stream `S` as spans of `size` bytes (the last may be shorter); an input range. A
/// chunk points into the stream's buffer when the buffer holds a whole chunk, else into the view's
/// own buffer, and stays valid until the next increment. An unbuffered stream is read straight
/// into the view's buffer, one chunk at a time. Errors as for lines: thrown, or stored in the
/// std::error_code the view was made with, ending the range.
template <class S>
class stream_chunk_view : public std::ranges::view_interface<stream_chunk_view<S>>, public ranges::view_base {
  struct state;

public:
  /// Walks the chunks; all iterators of a view share its state.
  class iterator {
  public:
    using value_type = std::span<const std::byte>;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    /// The current chunk, valid until the next increment.
    inline std::span<const std::byte> operator*() const noexcept { return state_->current; }
    /// Moves to the next chunk.
    inline iterator& operator++() {
      state_->advance();
      return *this;
    }
    /// Moves to the next chunk.
    inline void operator++(int) { state_->advance(); }
    /// Whether the chunks are all read.
    friend inline bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.state_->done; }

  private:
    friend stream_chunk_view;
    inline explicit iterator(state* s) : state_(s) {}
    state* state_ = nullptr;
  };

  stream_chunk_view() = default;
  /// The chunks of `size` bytes of `stream` (none when `size` is 0); errors go to *ec when set.
  stream_chunk_view(S& stream, std::size_t size, std::error_code* ec)
      : state_(std::make_shared<state>(stream, size, ec)) {}

  /// Reads the first chunk (on the first call only).
  inline iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->advance();
    }
    return iterator(state_.get());
  }
  /// The end of the chunks.
  inline std::default_sentinel_t end() const noexcept { return {}; }

private:
  struct state {
    // A size of 0 makes no chunks.
    inline state(S& s, std::size_t n, std::error_code* e) : stream(&s), size(n), ec(e), started(n == 0), done(n == 0) {}

    S* stream;
    std::size_t size;
    std::error_code* ec;
    // Page-aligned and allocated at the first chunk that needs it: the kernel copies into an
    // aligned buffer several times faster than into one 16 bytes past a page, where malloc puts it.
    detail::aligned_buffer own;
    std::size_t pending = 0;          // bytes of the stream's buffer behind the current chunk
    std::span<const std::byte> current;
    bool started;
    bool done;

    // The view's buffer, allocated on first use; empty after an allocation failure reported
    // through ec (with no ec, std::bad_alloc propagates).
    inline std::span<std::byte> own_buffer() {
      if (!own) {
        if (ec == nullptr) {
          own = detail::make_aligned_buffer(size);
        } else {
          try {
            own = detail::make_aligned_buffer(size);
          } catch (const std::bad_alloc&) {
            *ec = std::make_error_code(std::errc::not_enough_memory);
            return {};
          }
        }
      }
      return {own.get(), size};
    }

    inline void advance() {
      std::size_t n = 0;
      if constexpr (buffered_readable<S>) {
        if (pending != 0) stream->consume(std::exchange(pending, 0));
        detail::stream_input<S> input(*stream, ec);
        const std::span<const std::byte> buffered = input.fill();
        if (buffered.size() >= size) { // a whole chunk in the stream's buffer: no copy
          current = buffered.first(size);
          pending = size;
          return;
        }
        const std::span<std::byte> out = own_buffer();
        if (!out.empty()) n = input.read_full(out);
      } else {
        // Straight into the view's buffer, gathering short reads.
        const std::span<std::byte> out = own_buffer();
        while (!out.empty() && n < size) {
          const std::size_t got = ec ? detail::read(*stream, out.subspan(n), *ec) : stream->read(out.subspan(n));
          if (got == 0 || (ec && *ec)) break;
          n += got;
        }
      }
      if (n == 0 || (ec && *ec)) {
        done = true;
        current = {};
        return;
      }
      current = std::span<const std::byte>(own.get(), n);
    }
  };

  std::shared_ptr<state> state_;
};

} // namespace io

namespace io::detail {

template <class T>
auto make_chunks(T&& source, std::size_t size, std::error_code* ec) {
  if (size == 0) {
    if (ec == nullptr) throw io_error(errc::invalid_argument, "cut chunks of 0 bytes");
    *ec = errc::invalid_argument;
  }
  if constexpr (in_memory_source<T>) return chunk_view(memory_bytes(source), size);
  else return stream_chunk_view<std::remove_reference_t<T>>(source, size, ec);
}

} // namespace io::detail

export namespace io {

/// The view io::views::chunks makes of a `T`: io::chunk_view over memory, io::stream_chunk_view
/// over a stream.
template <class T>
using chunks_view = decltype(detail::make_chunks(std::declval<T>(), 1, nullptr));

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::chunks.
struct chunks_fn {
  /// `source` in chunks of `size` bytes.
  template <class T>
    requires viewable_source<T>
  inline auto operator()(T&& source, std::size_t size) const {
    return detail::make_chunks(std::forward<T>(source), size, nullptr);
  }
  /// As chunks(source, size), with read errors (and a size of 0) reported through `ec`.
  template <class T>
    requires viewable_source<T>
  inline auto operator()(T&& source, std::size_t size, std::error_code& ec) const {
    ec.clear();
    return detail::make_chunks(std::forward<T>(source), size, &ec);
  }
  /// The adaptor with its size bound, for `source | io::views::chunks(4096)`.
  inline auto operator()(std::size_t size) const {
    if (size == 0) throw io_error(errc::invalid_argument, "cut chunks of 0 bytes");
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
/// Over memory a borrowed random-access range of subspans; over a stream an input range whose
/// spans stay valid until the next increment. Read errors throw io_error, or go to `ec`; a size
/// of 0 is errc::invalid_argument.
inline constexpr chunks_fn chunks{};

} // namespace io::views

template <>
inline constexpr bool std::ranges::enable_borrowed_range<io::chunk_view> = true;
template <>
inline constexpr bool ranges::enable_borrowed_range<io::chunk_view> = true;
