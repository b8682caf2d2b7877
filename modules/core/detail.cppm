// io.core:detail — internals shared by io's algorithms, adapters and concrete streams.
module;
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:detail;
import :error;

// Exported only because io.memory and io.file build on it: io::detail is not part of the API
// and may change at any time.
export namespace io::detail {

// Generic code is written once and instantiated for two error sinks: `throw_errors`, where a
// failure throws io_error, and std::error_code, where it is stored and the call returns early.
struct throw_errors {};

constexpr bool failed(throw_errors) noexcept { return false; }
inline bool failed(const std::error_code& ec) noexcept { return static_cast<bool>(ec); }

[[noreturn]] inline void report(throw_errors, std::error_code code, std::string_view operation,
                                std::string_view path = {}) {
  throw io_error(code, operation, path);
}
inline void report(std::error_code& ec, std::error_code code, std::string_view, std::string_view = {}) noexcept {
  ec = code;
}

// The path of a stream that has one (io::file), for error messages; empty otherwise.
template <class S>
constexpr std::string_view path_of(const S& s) noexcept {
  if constexpr (requires { { s.path() } -> std::convertible_to<std::string_view>; }) return s.path();
  else if constexpr (requires { s.inner(); }) return path_of(s.inner()); // an adapter: its stream's path
  else return {};
}

// Runs `f` and turns any exception into `ec`, for streams that only offer throwing members.
template <class F, class R = std::invoke_result_t<F&>>
R capture(std::error_code& ec, F&& f, R fallback = R{}) noexcept {
  try {
    return f();
  } catch (const std::system_error& e) {
    ec = e.code();
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  } catch (const std::length_error&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  } catch (...) {
    ec = std::make_error_code(std::errc::io_error);
  }
  return fallback;
}

// The stream operations, dispatched on the error sink; a stream's own error_code overload is used
// when it has one. The throwing ones are constexpr, so that generic code over a stream whose
// members are (io::span_stream) runs at compile time; std::error_code is no literal type.
template <class S>
constexpr std::size_t read(S& s, std::span<std::byte> buffer, throw_errors) {
  return s.read(buffer);
}
template <class S>
std::size_t read(S& s, std::span<std::byte> buffer, std::error_code& ec) noexcept {
  if constexpr (requires { s.read(buffer, ec); }) return s.read(buffer, ec);
  else return capture(ec, [&] { return s.read(buffer); });
}

template <class S>
constexpr void write(S& s, std::span<const std::byte> bytes, throw_errors) {
  s.write(bytes);
}
template <class S>
void write(S& s, std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  if constexpr (requires { s.write(bytes, ec); }) s.write(bytes, ec);
  else capture(ec, [&] { s.write(bytes); return 0; });
}

// A stream that can report partial progress: write_some writes a prefix of the bytes (at least
// one) and returns its size, or fails having written none of them.
template <class S>
concept writes_some = requires(S& s, std::span<const std::byte> bytes, std::error_code& ec) {
  { s.write_some(bytes) } -> std::same_as<std::size_t>;
  { s.write_some(bytes, ec) } -> std::same_as<std::size_t>;
};

template <writes_some S>
std::size_t write_some(S& s, std::span<const std::byte> bytes, throw_errors) {
  return s.write_some(bytes);
}
template <writes_some S>
std::size_t write_some(S& s, std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  return s.write_some(bytes, ec);
}

template <class S>
void flush(S& s, throw_errors) {
  s.flush();
}
template <class S>
void flush(S& s, std::error_code& ec) noexcept {
  if constexpr (requires { s.flush(ec); }) s.flush(ec);
  else capture(ec, [&] { s.flush(); return 0; });
}

template <class S>
constexpr std::span<const std::byte> fill(S& s, throw_errors) {
  return s.fill();
}
template <class S>
std::span<const std::byte> fill(S& s, std::error_code& ec) noexcept {
  if constexpr (requires { s.fill(ec); }) return s.fill(ec);
  else return capture(ec, [&] { return std::span<const std::byte>(s.fill()); });
}

template <class S>
constexpr std::uint64_t seek(S& s, std::int64_t offset, auto from, throw_errors) {
  return s.seek(offset, from);
}
template <class S>
std::uint64_t seek(S& s, std::int64_t offset, auto from, std::error_code& ec) noexcept {
  if constexpr (requires { s.seek(offset, from, ec); }) return s.seek(offset, from, ec);
  else return capture(ec, [&] { return s.seek(offset, from); });
}

// Whether every write to `s` lands at its end whatever its position (io::file opened with "a").
template <class S>
bool appends(const S& s) noexcept {
  if constexpr (requires { { s.appends() } -> std::convertible_to<bool>; }) return s.appends();
  else return false;
}

// Moves an appending stream to its end (`end` is whence::end, which this partition cannot name)
// before a buffered write, so that its position counts the pending bytes from where they will
// land; a stream without a position (a pipe opened with "a") reports errc::not_seekable, and that
// is no error here. Returns whether it went well.
template <class S, class Whence, class Sink>
bool seek_to_end(S& s, Whence end, Sink& sink) {
  std::error_code ec;
  seek(s, 0, end, ec);
  if (!ec || ec == errc::not_seekable) return true;
  report(sink, ec, "seek", path_of(s));
  return false;
}

template <class S>
constexpr std::uint64_t tell(S& s, throw_errors) {
  return s.tell();
}
template <class S>
std::uint64_t tell(S& s, std::error_code& ec) noexcept {
  if constexpr (requires { s.tell(ec); }) return s.tell(ec);
  else return capture(ec, [&] { return s.tell(); });
}

template <class S>
void close(S& s, throw_errors) {
  s.close();
}
template <class S>
void close(S& s, std::error_code& ec) noexcept {
  if constexpr (requires { s.close(ec); }) s.close(ec);
  else capture(ec, [&] { s.close(); return 0; });
}

// Page-aligned storage for stream buffers: read() into a page-aligned buffer runs measurably
// faster than into one that starts 16 bytes past a page, where a large malloc'd block lands.
constexpr std::size_t page_size = 4096;

struct aligned_delete {
  void operator()(std::byte* p) const noexcept { ::operator delete(p, std::align_val_t{page_size}); }
};

using aligned_buffer = std::unique_ptr<std::byte[], aligned_delete>;

// No object is larger than PTRDIFF_MAX bytes; a size beyond that is refused here, because
// libstdc++'s aligned operator new rounds `size` up to the alignment without checking for
// overflow, and for a size near SIZE_MAX it returns a tiny block instead of throwing.
constexpr std::size_t max_allocation = static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max());

// Throws std::bad_alloc for a size that cannot be allocated, never returns a smaller block.
inline aligned_buffer make_aligned_buffer(std::size_t size) {
  if (size > max_allocation) throw std::bad_alloc();
  return aligned_buffer(static_cast<std::byte*>(::operator new(size, std::align_val_t{page_size})));
}

} // namespace io::detail
