// io.core:views.source — what a view reads: bytes already in memory, or a stream read as it goes.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <memory>
#include <ranges>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:views.source;
import :error;
import :concepts;
import :detail;
import :buffered_reader;

export namespace io {

/// A contiguous range of single-byte elements (std::string, std::string_view, std::span<const
/// std::byte>, io::mapped_file, ...): views scan it in place.
template <class R>
concept byte_range = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
                     sizeof(std::ranges::range_value_t<R>) == 1 &&
                     std::is_trivially_copyable_v<std::ranges::range_value_t<R>>;

/// What io's views accept: a contiguous_source stream (they scan its unread bytes in place), a
/// byte_range that outlives the view (an lvalue or a borrowed range), or an lvalue readable
/// stream (they read it as they go). A character array is refused: a string literal would bring
/// its terminating '\0'; pass a std::string_view.
template <class T>
concept viewable_source =
    (contiguous_source<std::remove_cvref_t<T>> && std::is_lvalue_reference_v<T>) ||
    (byte_range<std::remove_cvref_t<T>> && !std::is_array_v<std::remove_reference_t<T>> &&
     (std::is_lvalue_reference_v<T> || std::ranges::borrowed_range<T>)) ||
    (readable<std::remove_reference_t<T>> && std::is_lvalue_reference_v<T> && !std::is_const_v<std::remove_reference_t<T>>);

/// Whether views over `T` scan bytes in memory (forward, borrowed ranges) rather than read a
/// stream (input ranges).
template <class T>
concept in_memory_source = viewable_source<T> && (contiguous_source<std::remove_cvref_t<T>> ||
                                                  byte_range<std::remove_cvref_t<T>>);

} // namespace io

export namespace io::detail {

// The bytes an in-memory source holds: a stream's unread bytes, or a range's elements.
template <class T>
std::span<const std::byte> memory_bytes(T& source) {
  if constexpr (contiguous_source<std::remove_cvref_t<T>>) {
    const std::span<const std::byte> all = source.view();
    return all.subspan(std::min<std::size_t>(all.size(), source.tell()));
  } else {
    return std::as_bytes(std::span(std::ranges::data(source), std::ranges::size(source)));
  }
}

// An adaptor with its arguments bound, waiting for a source: `source | closure`, `closure(source)`.
template <class F>
struct source_closure {
  F make;

  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source) const {
    return make(std::forward<T>(source));
  }

  template <class T>
    requires viewable_source<T>
  friend auto operator|(T&& source, const source_closure& closure) {
    return closure.make(std::forward<T>(source));
  }
};

// How a view reads a stream: through the stream's own buffer when it is buffered_readable, else
// through a buffer of the view's. Errors are thrown, or stored in *ec and end the range.
template <class S>
class stream_input {
public:
  static constexpr std::size_t own_buffer_size = 64 * 1024;

  stream_input(S& stream, std::error_code* ec) : source_(make_source(stream)), ec_(ec) {}

  // The buffered bytes, refilled when none are left; empty at the end or after a stored error.
  std::span<const std::byte> fill() {
    if (ec_ == nullptr) return source_.fill();
    const std::span<const std::byte> bytes = detail::fill(source_, *ec_);
    return *ec_ ? std::span<const std::byte>{} : bytes;
  }
  void consume(std::size_t n) { source_.consume(n); }
  // Whether a read failed and the error was stored.
  bool failed() const noexcept { return ec_ != nullptr && static_cast<bool>(*ec_); }

  // Reads into `out` until it is full or the stream ends; returns the count.
  std::size_t read_full(std::span<std::byte> out) {
    std::size_t done = 0;
    while (done < out.size()) {
      const std::span<const std::byte> available = fill();
      if (available.empty()) break;
      const std::size_t n = std::min(available.size(), out.size() - done);
      std::copy_n(available.data(), n, out.data() + done);
      consume(n);
      done += n;
    }
    return done;
  }

private:
  using source_type = std::conditional_t<buffered_readable<S>, S&, buffered_reader<S&>>;

  static source_type make_source(S& stream) {
    if constexpr (buffered_readable<S>) return stream;
    else return buffered_reader<S&>(stream, own_buffer_size);
  }

  source_type source_;
  std::error_code* ec_;
};

} // namespace io::detail
