// io.memory:span_stream — streams over a caller's fixed buffer, read-only or writable, never copying it.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
export module io.memory:span_stream;
import io.core;

export namespace io {

/// A stream over a caller's buffer, which it never copies and which must outlive it. Over
/// `const std::byte` (io::span_stream) it is read-only: readable, seekable and buffered_readable.
/// Over `std::byte` (io::writable_span_stream) it is also writable with BytesIO's semantics,
/// within the buffer's fixed capacity: a write that does not fit reports errc::no_buffer_space
/// and writes nothing. Its throwing read, write, seek, tell, fill and consume are constexpr, so
/// io::read_value, write_value, read_values, write_values, read_varint and write_varint over it
/// run at compile time.
template <class Byte>
  requires std::is_same_v<std::remove_const_t<Byte>, std::byte>
class basic_span_stream : public detail::memory_stream_base<basic_span_stream<Byte>> {
  using base = detail::memory_stream_base<basic_span_stream>;
  friend base;
  static constexpr bool is_writable = !std::is_const_v<Byte>;

public:
  using base::write;
  /// A stream over all of `buffer`, positioned at 0.
  constexpr explicit basic_span_stream(std::span<Byte> buffer) noexcept
    requires(!is_writable)
      : buffer_(buffer), size_(buffer.size()) {}

  /// A read-only stream over the characters of `text`, positioned at 0.
  explicit basic_span_stream(std::string_view text) noexcept
    requires(!is_writable)
      : basic_span_stream(io::as_bytes(text)) {}

  /// A writable stream over `buffer`, whose first `size` bytes (0 by default) are the contents.
  constexpr explicit basic_span_stream(std::span<Byte> buffer, std::size_t size = 0) noexcept
    requires is_writable
      : buffer_(buffer), size_(std::min(size, buffer.size())) {}

  /// Writes `bytes` at the position, overwriting and extending within the capacity.
  constexpr void write(std::span<const std::byte> bytes)
    requires is_writable
  {
    detail::throw_errors sink;
    write_impl(bytes, sink);
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept
    requires is_writable
  {
    ec.clear();
    write_impl(bytes, ec);
  }

  /// Does nothing but report a closed stream: the caller's buffer needs no flushing.
  constexpr void flush()
    requires is_writable
  {
    this->check_open("flush");
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept
    requires is_writable
  {
    this->open_for(ec, "flush");
  }

  /// Cuts the contents to `size` bytes if longer (never extends) and returns `size`.
  constexpr std::uint64_t truncate(std::int64_t size)
    requires is_writable
  {
    detail::throw_errors sink;
    return truncate_impl(size, sink);
  }
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept
    requires is_writable
  {
    ec.clear();
    return truncate_impl(size, ec);
  }
  /// Cuts the contents at the position.
  constexpr std::uint64_t truncate()
    requires is_writable
  {
    return truncate(static_cast<std::int64_t>(this->pos_));
  }
  /// As truncate(), reporting errors through `ec`.
  std::uint64_t truncate(std::error_code& ec) noexcept
    requires is_writable
  {
    return truncate(static_cast<std::int64_t>(this->pos_), ec);
  }

  /// The size of the caller's buffer: the most the contents can grow to.
  constexpr std::size_t capacity() const noexcept { return buffer_.size(); }

  /// Detaches from the buffer; every later operation but close() and closed() reports errc::closed.
  constexpr void close() noexcept {
    this->closed_ = true;
    this->pos_ = 0;
    buffer_ = {};
    size_ = 0;
  }

private:
  constexpr std::span<const std::byte> stored() const noexcept { return {buffer_.data(), size_}; }

  template <class Sink>
  constexpr void write_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (!this->open_for(sink, "write")) return;
    if (bytes.empty()) return;
    if (this->pos_ > buffer_.size() || bytes.size() > buffer_.size() - this->pos_)
      return detail::report(sink, errc::no_buffer_space, "write");
    const auto pos = static_cast<std::size_t>(this->pos_);
    // memset and memcpy are no constant expressions; at run time they stay the calls they were.
    if (std::is_constant_evaluated()) {
      if (pos > size_) std::fill(buffer_.data() + size_, buffer_.data() + pos, std::byte{0});
      std::copy_n(bytes.data(), bytes.size(), buffer_.data() + pos);
    } else {
      if (pos > size_) std::memset(buffer_.data() + size_, 0, pos - size_); // BytesIO fills gaps
      std::memcpy(buffer_.data() + pos, bytes.data(), bytes.size());
    }
    this->pos_ += bytes.size();
    size_ = std::max(size_, pos + bytes.size());
  }

  template <class Sink>
  constexpr std::uint64_t truncate_impl(std::int64_t size, Sink& sink) {
    if (!this->valid_truncate(size, sink)) return 0;
    if (static_cast<std::uint64_t>(size) < size_) size_ = static_cast<std::size_t>(size);
    return static_cast<std::uint64_t>(size);
  }

  std::span<Byte> buffer_;
  std::size_t size_;
};

/// A read-only stream over a caller's bytes.
using span_stream = basic_span_stream<const std::byte>;

/// A writable stream over a caller's fixed-size buffer; it never grows.
using writable_span_stream = basic_span_stream<std::byte>;

} // namespace io
