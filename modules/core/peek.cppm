// io.core:peek — io::peek: look at the next n bytes of a buffered stream without consuming them.
module;
#include <cstddef>
#include <span>
#include <system_error>
#include <type_traits>
export module io.core:peek;
import :concepts;
import :detail;

export namespace io {

/// A buffered_readable stream whose `fill(n)` returns at least n buffered bytes unless the stream
/// ends first (io's buffered_reader, buffered_stream, take_reader over one, memory_stream,
/// span_stream); `fill(n)` of more than the buffer can hold reports errc::no_buffer_space.
template <class S>
concept peekable = buffered_readable<S> && requires(S& s, std::size_t n) {
  { s.fill(n) } -> std::convertible_to<std::span<const std::byte>>;
};

/// At least the next `n` bytes of `s` (fewer only when the stream ends first), without consuming
/// them: for magic numbers and headers (Python's BufferedReader.peek, which may return fewer).
/// The span is valid until the next operation on `s`. A stream with only fill() cannot gather n
/// bytes without consuming them, so it is refused at compile time: wrap it in io::buffered_reader.
template <class S>
std::span<const std::byte> peek(S& s, std::size_t n) {
  static_assert(peekable<S>, "io::peek: the stream has no fill(n): wrap it in io::buffered_reader");
  return s.fill(n);
}

/// As peek(s, n), reporting errors through `ec` (errc::no_buffer_space when `n` exceeds the buffer).
template <class S>
std::span<const std::byte> peek(S& s, std::size_t n, std::error_code& ec) noexcept {
  static_assert(peekable<S>, "io::peek: the stream has no fill(n): wrap it in io::buffered_reader");
  ec.clear();
  if constexpr (requires { s.fill(n, ec); }) return s.fill(n, ec);
  else return detail::capture(ec, [&] { return std::span<const std::byte>(s.fill(n)); });
}

} // namespace io
