// io.text:print — io::print and io::println: std::format's formatting into any writable stream,
// straight into a buffered stream's free room; std::format where the standard library has it,
// {fmt} where it does not (libstdc++ 12).
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <span>
#include <system_error>
#include <utility>
#include <version>
// The same test as the build's (CMakeLists.txt, IO_HAVE_STD_FORMAT), which links {fmt} otherwise.
#if defined(__cpp_lib_format) && __cpp_lib_format >= 202106L
#include <format>
#define IO_FORMAT_NAMESPACE std
#else
#include <fmt/format.h>
#define IO_FORMAT_NAMESPACE fmt
#endif
export module io.text:print;
import io.core;
import io.file;

namespace io::detail {

namespace formatting = IO_FORMAT_NAMESPACE;

// A writer that lends its buffer's free room (buffered_writer, buffered_stream, standard_writer).
template <class W>
concept lends_spare_room = requires(W& w, std::size_t n) {
  { w.spare() } -> std::same_as<std::span<std::byte>>;
  w.commit(n);
};

template <class W>
void commit(W& out, std::size_t n, throw_errors) {
  out.commit(n);
}
template <class W>
void commit(W& out, std::size_t n, std::error_code& ec) {
  if constexpr (requires { out.commit(n, ec); }) out.commit(n, ec);
  else out.commit(n); // buffered_writer's and buffered_stream's cannot fail
}

// Formatted characters gathered in a block on the stack and written into `out` a block at a time:
// the path for text longer than a stack block, and for writers that lend no room. After an error
// reported through an error_code the rest is dropped.
template <class W, class Sink>
class block_output {
public:
  block_output(W& out, Sink& sink) noexcept : out_(&out), sink_(&sink) {}

  // An output iterator over it (assignable through a const reference, as std::output_iterator
  // requires; with iterator_category, as {fmt}'s check wants).
  class iterator {
  public:
    using iterator_category = std::output_iterator_tag;
    using value_type = void;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = void;
    iterator() = default;
    explicit iterator(block_output& to) noexcept : to_(&to) {}
    const iterator& operator=(char c) const {
      to_->put(c);
      return *this;
    }
    const iterator& operator*() const noexcept { return *this; }
    iterator& operator++() noexcept { return *this; }
    iterator operator++(int) noexcept { return *this; }

  private:
    block_output* to_ = nullptr;
  };

  iterator begin() noexcept { return iterator(*this); }

  void put(char c) {
    if (used_ == sizeof block_) drain();
    block_[used_++] = c;
  }

  // Writes out the gathered characters.
  void drain() {
    if (used_ != 0 && !failed(*sink_)) detail::write(*out_, std::as_bytes(std::span(block_, used_)), *sink_);
    used_ = 0;
  }

private:
  W* out_;
  Sink* sink_;
  std::size_t used_ = 0;
  char block_[512];
};

// Formats into `out`, then a newline when `newline`: into the free room of a writer that lends
// it when the text fits there (the common case: one formatting pass, no copy), else into a stack
// block written with one write when the text fits in it, else a block at a time. A text that
// does not fit is formatted again; formatting never moves from its arguments (the format
// functions take them as lvalues), so forwarding them to a second pass is safe.
template <class W, class Sink, class... Args>
void print_to(W& out, Sink& sink, bool newline, formatting::format_string<Args...> format, Args&&... args) {
  const std::size_t extra = newline ? 1 : 0;
  std::size_t size = 0;
  if constexpr (lends_spare_room<W>) {
    const std::span<std::byte> room = out.spare();
    if (!room.empty()) {
      char* const first = reinterpret_cast<char*>(room.data());
      const auto result = formatting::format_to_n(first, static_cast<std::ptrdiff_t>(room.size()), format,
                                                  std::forward<Args>(args)...);
      size = static_cast<std::size_t>(result.size);
      if (size + extra <= room.size()) {
        if (newline) first[size] = '\n';
        detail::commit(out, size + extra, sink);
        return;
      }
    }
  }
  char block[512];
  if (size == 0 || size + extra <= sizeof block) {
    const auto result = formatting::format_to_n(block, static_cast<std::ptrdiff_t>(sizeof block), format,
                                                std::forward<Args>(args)...);
    size = static_cast<std::size_t>(result.size);
    if (size + extra <= sizeof block) {
      if (newline) block[size] = '\n';
      detail::write(out, std::as_bytes(std::span(block, size + extra)), sink);
      return;
    }
  }
  block_output<W, Sink> to(out, sink);
  formatting::format_to(to.begin(), format, std::forward<Args>(args)...);
  if (newline) to.put('\n');
  to.drain();
}

} // namespace io::detail

export namespace io {

/// The format string of io::print, checked against the arguments' types at compile time:
/// std::format_string where the standard library has <format>, fmt::format_string where it
/// does not (a type of your own then needs a fmt::formatter rather than a std::formatter).
template <class... Args>
using format_string = detail::formatting::format_string<Args...>;

/// Formats `args` as `format` says (std::format's syntax) and writes the text into `out`, any
/// writable stream: straight into the buffer of a buffered stream (buffered_writer, io::open's
/// files, standard output) with no temporary string, through a small stack buffer otherwise.
/// Stream errors throw io_error at the write that meets them, which for a buffered stream is
/// usually a later flush() or close(), as with every write. A text longer than the buffer's free
/// room is formatted a second time, so a formatter of your own should have no side effects.
template <writable W, class... Args>
void print(W& out, format_string<Args...> format, Args&&... args) {
  detail::throw_errors sink;
  detail::print_to(out, sink, false, format, std::forward<Args>(args)...);
}

/// As print(out, format, args...), reporting the stream's errors through `ec` (an exception of a
/// formatter, such as std::bad_alloc, still propagates).
template <writable W, class... Args>
void print(W& out, std::error_code& ec, format_string<Args...> format, Args&&... args) {
  ec.clear();
  detail::print_to(out, ec, false, format, std::forward<Args>(args)...);
}

/// As print(out, format, args...), then a newline ("\n"), written together.
template <writable W, class... Args>
void println(W& out, format_string<Args...> format, Args&&... args) {
  detail::throw_errors sink;
  detail::print_to(out, sink, true, format, std::forward<Args>(args)...);
}

/// As println(out, format, args...), reporting the stream's errors through `ec`.
template <writable W, class... Args>
void println(W& out, std::error_code& ec, format_string<Args...> format, Args&&... args) {
  ec.clear();
  detail::print_to(out, ec, true, format, std::forward<Args>(args)...);
}

/// As print(io::standard_output(), format, args...): buffered, by line on a terminal.
template <class... Args>
void print(format_string<Args...> format, Args&&... args) {
  io::print(io::standard_output(), format, std::forward<Args>(args)...);
}

/// As println(io::standard_output(), format, args...).
template <class... Args>
void println(format_string<Args...> format, Args&&... args) {
  io::println(io::standard_output(), format, std::forward<Args>(args)...);
}

} // namespace io
