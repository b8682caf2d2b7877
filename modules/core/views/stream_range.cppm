// io.core:views.stream_range — the one skeleton of every view over a stream (lines, split, words,
// tokens, chunks, bytes): a state shared by all iterators of a view, iterators that count
// themselves so that the last one to go hands the stream back, and begin() as
// std::ranges::istream_view's. Each view plugs in a state and a cursor, as range-v3's view_facade.
module;
#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
export module io.core:views.stream_range;

namespace io::detail {

// What a view over a stream plugs in:
//   State, made from the view's arguments, has `std::size_t live` (the iterators alive), `start()`
//   (begin()'s step: to the first element, or on a later begin() past the last one handed out, so
//   that a second loop goes on where the first stopped) and `last_gone()` (the last iterator went:
//   a view that read ahead of an unbuffered stream gives the read-ahead back).
//   Cursor, made from a State*, has `read()` (the current element), `next()`, `done()`, `leave()`
//   (its iterator goes: a cursor that walked bytes without taking them takes them now) and
//   `state()`. A cursor may keep what it needs by value, to walk from registers.
template <class State, class Cursor>
class stream_range {
public:
  /// Walks the elements; all iterators of a view share its state.
  class iterator {
  public:
    using value_type = std::remove_cvref_t<decltype(std::declval<const Cursor&>().read())>;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    iterator(const iterator& other) noexcept : cursor_(other.cursor_) { hold(); }
    iterator& operator=(const iterator& other) noexcept {
      if (this != &other) {
        release();
        cursor_ = other.cursor_;
        hold();
      }
      return *this;
    }
    ~iterator() { release(); }

    /// The current element.
    inline decltype(auto) operator*() const noexcept { return cursor_.read(); }
    /// Moves to the next element.
    [[gnu::always_inline]] inline iterator& operator++() {
      cursor_.next();
      return *this;
    }
    /// Moves to the next element.
    inline void operator++(int) { ++*this; }
    /// Whether the elements are all read.
    friend inline bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.cursor_.done(); }

  private:
    friend stream_range;
    inline explicit iterator(State* s) : cursor_(s) { hold(); }
    inline void hold() noexcept {
      if (cursor_.state() != nullptr) ++cursor_.state()->live;
    }
    inline void release() noexcept {
      State* s = cursor_.state();
      if (s == nullptr) return;
      cursor_.leave();
      if (--s->live == 0) s->last_gone();
    }
    Cursor cursor_{};
  };

  stream_range() = default;
  /// A state made from `args`.
  template <class... Args>
  explicit stream_range(std::in_place_t, Args&&... args) : state_(std::make_shared<State>(std::forward<Args>(args)...)) {}

  /// The first element not handed out yet (read now).
  inline iterator begin() {
    state_->start();
    return iterator(state_.get());
  }
  /// The end of the elements.
  inline std::default_sentinel_t end() const noexcept { return {}; }

  static constexpr bool borrowed = false;

private:
  std::shared_ptr<State> state_;
};

} // namespace io::detail
