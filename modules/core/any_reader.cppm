// io.core:any_reader — a non-template reference to any readable stream.
module;
#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <type_traits>
export module io.core:any_reader;
import :concepts;
import :bytes;
import :detail;

export namespace io {

/// A reference to any readable stream behind one non-template type, so that a function taking
/// `io::any_reader` accepts a file, a memory stream or a user's stream. It does not own the
/// stream, which must outlive it; each read costs one indirect call.
class any_reader : public bytes_interface<any_reader> {
public:
  using bytes_interface<any_reader>::read;
  /// Refers to `stream`, which must outlive this reader.
  template <readable R>
    requires(!std::is_same_v<std::remove_cv_t<R>, any_reader>)
  any_reader(R& stream) noexcept // NOLINT: implicit, so a stream passes where any_reader is taken
      : stream_(std::addressof(stream)), table_(&table_for<R>) {}

  /// Reads into a prefix of `buffer`; returns the byte count, 0 at end of stream.
  inline std::size_t read(std::span<std::byte> buffer) { return table_->read(stream_, buffer); }

  /// Reads into a prefix of `buffer`, reporting errors through `ec`.
  inline std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    return table_->read_ec(stream_, buffer, ec);
  }

private:
  struct table {
    std::size_t (*read)(void*, std::span<std::byte>);
    std::size_t (*read_ec)(void*, std::span<std::byte>, std::error_code&) noexcept;
  };

  template <class R>
  static constexpr table table_for{
      [](void* s, std::span<std::byte> b) { return static_cast<R*>(s)->read(b); },
      [](void* s, std::span<std::byte> b, std::error_code& ec) noexcept {
        return detail::read(*static_cast<R*>(s), b, ec);
      },
  };

  void* stream_;
  const table* table_;
};

} // namespace io
