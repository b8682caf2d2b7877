// io.core:views.source — what a view reads: storage (bytes in memory, scanned in place) or a
// stream (read as it goes, and consumed); held by reference when an lvalue, owned when an rvalue.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
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
import :buffer;

export namespace io {

/// A contiguous range of single-byte elements (std::string, std::string_view, std::span<const
/// std::byte>, io::mapped_file, ...): views scan it in place.
template <class R>
concept byte_range = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
                     sizeof(std::ranges::range_value_t<R>) == 1 &&
                     std::is_trivially_copyable_v<std::ranges::range_value_t<R>>;

/// Storage a view scans in place and never consumes: a byte_range that is not a stream. An lvalue
/// or a borrowed range is referred to; an rvalue container (a std::string) is owned by the view.
/// A character array is not storage: a string literal would bring its terminating '\0'.
template <class T>
concept storage_source = byte_range<std::remove_cvref_t<T>> && !readable<std::remove_cvref_t<T>> &&
                         !std::is_array_v<std::remove_reference_t<T>>;

/// A stream a view reads and consumes: an lvalue is referred to, an rvalue is moved into the view.
template <class T>
concept stream_source = readable<std::remove_cvref_t<T>> && !std::is_const_v<std::remove_reference_t<T>>;

/// What io's views accept: storage or a stream.
template <class T>
concept viewable_source = storage_source<T> || stream_source<T>;

} // namespace io

namespace io::detail {

// One sentence for each way a source can be refused, so that a refused call says what to write.
template <class T>
constexpr bool check_source() {
  using U = std::remove_cvref_t<T>;
  static_assert(!std::is_array_v<std::remove_reference_t<T>>,
                "io::views: a character array (a string literal) would bring its terminating '\\0': pass a std::string_view");
  static_assert(!(readable<U> && std::is_const_v<std::remove_reference_t<T>>),
                "io::views: a const stream cannot be read: pass it without const");
  static_assert(std::is_array_v<std::remove_reference_t<T>> || (readable<U> && std::is_const_v<std::remove_reference_t<T>>) ||
                    viewable_source<T>,
                "io::views: pass a readable stream (io::file, io::open(path), io::memory_stream, a type with "
                "read(std::span<std::byte>)) or contiguous bytes (std::string_view, std::span<const std::byte>, "
                "io::mapped_file); a std::istream is neither");
  return true;
}

// A source held by a view: a pointer to an lvalue, the object itself for an rvalue (moved in).
template <class T>
class held {
  static constexpr bool refers = std::is_lvalue_reference_v<T>;
  using object = std::remove_reference_t<T>;

public:
  explicit held(T&& source) : value_(make(std::forward<T>(source))) {}
  inline object& get() noexcept {
    if constexpr (refers) return *value_;
    else return value_;
  }
  inline const object& get() const noexcept {
    if constexpr (refers) return *value_;
    else return value_;
  }

private:
  static auto make(T&& source) {
    if constexpr (refers) return std::addressof(source);
    else return object(std::move(source));
  }
  std::conditional_t<refers, object*, object> value_;
};

// The bytes of storage, as a string_view.
template <class R>
std::string_view storage_text(const R& storage) noexcept {
  return {reinterpret_cast<const char*>(std::ranges::data(storage)), std::ranges::size(storage)};
}

// Storage as a view holds it: a string_view for an lvalue or a borrowed range (the bytes outlive
// the view), the container itself for an rvalue one.
template <class T>
class held_storage {
  static constexpr bool owns = !std::is_lvalue_reference_v<T> && !std::ranges::borrowed_range<T>;

public:
  held_storage() = default;
  explicit held_storage(T&& storage) {
    if constexpr (owns) owned_ = std::move(storage);
    else text_ = storage_text(storage);
  }
  inline std::string_view text() const noexcept {
    if constexpr (owns) return storage_text(owned_);
    else return text_;
  }

  // Views over it are borrowed when it does not own the bytes.
  static constexpr bool borrowed = !owns;

private:
  std::conditional_t<owns, std::remove_cvref_t<T>, std::string_view> owned_{};
  std::string_view text_;
};

// An adaptor with its arguments bound, waiting for a source: `source | closure`, `closure(source)`.
template <class F>
struct source_closure {
  F make;

  // The adaptor `make` calls checks the source.
  template <class T>
  auto operator()(T&& source) const {
    return make(std::forward<T>(source));
  }

  template <class T>
  friend auto operator|(T&& source, const source_closure& closure) {
    return closure.make(std::forward<T>(source));
  }
};

// How a view reads a stream `S`: through the stream's own buffer when it is buffered_readable,
// else through a buffer of the view's. Errors are thrown, or stored in *ec and end the range.
// Over an unbuffered stream the view reads ahead; when it is destroyed it gives back (seeks over)
// what it did not hand out, when the stream can seek, so that the stream's position is right after
// the last element handed out.
template <class S>
class stream_input {
public:
  static constexpr std::size_t own_buffer_size = 64 * 1024;
  static constexpr bool lends_buffer = buffered_readable<S>;

