// io.core:views.lines — io::views::lines and io::lines_view: a source as its lines.
module;
#include <concepts>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string.h> // memrchr, rawmemchr
#include <ranges>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.lines;
import :buffer;
import :views.source;
import :views.stream_range;
import :views.tokens;

export namespace io {

/// How io::views::lines (and io::read_line) cut lines.
struct line_options {
  /// Hand out each line with its terminator ("\n" or "\r\n"), as Python's iteration does.
  bool keep_ends = false;
  /// The longest line accepted, not counting its terminator (0: any length). A longer line is
  /// errc::line_too_long, naming the byte offset where it starts: thrown, or stored in the
  /// view's std::error_code, ending the range.
  std::size_t max_length = 0;
};

/// Which bytes end a line of a stream that says so itself (io::text_reader, by its newline mode).
enum class line_end {
  lf,   ///< only "\n"
  cr,   ///< only "\r"
  crlf, ///< only "\r\n"
  any,  ///< "\n", "\r" and "\r\n" (Python's universal newlines, untranslated)
};

/// A stream that says which bytes end its lines: io::views::lines cuts its lines there and only
/// there, and a kept or dropped terminator is exactly those bytes (no '\r' is dropped before
/// "\n" unless "\r\n" is the terminator). Other streams' lines end at "\n" (or "\r\n").
template <class S>
concept line_ended = requires(const S& s) {
  { s.line_end() } -> std::same_as<io::line_end>;
};

} // namespace io

namespace io::detail {

// Lines end at "\n"; a '\r' before it (or at the very end) is part of the terminator.
struct line_splitter {
  bool keep_ends = false;

  inline split_result operator()(std::string_view data, bool at_end) const noexcept {
    const void* hit = std::memchr(data.data(), '\n', data.size());
    if (hit != nullptr) [[likely]] {
      const auto end = static_cast<std::size_t>(static_cast<const char*>(hit) - data.data());
      const std::size_t content = end != 0 && data[end - 1] == '\r' ? end - 1 : end;
      if (keep_ends) return {end + 1, data.substr(0, end + 1), true, end + 1 - content};
      return {end + 1, data.substr(0, content), true, 0};
    }
    if (!at_end || data.empty()) return {};
    const std::size_t content = data.back() == '\r' ? data.size() - 1 : data.size();
    if (keep_ends) return {data.size(), data, true, data.size() - content};
    return {data.size(), data.substr(0, content), true, 0};
  }
};

// Lines of a stream that says how they end (line_ended): exactly its terminator ends a line.
struct text_line_splitter {
  line_end end = line_end::lf;
  bool keep_ends = false;

  // A line of `length` bytes whose terminator is `terminator` bytes long.
  inline split_result line(std::string_view data, std::size_t length, std::size_t terminator) const noexcept {
    if (keep_ends) return {length, data.substr(0, length), true, terminator};
    return {length, data.substr(0, length - terminator), true, 0};
  }

  inline split_result operator()(std::string_view data, bool at_end) const noexcept {
    switch (end) {
    case line_end::lf:
    case line_end::cr: {
      const void* hit = std::memchr(data.data(), end == line_end::lf ? '\n' : '\r', data.size());
      if (hit != nullptr) [[likely]]
        return line(data, static_cast<std::size_t>(static_cast<const char*>(hit) - data.data()) + 1, 1);
      break;
    }
    case line_end::crlf: {
      std::size_t from = 0;
      while (const void* hit = std::memchr(data.data() + from, '\r', data.size() - from)) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - data.data());
        if (at + 1 == data.size()) {
          if (!at_end) return {}; // a "\n" may come next
          break;
        }
        if (data[at + 1] == '\n') return line(data, at + 2, 2);
        from = at + 1;
      }
      break;
    }
    case line_end::any: {
      // The first "\n" bounds the search for a '\r' before it: each byte is looked at once or twice.
      const void* lf = std::memchr(data.data(), '\n', data.size());
      const std::size_t limit = lf != nullptr ? static_cast<std::size_t>(static_cast<const char*>(lf) - data.data()) : data.size();
      const void* cr = std::memchr(data.data(), '\r', limit);
      if (cr != nullptr) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(cr) - data.data());
        if (at + 1 == data.size() && !at_end) return {}; // a "\n" may come next
        if (at + 1 < data.size() && data[at + 1] == '\n') return line(data, at + 2, 2);
        return line(data, at + 1, 1);
      }
      if (lf != nullptr) return line(data, limit + 1, 1);
      break;
    }
    }
    if (!at_end || data.empty()) return {};
    return line(data, data.size(), 0);
  }
};

