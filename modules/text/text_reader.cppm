// io.text:text_reader — io::text_reader: a stream's bytes as checked UTF-8 with Python's errors=
// and newline= rules, as a buffered stream, so that every view reads text.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.text:text_reader;
import io.core;
import :options;
import :utf8;
import :encoding;

export namespace io {

/// The text of `S` (a buffered_readable stream, owned, or a reference `T&` to one; another
/// readable stream is read through an io::buffered_reader) as Python's TextIOWrapper reads it:
/// bytes of valid UTF-8 with `options.errors` applied to invalid ones and newlines translated as
/// `options.newline` says. It is buffered_readable, so every view reads text:
/// `io::text_reader(io::open(p)) | io::views::lines`, and io::views::lines cuts its lines where
/// the newline mode says they end (line_end()). Valid text that needs no translation is checked
/// where it lies, in the stream's buffer, and handed out from there; only repaired or translated
/// stretches are copied into a buffer of the reader's own. Under errors=strict, the text before
/// the first invalid byte is handed out, then errc::invalid_text is reported, naming the path
/// and the byte offset; the error stays. While a text reader reads a stream, read that stream
/// only through it: views walk the checked text in place, moving only the reader's read window,
/// and the reader takes what they moved past from the stream at its next call (inner() too).
/// Another encoding (latin-1, cp1252, utf-16, any name iconv knows) is decoded by
/// io::detail::text_decoder into a buffer of the reader's own, and that text goes through the
/// same newline stage; the source is then read ahead of the text handed out (as by Python's
/// TextIOWrapper), so the position rule holds for the text reader, not for the source beneath.
template <class S>
  requires buffered_readable<std::remove_reference_t<S>>
class text_reader : public bytes_interface<text_reader<S>> {
public:
  using bytes_interface<text_reader>::read;
  /// The size of the buffer for repaired or translated text: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Reads `source` (an lvalue is referenced, an rvalue moved in) as `options` say. An encoding
  /// that neither io nor iconv knows is reported as errc::unknown_encoding by the first read.
  explicit text_reader(S&& source, text_options options = {}, std::size_t capacity = default_capacity)
      : source_(std::forward<S>(source)), options_(std::move(options)), capacity_(std::max<std::size_t>(capacity, 16)) {
    start();
  }
  /// Reads an unbuffered `source` through the io::buffered_reader `S`.
  template <class U>
    requires(!buffered_readable<std::remove_cvref_t<U>>) && readable<std::remove_reference_t<U>> &&
            std::constructible_from<S, U&&>
  explicit text_reader(U&& source, text_options options = {}, std::size_t capacity = default_capacity)
      : source_(std::forward<U>(source)), options_(std::move(options)), capacity_(std::max<std::size_t>(capacity, 16)) {
    start();
  }

  text_reader(text_reader&&) = default;
  text_reader& operator=(text_reader&&) = default;
  /// Leaves a referenced source right after the last text handed out, as every call does: views
  /// walk the lent text in place, and what they moved past is taken from the source here.
  ~text_reader() {
    if (live_.value) catch_up();
  }

  /// The text not consumed yet, checking (or decoding) more when none is left; empty at the end.
  std::span<const std::byte> fill() {
    if (window_.size() != 0) [[likely]]
      return buffered();
    catch_up();
    detail::throw_errors sink;
    produce(sink, true);
    return pending_;
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept {
    ec.clear();
    if (window_.size() != 0) return buffered();
    catch_up();
    detail::capture(ec, [&] { // the reader's buffer is made at the first repair: std::bad_alloc
      produce(ec, true);
      return 0;
    });
    return ec ? std::span<const std::byte>{} : pending_;
  }

  /// At least `n` bytes of text (fewer only at the end or before an error), without consuming
  /// them; more than the capacity is errc::no_buffer_space.
  std::span<const std::byte> fill(std::size_t n) {
    catch_up();
    detail::throw_errors sink;
    return fill_impl(n, sink);
  }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t n, std::error_code& ec) noexcept {
    ec.clear();
    catch_up();
    return detail::capture(ec, [&] { return fill_impl(n, ec); });
  }

