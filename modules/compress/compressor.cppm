// io.compress:compressor — io::compress: a writable stream that compresses into another.
module;
#include <cstddef>
#include <new>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
export module io.compress:compressor;
import io.core;
import :codec;
import :engine;

export namespace io {

/// Compresses what is written to it into `W` (a writable stream, owned, or a reference `T&`) as
/// one member of `codec` (codec::none writes the bytes unchanged). flush() makes everything
/// written so far decodable (a sync flush, as Python's GzipFile.flush; for bzip2, whose blocks
/// end on any bit, it ends the stream and starts another) and flushes `W`; finish()
/// writes the trailer and flushes `W`; close() finishes and closes `W`. The destructor finishes
/// without throwing: call finish() or close() to see the errors. Any failure, of the codec or of
/// `W`, is kept: later writes, flushes and finish report it again. Composes with io::atomic_file:
/// `auto z = io::compress(io::atomic_file(p), io::codec::zstd); ...; z.finish(); z.inner().commit();`
/// gives a compressed file that appears whole or not at all.
template <class W>
  requires writable<std::remove_reference_t<W>>
class compress_writer : public bytes_interface<compress_writer<W>> {
public:
  using bytes_interface<compress_writer>::write;
  /// The size of the buffer of compressed bytes: 64 KiB.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// Compresses into `sink` (an lvalue is referenced, an rvalue moved in) as `format` at `level`
  /// (default_level(format) when none), between min_level(format) and max_level(format): any
  /// other level throws io_error with errc::invalid_argument.
  compress_writer(W&& sink, codec format, std::optional<int> level = std::nullopt,
                  std::size_t capacity = default_capacity)
      : sink_(std::forward<W>(sink)), buffer_(capacity), codec_(format) {
    if (const std::error_code e = start(level)) detail::report(detail::throw_errors{}, e, "compress {}", detail::path_of(sink_));
  }
  /// As compress_writer(sink, format, level), reporting an error through `ec` (writes, flush and
  /// finish then report it again).
  compress_writer(W&& sink, codec format, std::optional<int> level, std::error_code& ec) noexcept
      : sink_(std::forward<W>(sink)), buffer_(1), codec_(format) {
    ec.clear();
    // The buffer is allocated here, so that a failure is reported, not thrown.
    try {
      buffer_ = detail::byte_buffer(default_capacity);
    } catch (const std::bad_alloc&) {
      ec = std::make_error_code(std::errc::not_enough_memory);
    }
    if (!ec) ec = start(level);
    error_ = ec;
  }

  /// Takes over `other`'s stream; `other` is left finished, writing nothing more.
  compress_writer(compress_writer&& other) noexcept
      : sink_(std::forward<W>(other.sink_)), buffer_(std::move(other.buffer_)), codec_(other.codec_),
        encoder_(std::move(other.encoder_)), size_(std::exchange(other.size_, 0)), error_(other.error_),
        finished_(std::exchange(other.finished_, true)) {}
  compress_writer& operator=(compress_writer&&) = delete;

  /// Finishes the stream (writes the trailer), ignoring errors: call finish() to see them.
  ~compress_writer() {
    if (!finished_) {
      std::error_code ignored;
      finish(ignored);
    }
  }

  /// Compresses all of `bytes`.
  void write(std::span<const std::byte> bytes) {
    detail::throw_errors sink;
    write_impl(bytes, sink);
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    write_impl(bytes, ec);
  }

  /// Makes everything written so far decodable from the stream and flushes it.
  void flush() {
    detail::throw_errors sink;
    end_impl(detail::encode_action::flush, sink);
  }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept {
    ec.clear();
    end_impl(detail::encode_action::flush, ec);
  }

  /// Writes the trailer and flushes the stream; later writes report errc::closed. Finishing a
  /// finished stream reports the error it had, or does nothing.
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
    detail::throw_errors sink;
    finish_impl(sink);
    if constexpr (requires(std::remove_reference_t<W>& s) { s.close(); }) sink_.close();
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

