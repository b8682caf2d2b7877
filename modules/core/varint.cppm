// io.core:varint — LEB128 variable-length integers as protobuf writes them: unsigned as they are,
// signed zig-zag encoded; io::load_varint / io::store_varint over bytes (constexpr) and
// io::read_varint / io::write_varint over streams.
module;
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
export module io.core:varint;
import :error;
import :concepts;
import :detail;
import :binary;

export namespace io {

/// An integer type io writes as a varint: unsigned ones as LEB128, signed ones zig-zag encoded
/// first (protobuf's sint32/sint64: 0, -1, 1, -2 ... become 0, 1, 2, 3 ...).
template <class T>
concept varint_value = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> && !std::is_const_v<T> &&
                       (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

/// The most bytes a varint of T takes: 7 bits a byte (10 for 64-bit integers, 5 for 32-bit).
template <varint_value T>
inline constexpr std::size_t max_varint_size = (8 * sizeof(T) + 6) / 7;

/// A value decoded by load_varint and the number of bytes it took.
template <varint_value T>
struct varint_result {
  /// The decoded value.
  T value;
  /// How many bytes it took.
  std::size_t size;
};

} // namespace io

namespace io::detail {

// Zig-zag: a signed value as the unsigned one whose lowest bit is the sign, so that small
// magnitudes take few bytes whatever their sign.
template <varint_value T>
constexpr uint_of<T> to_varint_bits(T value) noexcept {
  using U = uint_of<T>;
  if constexpr (std::is_signed_v<T>)
    return static_cast<U>(static_cast<U>(static_cast<U>(value) << 1) ^ static_cast<U>(value >> (8 * sizeof(T) - 1)));
  else
    return static_cast<U>(value);
}
template <varint_value T>
constexpr T from_varint_bits(uint_of<T> bits) noexcept {
  using U = uint_of<T>;
  if constexpr (std::is_signed_v<T>)
    return static_cast<T>(static_cast<U>((bits >> 1) ^ static_cast<U>(U{0} - (bits & 1U))));
  else
    return static_cast<T>(bits);
}

// Decodes a varint of T byte by byte. A varint longer than max_varint_size<T> or whose value does
// not fit T is refused (protobuf accepts padded encodings, and so does this, within that length).
template <varint_value T>
class varint_decoder {
public:
  enum class step_result { more, done, too_large };

