// io.core:adapters.take — at most n bytes of a readable stream.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.core:adapters.take;
import :concepts;
import :bytes;
import :detail;

export namespace io {

/// The first `limit` bytes of `R` (owned, or a reference `T&`) as a stream that then ends; it is
/// buffered_readable when `R` is.
template <class R>
  requires readable<std::remove_reference_t<R>>
class take_reader : public bytes_interface<take_reader<R>> {
public:
  using bytes_interface<take_reader>::read;
  /// At most `limit` bytes of `from` (an lvalue is referenced, an rvalue moved in).
  take_reader(R&& from, std::uint64_t limit) : from_(std::forward<R>(from)), left_(limit) {}

  /// Reads into a prefix of `buffer`, never past the limit.
  std::size_t read(std::span<std::byte> buffer) {
    const std::size_t n = from_.read(buffer.first(clamp(buffer.size())));
    left_ -= n;
    return n;
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    const std::size_t n = detail::read(from_, buffer.first(clamp(buffer.size())), ec);
    left_ -= n;
    return n;
  }

  /// The stream's buffered bytes, cut at the limit.
  std::span<const std::byte> fill()
    requires buffered_readable<std::remove_reference_t<R>>
  {
    if (left_ == 0) return {};
    const std::span<const std::byte> bytes = from_.fill();
    return bytes.first(clamp(bytes.size()));
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept
    requires buffered_readable<std::remove_reference_t<R>>
  {
    ec.clear();
    if (left_ == 0) return {};
    const std::span<const std::byte> bytes = detail::fill(from_, ec);
    return bytes.first(clamp(bytes.size()));
  }
  /// At least `n` bytes (fewer only at the limit or the end), cut at the limit; as the stream's fill(n).
  std::span<const std::byte> fill(std::size_t n)
    requires requires(std::remove_reference_t<R>& s) { s.fill(n); }
  {
    if (left_ == 0) return {};
    const std::span<const std::byte> bytes = from_.fill(clamp(n));
    return bytes.first(clamp(bytes.size()));
  }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t n, std::error_code& ec) noexcept
    requires requires(std::remove_reference_t<R>& s, std::error_code& e) { s.fill(n, e); }
  {
    ec.clear();
    if (left_ == 0) return {};
    const std::span<const std::byte> bytes = from_.fill(clamp(n), ec);
    return bytes.first(clamp(bytes.size()));
  }
  /// Marks `n` bytes returned by fill() as read.
  void consume(std::size_t n)
    requires buffered_readable<std::remove_reference_t<R>>
  {
    n = clamp(n);
    from_.consume(n);
    left_ -= n;
  }

  /// How many more bytes may be read.
  std::uint64_t remaining() const noexcept { return left_; }

private:
  std::size_t clamp(std::size_t n) const noexcept {
    return static_cast<std::size_t>(std::min<std::uint64_t>(n, left_));
  }

  R from_;
  std::uint64_t left_;
};

/// Deduces a reference for an lvalue and an owned stream for an rvalue.
template <class R>
take_reader(R&&, std::uint64_t) -> take_reader<R>;

/// At most `limit` bytes of `from`, as a stream.
template <class R>
  requires readable<std::remove_reference_t<R>>
take_reader<R> take(R&& from, std::uint64_t limit) {
  return take_reader<R>(std::forward<R>(from), limit);
}

} // namespace io
