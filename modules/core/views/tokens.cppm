// io.core:views.tokens — the views behind lines and split: tokens ended by a delimiter, in memory
// (a borrowed forward range) or read from a stream (an input range).
module;
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <range/v3/range_fwd.hpp>
export module io.core:views.tokens;
import :concepts;
import :bytes;
import :views.source;
import :views.delimiter;

// Member functions defined inside a class in a module interface are not implicitly inline
// ([dcl.inline]/7 in C++20): the hot ones say `inline` so that importers can inline them.
export namespace io {

/// The tokens of a block of bytes in memory, each ended by a delimiter (dropped) or by the end of
/// the block; an empty block, or an empty delimiter, has none. A borrowed forward range of std::string_view pointing into
/// the block: the views stay valid as long as the bytes do, after the view is gone.
class token_view : public std::ranges::view_interface<token_view>, public ranges::view_base {
public:
  /// Walks the tokens; holds everything it needs, so it outlives the view.
  class iterator {
  public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::forward_iterator_tag;

    iterator() = default;

    /// The current token.
    inline std::string_view operator*() const noexcept { return token_; }

    /// Moves to the next token.
    inline iterator& operator++() {
      next();
      return *this;
    }
    /// Moves to the next token, returning the iterator as it was.
    inline iterator operator++(int) {
      iterator before = *this;
      next();
      return before;
    }

    /// Iterators at the same token are equal.
    friend inline bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.done_ == b.done_ && (a.done_ || a.token_.data() == b.token_.data());
    }
    /// Whether the tokens are all walked.
    friend inline bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

  private:
    friend token_view;
    iterator(std::string_view rest, const detail::delimiter& delimiter, bool strip_cr)
        : rest_(rest), delimiter_(delimiter), strip_cr_(strip_cr) {
      next();
    }

    inline void next() {
      if (rest_.empty()) {
        done_ = true;
        token_ = {};
        return;
      }
      const std::size_t end = delimiter_.find(rest_);
      if (end == std::string_view::npos) {
        token_ = rest_;
        rest_ = rest_.substr(rest_.size());
      } else {
        token_ = std::string_view(rest_.data(), end);
        rest_.remove_prefix(end + delimiter_.size());
      }
      token_ = detail::without_carriage_return(token_, strip_cr_);
    }

    std::string_view rest_;
    std::string_view token_;
    detail::delimiter delimiter_;
    bool strip_cr_ = false;
    bool done_ = false;
  };

  token_view() = default;
  /// The tokens of `block` ended by `delimiter` (not empty); with `strip_cr`, a '\r' ending a
  /// token is dropped too.
  token_view(std::span<const std::byte> block, std::string_view delimiter, bool strip_cr)
      : block_(as_string_view(block)), delimiter_(delimiter), strip_cr_(strip_cr) {}

  /// The first token.
  inline iterator begin() const { return iterator(delimiter_.empty() ? std::string_view() : block_, delimiter_, strip_cr_); }
  /// The end of the tokens.
  inline std::default_sentinel_t end() const noexcept { return {}; }

private:
  std::string_view block_;
  detail::delimiter delimiter_;
  bool strip_cr_ = false;
};

/// The tokens of a readable stream `S`, each ended by a delimiter or by the end of the stream; an
/// input range of std::string_view. A token points into the stream's buffer (or, when it crosses
/// the buffer's end, into the view's own copy) and stays valid until the next increment. Read
/// errors throw io_error, or, when the view was made with a std::error_code, are stored there and
/// end the range. The stream's position afterwards is at the start of the last token handed out.
template <class S>
class stream_token_view : public std::ranges::view_interface<stream_token_view<S>>, public ranges::view_base {
  struct state;

public:
  /// Walks the tokens; all iterators of a view share its state (an input range).
  class iterator {
  public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;

    /// The current token, valid until the next increment.
    inline std::string_view operator*() const noexcept { return state_->current; }
    /// Moves to the next token.
    inline iterator& operator++() {
      state_->advance();
      return *this;
    }
    /// Moves to the next token.
    inline void operator++(int) { state_->advance(); }

    /// Whether the tokens are all read.
    friend inline bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.state_->done; }

  private:
    friend stream_token_view;
    inline explicit iterator(state* s) : state_(s) {}
    state* state_ = nullptr;
  };

  stream_token_view() = default;
  /// The tokens of `stream` ended by `delimiter` (not empty); errors go to *ec when `ec` is set.
  stream_token_view(S& stream, std::string_view delimiter, bool strip_cr, std::error_code* ec)
      : state_(std::make_shared<state>(stream, delimiter, strip_cr, ec)) {}

  /// Reads the first token (on the first call only).
  inline iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->advance();
    }
    return iterator(state_.get());
  }
  /// The end of the tokens.
  inline std::default_sentinel_t end() const noexcept { return {}; }

