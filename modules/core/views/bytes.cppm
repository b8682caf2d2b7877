// io.core:views.bytes — io::views::bytes and io::bytes_view: a source as a range of single bytes.
module;
#include <cstddef>
#include <cstdint>
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
import :bytes;
import :views.source;

export namespace io::detail {

// The engine of bytes over storage: the storage's bytes, a contiguous range.
template <class T>
class storage_bytes {
public:
  storage_bytes() = default;
  storage_bytes(T&& source, std::error_code*) : storage_(std::forward<T>(source)) {}
  /// The first byte.
  inline const std::byte* begin() const noexcept { return as_bytes(storage_.text()).data(); }
  /// Past the last byte.
  inline const std::byte* end() const noexcept { return begin() + storage_.text().size(); }

  static constexpr bool borrowed = held_storage<T>::borrowed;

private:
  held_storage<T> storage_;
};

// The engine of bytes over a stream: an input range read a buffer at a time; an increment is a
// pointer step in the iterator, and a refill once per buffer. When an iterator is destroyed (the
// loop ends, by a break or otherwise) the stream is moved right after the byte it was at, the last
// one handed out; a later begin() goes on from there. When the last iterator goes, a view over an
// unbuffered stream gives back its read-ahead.
template <class T>
class stream_bytes {
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
    iterator(const iterator& other) noexcept
        : state_(other.state_), next_(other.next_), end_(other.end_), generation_(other.generation_) {
      if (state_ != nullptr) ++state_->live;
    }
    iterator& operator=(const iterator& other) noexcept {
      if (this != &other) {
        release();
        state_ = other.state_, next_ = other.next_, end_ = other.end_, generation_ = other.generation_;
        if (state_ != nullptr) ++state_->live;
      }
      return *this;
    }
    /// Takes from the stream the bytes walked, up to and including the current one.
    ~iterator() { release(); }

    /// The current byte.
    inline std::byte operator*() const noexcept { return *next_; }
    /// Moves to the next byte, refilling the buffer when it is used up.
    inline iterator& operator++() {
      if (++next_ == end_) refill();
      return *this;
    }
    /// Moves to the next byte.
    inline void operator++(int) { ++*this; }
    /// Whether the bytes are all read.
    friend inline bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.next_ == a.end_; }

  private:
    friend stream_bytes;
    inline explicit iterator(state* s) : state_(s) {
      ++state_->live;
      load();
    }
    inline void load() noexcept {
      next_ = state_->taken;
      end_ = state_->end;
      generation_ = state_->generation;
    }
    void refill() {
      state_->refill();
      load();
    }
    void release() noexcept {
      if (state_ == nullptr) return;
      if (generation_ == state_->generation && next_ != end_ && next_ >= state_->taken) state_->take_through(next_);
      if (--state_->live == 0) state_->input.give_back();
    }

    state* state_ = nullptr;
    const std::byte* next_ = nullptr;
    const std::byte* end_ = nullptr;
    std::uint64_t generation_ = 0;
  };

  stream_bytes() = default;
  stream_bytes(T&& source, std::error_code* ec) : state_(std::make_shared<state>(std::forward<T>(source), ec)) {}

  /// The bytes from the first one not handed out yet.
  iterator begin() {
    if (state_->taken == state_->end) state_->refill();
    return iterator(state_.get());
  }
  /// The end of the bytes.
  std::default_sentinel_t end() const noexcept { return {}; }

  static constexpr bool borrowed = false;

private:
  struct state : stream_holder<T> {
    state(T&& source, std::error_code* ec) : stream_holder<T>(std::forward<T>(source), ec) {}
    state(const state&) = delete;

    // Takes the rest of the buffer and reads the next one.
    void refill() {
      this->input.consume(static_cast<std::size_t>(end - taken));
      const std::span<const std::byte> bytes = this->input.fill();
      taken = bytes.data();
      end = taken + bytes.size();
      ++generation;
    }
    // Takes the bytes up to and including `at`, which was handed out.
    void take_through(const std::byte* at) noexcept {
      this->input.consume(static_cast<std::size_t>(at + 1 - taken));
      taken = at + 1;
    }

    const std::byte* taken = nullptr; // the buffered bytes not taken from the stream: [taken, end)
    const std::byte* end = nullptr;
    std::uint64_t generation = 0; // refills so far: an iterator of an older buffer takes nothing
    std::size_t live = 0;         // iterators alive
  };

  std::shared_ptr<state> state_;
};

template <class T>
using byte_engine = std::conditional_t<storage_source<T>, storage_bytes<T>, stream_bytes<T>>;

} // namespace io::detail

export namespace io {

/// A source `T` as a range of std::byte (what `source | io::views::bytes` is): over storage its
/// bytes, a contiguous range (borrowed unless it owns an rvalue container); over a stream an
/// input range that consumes it, read a buffer at a time.
template <class T>
class bytes_view : public detail::byte_engine<T>,
                   public std::ranges::view_interface<bytes_view<T>>,
                   public ranges::view_base {
  using engine = detail::byte_engine<T>;

public:
  bytes_view() = default;
  /// The bytes of `source`; errors go to *ec when set.
  bytes_view(T&& source, std::error_code* ec) : engine(std::forward<T>(source), ec) {}
  using engine::begin;
  using engine::end;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::bytes.
struct bytes_fn {
  /// The bytes of `source`.
  template <class T>
  auto operator()(T&& source) const {
    static_assert(detail::check_source<T>());
    if constexpr (viewable_source<T>) return bytes_view<T>(std::forward<T>(source), nullptr);
  }
  /// The bytes of `source`; a read error is stored in `ec` and ends the range.
  template <class T>
  auto operator()(T&& source, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    if constexpr (viewable_source<T>) return bytes_view<T>(std::forward<T>(source), &ec);
  }
  /// The adaptor with `ec` bound, for `source | io::views::bytes(ec)`.
  auto operator()(std::error_code& ec) const {
    return detail::source_closure{[ec = &ec](auto&& source) { return bytes_fn{}(std::forward<decltype(source)>(source), *ec); }};
  }
  /// `source | io::views::bytes`
  template <class T>
  friend auto operator|(T&& source, const bytes_fn& bytes) {
    return bytes(std::forward<T>(source));
  }
};

/// A source as a range of std::byte: over storage its bytes in place, over a stream an input
/// range read a buffer at a time that consumes it. Read errors throw io_error, or go to `ec`.
inline constexpr bytes_fn bytes{};

} // namespace io::views

template <class T>
inline constexpr bool std::ranges::enable_borrowed_range<io::bytes_view<T>> = io::detail::byte_engine<T>::borrowed;
template <class T>
inline constexpr bool ranges::enable_borrowed_range<io::bytes_view<T>> = io::detail::byte_engine<T>::borrowed;