// The splitter of lines over `T`: the stream's own line ends when it says them.
template <class T>
using line_splitter_for = std::conditional_t<line_ended<std::remove_cvref_t<T>>, text_line_splitter, line_splitter>;

template <class T>
line_splitter_for<T> make_line_splitter(const T& source, const line_options& options) noexcept {
  if constexpr (line_ended<std::remove_cvref_t<T>>) return {source.line_end(), options.keep_ends};
  else return {options.keep_ends};
}

// Lines over storage: a bidirectional iterator, so that `text | lines | std::views::reverse`
// walks from the end without reading the rest (`tail -n` over a mapped file).
// Walking forward, the iterator knows where the storage's last '\n' is (one memrchr from the end,
// which stops at the last line): before it, the next '\n' is searched for with rawmemchr, without
// memchr's length bookkeeping or a check for "none", and a '\r' before it is found with one
// compare (the line starts past the storage's first byte, so the byte before the '\n' is there to
// read). This keeps a line's step within a few instructions of a bare memchr loop's.
class storage_line_iterator {
public:
  using value_type = std::string_view;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::bidirectional_iterator_tag;
  using iterator_category = std::bidirectional_iterator_tag;

  storage_line_iterator() = default;
  inline storage_line_iterator(std::string_view all, bool at_end, bool keep_ends, std::size_t max_length, std::error_code* ec)
      : first_(all.data()), last_(all.data() + all.size()), begin_(at_end ? last_ : first_), next_(begin_),
        newlines_end_(first_), keep_ends_(keep_ends), max_length_(max_length), ec_(ec) {
    if (at_end) return;
    if (first_ != last_) {
      const void* newline = ::memrchr(first_, '\n', static_cast<std::size_t>(last_ - first_));
      if (newline != nullptr) newlines_end_ = static_cast<const char*>(newline) + 1;
    }
    step();
  }

  /// The current line.
  inline std::string_view operator*() const noexcept { return line_; }
  /// Moves to the next line.
  [[gnu::always_inline]] inline storage_line_iterator& operator++() {
    const char* begin = next_;
    // Past the storage's first byte (the first line was taken by the constructor or operator--).
    if (begin < newlines_end_) [[likely]] {
      const auto* newline = static_cast<const char*>(::rawmemchr(begin, '\n'));
      load(begin, newline + 1, newline - (newline[-1] == '\r'));
      return *this;
    }
    step();
    return *this;
  }
  /// Moves to the next line, returning the iterator as it was.
  inline storage_line_iterator operator++(int) {
    storage_line_iterator before = *this;
    ++*this;
    return before;
  }
  /// Moves to the line before.
  inline storage_line_iterator& operator--() {
    const char* end = begin_; // the line before ends (terminator included) where this one starts
    const void* hit = end - first_ > 1 ? ::memrchr(first_, '\n', static_cast<std::size_t>(end - first_ - 1)) : nullptr;
    const char* begin = hit == nullptr ? first_ : static_cast<const char*>(hit) + 1;
    const char* content = end != begin && end[-1] == '\n' ? end - 1 : end;
    if (content != begin && content[-1] == '\r') --content;
    load(begin, end, content, true);
    return *this;
  }
  /// Moves to the line before, returning the iterator as it was.
  inline storage_line_iterator operator--(int) {
    storage_line_iterator before = *this;
    --*this;
    return before;
  }
  /// Iterators at the same line are equal.
  friend inline bool operator==(const storage_line_iterator& a, const storage_line_iterator& b) noexcept {
    return a.begin_ == b.begin_;
  }

private:
  // The next line from next_ with every check: the first line, the last one (no '\n' after it),
  // the end, and every line of an iterator made at the end (newlines_end_ is first_ there).
  // Always inlined, as operator++ is: called out of line with the iterator's address, it would
  // keep the whole walk in memory rather than in registers (20% more instructions a line).
  [[gnu::always_inline]] inline void step() {
    const char* begin = next_;
    if (begin == last_) return finish();
    const found_line line = find_line(begin, last_);
    load(begin, line.end, line.content);
  }
  // Where the line at `begin` ends, terminator included and not: searched for by a function that
  // does not take the iterator's address, so that, inlined or not, the walk stays in registers.
  struct found_line {
    const char* end;
    const char* content;
  };
  static inline found_line find_line(const char* begin, const char* last) noexcept {
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', static_cast<std::size_t>(last - begin)));
    const char* end = newline != nullptr ? newline + 1 : last;
    const char* content = newline != nullptr ? newline : last;
    if (content != begin && content[-1] == '\r') --content;
    return {end, content};
  }
  // Makes [begin, end) the current line, its terminator included; [begin, content) is without it.
  // A line too long ends the walk: forward at the end, backward at the beginning, so that a
  // reversed walk stops too. Always inlined, as step() is.
  [[gnu::always_inline]] inline void load(const char* begin, const char* end, const char* content, bool backward = false) {
    if (max_length_ != 0 && static_cast<std::size_t>(content - begin) > max_length_) [[unlikely]] {
      finish();
      if (backward) begin_ = next_ = newlines_end_ = first_; // a later ++ takes the careful step
      return report_too_long(ec_, static_cast<std::size_t>(begin - first_), max_length_, {});
    }
    begin_ = begin;
    next_ = end;
    line_ = std::string_view(begin, static_cast<std::size_t>((keep_ends_ ? end : content) - begin));
  }
  inline void finish() noexcept {
    begin_ = next_ = last_;
    line_ = {};
  }

