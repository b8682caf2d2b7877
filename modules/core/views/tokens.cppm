// io.core:views.tokens — the engine behind every token view (lines, split, words, tokens): a
// splitter cuts tokens out of bytes; over storage a borrowed forward range, over a stream an input
// range that consumes the stream as it goes. Also io::views::tokens, for a user's splitter.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.tokens;
import :error;
import :concepts;
import :detail;
import :bytes;
import :buffer;
import :views.source;
import :views.stream_range;

// Member functions defined inside a class in a module interface are not implicitly inline
// ([dcl.inline]/7 in C++20): the hot ones say `inline` so that importers can inline them.
export namespace io {

/// What a splitter tells a token view about the bytes it was shown: skip `advance` of them and,
/// when `found`, hand out `token` (a part of those bytes). Nothing found and nothing to skip asks
/// for more bytes; at the end of the data, it ends the range. `terminator` counts the bytes at
/// the end of `token` that a maximum length does not count (a kept line ending).
struct split_result {
  std::size_t advance = 0;     ///< bytes to move past
  std::string_view token = {}; ///< the token, when found
  bool found = false;          ///< whether there is a token
  std::size_t terminator = 0;  ///< bytes of `token` that end it, not counted by a maximum length
};

/// A splitter: called with the bytes at hand and whether they are the last, returns a
/// split_result (Go's bufio.SplitFunc, without the copy). It must not ask for more bytes and then
/// end a token within the bytes it was shown.
template <class F>
concept splitter = std::copy_constructible<F> && std::is_nothrow_move_constructible_v<F> &&
                   requires(const F& f, std::string_view data, bool at_end) {
                     { f(data, at_end) } -> std::same_as<split_result>;
                   };

} // namespace io

namespace io::detail {

// Reports a token longer than `max_length` that starts at byte `offset`: thrown, or stored. Not
// inline, as the cold paths below: compiled once in io.core, not in every file that iterates lines.
void report_too_long(std::error_code* ec, std::uint64_t offset, std::size_t max_length, std::string_view path) {
  if (ec != nullptr) {
    *ec = errc::line_too_long;
    return;
  }
  std::string operation = "read the token at offset " + std::to_string(offset);
  if (!path.empty()) operation += " of {}";
  operation += " (longer than " + std::to_string(max_length) + " bytes)";
  throw io_error(errc::line_too_long, operation, path);
}

// A splitter that hands out a token must move past at least one byte, or it would hand it out forever.
void report_no_progress(std::error_code* ec) {
  if (ec != nullptr) {
    *ec = errc::invalid_argument;
    return;
  }
  throw io_error(errc::invalid_argument, "split: a token was handed out without advancing");
}

// A token longer than the limit (0: none), not counting its terminator.
inline bool too_long(const split_result& r, std::size_t max_length) noexcept {
  return max_length != 0 && r.token.size() - r.terminator > max_length;
}

// Tokens over storage: a forward iterator that carries its own splitter, so it outlives the view.
template <class F>
class storage_token_iterator {
public:
  using value_type = std::string_view;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::forward_iterator_tag;
  using iterator_category = std::forward_iterator_tag;

  storage_token_iterator() = default;
  storage_token_iterator(std::string_view all, const F& split, std::size_t max_length, std::error_code* ec)
      : origin_(all.data()), rest_(all), split_(split), max_length_(max_length), ec_(ec) {
    next();
  }