  /// The format written.
  codec format() const noexcept { return codec_; }
  /// The underlying stream, that receives the compressed bytes.
  std::remove_reference_t<W>& inner() noexcept { return sink_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<W>& inner() const noexcept { return sink_; }

private:
  std::error_code start(std::optional<int> level) noexcept {
    if (codec_ == codec::none) return {};
    return encoder_.start(codec_, level.value_or(default_level(codec_)));
  }

  // Reports `code`, which is kept: the stream cannot go on.
  template <class Sink>
  void fail(Sink& sink, std::error_code code, const char* operation) {
    error_ = code;
    detail::report(sink, error_, operation, detail::path_of(sink_));
  }
  // Reports a use after finish(), which changes nothing.
  template <class Sink>
  void refuse_closed(Sink& sink, const char* operation) {
    detail::report(sink, errc::closed, operation, detail::path_of(sink_));
  }

  // Passes `bytes` to the stream; its failure is kept and reported as the stream reports it.
  template <class Sink>
  bool pass(std::span<const std::byte> bytes, Sink& sink) {
    if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
      try {
        detail::write(sink_, bytes, sink);
      } catch (const std::system_error& e) {
        error_ = e.code();
        throw;
      }
    } else {
      detail::write(sink_, bytes, sink);
      if (sink) {
        error_ = sink;
        return false;
      }
    }
    return true;
  }

  // Passes the compressed bytes to the stream.
  template <class Sink>
  bool drain(Sink& sink) {
    if (size_ == 0) return true;
    if (!pass(std::span<const std::byte>(buffer_.data(), size_), sink)) return false;
    size_ = 0;
    return true;
  }

  template <class Sink>
  void write_impl(std::span<const std::byte> bytes, Sink& sink) {
    if (error_) return fail(sink, error_, "compress to {}");
    if (finished_) return refuse_closed(sink, "compress to {}");
    if (codec_ == codec::none) {
      pass(bytes, sink);
      return;
    }
    while (!bytes.empty()) {
      const detail::codec_step step = encoder_.run(bytes, free_space(), detail::encode_action::run);
      size_ += step.produced;
      bytes = bytes.subspan(step.consumed);
      if (step.error) return fail(sink, step.error, "compress to {}");
      if (size_ == buffer_.capacity() && !drain(sink)) return;
    }
  }

  // Runs `action` (flush or finish) until the codec says it is complete, writing out as it goes.
  template <class Sink>
  bool run_to_end(detail::encode_action action, Sink& sink) {
    if (codec_ == codec::none) return true;
    for (;;) {
      const detail::codec_step step = encoder_.run({}, free_space(), action);
      size_ += step.produced;
      if (step.error) {
        fail(sink, step.error, "compress to {}");
        return false;
      }
      if (step.done) return drain(sink);
      if (!drain(sink)) return false;
    }
  }

  template <class Sink>
  void end_impl(detail::encode_action action, Sink& sink) {
    if (error_) return fail(sink, error_, "flush compressed data to {}");
    if (finished_) return refuse_closed(sink, "flush compressed data to {}");
    if (!run_to_end(action, sink)) return;
    flush_sink(sink);
  }

  template <class Sink>
  void finish_impl(Sink& sink) {
    if (finished_) {
      if (error_) fail(sink, error_, "finish compressed data for {}");
      return;
    }
    finished_ = true;
    if (error_) return fail(sink, error_, "finish compressed data for {}");
    if (!run_to_end(detail::encode_action::finish, sink)) return;
    flush_sink(sink);
  }

  template <class Sink>
  void flush_sink(Sink& sink) {
    if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
      try {
        detail::flush(sink_, sink);
      } catch (const std::system_error& e) {
        error_ = e.code();
        throw;
      }
    } else {
      detail::flush(sink_, sink);
      if (sink) error_ = sink;
    }
  }

  std::span<std::byte> free_space() noexcept { return {buffer_.data() + size_, buffer_.capacity() - size_}; }

  W sink_;
  detail::byte_buffer buffer_;
  codec codec_;
  detail::encoder encoder_;
  std::size_t size_ = 0; // compressed bytes in buffer_ not yet written to sink_
  std::error_code error_;
  bool finished_ = false;
};

/// Deduces a reference for an lvalue and an owned stream for an rvalue.
template <class W>
compress_writer(W&&, codec) -> compress_writer<W>;
/// As above, with a level.
template <class W>
compress_writer(W&&, codec, std::optional<int>) -> compress_writer<W>;

/// A stream that compresses what is written to it into `sink` (an lvalue is referenced, an rvalue
/// moved in) as `format` at `level` (the tool's default when none). See compress_writer.
template <class W>
  requires writable<std::remove_reference_t<W>>
compress_writer<W> compress(W&& sink, codec format, std::optional<int> level = std::nullopt) {
  return compress_writer<W>(std::forward<W>(sink), format, level);
}

/// As compress(sink, format, level), reporting an invalid level or a failed allocation through
/// `ec`; the stream then reports it on every write.
template <class W>
  requires writable<std::remove_reference_t<W>>
compress_writer<W> compress(W&& sink, codec format, std::optional<int> level, std::error_code& ec) noexcept {
  return compress_writer<W>(std::forward<W>(sink), format, level, ec);
}

} // namespace io
