// io.core:views.split — io::views::split: a source cut at a delimiter.
module;
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
export module io.core:views.split;
import :error;
import :views.source;
import :views.tokens;

namespace io::detail {

// An empty delimiter cannot cut anything: report it, and leave the view without tokens.
inline void check_delimiter(std::string_view delimiter, std::error_code* ec) {
  if (!delimiter.empty()) return;
  if (ec == nullptr) throw io_error(errc::invalid_argument, "split at an empty delimiter");
  *ec = errc::invalid_argument;
}

} // namespace io::detail

export namespace io {

/// The view io::views::split makes of a `T`: io::token_view over memory, io::stream_token_view
/// over a stream.
template <class T>
using split_view = decltype(detail::make_tokens(std::declval<T>(), ",", false, nullptr));

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::split.
struct split_fn {
  /// The pieces of `source` cut at `delimiter` (one or more bytes).
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, std::string_view delimiter) const {
    detail::check_delimiter(delimiter, nullptr);
    return detail::make_tokens(std::forward<T>(source), delimiter, false, nullptr);
  }
  /// The pieces of `source` cut at the byte `delimiter`.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, char delimiter) const {
    return (*this)(std::forward<T>(source), std::string_view(&delimiter, 1));
  }
  /// As split(source, delimiter), with read errors (and an empty delimiter) reported through `ec`.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, std::string_view delimiter, std::error_code& ec) const {
    ec.clear();
    detail::check_delimiter(delimiter, &ec);
    return detail::make_tokens(std::forward<T>(source), delimiter, false, &ec);
  }
  /// As split(source, delimiter), with read errors reported through `ec`.
  template <class T>
    requires viewable_source<T>
  auto operator()(T&& source, char delimiter, std::error_code& ec) const {
    return (*this)(std::forward<T>(source), std::string_view(&delimiter, 1), ec);
  }

  /// The adaptor with its delimiter bound, for `source | io::views::split(",")`.
  auto operator()(std::string_view delimiter) const {
    detail::check_delimiter(delimiter, nullptr);
    return detail::source_closure{[d = std::string(delimiter)](auto&& source) {
      return split_fn{}(std::forward<decltype(source)>(source), std::string_view(d));
    }};
  }
  /// The adaptor with its byte delimiter bound, for `source | io::views::split(',')`.
  auto operator()(char delimiter) const { return (*this)(std::string_view(&delimiter, 1)); }
  /// The adaptor with its delimiter and `ec` bound.
  auto operator()(std::string_view delimiter, std::error_code& ec) const {
    return detail::source_closure{[d = std::string(delimiter), ec = &ec](auto&& source) {
      return split_fn{}(std::forward<decltype(source)>(source), std::string_view(d), *ec);
    }};
  }
  /// The adaptor with its byte delimiter and `ec` bound.
  auto operator()(char delimiter, std::error_code& ec) const { return (*this)(std::string_view(&delimiter, 1), ec); }
};

/// The pieces of a source cut at a delimiter of one or more bytes, each a std::string_view
/// without the delimiter: as std::getline with a delimiter, "a,,b" gives "a", "", "b", "a,b," gives
/// "a", "b", and empty input gives nothing. Ranges, lifetimes and errors as io::views::lines; an
/// empty delimiter is errc::invalid_argument.
inline constexpr split_fn split{};

} // namespace io::views