  /// The current token.
  inline std::string_view operator*() const noexcept { return token_; }
  /// Moves to the next token.
  inline storage_token_iterator& operator++() {
    next();
    return *this;
  }
  /// Moves to the next token, returning the iterator as it was.
  inline storage_token_iterator operator++(int) {
    storage_token_iterator before = *this;
    next();
    return before;
  }
  /// Iterators at the same token are equal.
  friend inline bool operator==(const storage_token_iterator& a, const storage_token_iterator& b) noexcept {
    return a.done_ == b.done_ && (a.done_ || a.rest_.data() == b.rest_.data());
  }
  /// Whether the tokens are all walked.
  friend inline bool operator==(const storage_token_iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

private:
  inline void next() {
    for (;;) {
      if (rest_.empty()) return finish();
      const split_result r = split_(rest_, true);
      if (r.found) {
        if (r.advance == 0) [[unlikely]] {
          report_no_progress(ec_);
          return finish();
        }
        if (too_long(r, max_length_)) [[unlikely]] {
          report_too_long(ec_, static_cast<std::uint64_t>(r.token.data() - origin_), max_length_, {});
          return finish();
        }
        token_ = r.token;
        rest_.remove_prefix(std::min(r.advance, rest_.size()));
        return;
      }
      if (r.advance == 0) return finish();
      rest_.remove_prefix(std::min(r.advance, rest_.size()));
    }
  }
  inline void finish() noexcept {
    done_ = true;
    token_ = {};
    rest_ = {};
  }

  const char* origin_ = nullptr;
  std::string_view rest_;
  std::string_view token_;
  F split_{};
  std::size_t max_length_ = 0;
  std::error_code* ec_ = nullptr;
  bool done_ = false;
};

// The engine of a token view over storage `T`: holds it (or owns an rvalue container).
template <class T, class F>
class storage_tokens {
public:
  storage_tokens() = default;
  storage_tokens(T&& source, F split, std::size_t max_length, std::error_code* ec)
      : storage_(std::forward<T>(source)), split_(std::move(split)), max_length_(max_length), ec_(ec) {}

  /// The first token.
  inline storage_token_iterator<F> begin() const { return {storage_.text(), split_, max_length_, ec_}; }
  /// The end of the tokens.
  inline std::default_sentinel_t end() const noexcept { return {}; }

  static constexpr bool borrowed = held_storage<T>::borrowed;

private:
  held_storage<T> storage_;
  F split_{};
  std::size_t max_length_ = 0;
  std::error_code* ec_ = nullptr;
};

// The state of a token view over a stream, shared by its iterators. Each token is taken from the
// stream (consumed) as it is handed out, so the stream's position is always right after the last
// token handed out; the token itself points into the stream's buffer (still intact after consume)
// or, when it crossed the buffer's end, into a copy, and stays valid until the next increment or
// the next call on the stream. Over a stream that lends its read window (lends_window) a cursor
// takes the tokens inside the buffered bytes itself, moving the window's start (token_cursor).
template <class T, class F>
struct token_state : stream_holder<T> {
  token_state(T&& source, F s, std::size_t max, std::error_code* ec)
      : stream_holder<T>(std::forward<T>(source), ec), split(std::move(s)), max_length(max) {}

  // begin(): the first token, or past the last one handed out. None when making the view
  // reported an error.
  inline void start() {
    if (!started) {
      started = true;
      if (this->input.failed()) finish();
      else advance();
    } else if (!done) {
      advance();
    }
  }
  // The last iterator went: a view over an unbuffered stream gives back its read-ahead.
  inline void last_gone() noexcept { this->input.give_back(); }

  F split;
  std::size_t max_length;
  // Bytes taken from the stream for a token that crossed the buffer's end: [store_begin, size)
  // are not handed out yet. `need_more`: the splitter has seen them and asked for more.
  std::string store;
  std::size_t store_begin = 0;
  bool need_more = false;
  static constexpr std::size_t first_piece = 256;
  std::size_t piece = first_piece; // how much of the next buffer to show the splitter with the store
  std::uint64_t consumed = 0;      // bytes taken from the stream, for error offsets
  std::string_view current;
  std::size_t live = 0; // iterators alive
  bool started = false;
  bool done = false;

