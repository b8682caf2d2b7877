// io.core:stream_base — the reading, seeking and viewing that every stream over one block of bytes
// shares: io.memory's memory_stream and span_stream, io.file's mapped_stream and spooled_stream.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
export module io.core:stream_base;
import :error;
import :concepts;
import :bytes;
import :detail;

// Exported only because io.memory's and io.file's streams derive from it: not part of the API.
export namespace io::detail {

/// Resizes the heap block `data` (null for none) to `size` bytes as std::realloc does, returning
/// the block or null when memory ran out (then `data` is untouched). A block of 4 MiB or more is
/// advised to the kernel for huge pages (madvise MADV_HUGEPAGE; stream_base.cpp), so that the first
/// writes to it take one page fault per 2 MiB instead of one per 4 KiB: appending to a large block
/// is mostly such first touches (10 M appends of 10 bytes: 24 K page faults, three quarters of the
/// time). The whole block is advised, never a part, so that realloc can go on growing it by moving
/// its pages (mremap) rather than copying them. memory_stream's byte_array and the in-memory phase
/// of spooled_stream grow through it.
void* grow_heap_block(void* data, std::size_t size) noexcept;

/// The position, the closed flag and every operation that only reads a block of bytes held in
/// memory, with Python's BytesIO semantics. `Derived` provides `contents()`. The throwing members
/// are constexpr: over a span_stream they run at compile time (std::error_code is no literal type,
/// so the error_code overloads do not).
template <class Derived>
class memory_stream_base : public bytes_interface<Derived> {
public:
  using bytes_interface<Derived>::read;
  using bytes_interface<Derived>::write;
  /// Reads into a prefix of `buffer` from the position; returns the byte count, 0 at the end.
  constexpr std::size_t read(std::span<std::byte> buffer) {
    throw_errors sink;
    return read_impl(buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    return read_impl(buffer, ec);
  }

  /// Moves to `offset` counted from `from`; returns the new position. Past the end is allowed;
  /// a negative offset from the beginning is an error, a negative result otherwise clamps to 0.
  constexpr std::uint64_t seek(std::int64_t offset, whence from = whence::begin) {
    throw_errors sink;
    return seek_impl(offset, from, sink);
  }
  /// As seek(offset, from), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, whence from, std::error_code& ec) noexcept {
    ec.clear();
    return seek_impl(offset, from, ec);
  }
  /// As seek(offset), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, std::error_code& ec) noexcept { return seek(offset, whence::begin, ec); }

  /// The position.
  constexpr std::uint64_t tell() const {
    check_open("tell");
    return pos_;
  }
  /// As tell(), reporting errors through `ec`.
  std::uint64_t tell(std::error_code& ec) const noexcept {
    ec = closed_ ? make_error_code(errc::closed) : std::error_code{};
    return pos_;
  }

  /// The bytes from the position to the end, without copying; empty at or past the end.
  constexpr std::span<const std::byte> fill() const {
    check_open("read");
    return rest();
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) const noexcept {
    ec = closed_ ? make_error_code(errc::closed) : std::error_code{};
    return rest();
  }
  /// As fill(): every byte to the end is already in memory, so it holds at least `n` bytes unless
  /// the stream ends first, and no size is too large.
  constexpr std::span<const std::byte> fill(std::size_t) const { return fill(); }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t, std::error_code& ec) const noexcept { return fill(ec); }
  /// Moves the position past `n` bytes returned by fill().
  constexpr void consume(std::size_t n) noexcept { pos_ += std::min<std::uint64_t>(n, rest().size()); }
  /// The bytes from the position to the end, as fill() without its checks: empty when closed.
  constexpr std::span<const std::byte> buffered() const noexcept {
    if (closed_) return {};
    return rest();
  }

  /// The whole contents, whatever the position, without copying (Python's getbuffer()).
  constexpr std::span<const std::byte> view() const [[clang::lifetimebound]] {
    check_open("view");
    return contents();
  }
  /// As view(), reporting errors through `ec`.
  std::span<const std::byte> view(std::error_code& ec) const noexcept {
    ec = closed_ ? make_error_code(errc::closed) : std::error_code{};
    return contents();
  }

  /// A copy of the whole contents as a std::string (Python's getvalue()).
  std::string str() const { return std::string(as_string_view(view())); }

  /// The size of the contents in bytes.
  constexpr std::uint64_t size() const { return view().size(); }

  /// Whether close() was called.
  constexpr bool closed() const noexcept { return closed_; }

protected:
  // Positions stay within int64_t, so that every position can be named by a seek offset.
  static constexpr std::uint64_t max_position = std::numeric_limits<std::int64_t>::max();

  constexpr std::span<const std::byte> contents() const noexcept {
    return static_cast<const Derived&>(*this).stored();
  }
  constexpr std::span<const std::byte> rest() const noexcept {
    const std::span<const std::byte> all = contents();
    return pos_ < all.size() ? all.subspan(static_cast<std::size_t>(pos_)) : all.last(0);
  }

  constexpr void check_open(const char* operation) const {
    if (closed_) throw io_error(errc::closed, operation);
  }

  template <class Sink>
  constexpr bool open_for(Sink& sink, const char* operation) const {
    if (!closed_) return true;
    report(sink, errc::closed, operation);
    return false;
  }

  template <class Sink>
  constexpr bool valid_truncate(std::int64_t size, Sink& sink) const {
    if (!open_for(sink, "truncate")) return false;
    if (size >= 0) return true;
    report(sink, errc::invalid_argument, "truncate to a negative size");
    return false;
  }

  std::uint64_t pos_ = 0;
  bool closed_ = false;

private:
  template <class Sink>
  constexpr std::size_t read_impl(std::span<std::byte> buffer, Sink& sink) {
    if (!open_for(sink, "read")) return 0;
    const std::span<const std::byte> available = rest();
    const std::size_t n = std::min(buffer.size(), available.size());
    // memcpy is no constant expression; at run time it stays the one call.
    if (std::is_constant_evaluated()) std::copy_n(available.data(), n, buffer.data());
    else if (n != 0) std::memcpy(buffer.data(), available.data(), n);
    pos_ += n;
    return n;
  }

  template <class Sink>
  constexpr std::uint64_t seek_impl(std::int64_t offset, whence from, Sink& sink) {
    if (!open_for(sink, "seek")) return 0;
    std::int64_t base = 0;
    switch (from) {
    case whence::begin:
      if (offset < 0) {
        report(sink, errc::invalid_argument, "seek to a negative position");
        return 0;
      }
      break;
    case whence::current: base = static_cast<std::int64_t>(pos_); break;
    case whence::end: base = static_cast<std::int64_t>(contents().size()); break;
    default: report(sink, errc::invalid_argument, "seek from an unknown origin"); return 0;
    }
    if (offset > 0 && base > std::numeric_limits<std::int64_t>::max() - offset) {
      report(sink, errc::invalid_argument, "seek beyond the largest position");
      return 0;
    }
    pos_ = static_cast<std::uint64_t>(std::max<std::int64_t>(base + offset, 0));
    return pos_;
  }
};

} // namespace io::detail
