// io.text:text_writer — io::text_writer: UTF-8 text in, newlines translated and the text encoded
// into another stream, as Python's TextIOWrapper writes.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.text:text_writer;
import io.core;
import :options;
import :encoding;

export namespace io {

/// Writes UTF-8 text into `W` (a writable stream, owned, or a reference `T&`) as Python's
/// `io.TextIOWrapper(sink, encoding=, errors=, newline=)` writes a str: '\n' translated as
/// options.newline says (cr: "\r", crlf: "\r\n"; universal writes the platform's "\n"), the text
/// encoded into options.encoding with options.errors for characters the encoding lacks, a BOM
/// first for "utf-8-sig" and "utf-16" (none when the stream is seekable and not at its start).
/// Bytes that are not valid UTF-8 are read as `bytes.decode("utf-8", errors)` reads them (strict:
/// errc::invalid_text). A UTF-8 sequence may be cut between writes. Valid UTF-8 written as UTF-8
/// without translation goes straight to `W`, checked but not copied; other text is encoded into a
/// 64 KiB buffer passed on when full, at flush() and at close(). An encoding error (errc::unencodable
/// or errc::invalid_text, naming the byte offset in the text) ends the writing: later writes report
/// it again, flush() and finish() pass on the text before it and report it again. A failure of `W`
/// is kept and reported by every later call. The destructor finishes without throwing: call
/// finish() or close() to see the errors.
template <class W>
  requires writable<std::remove_reference_t<W>>
class text_writer : public bytes_interface<text_writer<W>> {
public:
  using bytes_interface<text_writer>::write;
  /// The size of the buffer of encoded bytes: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Writes into `sink` (an lvalue is referenced, an rvalue moved in) as `options` say; an
  /// encoding neither io nor iconv knows throws io_error with errc::unknown_encoding.
  explicit text_writer(W&& sink, text_options options = {})
      : sink_(std::forward<W>(sink)), options_(std::move(options)) {
    std::error_code ec;
    encoder_ = detail::text_encoder(options_.encoding, options_.errors, options_.newline, ec);
    if (ec) detail::report(detail::throw_errors{}, ec, naming("write text as '", "' to {}"), detail::path_of(sink_));
  }
  /// As text_writer(sink, options), reporting an unknown encoding through `ec` (every write,
  /// flush and finish then reports it again).
  text_writer(W&& sink, text_options options, std::error_code& ec) noexcept
      : sink_(std::forward<W>(sink)) {
    ec.clear();
    try {
      options_ = std::move(options);
    } catch (...) {
      ec = std::make_error_code(std::errc::not_enough_memory);
    }
    if (!ec) encoder_ = detail::text_encoder(options_.encoding, options_.errors, options_.newline, ec);
    if (ec) {
      std::string operation;
      try {
        operation = naming("write text as '", "' to {}");
      } catch (...) {
      }
      fail_text(ec, operation);
    }
  }

  /// Takes over `other`'s stream; `other` is left finished, writing nothing more.
  text_writer(text_writer&& other) noexcept
      : sink_(std::forward<W>(other.sink_)), options_(std::move(other.options_)), encoder_(std::move(other.encoder_)),
        buffer_(std::move(other.buffer_)), failure_(std::move(other.failure_)), error_(other.error_),
        sink_failed_(other.sink_failed_), started_(other.started_), finished_(std::exchange(other.finished_, true)) {}
  text_writer& operator=(text_writer&&) = delete;

  /// Finishes the text and flushes the stream, ignoring errors: call finish() or close() to see them.
  ~text_writer() {
    if (!finished_) {
      std::error_code ignored;
      finish(ignored);
    }
  }

  /// Writes the UTF-8 text `text`.
  void write(std::span<const std::byte> text) {
    detail::throw_errors sink;
    write_impl(text, sink);
  }
  /// As write(text), reporting errors through `ec`.
  void write(std::span<const std::byte> text, std::error_code& ec) noexcept {
    ec.clear();
    write_impl(text, ec);
  }

