// io.core:binary — values in a chosen byte order: io::load / io::store over bytes (constexpr), and
// io::read_value / io::write_value and their array forms over streams (Go's encoding/binary).
module;
#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
export module io.core:binary;
import :error;
import :concepts;
import :detail;

export namespace io {

/// A type io reads and writes as its bytes in a chosen order: an integer (not bool), an enum, or an
/// IEEE float or double, of 1, 2, 4 or 8 bytes.
template <class T>
concept binary_value =
    !std::is_const_v<T> && !std::is_volatile_v<T> &&
    ((std::integral<T> && !std::same_as<T, bool>) || std::is_enum_v<T> ||
     (std::floating_point<T> && std::numeric_limits<T>::is_iec559)) &&
    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

/// `value` with its bytes in reverse order (C++23's std::byteswap), usable at compile time.
template <std::integral T>
  requires(!std::same_as<T, bool>)
constexpr T byteswap(T value) noexcept {
  using U = std::make_unsigned_t<T>;
  const auto u = static_cast<U>(value);
  if constexpr (sizeof(T) == 1) return value;
  else if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(u));
  else if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(u));
  else if constexpr (sizeof(T) == 8) return static_cast<T>(__builtin_bswap64(u));
  else static_assert(sizeof(T) == 0, "io::byteswap: integers of 1, 2, 4 or 8 bytes");
}

} // namespace io

namespace io::detail {

// The unsigned integer of N bytes, through which every binary_value is swapped and assembled.
template <std::size_t N> struct uint_of_size;
template <> struct uint_of_size<1> { using type = std::uint8_t; };
template <> struct uint_of_size<2> { using type = std::uint16_t; };
template <> struct uint_of_size<4> { using type = std::uint32_t; };
template <> struct uint_of_size<8> { using type = std::uint64_t; };
template <class T>
using uint_of = typename uint_of_size<sizeof(T)>::type;

// `value` with its bytes reversed, whatever its type.
template <binary_value T>
constexpr T swap_bytes(T value) noexcept {
  return std::bit_cast<T>(io::byteswap(std::bit_cast<uint_of<T>>(value)));
}

// Reverses the bytes of every value; a plain loop over unsigned integers, which compilers vectorize
// (one byte shuffle per vector register).
template <binary_value T>
inline void swap_all(std::span<T> values) noexcept {
  if constexpr (sizeof(T) != 1)
    for (T& v : values) v = swap_bytes(v);
}

// The value in the first sizeof(T) bytes at `p`, stored in `order`. At compile time the bytes are
// assembled one by one (memcpy is not constexpr); at run time one load and at most one swap.
template <binary_value T>
constexpr T load_unchecked(const std::byte* p, std::endian order) noexcept {
  using U = uint_of<T>;
  U v = 0;
  if (std::is_constant_evaluated()) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      const std::size_t shift = 8 * (order == std::endian::little ? i : sizeof(T) - 1 - i);
      v = static_cast<U>(v | static_cast<U>(std::to_integer<U>(p[i]) << shift));
    }
  } else {
    std::memcpy(&v, p, sizeof v);
    if (order != std::endian::native) v = io::byteswap(v);
  }
  return std::bit_cast<T>(v);
}

// Stores `value` in `order` into the first sizeof(T) bytes at `p`.
template <binary_value T>
constexpr void store_unchecked(std::byte* p, T value, std::endian order) noexcept {
  using U = uint_of<T>;
  U v = std::bit_cast<U>(value);
  if (std::is_constant_evaluated()) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      const std::size_t shift = 8 * (order == std::endian::little ? i : sizeof(T) - 1 - i);
      p[i] = static_cast<std::byte>(static_cast<unsigned char>(v >> shift));
    }
  } else {
    if (order != std::endian::native) v = io::byteswap(v);
    std::memcpy(p, &v, sizeof v);
  }
}

// "expected a 4-byte value, got 2 bytes" for error messages.
inline std::string shortfall(std::string_view verb, std::size_t expected, std::string_view what, std::size_t got) {
  std::string s(verb);
  s += " {}: expected ";
  s += std::to_string(expected);
  s += what;
  s += ", got ";
  s += std::to_string(got);
  s += got == 1 ? " byte" : " bytes";
  return s;
}

// Reads until `out` is full; returns the count, and reports errc::unexpected_eof (naming the
// stream's path and both counts) when the stream ends first.
template <class S, class What, class Sink>
constexpr std::size_t read_fully(S& s, std::span<std::byte> out, What what, Sink& sink) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t n = detail::read(s, out.subspan(done), sink);
    if (failed(sink)) return done;
    if (n == 0) {
      // The message is built only where it is thrown: the error_code path allocates nothing.
      if constexpr (std::is_same_v<Sink, throw_errors>)
        report(sink, errc::unexpected_eof, shortfall("read", out.size(), what(), done), path_of(s));
      else
        report(sink, errc::unexpected_eof, {});
      return done;
    }
    done += n;
  }
  return done;
}