  // How many bytes past the maximum length a token may need before its end shows: the start of
  // its terminator ('\r' of "\r\n", all but the last byte of a delimiter).
  inline std::size_t slack() const noexcept {
    if constexpr (requires { split.slack(); }) return split.slack();
    else return 1;
  }
  inline void take(std::size_t n) {
    this->input.consume(n);
    consumed += n;
    if constexpr (lends_window) mark();
  }
  static constexpr bool lends_window = stream_input<typename stream_holder<T>::stream_type>::lends_window;
  // Where the read window stood when the state last took from it: the cursors' tokens taken in
  // place since are counted into `consumed` (for error offsets) when the state steps next.
  std::size_t window_mark = 0;
  std::size_t window_mark_generation = ~std::size_t{0};
  inline void mark() noexcept {
    const lent_window w = this->input.window();
    window_mark = w.window->begin();
    window_mark_generation = w.window->generation();
  }
  inline void catch_up() noexcept {
    if constexpr (lends_window) {
      const lent_window w = this->input.window();
      if (w.window->generation() == window_mark_generation && w.window->begin() >= window_mark)
        consumed += w.window->begin() - window_mark;
      window_mark = w.window->begin();
      window_mark_generation = w.window->generation();
    }
  }
  inline void finish() noexcept {
    done = true;
    current = {};
  }
  // Hands out `r.token` unless it is too long; `consumed_end` is where the bytes taken from the
  // stream end, in the buffer the token points into.
  inline void yield(const split_result& r, const char* consumed_end) {
    if (r.advance == 0) [[unlikely]] {
      finish();
      return report_no_progress(this->input.error_sink());
    }
    if (too_long(r, max_length)) [[unlikely]]
      return refuse(static_cast<std::size_t>(consumed_end - r.token.data()));
    current = r.token;
  }

  [[gnu::always_inline]] inline void advance() {
    catch_up();
    // The common case, small enough to inline into the caller's loop: nothing stored, and the
    // next token ends inside the stream's buffer.
    if (store.empty()) [[likely]] {
      const std::string_view window = as_string_view(this->input.buffered());
      if (!window.empty()) [[likely]] {
        const split_result r = split(window, false);
        if (r.found && r.advance <= window.size()) [[likely]] {
          take(r.advance);
          return yield(r, window.data() + r.advance);
        }
      }
    }
    advance_slow();
  }

  // Kept out of line so that advance() stays small enough to inline.
  [[gnu::noinline]] void advance_slow() {
    current = {}; // nothing stale is handed out again if a read throws below
    for (;;) {
      if (store_begin >= store.size()) {
        store.clear();
        store_begin = 0;
        need_more = false;
        piece = first_piece;
      }
      if (store.empty()) {
        const std::string_view window = as_string_view(this->input.fill());
        if (window.empty()) return finish(); // the end, or a stored error
        const split_result r = split(window, false);
        if (r.found) {
          const std::size_t n = std::min(r.advance, window.size());
          take(n);
          return yield(r, window.data() + n);
        }
        if (r.advance != 0) {
          take(std::min(r.advance, window.size()));
          continue;
        }
        if (max_length != 0 && window.size() > max_length + slack()) return refuse(0);
        // The token runs past the buffer's end: copy its start out and read on.
        store.assign(window);
        take(window.size());
        need_more = true;
        continue;
      }
      if (!need_more) {
        const std::string_view data = std::string_view(store).substr(store_begin);
        const split_result r = split(data, false);
        if (r.found || r.advance != 0) {
          store_begin += std::min(r.advance, data.size());
          if (r.found) return yield(r, store.data() + store.size());
          continue;
        }
        need_more = true;
      }
      // Show the splitter the stored bytes and the start of the stream's next buffer, taking from
      // the stream only what the token uses. The piece shown doubles while the token goes on:
      // the end of a line that crossed the buffer's end is found without copying the next buffer.
      const std::string_view buffered = as_string_view(this->input.fill());
      if (this->input.failed()) return finish(); // no half token after an error
      const bool at_end = buffered.empty();
      const std::string_view text = buffered.substr(0, piece);
      const std::size_t old = store.size();
      store.append(text);
      const std::string_view data = std::string_view(store).substr(store_begin);
      const split_result r = split(data, at_end);
      if (!r.found && r.advance == 0) {
        if (at_end) return finish();
        take(text.size());
        piece = piece < (std::size_t{1} << 40) ? piece * 2 : piece;
        if (max_length != 0 && data.size() > max_length + slack()) return refuse(data.size());
        continue;
      }
      const std::size_t end = store_begin + std::min(r.advance, data.size());
      if (end >= old) {
        take(end - old);
        store.resize(end); // the token stays where it is: no reallocation
      } else {
        take(text.size());
      }
      store_begin = end;
      need_more = false;
      if (r.found) return yield(r, store.data() + store.size());
    }
  }

