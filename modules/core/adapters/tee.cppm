// io.core:adapters.tee — a readable stream that copies what is read into a writable one.
module;
#include <cstddef>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:adapters.tee;
import :concepts;
import :bytes;
import :detail;

export namespace io {

/// Reads from `R` and writes every byte read into `W` before returning it (like `tee`); both
/// owned, or references `T&`. A failed write is the read's error.
template <class R, class W>
  requires readable<std::remove_reference_t<R>> && writable<std::remove_reference_t<W>>
class tee_reader : public bytes_interface<tee_reader<R, W>> {
public:
  using bytes_interface<tee_reader>::read;
  /// Reads `from`, copying into `copy` (lvalues are referenced, rvalues moved in).
  tee_reader(R&& from, W&& copy) : from_(std::forward<R>(from)), copy_(std::forward<W>(copy)) {}

  /// Reads into a prefix of `buffer` and writes the same bytes to the copy.
  std::size_t read(std::span<std::byte> buffer) {
    detail::throw_errors sink;
    return read_impl(buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    return read_impl(buffer, ec);
  }

private:
  template <class Sink>
  std::size_t read_impl(std::span<std::byte> buffer, Sink& sink) {
    const std::size_t n = detail::read(from_, buffer, sink);
    if (detail::failed(sink) || n == 0) return 0;
    detail::write(copy_, std::span<const std::byte>(buffer.first(n)), sink);
    return detail::failed(sink) ? 0 : n;
  }

  R from_;
  W copy_;
};

/// Deduces references for lvalues and owned streams for rvalues.
template <class R, class W>
tee_reader(R&&, W&&) -> tee_reader<R, W>;

/// A readable stream over `from` that writes what it reads into `copy`.
template <class R, class W>
  requires readable<std::remove_reference_t<R>> && writable<std::remove_reference_t<W>>
tee_reader<R, W> tee(R&& from, W&& copy) {
  return tee_reader<R, W>(std::forward<R>(from), std::forward<W>(copy));
}

} // namespace io
