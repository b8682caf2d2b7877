// io.core:views.bytes — a source as a range of single bytes.
module;
#include <cstddef>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.bytes;
import :concepts;
import :views.source;

export namespace io {

/// A readable stream `S` as an input range of std::byte, read a buffer at a time: an increment
/// is a pointer step, and a refill once per buffer. Errors as for lines: thrown, or stored in the
/// std::error_code the view was made with, ending the range. (Bytes already in memory are viewed
/// as a std::span<const std::byte> instead.)
template <class S>
class stream_byte_view : public std::ranges::view_interface<stream_byte_view<S>>, public ranges::view_base {
  struct state;

public:
  /// Walks the bytes; all iterators of a view share its state.
  class iterator {
  public:
    using value_type = std::byte;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    /// The current byte.
    std::byte operator*() const noexcept { return *next_; }
    /// Moves to the next byte, refilling the buffer when it is used up.
    iterator& operator++() {
      if (++next_ == end_) refill();
      return *this;
    }
    /// Moves to the next byte.
    void operator++(int) { ++*this; }
    /// Whether the bytes are all read.
    friend bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.next_ == a.end_; }

  private:
    friend stream_byte_view;
    explicit iterator(state* s) : state_(s), next_(s->chunk.data()), end_(s->chunk.data() + s->chunk.size()) {}

    void refill() {
      state_->refill();
      next_ = state_->chunk.data();
      end_ = next_ + state_->chunk.size();
    }

    state* state_ = nullptr;
    const std::byte* next_ = nullptr;
    const std::byte* end_ = nullptr;
  };

  stream_byte_view() = default;
  /// The bytes of `stream`; errors go to *ec when `ec` is set.
  stream_byte_view(S& stream, std::error_code* ec) : state_(std::make_shared<state>(stream, ec)) {}

  /// Reads the first buffer (on the first call only).
  iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->chunk = state_->input.fill();
    }
    return iterator(state_.get());
  }
  /// The end of the bytes.
  std::default_sentinel_t end() const noexcept { return {}; }

private:
  struct state {
    state(S& stream, std::error_code* ec) : input(stream, ec) {}

    void refill() {
      input.consume(chunk.size());
      chunk = input.fill();
    }

    detail::stream_input<S> input;
    std::span<const std::byte> chunk; // the buffered bytes being walked, consumed at the next refill
    bool started = false;
  };

  std::shared_ptr<state> state_;
};

} // namespace io

namespace io::detail {

template <class T>
auto make_bytes(T&& source, std::error_code* ec) {
  if constexpr (in_memory_source<T>) return memory_bytes(source);
  else return stream_byte_view<std::remove_reference_t<T>>(source, ec);
}

} // namespace io::detail

export namespace io {

/// The view io::views::bytes makes of a `T`: std::span<const std::byte> over memory,
/// io::stream_byte_view over a stream.
template <class T>
using bytes_view = decltype(detail::make_bytes(std::declval<T>(), nullptr));

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::bytes.
struct bytes_fn {
  /// The bytes of `source`.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source) const {
    return detail::make_bytes(std::forward<T>(source), nullptr);
  }
  /// The bytes of `source`; a read error is stored in `ec` and ends the range.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, std::error_code& ec) const {
    ec.clear();
    return detail::make_bytes(std::forward<T>(source), &ec);
  }
  /// The adaptor with `ec` bound, for `source | io::views::bytes(ec)`.
  auto operator()(std::error_code& ec) const {
    return detail::source_closure{[ec = &ec](auto&& source) { return bytes_fn{}(std::forward<decltype(source)>(source), *ec); }};
  }
  /// `source | io::views::bytes`
  template <class T>
    requires viewable_source<T>
  friend auto operator|(T&& source, const bytes_fn& bytes) {
    return bytes(std::forward<T>(source));
  }
};

/// A source as a range of std::byte: over memory a std::span<const std::byte> of it, over a stream
/// an input range read a buffer at a time. Read errors throw io_error, or go to `ec`.
inline constexpr bytes_fn bytes{};

} // namespace io::views
