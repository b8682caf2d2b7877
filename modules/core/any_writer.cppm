// io.core:any_writer — a non-template reference to any writable stream.
module;
#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <type_traits>
export module io.core:any_writer;
import :concepts;
import :bytes;
import :detail;

export namespace io {

/// A reference to any writable stream behind one non-template type, so that a function taking
/// `io::any_writer` accepts a file, a memory stream or a user's stream. It does not own the
/// stream, which must outlive it; each call costs one indirect call.
class any_writer : public bytes_interface<any_writer> {
public:
  using bytes_interface<any_writer>::write;
  /// Refers to `stream`, which must outlive this writer.
  template <writable W>
    requires(!std::is_same_v<std::remove_cv_t<W>, any_writer>)
  any_writer(W& stream) noexcept // NOLINT: implicit, so a stream passes where any_writer is taken
      : stream_(std::addressof(stream)), table_(&table_for<W>) {}

  /// Writes all of `bytes` or throws.
  inline void write(std::span<const std::byte> bytes) { table_->write(stream_, bytes); }

  /// Writes all of `bytes`, reporting errors through `ec`.
  inline void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    table_->write_ec(stream_, bytes, ec);
  }

  /// Flushes the stream's buffers.
  inline void flush() { table_->flush(stream_); }

  /// Flushes the stream's buffers, reporting errors through `ec`.
  inline void flush(std::error_code& ec) noexcept {
    ec.clear();
    table_->flush_ec(stream_, ec);
  }

private:
  struct table {
    void (*write)(void*, std::span<const std::byte>);
    void (*write_ec)(void*, std::span<const std::byte>, std::error_code&) noexcept;
    void (*flush)(void*);
    void (*flush_ec)(void*, std::error_code&) noexcept;
  };

  template <class W>
  static constexpr table table_for{
      [](void* s, std::span<const std::byte> b) { static_cast<W*>(s)->write(b); },
      [](void* s, std::span<const std::byte> b, std::error_code& ec) noexcept {
        detail::write(*static_cast<W*>(s), b, ec);
      },
      [](void* s) { static_cast<W*>(s)->flush(); },
      [](void* s, std::error_code& ec) noexcept { detail::flush(*static_cast<W*>(s), ec); },
  };

  void* stream_;
  const table* table_;
};

} // namespace io
