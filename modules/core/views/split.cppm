// io.core:views.split — io::views::split and io::split_view: a source cut at a delimiter.
module;
#include <cstddef>
#include <ranges>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.split;
import :error;
import :views.source;
import :views.delimiter;
import :views.tokens;
import :views.lines;

namespace io::detail {

// Tokens end at a delimiter of one or more bytes.
struct delimiter_splitter {
  delimiter cut;
  bool keep_ends = false;

  // A token at the maximum length may need all but the last byte of a delimiter after it.
  inline std::size_t slack() const noexcept { return cut.size() > 1 ? cut.size() - 1 : 0; }

  inline split_result operator()(std::string_view data, bool at_end) const noexcept {
    if (cut.empty()) return {}; // no tokens (the adaptor reported it)
    const std::size_t end = cut.find(data);
    if (end != std::string_view::npos) [[likely]] {
      if (keep_ends) return {end + cut.size(), data.substr(0, end + cut.size()), true, cut.size()};
      return {end + cut.size(), data.substr(0, end), true, 0};
    }
    if (!at_end || data.empty() || cut.empty()) return {};
    return {data.size(), data, true, 0};
  }
};

// An empty delimiter cannot cut anything: report it, and leave the view without tokens.
inline void check_delimiter(std::string_view delimiter, std::error_code* ec) {
  if (!delimiter.empty()) return;
  if (ec == nullptr) throw io_error(errc::invalid_argument, "split at an empty delimiter");
  *ec = errc::invalid_argument;
}

} // namespace io::detail

export namespace io {

/// The pieces of a source `T` cut at a delimiter (what `source | io::views::split(",")` is);
/// ranges, ownership and the stream's position as io::lines_view.
template <class T>
class split_view : public detail::token_engine<T, detail::delimiter_splitter>,
                   public std::ranges::view_interface<split_view<T>>,
                   public ranges::view_base {
  using engine = detail::token_engine<T, detail::delimiter_splitter>;

public:
  split_view() = default;
  /// The pieces of `source` cut at `delimiter`; errors go to *ec when set.
  split_view(T&& source, std::string_view delimiter, line_options options, std::error_code* ec)
      : engine(std::forward<T>(source), detail::delimiter_splitter{detail::delimiter(delimiter), options.keep_ends},
               options.max_length, ec) {}
  using engine::begin;
  using engine::end;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::split.
struct split_fn {
  /// The pieces of `source` cut at `delimiter` (one or more bytes), cut as `options` say.
  template <class T>
  auto operator()(T&& source, std::string_view delimiter, line_options options = {}) const {
    static_assert(detail::check_source<T>());
    detail::check_delimiter(delimiter, nullptr);
    if constexpr (viewable_source<T>) return split_view<T>(std::forward<T>(source), delimiter, options, nullptr);
  }
  /// The pieces of `source` cut at the byte `delimiter`.
  template <class T>
  auto operator()(T&& source, char delimiter, line_options options = {}) const {
    return (*this)(std::forward<T>(source), std::string_view(&delimiter, 1), options);
  }
  /// As split(source, delimiter), with read errors (and an empty delimiter) reported through `ec`.
  template <class T>
  auto operator()(T&& source, std::string_view delimiter, std::error_code& ec) const {
    return (*this)(std::forward<T>(source), delimiter, line_options{}, ec);
  }
  /// As split(source, delimiter, options), with errors reported through `ec`.
  template <class T>
  auto operator()(T&& source, std::string_view delimiter, line_options options, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    detail::check_delimiter(delimiter, &ec);
    if constexpr (viewable_source<T>) return split_view<T>(std::forward<T>(source), delimiter, options, &ec);
  }
  /// As split(source, delimiter), with read errors reported through `ec`.
  template <class T>
  auto operator()(T&& source, char delimiter, std::error_code& ec) const {
    return (*this)(std::forward<T>(source), std::string_view(&delimiter, 1), line_options{}, ec);
  }
  /// As split(source, delimiter, options), at a byte delimiter, with errors reported through `ec`.
  template <class T>
  auto operator()(T&& source, char delimiter, line_options options, std::error_code& ec) const {
    return (*this)(std::forward<T>(source), std::string_view(&delimiter, 1), options, ec);
  }

  /// The adaptor with its delimiter bound, for `source | io::views::split(",")`.
  auto operator()(std::string_view delimiter, line_options options = {}) const {
    detail::check_delimiter(delimiter, nullptr);
    return detail::source_closure{[d = std::string(delimiter), options](auto&& source) {
      return split_fn{}(std::forward<decltype(source)>(source), std::string_view(d), options);
    }};
  }
  /// The adaptor with its byte delimiter bound, for `source | io::views::split(',')`.
  auto operator()(char delimiter, line_options options = {}) const {
    return (*this)(std::string_view(&delimiter, 1), options);
  }
  /// The adaptor with its delimiter, options and `ec` bound.
  auto operator()(std::string_view delimiter, line_options options, std::error_code& ec) const {
    return detail::source_closure{[d = std::string(delimiter), options, ec = &ec](auto&& source) {
      return split_fn{}(std::forward<decltype(source)>(source), std::string_view(d), options, *ec);
    }};
  }
  /// The adaptor with its delimiter and `ec` bound.
  auto operator()(std::string_view delimiter, std::error_code& ec) const {
    return (*this)(delimiter, line_options{}, ec);
  }
  /// The adaptor with its byte delimiter and `ec` bound.
  auto operator()(char delimiter, std::error_code& ec) const { return (*this)(std::string_view(&delimiter, 1), ec); }
  /// The adaptor with its byte delimiter, options and `ec` bound.
  auto operator()(char delimiter, line_options options, std::error_code& ec) const {
    return (*this)(std::string_view(&delimiter, 1), options, ec);
  }
};

/// The pieces of a source cut at a delimiter of one or more bytes, each a std::string_view
/// without the delimiter (with it, given `{.keep_ends = true}`): as std::getline with a delimiter,
/// "a,,b" gives "a", "", "b", "a,b," gives "a", "b", and empty input gives nothing. Ranges,
/// ownership, lifetimes, options and errors as io::views::lines; an empty delimiter is
/// errc::invalid_argument.
inline constexpr split_fn split{};

} // namespace io::views

template <class T>
inline constexpr bool std::ranges::enable_borrowed_range<io::split_view<T>> =
    io::detail::token_engine<T, io::detail::delimiter_splitter>::borrowed;
template <class T>
inline constexpr bool ranges::enable_borrowed_range<io::split_view<T>> =
    io::detail::token_engine<T, io::detail::delimiter_splitter>::borrowed;