  stream_input(S& stream, std::error_code* ec) : stream_(&stream), ec_(ec) {
    if constexpr (!lends_buffer) buffer_ = std::make_unique<byte_buffer>(own_buffer_size);
  }
  stream_input(const stream_input&) = delete;
  stream_input& operator=(const stream_input&) = delete;

  ~stream_input() { give_back(); }

  // Over an unbuffered stream that can seek, seeks back over the read-ahead not handed out, when
  // the stream is still where the view left it (else the read-ahead is dropped: someone moved it).
  void give_back() noexcept {
    if constexpr (!lends_buffer && seekable<S>) {
      if (window_.size() != 0 && fill_end_ != unknown) {
        std::error_code ec;
        const std::uint64_t at = detail::tell(*stream_, ec);
        if (!ec && at == fill_end_) detail::seek(*stream_, static_cast<std::int64_t>(at - window_.size()), whence::begin, ec);
      }
      window_.clear();
      fill_end_ = unknown;
    }
  }

  // The buffered bytes, refilled when none are left; empty at the end or after a stored error.
  inline std::span<const std::byte> fill() {
    if constexpr (lends_buffer) {
      if (ec_ == nullptr) return stream_->fill();
      const std::span<const std::byte> bytes = detail::fill(*stream_, *ec_);
      return *ec_ ? std::span<const std::byte>{} : bytes;
    } else {
      const bool refill = window_.size() == 0;
      std::span<const std::byte> bytes;
      if (ec_ == nullptr) {
        throw_errors sink;
        bytes = window_.fill(*stream_, *buffer_, sink);
      } else {
        bytes = window_.fill(*stream_, *buffer_, *ec_);
        if (*ec_) return {};
      }
      if constexpr (seekable<S>) {
        if (refill) { // where the read-ahead ends, to give it back later
          std::error_code ec;
          const std::uint64_t at = detail::tell(*stream_, ec);
          fill_end_ = ec ? unknown : at;
        }
      }
      return bytes;
    }
  }
  // The bytes buffered and not consumed, without reading: what fill() would return when there are
  // any, at the cost of a load or two (the views' per-element fast path).
  inline std::span<const std::byte> buffered() {
    if constexpr (!lends_buffer) return window_.pending(*buffer_);
    else if constexpr (requires { { stream_->buffered() } -> std::convertible_to<std::span<const std::byte>>; })
      return stream_->buffered();
    else return {}; // the caller falls back to fill(): a failed read is not retried
  }
  inline void consume(std::size_t n) {
    if constexpr (lends_buffer) stream_->consume(n);
    else window_.consume(n);
  }
  // Whether the buffered bytes are a read window a view may walk in place (window()): the view's
  // own over an unbuffered stream, or one a buffered stream lends (lend_read_window).
  static constexpr bool lends_window = !lends_buffer || requires(S& s) {
    { lend_read_window(s) } -> std::same_as<lent_window>;
  };
  inline lent_window window() noexcept {
    if constexpr (!lends_buffer) return {&window_, buffer_->data()};
    else return lend_read_window(*stream_);
  }
  // Whether a read failed and the error was stored.
  inline bool failed() const noexcept { return ec_ != nullptr && static_cast<bool>(*ec_); }
  // Where errors go: nullptr when they are thrown.
  inline std::error_code* error_sink() const noexcept { return ec_; }
  inline S& stream() noexcept { return *stream_; }

  // The stream's position as the view sees it (behind the stream's own by the view's read-ahead),
  // or `fallback` when the stream cannot tell.
  std::uint64_t position(std::uint64_t fallback) {
    if constexpr (seekable<S>) {
      std::error_code ec;
      const std::uint64_t at = detail::tell(*stream_, ec);
      if (!ec) return at - (lends_buffer ? 0 : window_.size());
    }
    return fallback;
  }

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
  S* stream_;
  std::error_code* ec_;
  static constexpr std::uint64_t unknown = ~std::uint64_t{0};
  std::unique_ptr<byte_buffer> buffer_; // only for an unbuffered stream
  read_window window_;
  std::uint64_t fill_end_ = unknown; // the stream's position after the last refill
};

// The shared state of a view over a stream: the held stream (first, so that it outlives the
// input that reads it) and the input.
template <class T>
struct stream_holder {
  using stream_type = std::remove_reference_t<T>;
  stream_holder(T&& source, std::error_code* ec) : stream(std::forward<T>(source)), input(stream.get(), ec) {}
  held<T> stream;
  stream_input<stream_type> input;
};

} // namespace io::detail