  const char* first_ = nullptr; // the storage: [first_, last_)
  const char* last_ = nullptr;
  const char* begin_ = nullptr; // where the current line starts; last_ at the end
  const char* next_ = nullptr;  // where the next one starts
  // Just past the storage's last '\n' (found by the constructor of a begin iterator), so that a
  // '\n' is known to lie in [next_, newlines_end_); first_ when unknown (an iterator made at the
  // end, as a reversed walk starts) or when there is none.
  const char* newlines_end_ = nullptr;
  std::string_view line_;
  bool keep_ends_ = false;
  std::size_t max_length_ = 0;
  std::error_code* ec_ = nullptr;
};

// The engine of lines over storage `T`: a bidirectional, common range.
template <class T>
class storage_lines {
public:
  storage_lines() = default;
  storage_lines(T&& source, line_splitter split, std::size_t max_length, std::error_code* ec)
      : storage_(std::forward<T>(source)), keep_ends_(split.keep_ends), max_length_(max_length), ec_(ec) {}

  /// The first line.
  inline storage_line_iterator begin() const { return {storage_.text(), false, keep_ends_, max_length_, ec_}; }
  /// Past the last line.
  inline storage_line_iterator end() const { return {storage_.text(), true, keep_ends_, max_length_, ec_}; }

  static constexpr bool borrowed = held_storage<T>::borrowed;

private:
  held_storage<T> storage_;
  bool keep_ends_ = false;
  std::size_t max_length_ = 0;
  std::error_code* ec_ = nullptr;
};

// Walks the lines of a stream that lends its read window (a buffered_stream, buffered_reader, or
// an unbuffered stream through the view's own buffer), as storage_line_iterator walks storage:
// the buffered bytes' last '\n' is found once (one memrchr from the end, at each step of the state:
// a refill, a line that crossed the buffer's end), and before it the next '\n' is searched for with
// rawmemchr, and the line taken by one store of the window's start, so that the stream is right
// after every line handed out. Every other case (the window moved under the cursor by a read from
// the stream or another view, a line too long, the last '\n' passed) is the state's careful step.
// Over a stream that says how its lines end (text_line_splitter: io::text_reader), the same walk
// serves lines that end at "\n" alone (its terminator, no '\r' dropped); for other line ends the
// splitter is called on the window in place, as token_cursor does.
template <class T, class F = line_splitter>
class line_cursor {
public:
  using state_type = token_state<T, F>;
  static constexpr bool text = std::same_as<F, text_line_splitter>;

  line_cursor() = default;
  inline explicit line_cursor(state_type* s)
      : state_(s), limit_(s->max_length != 0 ? s->max_length : ~std::size_t{0}), keep_ends_(s->split.keep_ends),
        scan_(walks_newlines(s->split)) {
    load(look(s));
  }