  /// Marks `n` bytes of text returned by fill() as read.
  void consume(std::size_t n) {
    catch_up();
    advance(std::min(n, pending_.size()));
    window_.set_begin(seen_);
  }

  /// The text not consumed yet, without reading more (empty when there is none).
  std::span<const std::byte> buffered() const noexcept { return {base_ + window_.begin(), window_.size()}; }

  /// Reads text into a prefix of `buffer`.
  std::size_t read(std::span<std::byte> buffer) {
    catch_up();
    detail::throw_errors sink;
    return read_impl(buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    catch_up();
    return detail::capture(ec, [&] { return read_impl(buffer, ec); });
  }

  /// Which bytes end a line of this text, for io::views::lines: "\n" after universal newlines
  /// (and newline=lf), all three for recognize, only "\r" for cr, only "\r\n" for crlf.
  io::line_end line_end() const noexcept {
    switch (options_.newline) {
    case newline_mode::recognize: return io::line_end::any;
    case newline_mode::cr: return io::line_end::cr;
    case newline_mode::crlf: return io::line_end::crlf;
    default: return io::line_end::lf;
    }
  }

  /// Closes the underlying stream (when it can be closed).
  void close()
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    catch_up();
    drop();
    source_.close();
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    ec.clear();
    catch_up();
    drop();
    detail::close(source_, ec);
  }

  /// The options the text is read with.
  const text_options& options() const noexcept { return options_; }
  /// The absolute byte offset in the stream of the first invalid byte, once errc::invalid_text
  /// was reported (CPython's UnicodeDecodeError.start, counted from the stream's start).
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  /// The underlying stream (first taking from it the text that views moved past).
  std::remove_reference_t<S>& inner() noexcept {
    catch_up();
    return source_;
  }
  /// The underlying stream, read-only.
  const std::remove_reference_t<S>& inner() const noexcept { return source_; }

  /// The pending text as a read window (io::views walk it in place, moving its start a line at a
  /// time; the text reader takes what they moved past when it is called next).
  friend inline detail::lent_window lend_read_window(text_reader& r) noexcept { return {&r.window_, r.base_}; }

private:
  // Makes `text` the pending text, lent to views as a window of a new generation.
  void show(std::span<const std::byte> text) noexcept {
    pending_ = text;
    base_ = text.data();
    window_.reset(0, text.size());
    seen_ = 0;
  }
  // Moves past `n` bytes of the pending text (the lent window's start is the caller's to move).
  void advance(std::size_t n) noexcept {
    pending_ = pending_.subspan(n);
    seen_ += n;
    if (in_place_) {
      take(n);
    } else {
      begin_ += n;
    }
  }
  // Takes the text that views handed out by moving the lent window's start since the last call.
  void catch_up() noexcept {
    if (window_.begin() != seen_) [[unlikely]]
      advance(window_.begin() - seen_);
  }

  void start() {
    translate_ = options_.newline == newline_mode::universal;
    std::error_code ec;
    const detail::encoding_kind kind = detail::find_encoding(options_.encoding, ec).kind;
    if (ec) {
      error_ = ec; // errc::unknown_encoding (or no memory for iconv), reported by the first read
      return;
    }
    drop_bom_ = kind == detail::encoding_kind::utf8_sig;
    if (kind == detail::encoding_kind::utf8 || kind == detail::encoding_kind::utf8_sig) return;
    decoder_.emplace(options_.encoding, options_.errors, ec);
    if (ec) error_ = ec;
    staging_.reserve(64); // on the heap: text handed out from it stays where it is when the reader moves
  }
  // Takes `n` bytes of the input the UTF-8 stage reads: the stream's, or the decoded text's.
  void take(std::size_t n) noexcept {
    if (decoder_) {
      staged_ += n;
    } else {
      source_.consume(n);
      consumed_ += n;
    }
  }
  void drop() noexcept {
    show({});
    in_place_ = false;
    begin_ = end_ = 0;
    carry_size_ = 0;
    ended_ = true;
    staging_.clear();
    staged_ = 0;
  }

