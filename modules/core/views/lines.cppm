// io.core:views.lines — io::views::lines: a source as its lines.
module;
#include <string_view>
#include <system_error>
#include <utility>
export module io.core:views.lines;
import :views.source;
import :views.tokens;

export namespace io {

/// The view io::views::lines makes of a `T`: io::token_view over memory, io::stream_token_view
/// over a stream.
template <class T>
using lines_view = decltype(detail::make_tokens(std::declval<T>(), "\n", true, nullptr));

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::lines.
struct lines_fn {
  /// The lines of `source`, without their terminators.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source) const {
    return detail::make_tokens(std::forward<T>(source), "\n", true, nullptr);
  }

  /// The lines of `source`; a read error is stored in `ec` and ends the range instead of throwing.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, std::error_code& ec) const {
    ec.clear();
    return detail::make_tokens(std::forward<T>(source), "\n", true, &ec);
  }

  /// The adaptor with `ec` bound, for `source | io::views::lines(ec)`.
  auto operator()(std::error_code& ec) const {
    return detail::source_closure{[ec = &ec](auto&& source) { return lines_fn{}(std::forward<decltype(source)>(source), *ec); }};
  }

  /// `source | io::views::lines`
  template <class T>
    requires viewable_source<T>
  friend auto operator|(T&& source, const lines_fn& lines) {
    return lines(std::forward<T>(source));
  }
};

/// The lines of a source, each a std::string_view without its "\n" or "\r\n"; a last line without
/// a terminator counts, empty input has none, and a line may be of any length. Over memory
/// (memory_stream, span_stream, mapped_file, strings) a borrowed forward range whose views stay
/// valid with the bytes; over a stream an input range whose views stay valid until the next
/// increment. Read errors throw io_error, or go to `ec` with `lines(source, ec)` / `lines(ec)`.
inline constexpr lines_fn lines{};

} // namespace io::views