  inline std::string_view read() const noexcept { return current_; }
  [[gnu::always_inline]] inline void next() {
    if (at_ < newlines_end_ && window_->begin() == at_ && window_->generation() == generation_) [[likely]] {
      const char* begin = base_ + at_;
      const auto* newline = static_cast<const char*>(::rawmemchr(begin, '\n'));
      // The line starts inside the window: the byte before its '\n' is read only when it is the line's.
      const char* content = newline;
      if constexpr (!text) content = newline != begin && newline[-1] == '\r' ? newline - 1 : newline;
      if (static_cast<std::size_t>(content - begin) <= limit_) [[likely]] {
        at_ = static_cast<std::size_t>(newline + 1 - base_);
        window_->set_begin(at_);
        current_ = std::string_view(begin, static_cast<std::size_t>((keep_ends_ ? newline + 1 : content) - begin));
        return;
      }
    }
    if constexpr (text) {
      if (!scan_ && in_window_ && at_ < end_ && window_->begin() == at_ && window_->generation() == generation_) {
        const std::string_view rest(base_ + at_, end_ - at_);
        const split_result r = state_->split(rest, false);
        if (r.found && r.advance <= rest.size() && r.advance != 0 && r.token.size() - r.terminator <= limit_) [[likely]] {
          at_ += r.advance;
          window_->set_begin(at_);
          current_ = r.token;
          return;
        }
      }
    }
    load(step(state_));
  }
  inline bool done() const noexcept { return done_; }
  inline void leave() noexcept {}
  inline state_type* state() const noexcept { return state_; }

private:
  // What the cursor takes from the state after a step that went through it.
  struct synced {
    std::string_view current;
    read_window* window;
    const char* base;
    std::size_t at;
    std::size_t end;
    std::size_t generation;
    std::size_t newlines_end;
    bool in_window;
    bool done;
  };
  // Whether lines end at "\n" (and "\r\n", over other streams), so that the walk finds them.
  static inline bool walks_newlines(const F& split) noexcept {
    if constexpr (text) return split.end == line_end::lf;
    else return true;
  }
  // The state's careful step, out of line and without the cursor's address, so that the walk's
  // registers are not spent on it (the cursor stays in registers).
  [[gnu::noinline]] static synced step(state_type* s) {
    s->advance();
    return look(s);
  }
  static inline synced look(state_type* s) {
    const lent_window w = s->input.window();
    const std::size_t end = w.window->end();
    // Only while no copied bytes of a line that crossed the buffer's end wait to be handed out.
    const bool in_window = !s->done && s->store_begin >= s->store.size();
    synced r{s->current, w.window, reinterpret_cast<const char*>(w.buffer), w.window->begin(), end, w.window->generation(),
             0, in_window, s->done};
    if (walks_newlines(s->split) && in_window && r.at < end) {
      const void* newline = ::memrchr(r.base + r.at, '\n', end - r.at);
      if (newline != nullptr) r.newlines_end = static_cast<std::size_t>(static_cast<const char*>(newline) + 1 - r.base);
    }
    return r;
  }
  inline void load(const synced& r) noexcept {
    current_ = r.current;
    window_ = r.window;
    base_ = r.base;
    at_ = r.at;
    generation_ = r.generation;
    newlines_end_ = r.newlines_end;
    done_ = r.done;
    if constexpr (text) { // only the splitter's walk reads them: no stores for other streams' lines
      end_ = r.end;
      in_window_ = r.in_window;
    }
  }

  state_type* state_ = nullptr;
  std::string_view current_;
  std::size_t limit_ = 0; // the longest line taken here: the maximum length, or any
  bool keep_ends_ = false;
  read_window* window_ = nullptr;
  const char* base_ = nullptr; // the window's buffer
  std::size_t at_ = 0;         // where the bytes after the current line start in it
  std::size_t generation_ = 0; // the window's generation then: the same bytes while it holds
  std::size_t newlines_end_ = 0; // just past the window's last '\n' (0: none, or unknown)
  std::size_t end_ = 0;          // the window's end then
  bool scan_ = true;             // whether lines end at "\n", walked with rawmemchr
  bool in_window_ = false;       // whether the bytes after the current line are the window's
  bool done_ = true;
};

// The engine of lines over a stream that lends its read window.
template <class T, class F>
class stream_lines : public stream_range<token_state<T, F>, line_cursor<T, F>> {
public:
  stream_lines() = default;
  stream_lines(T&& source, F split, std::size_t max_length, std::error_code* ec)
      : stream_range<token_state<T, F>, line_cursor<T, F>>(std::in_place, std::forward<T>(source), split, max_length, ec) {}
};

template <class T>
constexpr bool lines_in_window = [] {
  if constexpr (storage_source<T>) return false;
  else return stream_input<std::remove_reference_t<T>>::lends_window;
}();