// " bytes of a value", " bytes of 10 values": what a read of `count` values expected.
constexpr auto value_words(std::size_t count) {
  return [count] { return count == 1 ? std::string(" bytes of a value") : " bytes of " + std::to_string(count) + " values"; };
}

template <binary_value T, class S, class Sink>
constexpr T read_value(S& s, std::endian order, Sink& sink) {
  if constexpr (buffered_readable<S>) {
    // The whole value in the stream's buffer: decode it there, no copy.
    const std::span<const std::byte> buffered = detail::fill(s, sink);
    if (failed(sink)) return T{};
    if (buffered.size() >= sizeof(T)) {
      const T value = load_unchecked<T>(buffered.data(), order);
      s.consume(sizeof(T));
      return value;
    }
  }
  std::array<std::byte, sizeof(T)> bytes{};
  if (read_fully(s, bytes, value_words(1), sink) < sizeof(T)) return T{};
  return load_unchecked<T>(bytes.data(), order);
}

template <binary_value T, class S, class Sink>
constexpr void write_value(S& s, T value, std::endian order, Sink& sink) {
  std::array<std::byte, sizeof(T)> bytes;
  store_unchecked(bytes.data(), value, order);
  detail::write(s, bytes, sink);
}

template <binary_value T, class S, class Sink>
constexpr std::size_t read_values(S& s, std::span<T> out, std::endian order, Sink& sink) {
  if (std::is_constant_evaluated()) {
    // std::as_writable_bytes is no constant expression (it is a reinterpret_cast): value by value.
    // An error is then no constant expression either, so the values read before it do not matter.
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::array<std::byte, sizeof(T)> bytes{};
      if (read_fully(s, bytes, value_words(out.size()), sink) < sizeof(T)) return i;
      out[i] = load_unchecked<T>(bytes.data(), order);
    }
    return out.size();
  }
  const std::size_t got = read_fully(s, std::as_writable_bytes(out), value_words(out.size()), sink);
  const std::span<T> whole = out.first(got / sizeof(T)); // the values read before an error
  if (order != std::endian::native) swap_all(whole);
  return whole.size();
}

template <binary_value T, class S, class Sink>
constexpr void write_values(S& s, std::span<const T> values, std::endian order, Sink& sink) {
  if (std::is_constant_evaluated()) {
    // As in read_values: no std::as_bytes at compile time, so one value at a time.
    for (const T& v : values) {
      std::array<std::byte, sizeof(T)> bytes{};
      store_unchecked(bytes.data(), v, order);
      detail::write(s, bytes, sink);
      if (failed(sink)) return;
    }
    return;
  }
  if (order == std::endian::native || sizeof(T) == 1) return detail::write(s, std::as_bytes(values), sink);
  // Swapped through a small buffer, so that any number of values costs no allocation.
  std::array<T, 4096 / sizeof(T)> swapped;
  while (!values.empty()) {
    const std::size_t n = std::min(values.size(), swapped.size());
    std::copy_n(values.data(), n, swapped.data());
    swap_all(std::span<T>(swapped.data(), n));
    detail::write(s, std::as_bytes(std::span<const T>(swapped.data(), n)), sink);
    if (failed(sink)) return;
    values = values.subspan(n);
  }
}

// A contiguous range as a span of dynamic extent (std::span(array) would have a static one).
template <class R>
constexpr auto as_span(R& r) noexcept {
  return std::span<std::remove_reference_t<std::ranges::range_reference_t<R>>>(std::ranges::data(r), std::ranges::size(r));
}

// A contiguous range of binary values, read into (mutable) or written from.
template <class R>
concept value_range = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
                      binary_value<std::remove_const_t<std::ranges::range_value_t<R>>>;

} // namespace io::detail