  template <class Sink>
  std::size_t read_impl(std::span<std::byte> out, Sink& sink) {
    if (out.empty()) return 0;
    if (pending_.empty()) {
      produce(sink, true);
      if (detail::failed(sink)) return 0;
    }
    const std::size_t n = std::min(pending_.size(), out.size());
    if (n != 0) std::memcpy(out.data(), pending_.data(), n);
    consume(n);
    return n;
  }

  // Reports the error that stays: an unknown encoding, or the first invalid byte (strict).
  template <class Sink>
  void report_kept(Sink& sink) {
    std::string operation;
    if (error_ != errc::invalid_text) {
      operation = "decode {} from '" + options_.encoding + "'";
    } else {
      operation = "decode {} as " + (decoder_ ? options_.encoding : std::string("UTF-8")) + " (invalid byte 0x";
      static constexpr char digits[] = "0123456789abcdef";
      operation += digits[error_byte_ >> 4];
      operation += digits[error_byte_ & 15];
      operation += " at byte offset " + std::to_string(error_offset_) + ")";
    }
    detail::report(sink, error_, operation, detail::path_of(source_));
  }

  std::byte* own() {
    if (!buffer_) buffer_.emplace(capacity_ + slack);
    return buffer_->data();
  }
  std::span<const std::byte> own_pending() const noexcept { return {buffer_->data() + begin_, end_ - begin_}; }

