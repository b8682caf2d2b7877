// io.core:algorithms — read_exact, read_all, copy and write, written once against the concepts.
module;
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>
export module io.core:algorithms;
import :error;
import :concepts;
import :bytes;
import :detail;

// Exported only because io.file builds on it (read_file): io::detail is not part of the API.
export namespace io::detail {

// Reads until `buffer` is full or the stream ends; returns the bytes read.
template <class S, class Sink>
std::size_t read_until_full(S& s, std::span<std::byte> buffer, Sink& sink) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    const std::size_t n = detail::read(s, buffer.subspan(done), sink);
    if (failed(sink) || n == 0) break;
    done += n;
  }
  return done;
}

// Throws errc::unexpected_eof for a read of `expected` bytes that got `got`, naming the stream's
// path, the offset where the read began (when the stream can tell it) and both counts.
template <class S>
[[noreturn]] void throw_short_read(S& s, std::size_t expected, std::size_t got) {
  std::string operation = "read {}: expected " + std::to_string(expected) + (expected == 1 ? " byte" : " bytes");
  if constexpr (seekable<S>) {
    std::error_code ec;
    const std::uint64_t position = detail::tell(s, ec);
    if (!ec && position >= got) operation += " at offset " + std::to_string(position - got);
  }
  operation += ", got " + std::to_string(got);
  throw io_error(errc::unexpected_eof, operation, path_of(s));
}

template <class C>
void append(C& out, std::span<const std::byte> bytes) {
  if constexpr (requires { out.append(bytes); }) {
    out.append(bytes); // io::byte_array
  } else {
    using value_type = typename C::value_type;
    const auto* first = reinterpret_cast<const value_type*>(bytes.data());
    out.insert(out.end(), first, first + bytes.size());
  }
}

template <class S, class C, class Sink>
std::size_t read_all_into(S& s, C& out, Sink& sink) {
  std::size_t total = 0;
  if constexpr (buffered_readable<S>) {
    // Append straight from the stream's buffer: one copy per byte.
    for (;;) {
      const std::span<const std::byte> chunk = detail::fill(s, sink);
      if (failed(sink) || chunk.empty()) break;
      detail::append(out, chunk);
      s.consume(chunk.size());
      total += chunk.size();
    }
  } else {
    // Grow geometrically and read into the spare room.
    std::size_t room = 16 * 1024;
    for (;;) {
      const std::size_t old_size = out.size();
      out.resize(old_size + room);
      const auto spare = std::as_writable_bytes(std::span(out.data() + old_size, room));
      std::size_t n = 0;
      try {
        n = detail::read(s, spare, sink);
      } catch (...) {
        out.resize(old_size); // keep only what was read before the failure
        throw;
      }
      out.resize(old_size + (failed(sink) ? 0 : n));
      if (failed(sink) || n == 0) break;
      total += n;
      if (n == room && room < 4 * 1024 * 1024) room *= 2;
    }
  }
  return total;
}

// Copies the rest of `from` into `to`; returns exactly the bytes that reached `to`, also when a
// write fails midway (a stream with write_some says how much a failing write took; others take
// all or nothing). Over a buffered `from`, what `to` did not take stays unread.
template <class R, class W, class Sink>
std::uint64_t copy(R& from, W& to, Sink& sink) {
  std::uint64_t total = 0;
  if constexpr (buffered_readable<R>) {
    // Write straight from the reader's buffer.
    for (;;) {
      const std::span<const std::byte> chunk = detail::fill(from, sink);
      if (failed(sink) || chunk.empty()) break;
      std::size_t n = chunk.size();
      if constexpr (writes_some<W>) n = detail::write_some(to, chunk, sink);
      else detail::write(to, chunk, sink);
      if (failed(sink)) break;
      from.consume(n);
      total += n;
    }
  } else {
    constexpr std::size_t size = 128 * 1024;
    const auto buffer = std::make_unique_for_overwrite<std::byte[]>(size);
    for (;;) {
      const std::size_t n = detail::read(from, std::span(buffer.get(), size), sink);
      if (failed(sink) || n == 0) break;
      const std::span<const std::byte> chunk(buffer.get(), n);
      if constexpr (writes_some<W>) {
        for (std::size_t done = 0; done < n;) {
          const std::size_t written = detail::write_some(to, chunk.subspan(done), sink);
          if (failed(sink)) break;
          done += written;
          total += written;
        }
      } else {
        detail::write(to, chunk, sink);
        if (!failed(sink)) total += n;
      }
      if (failed(sink)) break;
    }
  }
  return total;
}

} // namespace io::detail

