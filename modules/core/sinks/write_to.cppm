// io.core:sinks.write_to — ranges written into a stream: `rng | io::write_to(out)`.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
export module io.core:sinks.write_to;
import :error;
import :concepts;
import :bytes;
import :detail;

namespace io::detail {

// A range element that is one byte (std::byte, char, unsigned char, ...).
template <class T>
concept single_byte = sizeof(T) == 1 && std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>;

// A range element that is a run of bytes: a string, a string_view, a span of bytes.
template <class T>
concept byte_run = std::convertible_to<const T&, std::string_view> ||
                   std::convertible_to<const T&, std::span<const std::byte>>;

template <class T>
std::span<const std::byte> run_bytes(const T& run) {
  if constexpr (std::convertible_to<const T&, std::string_view>) return as_bytes(std::string_view(run));
  else return std::span<const std::byte>(run);
}

} // namespace io::detail

export namespace io {

/// A range that io::write_to can write: of single bytes (std::byte, char, ...) or of runs of bytes
/// (strings, string_views, spans of bytes).
template <class R>
concept writable_range = std::ranges::input_range<R> &&
                         (detail::single_byte<std::ranges::range_value_t<R>> ||
                          detail::byte_run<std::ranges::range_value_t<R>>);

/// The sink behind io::write_to: holds the stream, the separator and where errors go.
template <writable W>
class write_to_sink {
public:
  /// Writes into `out`; `separator` goes between runs; errors go to *ec when `ec` is set.
  write_to_sink(W& out, std::string_view separator, std::error_code* ec)
      : out_(&out), separator_(separator), ec_(ec) {}

  /// Writes every element of `range` and returns the number of bytes written (before an error).
  template <writable_range R>
  std::uint64_t write(R&& range) const {
    if (ec_ != nullptr) {
      ec_->clear();
      return detail::capture(*ec_, [&] { return write_all(range, *ec_); });
    }
    detail::throw_errors sink;
    return write_all(range, sink);
  }

  /// `range | io::write_to(out)`
  template <writable_range R>
  friend std::uint64_t operator|(R&& range, const write_to_sink& sink) {
    return sink.write(std::forward<R>(range));
  }

private:
  template <class R, class Sink>
  std::uint64_t write_all(R& range, Sink& sink) const {
    using value_type = std::ranges::range_value_t<R>;
    std::uint64_t total = 0;
    // Counts exactly what reached the stream, also when a write fails midway (a stream with
    // write_some says how much a failing write took; others take all or nothing).
    auto put = [&](std::span<const std::byte> bytes) {
      if constexpr (detail::writes_some<W>) {
        while (!bytes.empty()) {
          const std::size_t n = detail::write_some(*out_, bytes, sink);
          if (detail::failed(sink)) return;
          total += n;
          bytes = bytes.subspan(n);
        }
      } else {
        detail::write(*out_, bytes, sink);
        if (!detail::failed(sink)) total += bytes.size();
      }
    };
    if constexpr (detail::single_byte<value_type> && std::ranges::contiguous_range<R> && std::ranges::sized_range<R>) {
      put(std::as_bytes(std::span(std::ranges::data(range), std::ranges::size(range)))); // one write
    } else if constexpr (detail::single_byte<value_type>) {
      // Gather single bytes into writes of a block each.
      std::byte block[4096];
      std::size_t used = 0;
      for (auto&& element : range) {
        block[used++] = static_cast<std::byte>(element);
        if (used == sizeof block) {
          put({block, used});
          if (detail::failed(sink)) return total;
          used = 0;
        }
      }
      if (used != 0) put({block, used});
    } else {
      bool first = true;
      for (auto&& element : range) {
        if (!first && !separator_.empty()) put(as_bytes(separator_));
        first = false;
        if (detail::failed(sink)) return total;
        put(detail::run_bytes(element));
        if (detail::failed(sink)) return total;
      }
    }
    return total;
  }

  W* out_;
  std::string separator_;
  std::error_code* ec_;
};

/// A sink for `range | io::write_to(out)`: writes a range of bytes or characters, or of strings,
/// string_views or byte spans, into `out` and returns the bytes written. Errors throw.
template <writable W>
write_to_sink<W> write_to(W& out) {
  return {out, {}, nullptr};
}
/// As write_to(out), with `separator` written between runs (Python's "sep".join): use "\n" after
/// lines with a final io::write(out, "\n") of your own.
template <writable W>
write_to_sink<W> write_to(W& out, std::string_view separator) {
  return {out, separator, nullptr};
}
/// As write_to(out), reporting errors through `ec` instead of throwing.
template <writable W>
write_to_sink<W> write_to(W& out, std::error_code& ec) {
  return {out, {}, &ec};
}
/// As write_to(out, separator), reporting errors through `ec` instead of throwing.
template <writable W>
write_to_sink<W> write_to(W& out, std::string_view separator, std::error_code& ec) {
  return {out, separator, &ec};
}

/// An output iterator that writes what is assigned through it into a stream: a byte, a char, a
/// string_view or a span of bytes, for std::ranges::copy and friends. Errors throw.
template <writable W>
class write_iterator {
public:
  using difference_type = std::ptrdiff_t;

  write_iterator() = default;
  /// Writes into `out`.
  explicit write_iterator(W& out) noexcept : out_(&out) {}

  /// Writes one byte or character.
  template <detail::single_byte T>
  write_iterator& operator=(T value) {
    const auto byte = static_cast<std::byte>(value);
    out_->write(std::span<const std::byte>(&byte, 1));
    return *this;
  }
  /// Writes a run of bytes.
  template <detail::byte_run T>
    requires(!detail::single_byte<T>)
  write_iterator& operator=(const T& run) {
    out_->write(detail::run_bytes(run));
    return *this;
  }

  write_iterator& operator*() noexcept { return *this; }
  write_iterator& operator++() noexcept { return *this; }
  write_iterator& operator++(int) noexcept { return *this; }

private:
  W* out_ = nullptr;
};

} // namespace io