  constexpr step_result step(std::byte b) noexcept {
    constexpr unsigned width = 8 * sizeof(T);
    const auto group = static_cast<U>(std::to_integer<unsigned>(b) & 0x7FU);
    if (count_ == max_varint_size<T>) return step_result::too_large;
    // The bits above the width of T must be zero (shift is 0 for the first byte, which always fits).
    if (shift_ != 0 && width - shift_ < 7 && (group >> (width - shift_)) != 0) return step_result::too_large;
    bits_ = static_cast<U>(bits_ | static_cast<U>(group << shift_));
    shift_ += 7;
    ++count_;
    return (std::to_integer<unsigned>(b) & 0x80U) != 0 ? step_result::more : step_result::done;
  }
  constexpr T value() const noexcept { return from_varint_bits<T>(bits_); }
  constexpr std::size_t count() const noexcept { return count_; }

private:
  using U = uint_of<T>;
  U bits_ = 0;
  unsigned shift_ = 0;
  std::size_t count_ = 0;
};

// Encodes `value` into `out` (at least max_varint_size<T> bytes); returns the bytes used.
template <varint_value T>
constexpr std::size_t encode_varint(std::byte* out, T value) noexcept {
  auto bits = to_varint_bits(value);
  std::size_t n = 0;
  while (bits >= 0x80U) {
    out[n++] = static_cast<std::byte>((bits & 0x7FU) | 0x80U);
    bits = static_cast<decltype(bits)>(bits >> 7);
  }
  out[n++] = static_cast<std::byte>(bits);
  return n;
}

template <varint_value T>
std::string varint_too_large() {
  return "read {}: a varint does not fit a " + std::to_string(sizeof(T)) + "-byte integer";
}

template <varint_value T, class S, class Sink>
constexpr T read_varint(S& s, Sink& sink) {
  varint_decoder<T> decoder;
  auto fail = [&](errc code) {
    if constexpr (std::is_same_v<Sink, throw_errors>) {
      if (code == errc::unexpected_eof)
        report(sink, code, "read {}: a varint ended after " + std::to_string(decoder.count()) + " bytes", path_of(s));
      report(sink, std::make_error_code(std::errc::value_too_large), varint_too_large<T>(), path_of(s));
    } else {
      if (code == errc::unexpected_eof) report(sink, code, {});
      else report(sink, std::make_error_code(std::errc::value_too_large), {});
    }
    return T{};
  };
  for (;;) {
    if constexpr (buffered_readable<S>) {
      // Decode in the stream's buffer, consuming the bytes taken.
      const std::span<const std::byte> buffered = detail::fill(s, sink);
      if (failed(sink)) return T{};
      if (buffered.empty()) return fail(errc::unexpected_eof);
      for (std::size_t i = 0; i < buffered.size(); ++i) {
        const auto r = decoder.step(buffered[i]);
        if (r == varint_decoder<T>::step_result::more) continue;
        s.consume(i + 1);
        if (r == varint_decoder<T>::step_result::done) return decoder.value();
        return fail(errc::invalid_argument);
      }
      s.consume(buffered.size());
    } else {
      // One byte a read: reading further would take bytes that follow the varint.
      std::byte b{};
      const std::size_t n = detail::read(s, std::span(&b, 1), sink);
      if (failed(sink)) return T{};
      if (n == 0) return fail(errc::unexpected_eof);
      const auto r = decoder.step(b);
      if (r == varint_decoder<T>::step_result::done) return decoder.value();
      if (r == varint_decoder<T>::step_result::too_large) return fail(errc::invalid_argument);
    }
  }
}

} // namespace io::detail

export namespace io {

/// The number of bytes `value` takes as a varint.
template <varint_value T>
constexpr std::size_t varint_size(T value) noexcept {
  std::array<std::byte, max_varint_size<T>> bytes{};
  return detail::encode_varint(bytes.data(), value);
}

/// The varint at the start of `bytes` and its size; usable at compile time. Bytes that end within
/// the varint are errc::unexpected_eof; a varint longer than max_varint_size<T> or whose value
/// does not fit T is std::errc::value_too_large.
template <varint_value T>
constexpr varint_result<T> load_varint(std::span<const std::byte> bytes) {
  detail::varint_decoder<T> decoder;
  for (const std::byte b : bytes) {
    const auto r = decoder.step(b);
    if (r == detail::varint_decoder<T>::step_result::done) return {decoder.value(), decoder.count()};
    if (r == detail::varint_decoder<T>::step_result::too_large)
      throw io_error(std::make_error_code(std::errc::value_too_large), "load a varint");
  }
  throw io_error(errc::unexpected_eof, "load a varint");
}
/// As load_varint<T>(bytes), reporting errors through `ec` (and returning {0, 0}); not constexpr:
/// std::error_code is no literal type before C++23.
template <varint_value T>
varint_result<T> load_varint(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  ec.clear();
  detail::varint_decoder<T> decoder;
  for (const std::byte b : bytes) {
    const auto r = decoder.step(b);
    if (r == detail::varint_decoder<T>::step_result::done) return {decoder.value(), decoder.count()};
    if (r == detail::varint_decoder<T>::step_result::too_large) {
      ec = std::make_error_code(std::errc::value_too_large);
      return {T{}, 0};
    }
  }
  ec = errc::unexpected_eof;
  return {T{}, 0};
}

/// Stores `value` as a varint at the start of `out` and returns the bytes used; usable at compile
/// time. When it does not fit, nothing is written: errc::no_buffer_space.
template <varint_value T>
constexpr std::size_t store_varint(std::span<std::byte> out, T value) {
  std::array<std::byte, max_varint_size<T>> bytes{};
  const std::size_t n = detail::encode_varint(bytes.data(), value);
  if (out.size() < n) throw io_error(errc::no_buffer_space, "store a varint");
  for (std::size_t i = 0; i < n; ++i) out[i] = bytes[i];
  return n;
}
/// As store_varint(out, value), reporting errors through `ec` (and returning 0); not constexpr.
template <varint_value T>
std::size_t store_varint(std::span<std::byte> out, T value, std::error_code& ec) noexcept {
  ec.clear();
  std::array<std::byte, max_varint_size<T>> bytes{};
  const std::size_t n = detail::encode_varint(bytes.data(), value);
  if (out.size() < n) {
    ec = errc::no_buffer_space;
    return 0;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = bytes[i];
  return n;
}

/// Reads one varint of T: unsigned LEB128, or zig-zag for a signed T (protobuf's uint64/sint64).
/// A stream that ends within it — also before its first byte — is errc::unexpected_eof; one too
/// long or too large for T is std::errc::value_too_large. The bytes up to the error are consumed.
/// Usable at compile time over a stream whose members are constexpr (io::span_stream).
template <varint_value T, readable S>
constexpr T read_varint(S& s) {
  detail::throw_errors sink;
  return detail::read_varint<T>(s, sink);
}
/// As read_varint<T>(s), reporting errors through `ec` (and returning 0).
template <varint_value T, readable S>
T read_varint(S& s, std::error_code& ec) noexcept {
  ec.clear();
  return detail::read_varint<T>(s, ec);
}

/// Writes `value` as a varint: unsigned LEB128, or zig-zag for a signed value; usable at compile
/// time as read_varint.
template <writable W, varint_value T>
constexpr void write_varint(W& s, T value) {
  std::array<std::byte, max_varint_size<T>> bytes;
  s.write(std::span<const std::byte>(bytes.data(), detail::encode_varint(bytes.data(), value)));
}
/// As write_varint(s, value), reporting errors through `ec`.
template <writable W, varint_value T>
void write_varint(W& s, T value, std::error_code& ec) noexcept {
  ec.clear();
  std::array<std::byte, max_varint_size<T>> bytes;
  detail::write(s, std::span<const std::byte>(bytes.data(), detail::encode_varint(bytes.data(), value)), ec);
}

} // namespace io
