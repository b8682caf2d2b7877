// io.core:views.words — io::views::words and io::words_view: a source as its whitespace-separated words.
module;
#include <cstddef>
#include <ranges>
#include <string_view>
#include <system_error>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.words;
import :views.source;
import :views.tokens;

namespace io::detail {

// ASCII whitespace, as Python's bytes.split() and `wc -w` in the C locale: space, \t \n \v \f \r.
inline constexpr bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Words are runs of bytes that are not whitespace; the whitespace between them is skipped.
struct word_splitter {
  inline split_result operator()(std::string_view data, bool at_end) const noexcept {
    std::size_t begin = 0;
    while (begin < data.size() && is_space(data[begin])) ++begin;
    std::size_t end = begin;
    while (end < data.size() && !is_space(data[end])) ++end;
    if (end < data.size() || (at_end && end > begin)) return {end, data.substr(begin, end - begin), true, 0};
    return {begin, {}, false, 0}; // skip the whitespace; the word, if any, may go on
  }
};

} // namespace io::detail

export namespace io {

/// The words of a source `T` (what `source | io::views::words` is): runs of bytes between ASCII
/// whitespace. Ranges, ownership and the stream's position as io::lines_view (over a stream, right
/// after the last word handed out).
template <class T>
class words_view : public detail::token_engine<T, detail::word_splitter>,
                   public std::ranges::view_interface<words_view<T>>,
                   public ranges::view_base {
  using engine = detail::token_engine<T, detail::word_splitter>;

public:
  words_view() = default;
  /// The words of `source`; errors go to *ec when set.
  words_view(T&& source, std::error_code* ec) : engine(std::forward<T>(source), {}, 0, ec) {}
  using engine::begin;
  using engine::end;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::words.
struct words_fn {
  /// The words of `source`.
  template <class T>
  auto operator()(T&& source) const {
    static_assert(detail::check_source<T>());
    if constexpr (viewable_source<T>) return words_view<T>(std::forward<T>(source), nullptr);
  }
  /// The words of `source`; a read error is stored in `ec` and ends the range.
  template <class T>
  auto operator()(T&& source, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    if constexpr (viewable_source<T>) return words_view<T>(std::forward<T>(source), &ec);
  }
  /// The adaptor with `ec` bound, for `source | io::views::words(ec)`.
  auto operator()(std::error_code& ec) const {
    return detail::source_closure{[ec = &ec](auto&& source) { return words_fn{}(std::forward<decltype(source)>(source), *ec); }};
  }
  /// `source | io::views::words`
  template <class T>
  friend auto operator|(T&& source, const words_fn& words) {
    return words(std::forward<T>(source));
  }
};

/// The words of a source, each a std::string_view: the runs of bytes between ASCII whitespace
/// (space, \t, \n, \v, \f, \r), as Python's `bytes.split()` and `wc -w`; zero-copy like lines.
inline constexpr words_fn words{};

} // namespace io::views

template <class T>
inline constexpr bool std::ranges::enable_borrowed_range<io::words_view<T>> =
    io::detail::token_engine<T, io::detail::word_splitter>::borrowed;
template <class T>
inline constexpr bool ranges::enable_borrowed_range<io::words_view<T>> =
    io::detail::token_engine<T, io::detail::word_splitter>::borrowed;