export namespace io {

/// A contiguous container of single bytes that read_all can append to
/// (std::vector<std::byte>, std::string, std::vector<char>, std::vector<unsigned char>, ...).
template <class C>
concept byte_container =
    sizeof(typename C::value_type) == 1 && std::is_trivially_copyable_v<typename C::value_type> &&
    requires(C& c, std::size_t n) {
      { c.data() } -> std::same_as<typename C::value_type*>;
      c.resize(n);
      { c.size() } -> std::convertible_to<std::size_t>;
    };

/// Reads into a prefix of `buffer` (any writable_bytes_like: a std::vector<char>, a char[100], a
/// std::array<unsigned char, N>, a span of bytes) and returns the count; 0 at end of stream.
/// Python's `f.readinto(buffer)`.
template <readable S, class B>
  requires writable_bytes_like<B>
std::size_t read(S& s, B&& buffer) {
  return detail::read(s, io::as_writable_bytes(buffer), detail::throw_errors{});
}

/// As read(s, buffer), reporting errors through `ec`.
template <readable S, class B>
  requires writable_bytes_like<B>
std::size_t read(S& s, B&& buffer, std::error_code& ec) noexcept {
  ec.clear();
  return detail::read(s, io::as_writable_bytes(buffer), ec);
}

/// Fills all of `buffer` (any writable_bytes_like); a stream that ends first is errc::unexpected_eof,
/// with a message that names the stream's path, the offset and both counts ("cannot read 'r.bin':
/// expected 8 bytes at offset 40, got 2").
template <readable S, class B>
  requires writable_bytes_like<B>
void read_exact(S& s, B&& buffer) {
  const std::span<std::byte> bytes = io::as_writable_bytes(buffer);
  detail::throw_errors sink;
  const std::size_t got = detail::read_until_full(s, bytes, sink);
  if (got < bytes.size()) detail::throw_short_read(s, bytes.size(), got);
}

/// As read_exact(s, buffer), reporting errors (errc::unexpected_eof too) through `ec`.
template <readable S, class B>
  requires writable_bytes_like<B>
void read_exact(S& s, B&& buffer, std::error_code& ec) noexcept {
  ec.clear();
  const std::span<std::byte> bytes = io::as_writable_bytes(buffer);
  if (detail::read_until_full(s, bytes, ec) < bytes.size() && !ec) ec = errc::unexpected_eof;
}

/// Fills all of `buffer` (any writable_bytes_like) and returns true, or returns false when the
/// stream ended before its first byte: a clean end. A stream that ends partway is
/// errc::unexpected_eof, with read_exact's message (Go's io.ReadFull). An empty buffer gives true.
template <readable S, class B>
  requires writable_bytes_like<B>
bool read_full(S& s, B&& buffer) {
  const std::span<std::byte> bytes = io::as_writable_bytes(buffer);
  detail::throw_errors sink;
  const std::size_t got = detail::read_until_full(s, bytes, sink);
  if (got == bytes.size()) return true;
  if (got == 0) return false;
  detail::throw_short_read(s, bytes.size(), got);
}

/// As read_full(s, buffer), reporting errors (errc::unexpected_eof too) through `ec`; false after an error.
template <readable S, class B>
  requires writable_bytes_like<B>
bool read_full(S& s, B&& buffer, std::error_code& ec) noexcept {
  ec.clear();
  const std::span<std::byte> bytes = io::as_writable_bytes(buffer);
  const std::size_t got = detail::read_until_full(s, bytes, ec);
  if (ec) return false;
  if (got == bytes.size()) return true;
  if (got != 0) ec = errc::unexpected_eof;
  return false;
}

/// Appends the rest of the stream to `out` and returns how many bytes it appended. An rvalue
/// stream is read to its end and dropped: `io::read_all<std::string>(io::open(path))`.
template <class S, byte_container C>
  requires readable<std::remove_cvref_t<S>>
std::size_t read_all(S&& s, C& out) {
  detail::throw_errors sink;
  return detail::read_all_into(s, out, sink);
}

/// Appends the rest of the stream to `out`, reporting errors through `ec`; returns the bytes
/// appended (those read before an error stay in `out`).
template <class S, byte_container C>
  requires readable<std::remove_cvref_t<S>>
std::size_t read_all(S&& s, C& out, std::error_code& ec) noexcept {
  ec.clear();
  return detail::capture(ec, [&] { return detail::read_all_into(s, out, ec); });
}

/// The rest of the stream, as a std::vector<std::byte> or any other byte_container
/// (`io::read_all<std::string>(s)`).
template <byte_container C = std::vector<std::byte>, class S>
  requires readable<std::remove_cvref_t<S>>
C read_all(S&& s) {
  C out;
  io::read_all(s, out);
  return out;
}

/// As read_all<C>(s), reporting errors through `ec`; what was read before an error is returned.
template <byte_container C = std::vector<std::byte>, class S>
  requires readable<std::remove_cvref_t<S>>
C read_all(S&& s, std::error_code& ec) noexcept {
  C out;
  io::read_all(s, out, ec);
  return out;
}

/// Copies the rest of `from` into `to` and returns the number of bytes copied; does not flush.
template <readable R, writable W>
std::uint64_t copy(R& from, W& to) {
  detail::throw_errors sink;
  return detail::copy(from, to, sink);
}

/// Copies the rest of `from` into `to`, reporting errors through `ec`; returns the bytes copied,
/// after an error exactly those that reached `to` (a buffered `from` stands right after them).
template <readable R, writable W>
std::uint64_t copy(R& from, W& to, std::error_code& ec) noexcept {
  ec.clear();
  return detail::capture(ec, [&] { return detail::copy(from, to, ec); });
}

/// Writes all of `bytes`: any bytes_like (a string, a string literal without its '\0', a
/// std::vector<char>, a std::array<unsigned char, N>, a span of bytes).
template <writable W, class B>
  requires bytes_like<B>
void write(W& to, B&& bytes) {
  detail::write(to, io::as_bytes(bytes), detail::throw_errors{});
}

/// As write(to, bytes), reporting errors through `ec`.
template <writable W, class B>
  requires bytes_like<B>
void write(W& to, B&& bytes, std::error_code& ec) noexcept {
  ec.clear();
  detail::write(to, io::as_bytes(bytes), ec);
}

} // namespace io