  // Ends the range at a token longer than the limit; `taken` of its bytes were consumed.
  [[gnu::noinline]] void refuse(std::size_t taken) {
    const std::uint64_t offset = this->input.position(consumed) - taken;
    finish();
    store.clear();
    store_begin = 0;
    report_too_long(this->input.error_sink(), offset, max_length, path_of(this->input.stream()));
  }
};

// Walks the tokens. The cursor keeps where the stream's buffered bytes after the current token
// are, so that the next token is searched for from registers rather than from the stream's fields
// (a load the search would wait for at every token), and uses them only while they are exactly
// what the stream has buffered, so that a read from the stream between tokens is seen. The stream
// is still moved at every token (the position rule holds while an iterator lives, and two live
// views take turns): over a stream that lends its read window, by one store of the window's start
// (no consume, no counter: the state counts those bytes when it steps next); else by a consume.
template <class T, class F>
class token_cursor {
public:
  using state_type = token_state<T, F>;

  token_cursor() = default;
  inline explicit token_cursor(state_type* s) : state_(s), max_length_(s->max_length) { sync(); }

  inline std::string_view read() const noexcept { return current_; }
  [[gnu::always_inline]] inline void next() {
    if constexpr (state_type::lends_window) {
      if (window_ != nullptr) [[likely]] {
        if (window_->begin() == at_ && window_->generation() == generation_) [[likely]] {
          const std::string_view rest(base_ + at_, end_ - at_);
          const split_result r = state_->split(rest, false);
          if (r.found && r.advance <= rest.size() && r.advance != 0 && !too_long(r, max_length_)) [[likely]] {
            at_ += r.advance;
            window_->set_begin(at_);
            current_ = r.token;
            return;
          }
        }
      }
    } else {
      if (next_ != nullptr) [[likely]] {
        const std::string_view window = as_string_view(state_->input.buffered());
        if (window.data() == next_ && window.data() + window.size() == limit_) [[likely]] {
          const std::string_view rest(next_, static_cast<std::size_t>(limit_ - next_));
          const split_result r = state_->split(rest, false);
          if (r.found && r.advance <= rest.size() && r.advance != 0 && !too_long(r, max_length_)) [[likely]] {
            state_->take(r.advance);
            current_ = r.token;
            next_ += r.advance;
            return;
          }
        }
      }
    }
    state_->advance();
    sync();
  }
  inline bool done() const noexcept { return done_; }
  inline void leave() noexcept {}
  inline state_type* state() const noexcept { return state_; }

private:
  // Takes the token and the bytes after it from the state, after a step that went through it.
  inline void sync() {
    current_ = state_->current;
    done_ = state_->done;
    const bool in_buffer = state_->store_begin >= state_->store.size() && !done_;
    if constexpr (state_type::lends_window) {
      const lent_window w = state_->input.window();
      window_ = in_buffer ? w.window : nullptr;
      base_ = reinterpret_cast<const char*>(w.buffer);
      at_ = w.window->begin();
      end_ = w.window->end();
      generation_ = w.window->generation();
    } else {
      const std::string_view window = as_string_view(state_->input.buffered());
      next_ = in_buffer ? window.data() : nullptr;
      limit_ = window.data() + window.size();
    }
  }

