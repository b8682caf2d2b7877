// io.core:concepts — readable, writable, seekable, buffered_readable, contiguous_source.
module;
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
export module io.core:concepts;

export namespace io {

/// A stream that reads into a caller's buffer: `read` fills a prefix of it and returns how many
/// bytes it filled, possibly fewer than asked; 0 means end of stream, which is not an error.
template <class S>
concept readable = requires(S& s, std::span<std::byte> buffer) {
  { s.read(buffer) } -> std::same_as<std::size_t>;
};

/// A stream that writes all of a caller's bytes or reports an error, and can flush what it buffers.
template <class S>
concept writable = requires(S& s, std::span<const std::byte> bytes) {
  s.write(bytes);
  s.flush();
};

/// Where a seek offset counts from, as in Python's `whence` (SEEK_SET, SEEK_CUR, SEEK_END).
enum class whence { begin, current, end };

/// A stream with a 64-bit position: `seek` returns the new position, `tell` the current one.
template <class S>
concept seekable = requires(S& s, std::int64_t offset, whence from) {
  { s.seek(offset, from) } -> std::same_as<std::uint64_t>;
  { s.seek(offset) } -> std::same_as<std::uint64_t>;
  { s.tell() } -> std::same_as<std::uint64_t>;
};

/// A readable stream that lends its buffer: `fill` returns the buffered bytes (refilling when none
/// are left; empty at end of stream) and `consume(n)` marks n of them as read — no copy needed.
template <class S>
concept buffered_readable = readable<S> && requires(S& s, std::size_t n) {
  { s.fill() } -> std::convertible_to<std::span<const std::byte>>;
  s.consume(n);
};

/// A buffered readable stream whose whole contents are one block in memory, returned by `view()`;
/// its position is `tell()`. Views take zero-copy fast paths over such sources.
template <class S>
concept contiguous_source = buffered_readable<S> && seekable<S> && requires(const S& s) {
  { s.view() } -> std::convertible_to<std::span<const std::byte>>;
};

} // namespace io