export namespace io {

/// The value of T stored in the first sizeof(T) bytes of `bytes` in byte order `order`
/// (std::endian::little or std::endian::big), as Rust's from_le_bytes; usable at compile time.
/// Fewer bytes are errc::unexpected_eof.
template <binary_value T>
constexpr T load(std::span<const std::byte> bytes, std::endian order = std::endian::little) {
  if (bytes.size() < sizeof(T))
    throw io_error(errc::unexpected_eof, detail::shortfall("load", sizeof(T), " bytes of a value", bytes.size()));
  return detail::load_unchecked<T>(bytes.data(), order);
}
/// As load<T>(bytes, order), reporting errors through `ec` (and returning T{}). Not constexpr:
/// std::error_code is no literal type before C++23.
template <binary_value T>
T load(std::span<const std::byte> bytes, std::endian order, std::error_code& ec) noexcept {
  ec.clear();
  if (bytes.size() < sizeof(T)) {
    ec = errc::unexpected_eof;
    return T{};
  }
  return detail::load_unchecked<T>(bytes.data(), order);
}
/// As load<T>(bytes), reporting errors through `ec`.
template <binary_value T>
T load(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  return io::load<T>(bytes, std::endian::little, ec);
}

/// Stores `value` in byte order `order` into the first sizeof(T) bytes of `out` (Rust's
/// to_le_bytes); usable at compile time. Fewer bytes are errc::no_buffer_space, and none is written.
template <binary_value T>
constexpr void store(std::span<std::byte> out, T value, std::endian order = std::endian::little) {
  if (out.size() < sizeof(T)) throw io_error(errc::no_buffer_space, "store a value");
  detail::store_unchecked(out.data(), value, order);
}
/// As store(out, value, order), reporting errors through `ec`; not constexpr, as load's.
template <binary_value T>
void store(std::span<std::byte> out, T value, std::endian order, std::error_code& ec) noexcept {
  ec.clear();
  if (out.size() < sizeof(T)) {
    ec = errc::no_buffer_space;
    return;
  }
  detail::store_unchecked(out.data(), value, order);
}
/// As store(out, value), reporting errors through `ec`.
template <binary_value T>
void store(std::span<std::byte> out, T value, std::error_code& ec) noexcept {
  io::store(out, value, std::endian::little, ec);
}

/// Reads one T stored in byte order `order` (little-endian by default, as most file formats and
/// Python's struct with '<'). A stream that ends before all sizeof(T) bytes — also before the
/// first — is errc::unexpected_eof, naming the stream's path and both counts. Usable at compile
/// time over a stream whose members are constexpr (io::span_stream, io::writable_span_stream).
template <binary_value T, readable S>
constexpr T read_value(S& s, std::endian order = std::endian::little) {
  detail::throw_errors sink;
  return detail::read_value<T>(s, order, sink);
}
/// As read_value<T>(s, order), reporting errors through `ec` (and returning T{}).
template <binary_value T, readable S>
T read_value(S& s, std::endian order, std::error_code& ec) noexcept {
  ec.clear();
  return detail::read_value<T>(s, order, ec);
}
/// As read_value<T>(s), reporting errors through `ec`.
template <binary_value T, readable S>
T read_value(S& s, std::error_code& ec) noexcept {
  return io::read_value<T>(s, std::endian::little, ec);
}

/// Writes `value` in byte order `order` (little-endian by default); usable at compile time as
/// read_value.
template <writable W, binary_value T>
constexpr void write_value(W& s, T value, std::endian order = std::endian::little) {
  detail::throw_errors sink;
  detail::write_value(s, value, order, sink);
}
/// As write_value(s, value, order), reporting errors through `ec`.
template <writable W, binary_value T>
void write_value(W& s, T value, std::endian order, std::error_code& ec) noexcept {
  ec.clear();
  detail::write_value(s, value, order, ec);
}
/// As write_value(s, value), reporting errors through `ec`.
template <writable W, binary_value T>
void write_value(W& s, T value, std::error_code& ec) noexcept {
  io::write_value(s, value, std::endian::little, ec);
}

/// Fills `out` (a std::span<T>, std::vector<T>, std::array<T, N>, T[N]) with values stored in
/// byte order `order`: one read of all the bytes, then one swap pass that compilers vectorize. A
/// stream that ends first is errc::unexpected_eof; the whole values read before it are decoded.
/// Usable at compile time as read_value (reading value by value there).
template <readable S, class R>
  requires detail::value_range<R> && (!std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>)
constexpr void read_values(S& s, R&& out, std::endian order = std::endian::little) {
  detail::throw_errors sink;
  detail::read_values(s, detail::as_span(out), order, sink);
}
/// As read_values(s, out, order), reporting errors through `ec`; returns the whole values read.
template <readable S, class R>
  requires detail::value_range<R> && (!std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>)
std::size_t read_values(S& s, R&& out, std::endian order, std::error_code& ec) noexcept {
  ec.clear();
  return detail::read_values(s, detail::as_span(out), order, ec);
}
/// As read_values(s, out), reporting errors through `ec`; returns the whole values read.
template <readable S, class R>
  requires detail::value_range<R> && (!std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>)
std::size_t read_values(S& s, R&& out, std::error_code& ec) noexcept {
  return io::read_values(s, out, std::endian::little, ec);
}

/// Writes every value of `values` (any contiguous range of binary values) in byte order `order`:
/// as they are when it is the machine's order, else swapped through a 4 KiB buffer. Usable at
/// compile time as read_value.
template <writable W, class R>
  requires detail::value_range<R>
constexpr void write_values(W& s, const R& values, std::endian order = std::endian::little) {
  using T = std::remove_const_t<std::ranges::range_value_t<R>>;
  detail::throw_errors sink;
  detail::write_values(s, std::span<const T>(std::ranges::data(values), std::ranges::size(values)), order, sink);
}
/// As write_values(s, values, order), reporting errors through `ec`.
template <writable W, class R>
  requires detail::value_range<R>
void write_values(W& s, const R& values, std::endian order, std::error_code& ec) noexcept {
  using T = std::remove_const_t<std::ranges::range_value_t<R>>;
  ec.clear();
  detail::write_values(s, std::span<const T>(std::ranges::data(values), std::ranges::size(values)), order, ec);
}
/// As write_values(s, values), reporting errors through `ec`.
template <writable W, class R>
  requires detail::value_range<R>
void write_values(W& s, const R& values, std::error_code& ec) noexcept {
  io::write_values(s, values, std::endian::little, ec);
}

} // namespace io