template <class T>
using line_engine = std::conditional_t<storage_source<T>, storage_lines<T>,
                                       std::conditional_t<lines_in_window<T>, stream_lines<T, line_splitter_for<T>>,
                                                          stream_tokens<T, line_splitter_for<T>>>>;

} // namespace io::detail

export namespace io {

/// The lines of a source `T` (what `source | io::views::lines` is). Over storage a bidirectional range
/// of std::string_view into the storage (borrowed unless it owns an rvalue container); over a
/// stream an input range that consumes the stream: when iteration stops, the stream is right
/// after the last line handed out (and its terminator), and each line is valid until the next
/// increment.
template <class T>
class lines_view : public detail::line_engine<T>,
                   public std::ranges::view_interface<lines_view<T>>,
                   public ranges::view_base {
  using engine = detail::line_engine<T>;

public:
  lines_view() = default;
  /// The lines of `source`; errors go to *ec when set.
  lines_view(T&& source, line_options options, std::error_code* ec)
      : engine(std::forward<T>(source), make_splitter(source, options), options.max_length, ec) {}
  using engine::begin;
  using engine::end;

private:
  static auto make_splitter(const T& source, const line_options& options) noexcept {
    if constexpr (storage_source<T>) return detail::line_splitter{options.keep_ends};
    else return detail::make_line_splitter(source, options);
  }
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::lines.
struct lines_fn {
  /// The lines of `source`, without their terminators.
  template <class T>
  auto operator()(T&& source) const {
    static_assert(detail::check_source<T>());
    if constexpr (viewable_source<T>) return lines_view<T>(std::forward<T>(source), {}, nullptr);
  }
  /// The lines of `source`, cut as `options` say.
  template <class T>
  auto operator()(T&& source, line_options options) const {
    static_assert(detail::check_source<T>());
    if constexpr (viewable_source<T>) return lines_view<T>(std::forward<T>(source), options, nullptr);
  }
  /// The lines of `source`; a read error is stored in `ec` and ends the range instead of throwing.
  template <class T>
  auto operator()(T&& source, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    if constexpr (viewable_source<T>) return lines_view<T>(std::forward<T>(source), {}, &ec);
  }
  /// The lines of `source`, cut as `options` say, with errors stored in `ec`.
  template <class T>
  auto operator()(T&& source, line_options options, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    if constexpr (viewable_source<T>) return lines_view<T>(std::forward<T>(source), options, &ec);
  }

  /// The adaptor with `ec` bound, for `source | io::views::lines(ec)`.
  auto operator()(std::error_code& ec) const {
    return detail::source_closure{[ec = &ec](auto&& source) { return lines_fn{}(std::forward<decltype(source)>(source), *ec); }};
  }
  /// The adaptor with options bound, for `source | io::views::lines({.keep_ends = true})`.
  auto operator()(line_options options) const {
    return detail::source_closure{
        [options](auto&& source) { return lines_fn{}(std::forward<decltype(source)>(source), options); }};
  }
  /// The adaptor with options and `ec` bound.
  auto operator()(line_options options, std::error_code& ec) const {
    return detail::source_closure{[options, ec = &ec](auto&& source) {
      return lines_fn{}(std::forward<decltype(source)>(source), options, *ec);
    }};
  }

  /// `source | io::views::lines`
  template <class T>
  friend auto operator|(T&& source, const lines_fn& lines) {
    return lines(std::forward<T>(source));
  }
};

/// The lines of a source, each a std::string_view without its "\n" or "\r\n" (with them, given
/// `{.keep_ends = true}`); a stream that says how its lines end (line_ended: io::text_reader)
/// has its lines cut there instead, and its terminator dropped or kept exactly; a last line without a terminator counts, empty input has none, and a
/// line may be of any length unless `max_length` says otherwise. An rvalue source is owned by the
/// view (`for (auto line : io::open(path) | io::views::lines)`), an lvalue referred to. Over storage
/// (strings, spans, mapped_file, `memory_stream::view()`) a forward range whose lines stay valid
/// with the bytes; over a stream an input range that consumes it, each line valid until the next
/// increment. Read errors throw io_error, or go to `ec` with `lines(source, ec)` / `lines(ec)`.
inline constexpr lines_fn lines{};

} // namespace io::views

template <class T>
inline constexpr bool std::ranges::enable_borrowed_range<io::lines_view<T>> = io::detail::line_engine<T>::borrowed;
template <class T>
inline constexpr bool ranges::enable_borrowed_range<io::lines_view<T>> = io::detail::line_engine<T>::borrowed;
