// io.core:read_line — io::read_line and io::read_until: one line (or one delimited piece) at a time.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:read_line;
import :error;
import :concepts;
import :detail;
import :bytes;
import :views.delimiter;
import :views.lines;

namespace io::detail {

template <class S, class Sink>
bool read_delimited_seeking(S& s, const delimiter& d, std::size_t limit, std::string& out, Sink& sink);

// Reads into `out` up to and including `delimiter`, at most `max` bytes (0: no limit); returns
// whether the delimiter ended the read. The stream is left right after the last byte read: a
// buffered stream is scanned in its buffer; an unbuffered one is read a block at a time and
// given back what was read past the delimiter when it can seek, else read a byte at a time.
template <class S, class Sink>
bool read_delimited(S& s, const delimiter& d, std::size_t max, std::string& out, Sink& sink) {
  const std::size_t limit = max == 0 ? std::string::npos : max;
  // Where a delimiter that straddles two reads may start.
  auto search_from = [&](std::size_t searched) { return searched >= d.size() ? searched - d.size() + 1 : 0; };
  if constexpr (buffered_readable<S>) {
    for (;;) {
      const std::span<const std::byte> buffered = detail::fill(s, sink);
      if (failed(sink) || buffered.empty()) return false;
      const std::string_view text = as_string_view(buffered).substr(0, limit - out.size());
      const std::size_t searched = out.size();
      out.append(text);
      const std::size_t at = d.find(out, search_from(searched));
      if (at != std::string::npos) {
        const std::size_t end = at + d.size();
        s.consume(end - searched);
        out.resize(end);
        return true;
      }
      s.consume(text.size());
      if (out.size() >= limit) return false;
    }
  } else {
    // A stream that can seek at compile time may not at run time (io::file on a pipe or a terminal):
    // ask once; when it cannot, read a byte at a time below.
    bool can_seek = false;
    if constexpr (seekable<S>) {
      std::error_code probe;
      detail::tell(s, probe);
      can_seek = !probe;
    }
    if (can_seek) return read_delimited_seeking(s, d, limit, out, sink);
    for (;;) {
      char byte;
      const std::size_t n = detail::read(s, std::as_writable_bytes(std::span(&byte, 1)), sink);
      if (failed(sink) || n == 0) return false;
      out.push_back(byte);
      if (out.size() >= d.size() && std::string_view(out).ends_with(d.text())) return true;
      if (out.size() >= limit) return false;
    }
  }
}

// An unbuffered stream that can seek: read a block, give back what follows the delimiter.
template <class S, class Sink>
bool read_delimited_seeking(S& s, const delimiter& d, std::size_t limit, std::string& out, Sink& sink) {
  auto search_from = [&](std::size_t searched) { return searched >= d.size() ? searched - d.size() + 1 : 0; };
  if constexpr (seekable<S>) {
    char block[4096];
    for (;;) {
      const std::size_t want = std::min(sizeof block, limit - out.size());
      const std::size_t n = detail::read(s, std::as_writable_bytes(std::span(block, want)), sink);
      if (failed(sink) || n == 0) return false;
      const std::size_t searched = out.size();
      out.append(block, n);
      const std::size_t at = d.find(out, search_from(searched));
      if (at != std::string::npos) {
        const std::size_t end = at + d.size();
        if (end < out.size()) {
          detail::seek(s, -static_cast<std::int64_t>(out.size() - end), whence::current, sink);
          out.resize(end);
        }
        return true;
      }
      if (out.size() >= limit) return false;
    }
  } else {
    return false;
  }
}

} // namespace io::detail

namespace io::detail {

// read_line's work, for either error sink: reads, then drops the terminator unless asked to keep it.
template <class S, class Sink>
bool read_line(S& s, std::string& out, line_options options, Sink& sink) {
  out.clear();
  const bool ended = read_delimited(s, delimiter("\n"), options.max_length, out, sink);
  const bool any = !out.empty();
  const bool cut = !ended && options.max_length != 0 && out.size() == options.max_length;
  if (!options.keep_ends && !cut) {
    if (ended) out.pop_back();
    if (!out.empty() && out.back() == '\r') out.pop_back();
  }
  return any && !failed(sink);
}

// read_until's work, for either error sink.
template <class S, class Sink>
bool read_until(S& s, std::string_view delimiter_text, std::string& out, line_options options, Sink& sink) {
  out.clear();
  if (delimiter_text.empty()) {
    report(sink, errc::invalid_argument, "read until an empty delimiter");
    return false;
  }
  const bool ended = read_delimited(s, delimiter(delimiter_text), options.max_length, out, sink);
  const bool any = !out.empty();
  if (ended && !options.keep_ends) out.resize(out.size() - delimiter_text.size());
  return any && !failed(sink);
}

} // namespace io::detail

export namespace io {

/// Reads the next line of `s` into `out` (replacing its contents) and returns whether there was
/// one: false only at the end of the stream (or after an error). The line's "\n" or "\r\n" (or a
/// '\r' at the very end) is left out unless `options.keep_ends`. With `options.max_length`, at
/// most that many bytes are read, terminator included, as Python's `readline(size)`: the rest of a
/// longer line stays in the stream for the next call. The stream is left right after what was
/// read, for every kind of stream (an unbuffered one that cannot seek is read a byte at a time:
/// give it an io::buffered_reader to go faster).
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_line(S&& s, std::string& out, line_options options = {}) {
  detail::throw_errors sink;
  return detail::read_line(s, out, options, sink);
}
/// As read_line(s, out, options), reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_line(S&& s, std::string& out, line_options options, std::error_code& ec) noexcept {
  ec.clear();
  return detail::capture(ec, [&] { return detail::read_line(s, out, options, ec); });
}
/// As read_line(s, out), reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_line(S&& s, std::string& out, std::error_code& ec) noexcept {
  return io::read_line(s, out, line_options{}, ec);
}

/// Reads up to and including the next `delimiter` (one or more bytes) into `out`, replacing its
/// contents, and returns whether anything was read; the delimiter is left out unless
/// `options.keep_ends`, and `options.max_length` bounds the bytes read as in read_line. As
/// std::getline with a delimiter, over any stream, leaving the stream right after what was read.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, std::string_view delimiter, std::string& out, line_options options = {}) {
  detail::throw_errors sink;
  return detail::read_until(s, delimiter, out, options, sink);
}
/// As read_until(s, delimiter, out, options), reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, std::string_view delimiter, std::string& out, line_options options,
                std::error_code& ec) noexcept {
  ec.clear();
  return detail::capture(ec, [&] { return detail::read_until(s, delimiter, out, options, ec); });
}
/// As read_until(s, delimiter, out), reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, std::string_view delimiter, std::string& out, std::error_code& ec) noexcept {
  return io::read_until(s, delimiter, out, line_options{}, ec);
}
/// As read_until(s, delimiter, out, options), at a one-byte delimiter.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, char delimiter, std::string& out, line_options options = {}) {
  return io::read_until(s, std::string_view(&delimiter, 1), out, options);
}
/// As read_until(s, delimiter, out, options), at a one-byte delimiter, reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, char delimiter, std::string& out, line_options options, std::error_code& ec) noexcept {
  return io::read_until(s, std::string_view(&delimiter, 1), out, options, ec);
}
/// As read_until(s, delimiter, out), at a one-byte delimiter, reporting errors through `ec`.
template <class S>
  requires readable<std::remove_cvref_t<S>>
bool read_until(S&& s, char delimiter, std::string& out, std::error_code& ec) noexcept {
  return io::read_until(s, std::string_view(&delimiter, 1), out, line_options{}, ec);
}

} // namespace io