  // At least `n` bytes of text gathered in the reader's own buffer.
  template <class Sink>
  std::span<const std::byte> fill_impl(std::size_t n, Sink& sink) {
    if (pending_.size() >= n) return pending_;
    if (n > capacity_) {
      detail::report(sink, errc::no_buffer_space, "peek {}: more text than the buffer holds", detail::path_of(source_));
      return pending_;
    }
    std::byte* data = own();
    if (in_place_) {
      // The text checked in place moves into the reader's buffer: it is taken from the stream.
      if (!pending_.empty()) std::memcpy(data, pending_.data(), pending_.size());
      begin_ = 0;
      end_ = pending_.size();
      take(pending_.size());
      in_place_ = false;
    } else if (begin_ != 0) {
      std::memmove(data, data + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    show(own_pending());
    while (pending_.size() < n) {
      const std::size_t before = pending_.size();
      produce(sink, false);
      if (detail::failed(sink) || (pending_.size() == before && (ended_ || error_))) break;
    }
    return pending_;
  }

  // Appends `bytes` to the reader's buffer.
  void put(const void* bytes, std::size_t n) noexcept {
    std::memcpy(buffer_->data() + end_, bytes, n);
    end_ += n;
  }
  // Writes what errors= makes of the invalid bytes [p, p + n) (strict is handled by the caller).
  void put_invalid(const unsigned char* p, std::size_t n) noexcept {
    if (options_.errors != text_errors::ignore) skip_lf_ = false;
    switch (options_.errors) {
    case text_errors::replace: put("\xEF\xBF\xBD", 3); break;
    case text_errors::backslash_replace:
      for (std::size_t i = 0; i < n; ++i) {
        static constexpr char digits[] = "0123456789abcdef";
        const char escape[4] = {'\\', 'x', digits[p[i] >> 4], digits[p[i] & 15]};
        put(escape, 4);
      }
      break;
    default: break; // ignore
    }
  }
  // Keeps an invalid byte for errors=strict: the text before it is handed out first.
  void keep_error(const unsigned char* p, std::uint64_t offset) {
    error_ = errc::invalid_text;
    error_offset_ = start_ + offset;
    error_byte_ = *p;
  }

  // Makes more text pending: in place in the stream's buffer (when `in_place` allows and nothing
  // is pending in the reader's buffer), else appended to the reader's buffer. Returns with text
  // pending, or at the end, or with an error reported.
  template <class Sink>
  void produce(Sink& sink, bool in_place) {
    if (in_place_) {
      // The stretch checked in place was handed out whole: it was consumed from the stream.
      in_place_ = false;
      show({});
    }
    if (!first_seen_) {
      first_seen_ = true;
      // Offsets count from the stream's start when it can tell where it is.
      if constexpr (seekable<std::remove_reference_t<S>>) {
        std::error_code ec;
        const std::uint64_t at = detail::tell(source_, ec);
        if (!ec) start_ = at;
      }
    }
    if (buffer_ && begin_ == end_) begin_ = end_ = 0;
    const std::size_t entry_end = end_;
    for (;;) {
      const bool grew = end_ != entry_end;
      if (error_) {
        // The text before a kept error is handed out first.
        show(buffer_ ? own_pending() : std::span<const std::byte>{});
        if (pending_.empty()) report_kept(sink);
        return;
      }
      if (grew || ended_) {
        show(buffer_ ? own_pending() : std::span<const std::byte>{});
        return;
      }
      std::span<const std::byte> window;
      if (decoder_) {
        // Another encoding: the decoder turns the stream's bytes into valid UTF-8 (applying
        // errors= itself) in staging_, which the stage below reads as it reads UTF-8 input.
        if (staged_ == staging_.size()) {
          if (!decode_more(sink)) {
            show(buffer_ ? own_pending() : std::span<const std::byte>{}); // kept for the next call
            return;
          }
          continue;
        }
        window = std::as_bytes(std::span(staging_)).subspan(staged_);
      } else {
        window = detail::fill(source_, sink);
        if (detail::failed(sink)) {
          show(buffer_ ? own_pending() : std::span<const std::byte>{}); // kept for the next call
          return;
        }
      }
      const auto* p = reinterpret_cast<const unsigned char*>(window.data());
      const std::size_t size = window.size();
      if (size == 0) {
        // The end: a sequence cut short by it is one error (CPython's "unexpected end of data").
        ended_ = true;
        if (carry_size_ != 0) {
          own();
          if (options_.errors == text_errors::strict) {
            keep_error(carry_, consumed_ - carry_size_);
          } else {
            put_invalid(carry_, carry_size_);
          }
          carry_size_ = 0;
        }
        continue;
      }
      if (skip_lf_ && p[0] == '\n' && carry_size_ == 0) {
        // A '\r' written as "\n" just before: a "\n" right after it (bytes dropped by
        // errors=ignore in between do not count, as in CPython, which decodes first) belongs to it.
        skip_lf_ = false;
        take(1);
        continue;
      }
      if (drop_bom_ && carry_size_ == 0) {
        if (p[0] != 0xEF) {
          drop_bom_ = false;
        } else if (size >= 3) {
          drop_bom_ = false;
          if (p[1] == 0xBB && p[2] == 0xBF) {
            take(3);
            continue;
          }
        } else if (size == 2 && p[1] != 0xBB) {
          drop_bom_ = false;
        } // else: the start of a byte order mark, carried below until it is whole
      }
      std::size_t i = 0;
      bool fixed = false;
      if (carry_size_ != 0) {
        // A sequence that started before these bytes: completed (or refused) with their first ones.
        own();
        unsigned char joined[4];
        std::memcpy(joined, carry_, carry_size_);
        const std::size_t extra = std::min<std::size_t>(4 - carry_size_, size);
        std::memcpy(joined + carry_size_, p, extra);
        const detail::utf8::sequence s = detail::utf8::check(joined, carry_size_ + extra);
        if (s.state == detail::utf8::status::incomplete) {
          std::memcpy(carry_ + carry_size_, p, extra);
          carry_size_ += extra;
          take(extra);
          continue;
        }
        i = s.length - carry_size_;
        const bool bom = drop_bom_ && s.state == detail::utf8::status::valid && joined[0] == 0xEF &&
                         joined[1] == 0xBB && joined[2] == 0xBF;
        drop_bom_ = false;
        if (s.state == detail::utf8::status::valid) {
          if (!bom) put(joined, s.length);
          skip_lf_ = skip_lf_ && bom;
        } else if (options_.errors == text_errors::strict) {
          keep_error(joined, consumed_ - carry_size_);
        } else {
          put_invalid(joined, s.length);
        }
        carry_size_ = 0;
        take(i);
        continue;
      }
      if (in_place && begin_ == end_) {
        // The fast path: valid text that needs no translation is handed out where it lies.
        const std::size_t valid = detail::utf8::valid_prefix(p, size, translate_);
        if (valid != 0) {
          skip_lf_ = false;
          show(window.first(valid));
          in_place_ = true;
          return;
        }
      }
      own();
      // Repair or translate into the reader's buffer, until the buffer is full or, after a fix,
      // a long valid stretch begins (it is handed out in place next time).
      while (i < size && capacity_ + slack - end_ >= slack) {
        if (skip_lf_ && p[i] == '\n') {
          skip_lf_ = false;
          ++i;
          continue;
        }
        const std::size_t room = capacity_ + slack - end_ - slack;
        const std::size_t valid = detail::utf8::valid_prefix(p + i, size - i, translate_);
        if (valid != 0) {
          if (in_place && fixed && valid >= in_place_run) break;
          std::size_t n = std::min(valid, room);
          while (n < valid && n != 0 && (p[i + n] & 0xC0) == 0x80) --n; // whole characters only
          if (n == 0) n = detail::utf8::check(p + i, size - i).length;      // one fits in the slack
          put(p + i, n);
          skip_lf_ = false;
          i += n;
          continue;
        }
        fixed = true;
        if (translate_ && p[i] == '\r') {
          put("\n", 1);
          ++i;
          skip_lf_ = true;
          continue;
        }
        const detail::utf8::sequence s = detail::utf8::check(p + i, size - i);
        if (s.state == detail::utf8::status::incomplete) {
          // Cut by the end of the stream's buffer: carried until the next bytes come.
          std::memcpy(carry_, p + i, s.length);
          carry_size_ = s.length;
          i += s.length;
          break;
        }
        if (options_.errors == text_errors::strict) {
          keep_error(p + i, consumed_ + i);
          break;
        }
        put_invalid(p + i, s.length);
        i += s.length;
      }
      take(i);
    }
  }

  // Decodes the next bytes of the stream into staging_ (all of it was taken). A strict error is
  // kept aside until the text before it is handed out; the end of the stream ends the text.
  // Returns false with an error reported.
  template <class Sink>
  bool decode_more(Sink& sink) {
    staging_.clear();
    staged_ = 0;
    if (decode_error_) {
      error_ = decode_error_;
      return true;
    }
    if (source_ended_) {
      ended_ = true;
      return true;
    }
    const std::span<const std::byte> window = detail::fill(source_, sink);
    if (detail::failed(sink)) return false;
    std::error_code ec;
    const std::uint64_t before = decoder_->position();
    decoder_->decode(window, window.empty(), staging_, ec);
    source_ended_ = window.empty();
    if (ec == errc::invalid_text) {
      decode_error_ = ec;
      error_offset_ = start_ + decoder_->error_offset();
      // The invalid byte: in these bytes, or among the last ones of the bytes before them.
      const std::uint64_t at = decoder_->error_offset();
      if (at >= before && at - before < window.size()) {
        error_byte_ = static_cast<unsigned char>(window[at - before]);
      } else if (at >= recent_at_ && at - recent_at_ < recent_size_) {
        error_byte_ = recent_[at - recent_at_];
      }
    } else if (ec) {
      detail::report(sink, ec, "decode {} from '" + options_.encoding + "'", detail::path_of(source_));
      return false;
    }
    // The last 16 bytes given are kept for the message of an error in a unit held across reads.
    const std::size_t keep = std::min<std::size_t>(window.size(), sizeof recent_);
    const std::size_t old = std::min<std::size_t>(recent_size_, sizeof recent_ - keep);
    std::memmove(recent_, recent_ + recent_size_ - old, old);
    if (keep != 0) std::memcpy(recent_ + old, window.data() + window.size() - keep, keep);
    recent_size_ = old + keep;
    recent_at_ = before + window.size() - recent_size_;
    source_.consume(window.size()); // all taken, or an error that stays
    consumed_ += window.size();
    return true;
  }

  static constexpr std::size_t slack = 16;            // room past the capacity: a repair writes up to 12 bytes
  static constexpr std::size_t in_place_run = 1024;   // after a fix, valid text at least this long goes in place

  S source_;
  text_options options_;
  std::size_t capacity_;
  std::optional<detail::byte_buffer> buffer_; // made at the first repair or translation
  std::span<const std::byte> pending_;        // the text not consumed: in the stream's buffer or in buffer_
  // pending_ as lent to views: [begin, end) of base_; a view moves its start, and catch_up() takes
  // the bytes from seen_ (pending_'s start) to there.
  detail::read_window window_;
  const std::byte* base_ = nullptr;
  std::size_t seen_ = 0;
  bool in_place_ = false;                     // whether pending_ lies in the stream's buffer
  std::size_t begin_ = 0;                     // buffer_'s text not consumed: [begin_, end_)
  std::size_t end_ = 0;
  unsigned char carry_[4] = {};               // the start of a sequence cut by the end of the stream's buffer
  std::size_t carry_size_ = 0;
  std::uint64_t consumed_ = 0; // bytes taken from the stream
  std::uint64_t start_ = 0;    // the stream's position when reading began
  std::uint64_t error_offset_ = 0;
  unsigned char error_byte_ = 0;
  std::error_code error_;
  std::optional<detail::text_decoder> decoder_; // for an encoding other than UTF-8
  std::string staging_;                         // the decoded text, read by the UTF-8 stage from staged_
  std::size_t staged_ = 0;
  std::error_code decode_error_; // the decoder's strict error, reported once staging_ is handed out
  unsigned char recent_[16] = {};
  std::uint64_t recent_at_ = 0;
  std::size_t recent_size_ = 0;
  bool source_ended_ = false;
  bool translate_ = true; // universal newlines: "\r\n" and "\r" become "\n"
  bool skip_lf_ = false;  // the last text written was a '\r' written as "\n"
  bool drop_bom_ = false; // utf-8-sig, before the first character
  bool ended_ = false;
  bool first_seen_ = false;
  // False in a text_reader moved from: its copy of the window must not be taken from the source
  // (a referenced one is the new reader's too) when it is destroyed.
  struct live_flag {
    bool value = true;
    live_flag() = default;
    live_flag(live_flag&& other) noexcept : value(std::exchange(other.value, false)) {}
    live_flag& operator=(live_flag&& other) noexcept {
      value = std::exchange(other.value, false);
      return *this;
    }
  } live_;
};

/// Deduces a reference for an lvalue and an owned stream for an rvalue.
template <class S>
  requires buffered_readable<std::remove_reference_t<S>>
text_reader(S&&) -> text_reader<S>;
/// As above, with options.
template <class S>
  requires buffered_readable<std::remove_reference_t<S>>
text_reader(S&&, text_options) -> text_reader<S>;
/// As above, with options and a capacity.
template <class S>
  requires buffered_readable<std::remove_reference_t<S>>
text_reader(S&&, text_options, std::size_t) -> text_reader<S>;
/// An unbuffered stream is read through an io::buffered_reader.
template <class S>
  requires(!buffered_readable<std::remove_reference_t<S>>) && readable<std::remove_reference_t<S>>
text_reader(S&&) -> text_reader<buffered_reader<S>>;
/// As above, with options.
template <class S>
  requires(!buffered_readable<std::remove_reference_t<S>>) && readable<std::remove_reference_t<S>>
text_reader(S&&, text_options) -> text_reader<buffered_reader<S>>;
/// As above, with options and a capacity.
template <class S>
  requires(!buffered_readable<std::remove_reference_t<S>>) && readable<std::remove_reference_t<S>>
text_reader(S&&, text_options, std::size_t) -> text_reader<buffered_reader<S>>;

} // namespace io