private:
  struct state {
    state(S& stream, std::string_view delimiter, bool strip, std::error_code* ec)
        : input(stream, ec), delimiter(delimiter), strip_cr(strip) {}

    detail::stream_input<S> input;
    detail::delimiter delimiter;
    bool strip_cr;
    // The stream's buffered bytes not consumed yet, scanned in place: the common case hands out
    // a token from here without a copy and without asking the stream again.
    std::string_view window;
    // Bytes at the front of `window` behind the current token (and its delimiter), consumed at
    // the next advance so that the token stays valid until then.
    std::size_t pending = 0;
    // A token that crossed the end of the stream's buffer, copied out. With buffers smaller than
    // the delimiter, later tokens may come along: [store_begin, size) is not handed out yet.
    std::string store;
    std::size_t store_begin = 0;
    std::string_view current;
    bool started = false;
    bool done = false;

    inline void yield(std::string_view token) { current = detail::without_carriage_return(token, strip_cr); }

    inline void finish() {
      done = true;
      current = {};
    }

    inline void advance() {
      // The common case, small enough to inline into the caller's loop: nothing stored is left
      // to hand out, and the next token ends inside the window after the current one.
      if (pending != 0 && store_begin >= store.size()) {
        input.consume(pending);
        window.remove_prefix(pending);
        pending = 0;
        const std::size_t end = delimiter.find(window);
        if (end != std::string_view::npos) {
          pending = end + delimiter.size();
          return yield(std::string_view(window.data(), end));
        }
      }
      advance_slow();
    }

    // Kept out of line so that advance() stays small enough to inline.
    [[gnu::noinline]] void advance_slow() {
      if (delimiter.empty()) return finish();
      if (pending != 0) {
        input.consume(pending);
        window.remove_prefix(pending);
        pending = 0;
      }
      if (store_begin < store.size()) {
        const std::string_view left = std::string_view(store).substr(store_begin);
        const std::size_t end = delimiter.find(left);
        if (end != std::string_view::npos) {
          store_begin += end + delimiter.size();
          return yield(left.substr(0, end));
        }
        store.erase(0, store_begin); // the start of a token, searched already: keep it, read on
        store_begin = 0;
        return accumulate(store.size());
      }
      store.clear();
      store_begin = 0;
      if (window.empty()) {
        window = as_string_view(input.fill());
        if (window.empty()) return finish();
      }
      const std::size_t end = delimiter.find(window);
      if (end != std::string_view::npos) {
        pending = end + delimiter.size();
        return yield(std::string_view(window.data(), end));
      }
      // The token runs past the buffer's end: copy its start out and read on.
      store.assign(window);
      input.consume(window.size());
      window = {};
      accumulate(store.size());
    }

    // Reads buffers until the token in `store` (searched up to `searched` bytes) ends.
    inline void accumulate(std::size_t searched) {
      const std::size_t d = delimiter.size();
      for (;;) {
        const std::string_view text = as_string_view(input.fill());
        if (text.empty()) {
          if (store.empty() || input.failed()) return finish(); // no half token after an error
          store_begin = store.size();
          return yield(store);
        }
        if (text.size() >= d) {
          // A delimiter may straddle the two: its start in store's tail, its end in `text`.
          if (d > 1) {
            const std::size_t tail = std::min(store.size(), d - 1);
            const std::string probe = store.substr(store.size() - tail) + std::string(text.substr(0, d - 1));
            const std::size_t at = delimiter.find(probe);
            if (at != std::string_view::npos) {
              store.resize(store.size() - tail + at);
              return yield_stored(text, at + d - tail);
            }
          }
          const std::size_t end = delimiter.find(text);
          if (end != std::string_view::npos) {
            store.append(text.substr(0, end));
            return yield_stored(text, end + d);
          }
          store.append(text);
          input.consume(text.size());
          searched = store.size();
          continue;
        }
        // A buffer smaller than the delimiter: gather into the store and search there.
        const std::size_t from = searched >= d ? searched - d + 1 : 0;
        store.append(text);
        input.consume(text.size());
        searched = store.size();
        const std::size_t end = delimiter.find(store, from);
        if (end != std::string_view::npos) {
          store_begin = end + d;
          return yield(std::string_view(store).substr(0, end));
        }
      }
    }

    // Hands out the token completed in `store`; the first `used` bytes of `text`, the stream's
    // buffer, held its end and the delimiter, and the rest of `text` is scanned in place next.
    inline void yield_stored(std::string_view text, std::size_t used) {
      store_begin = store.size();
      window = text;
      pending = used;
      yield(store);
    }
  };

  std::shared_ptr<state> state_;
};

} // namespace io

export namespace io::detail {

// The token view over `source`: in place over memory, read as it goes over a stream.
template <class T>
auto make_tokens(T&& source, std::string_view delimiter, bool strip_cr, std::error_code* ec) {
  if constexpr (in_memory_source<T>) return token_view(memory_bytes(source), delimiter, strip_cr);
  else return stream_token_view<std::remove_reference_t<T>>(source, delimiter, strip_cr, ec);
}

} // namespace io::detail

template <>
inline constexpr bool std::ranges::enable_borrowed_range<io::token_view> = true;
template <>
inline constexpr bool ranges::enable_borrowed_range<io::token_view> = true;