  /// Passes the encoded text to the stream and flushes it; the start of a UTF-8 sequence cut at
  /// the end of the last write stays held for the next.
  void flush() {
    detail::throw_errors sink;
    flush_impl(sink);
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept {
    ec.clear();
    flush_impl(ec);
  }

  /// Ends the text (a UTF-8 sequence cut at the end is invalid text; a stateful encoding returns
  /// to its initial state) and flushes the stream; later writes report errc::closed. Finishing a
  /// finished writer reports the error it had, or does nothing.
  void finish() {
    detail::throw_errors sink;
    finish_impl(sink);
  }
  /// As finish(), reporting errors through `ec`.
  void finish(std::error_code& ec) noexcept {
    ec.clear();
    finish_impl(ec);
  }

  /// Finishes, then closes the stream (when it can be closed), reporting the first error.
  void close() {
    std::error_code ec;
    close(ec);
    if (ec) detail::report(detail::throw_errors{}, ec, failure_.empty() ? "close" : failure_, detail::path_of(sink_));
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept {
    ec.clear();
    finish_impl(ec);
    if constexpr (requires(std::remove_reference_t<W>& s) { s.close(); }) {
      std::error_code closing;
      detail::close(sink_, closing);
      if (!ec) ec = closing;
    }
  }

  /// After errc::unencodable or errc::invalid_text: the byte offset, in the UTF-8 text written,
  /// of the character the encoding lacks or of the first invalid byte.
  std::uint64_t error_offset() const noexcept { return encoder_.error_offset(); }
  /// The options the text is written with.
  const text_options& options() const noexcept { return options_; }
  /// The underlying stream, that receives the encoded bytes.
  std::remove_reference_t<W>& inner() noexcept { return sink_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<W>& inner() const noexcept { return sink_; }

private:
  // "<before><encoding><after>", for messages that name the encoding.
  std::string naming(std::string_view before, std::string_view after) const {
    std::string s(before);
    (s += options_.encoding) += after;
    return s;
  }

  // Keeps an error of the text (not of the stream) with the operation that names it.
  void fail_text(std::error_code code, std::string_view operation) noexcept {
    error_ = code;
    try {
      failure_ = operation;
    } catch (...) {
      failure_.clear();
    }
  }

  template <class Sink>
  void report_again(Sink& sink) {
    detail::report(sink, error_, failure_.empty() ? std::string_view("write text to {}") : std::string_view(failure_),
                   detail::path_of(sink_));
  }

  // After the encoder failed: keeps its error, with the byte offset it names.
  void fail_encoding(std::error_code code) noexcept {
    std::string operation;
    try {
      const std::string at = std::to_string(encoder_.error_offset());
      if (code == errc::unencodable)
        operation = naming("encode the character at byte " + at + " of the text as '", "' for {}");
      else if (code == errc::invalid_text)
        operation = "write the invalid UTF-8 at byte " + at + " of the text to {}";
      else
        operation = naming("encode text as '", "' for {}");
    } catch (...) {
    }
    fail_text(code, operation);
  }

  // Passes `bytes` to the stream; its failure is kept and reported as the stream reports it.
  template <class Sink>
  bool pass(std::span<const std::byte> bytes, Sink& sink) {
    if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
      try {
        detail::write(sink_, bytes, sink);
      } catch (const std::system_error& e) {
        sink_failed(e.code());
        throw;
      }
    } else {
      detail::write(sink_, bytes, sink);
      if (sink) {
        sink_failed(sink);
        return false;
      }
    }
    return true;
  }

  void sink_failed(std::error_code code) noexcept {
    sink_failed_ = true;
    fail_text(code, "write text to {}");
  }

  // Passes the encoded bytes to the stream.
  template <class Sink>
  bool drain(Sink& sink) {
    if (buffer_.empty()) return true;
    if (!pass(as_bytes(buffer_), sink)) return false;
    buffer_.clear();
    return true;
  }

  // The first write: the BOM, unless the stream is seekable and past its start (Python's rule).
  template <class Sink>
  bool start(Sink& sink) {
    started_ = true;
    if constexpr (seekable<std::remove_reference_t<W>>) {
      std::error_code ec;
      const std::uint64_t position = detail::tell(sink_, ec);
      if (!ec && position != 0) encoder_.skip_bom();
    }
    if (encode({}, false)) return true;
    report_again(sink);
    return false;
  }

  // Encodes `text` into the buffer; an error is kept, for the caller to report.
  bool encode(std::span<const std::byte> text, bool last) noexcept {
    std::error_code ec;
    encoder_.encode(text, last, buffer_, ec);
    if (!ec) return true;
    fail_encoding(ec);
    return false;
  }

  template <class Sink>
  void write_impl(std::span<const std::byte> text, Sink& sink) {
    if (error_) return report_again(sink);
    if (finished_) return detail::report(sink, errc::closed, "write text to {}", detail::path_of(sink_));
    if (!started_ && !start(sink)) return;
    // Large pieces in turn, so that the buffer stays near its capacity.
    constexpr std::size_t slice = 16 * 1024;
    while (!text.empty()) {
      if (encoder_.passes_through()) {
        const std::size_t valid = detail::valid_utf8_prefix(text);
        if (valid != 0) {
          if (!drain(sink) || !pass(text.first(valid), sink)) return;
          encoder_.passed(valid);
          text = text.subspan(valid);
          continue;
        }
        // An invalid or cut sequence: the encoder handles a few bytes, then the text goes straight again.
        const std::size_t piece = std::min<std::size_t>(text.size(), 4);
        if (!encode(text.first(piece), false)) return report_again(sink);
        text = text.subspan(piece);
        continue;
      }
      const std::size_t piece = std::min(text.size(), slice);
      if (!encode(text.first(piece), false)) return report_again(sink);
      text = text.subspan(piece);
      if (buffer_.size() >= default_capacity && !drain(sink)) return;
    }
  }

  template <class Sink>
  void flush_impl(Sink& sink) {
    if (sink_failed_) return report_again(sink);
    if (finished_ && !error_) return detail::report(sink, errc::closed, "flush text to {}", detail::path_of(sink_));
    if (!drain(sink)) return;
    flush_sink(sink);
    if (error_ && !detail::failed(sink)) report_again(sink);
  }

  template <class Sink>
  void finish_impl(Sink& sink) {
    if (finished_) {
      if (error_) report_again(sink);
      return;
    }
    finished_ = true;
    if (sink_failed_) return report_again(sink);
    if (!error_ && started_) encode({}, true); // an error is reported after the text before it is passed on
    if (!drain(sink)) return;
    flush_sink(sink);
    if (error_ && !detail::failed(sink)) report_again(sink);
  }

  template <class Sink>
  void flush_sink(Sink& sink) {
    if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
      try {
        detail::flush(sink_, sink);
      } catch (const std::system_error& e) {
        sink_failed(e.code());
        throw;
      }
    } else {
      detail::flush(sink_, sink);
      if (sink) sink_failed(sink);
    }
  }

  W sink_;
  text_options options_;
  detail::text_encoder encoder_;
  std::string buffer_;  // encoded bytes not yet passed to sink_
  std::string failure_; // the operation that failed, naming what failed, for error_
  std::error_code error_;
  bool sink_failed_ = false; // error_ is the stream's: nothing more is passed to it
  bool started_ = false;
  bool finished_ = false;
};

/// Deduces a reference for an lvalue and an owned stream for an rvalue.
template <class W>
text_writer(W&&) -> text_writer<W>;
/// As above, with options.
template <class W>
text_writer(W&&, text_options) -> text_writer<W>;
/// As above, reporting errors through a std::error_code.
template <class W>
text_writer(W&&, text_options, std::error_code&) -> text_writer<W>;

} // namespace io