  state_type* state_ = nullptr;
  std::string_view current_;
  std::size_t max_length_ = 0;
  // Over a lent read window: the window, its buffer, and where the bytes after the current token
  // start and end in it, when the token came from them ([at_, end_); window_ is null otherwise).
  read_window* window_ = nullptr;
  const char* base_ = nullptr;
  std::size_t at_ = 0;
  std::size_t end_ = 0;
  std::size_t generation_ = 0; // the window's generation then: the same bytes while it holds
  // Else the stream's buffered bytes after the current token, when it came from them.
  const char* next_ = nullptr;
  const char* limit_ = nullptr;
  bool done_ = true;
};

// The engine of a token view over a stream: an input range.
template <class T, class F>
class stream_tokens : public stream_range<token_state<T, F>, token_cursor<T, F>> {
public:
  stream_tokens() = default;
  stream_tokens(T&& source, F split, std::size_t max_length, std::error_code* ec)
      : stream_range<token_state<T, F>, token_cursor<T, F>>(std::in_place, std::forward<T>(source), std::move(split),
                                                            max_length, ec) {}
};

// The engine of a token view over `T`: in place over storage, read as it goes over a stream.
template <class T, class F>
using token_engine = std::conditional_t<storage_source<T>, storage_tokens<T, F>, stream_tokens<T, F>>;

} // namespace io::detail

export namespace io {

/// The tokens a user's splitter cuts out of a source `T` (io::views::tokens): over storage a
/// forward range of std::string_view into the storage (borrowed unless it owns an rvalue
/// container), over a stream an input range that consumes it, each token valid until the next
/// increment.
template <class T, class F>
class tokens_view : public detail::token_engine<T, F>,
                    public std::ranges::view_interface<tokens_view<T, F>>,
                    public ranges::view_base {
public:
  tokens_view() = default;
  /// The tokens `split` cuts out of `source`; errors go to *ec when set.
  tokens_view(T&& source, F split, std::error_code* ec = nullptr)
      : detail::token_engine<T, F>(std::forward<T>(source), std::move(split), 0, ec) {}
  using detail::token_engine<T, F>::begin;
  using detail::token_engine<T, F>::end;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::tokens.
struct tokens_fn {
  /// The tokens `split` cuts out of `source`.
  template <class T, splitter F>
  auto operator()(T&& source, F split) const {
    static_assert(detail::check_source<T>());
    if constexpr (viewable_source<T>) return tokens_view<T, F>(std::forward<T>(source), std::move(split));
  }
  /// As tokens(source, split), with read errors stored in `ec`, ending the range.
  template <class T, splitter F>
  auto operator()(T&& source, F split, std::error_code& ec) const {
    static_assert(detail::check_source<T>());
    ec.clear();
    if constexpr (viewable_source<T>) return tokens_view<T, F>(std::forward<T>(source), std::move(split), &ec);
  }
  /// The adaptor with its splitter bound, for `source | io::views::tokens(split)`.
  template <splitter F>
  auto operator()(F split) const {
    return detail::source_closure{[split](auto&& source) { return tokens_fn{}(std::forward<decltype(source)>(source), split); }};
  }
  /// The adaptor with its splitter and `ec` bound.
  template <splitter F>
  auto operator()(F split, std::error_code& ec) const {
    return detail::source_closure{
        [split, ec = &ec](auto&& source) { return tokens_fn{}(std::forward<decltype(source)>(source), split, *ec); }};
  }
};

/// The tokens a splitter cuts out of a source: `splitter(std::string_view bytes, bool at_end)`
/// returns an io::split_result (how many bytes to move past, and the token when there is one).
inline constexpr tokens_fn tokens{};

} // namespace io::views

template <class T, class F>
inline constexpr bool std::ranges::enable_borrowed_range<io::tokens_view<T, F>> = io::detail::token_engine<T, F>::borrowed;
template <class T, class F>
inline constexpr bool ranges::enable_borrowed_range<io::tokens_view<T, F>> = io::detail::token_engine<T, F>::borrowed;
