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
import :views.stream_range;

namespace io::detail {

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

// The state of bytes over a stream, shared by its iterators: the stream's buffered bytes not
// taken from it yet. A cursor steps through them by pointer and takes them from the stream only
// when it refills or goes.
template <class T>
struct byte_state : stream_holder<T> {
  byte_state(T&& source, std::error_code* ec) : stream_holder<T>(std::forward<T>(source), ec) {}
  byte_state(const byte_state&) = delete;

  // begin(): the first byte not handed out yet.
  inline void start() {
    if (taken == end) refill();
  }
  // The last iterator went: a view over an unbuffered stream gives back its read-ahead.
  inline void last_gone() noexcept { this->input.give_back(); }

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
  std::uint64_t generation = 0; // refills so far: a cursor of an older buffer takes nothing
  std::size_t live = 0;         // iterators alive
};

// Walks the bytes: an increment is a pointer step, and a refill once per buffer. When its iterator
// goes (the loop ends, by a break or otherwise) the stream is moved right after the byte it was
// at, the last one handed out; a later begin() goes on from there.
template <class T>
class byte_cursor {
public:
  byte_cursor() = default;
  inline explicit byte_cursor(byte_state<T>* s) noexcept : state_(s) { load(); }

  inline std::byte read() const noexcept { return *next_; }
  inline void next() {
    if (++next_ == end_) {
      state_->refill();
      load();
    }
  }
  inline bool done() const noexcept { return next_ == end_; }
  inline void leave() noexcept {
    if (generation_ == state_->generation && next_ != end_ && next_ >= state_->taken) state_->take_through(next_);
  }
  inline byte_state<T>* state() const noexcept { return state_; }

private:
  inline void load() noexcept {
    next_ = state_->taken;
    end_ = state_->end;
    generation_ = state_->generation;
  }

  byte_state<T>* state_ = nullptr;
  const std::byte* next_ = nullptr;
  const std::byte* end_ = nullptr;
  std::uint64_t generation_ = 0;
};

// The engine of bytes over a stream: an input range read a buffer at a time.
template <class T>
class stream_bytes : public stream_range<byte_state<T>, byte_cursor<T>> {
public:
  stream_bytes() = default;
  stream_bytes(T&& source, std::error_code* ec)
      : stream_range<byte_state<T>, byte_cursor<T>>(std::in_place, std::forward<T>(source), ec) {}
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
