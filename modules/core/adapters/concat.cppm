// io.core:adapters.concat — several readable streams read one after another.
module;
#include <cstddef>
#include <span>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
export module io.core:adapters.concat;
import :concepts;
import :bytes;
import :detail;

export namespace io {

/// Reads each of `S...` (streams owned, or references `T&`) to its end, in order, as one stream.
template <class... S>
  requires(readable<std::remove_reference_t<S>> && ...)
class concat_reader : public bytes_interface<concat_reader<S...>> {
public:
  using bytes_interface<concat_reader>::read;
  /// Joins `streams` (lvalues are referenced, rvalues moved in).
  explicit concat_reader(S&&... streams) : streams_(std::forward<S>(streams)...) {}

  /// Reads into a prefix of `buffer` from the current stream, moving on when it ends; 0 at the end
  /// of the last.
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
    while (current_ < sizeof...(S)) {
      const std::size_t n = read_current(buffer, sink, std::index_sequence_for<S...>{});
      if (detail::failed(sink) || n != 0 || buffer.empty()) return n;
      ++current_;
    }
    return 0;
  }

  template <class Sink, std::size_t... I>
  std::size_t read_current(std::span<std::byte> buffer, Sink& sink, std::index_sequence<I...>) {
    std::size_t n = 0;
    (void)((I == current_ ? (n = detail::read(std::get<I>(streams_), buffer, sink), true) : false) || ...);
    return n;
  }

  std::tuple<S...> streams_;
  std::size_t current_ = 0;
};

/// Deduces concat_reader<T&> for lvalues (referenced) and concat_reader<T> for rvalues (owned).
template <class... S>
concat_reader(S&&...) -> concat_reader<S...>;

/// The streams read one after another, as one readable stream (like `cat a b`).
template <class... S>
  requires(sizeof...(S) > 0 && (readable<std::remove_reference_t<S>> && ...))
concat_reader<S...> concat(S&&... streams) {
  return concat_reader<S...>(std::forward<S>(streams)...);
}

} // namespace io
