// io.compress:decompress — io::decompress: the decoded bytes of a compressed stream, as a buffered stream.
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
export module io.compress:decompress;
import io.core;
import :codec;
import :engine;

export namespace io {

/// The decoded bytes of `S` (a buffered_readable stream, owned, or a reference `T&` to one), in a
/// buffer of its own: buffered_readable, so every view reads the decoded bytes in place. Unless a
/// format is forced, it detects one from the first bytes with the stream's `fill(n)`, which io's
/// buffered streams have (so pipes work: nothing is seeked; a stream with only `fill()` must hand
/// out at least 6 bytes at its start and 4 after each member), and passes anything else through
/// unchanged, as `zcat -f` does, without a copy. Every member of a multi-member gzip or bzip2
/// file, every zstd frame and every xz stream is read; zeros after a gzip member are ignored, as
/// GNU gzip ignores them. Corrupt data is errc::corrupt_data, data cut short errc::unexpected_eof
/// and other bytes after a complete gzip, zlib or bzip2 stream errc::trailing_garbage, reported
/// after every byte decoded before it was handed out; the error stays, and the message names the
/// path and the compressed byte offset (compressed_offset()).
template <class S>
  requires buffered_readable<std::remove_reference_t<S>>
class decompress_reader : public bytes_interface<decompress_reader<S>> {
public:
  using bytes_interface<decompress_reader>::read;
  /// The size of the buffer of decoded bytes: 256 KiB, above zstd's block size (128 KiB), so
  /// that libzstd decodes straight into it instead of through a buffer of its own.
  static constexpr std::size_t default_capacity = 256 * 1024;

  /// Decodes `source` (an lvalue is referenced, an rvalue moved in), detecting its format.
  explicit decompress_reader(S&& source, std::size_t capacity = default_capacity)
      : source_(std::forward<S>(source)), buffer_(capacity) {}
  /// Decodes `source` as `format` (codec::none passes it through).
  decompress_reader(S&& source, codec format, std::size_t capacity = default_capacity)
      : source_(std::forward<S>(source)), buffer_(capacity), codec_(format) {}

  /// The decoded bytes not yet consumed, decoding more when none are left; empty at the end.
  std::span<const std::byte> fill() {
    detail::throw_errors sink;
    return fill_impl(sink);
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) noexcept {
    ec.clear();
    return fill_impl(ec);
  }

  /// At least `n` decoded bytes (fewer only at the end or after an error), decoding until there
  /// are, without consuming them: to sniff what the compressed data holds (a tar header in a .gz).
  /// More than the buffer's capacity is errc::no_buffer_space.
  std::span<const std::byte> fill(std::size_t n) {
    detail::throw_errors sink;
    return fill_impl(n, sink);
  }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t n, std::error_code& ec) noexcept {
    ec.clear();
    return fill_impl(n, ec);
  }

  /// Marks `n` bytes returned by fill() as read.
  void consume(std::size_t n) {
    if (phase_ == phase::plain) return take(n);
    begin_ += std::min(n, end_ - begin_);
  }

  /// The decoded bytes not consumed yet, without decoding more (empty when there are none): the
  /// views look here at every line before they ask fill() for more.
  std::span<const std::byte> buffered() const noexcept {
    if (phase_ != phase::plain) return pending();
    if constexpr (requires { { source_.buffered() } -> std::convertible_to<std::span<const std::byte>>; })
      return source_.buffered();
    else return {};
  }

  /// Reads decoded bytes into a prefix of `buffer`.
  std::size_t read(std::span<std::byte> buffer) {
    detail::throw_errors sink;
    return read_impl(buffer, sink);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    ec.clear();
    return read_impl(buffer, ec);
  }

  /// Closes the underlying stream (when it can be closed).
  void close()
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    begin_ = end_ = 0;
    phase_ = phase::end;
    source_.close();
  }
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept
    requires requires(std::remove_reference_t<S>& s) { s.close(); }
  {
    ec.clear();
    begin_ = end_ = 0;
    phase_ = phase::end;
    detail::close(source_, ec);
  }

  /// The format being decoded: the detected one once the first fill() or read() looked, the
  /// forced one, or std::nullopt before detection.
  std::optional<codec> format() const noexcept { return codec_; }
  /// How many compressed bytes the decoder has taken from the stream.
  std::uint64_t compressed_offset() const noexcept { return consumed_; }
  /// The underlying (compressed) stream.
  std::remove_reference_t<S>& inner() noexcept { return source_; }
  /// The underlying stream, read-only.
  const std::remove_reference_t<S>& inner() const noexcept { return source_; }

private:
  enum class phase : unsigned char { start, member, between, zeros, plain, end };

  template <class Sink>
  std::size_t read_impl(std::span<std::byte> out, Sink& sink) {
    if (out.empty()) return 0;
    const std::span<const std::byte> available = fill_impl(sink);
    const std::size_t n = std::min(available.size(), out.size());
    if (n != 0) std::memcpy(out.data(), available.data(), n);
    consume(n);
    return n;
  }

  // Reports `code` with the path and the compressed offset; a decoding error stays.
  template <class Sink>
  void fail(Sink& sink, std::error_code code) {
    error_ = code;
    phase_ = phase::end;
    report_kept(sink);
  }
  template <class Sink>
  void report_kept(Sink& sink) {
    std::string operation = "decompress {} (";
    operation += codec_name(codec_.value_or(codec::none));
    operation += " data, at compressed byte ";
    operation += std::to_string(consumed_);
    operation += ')';
    detail::report(sink, error_, operation, detail::path_of(source_));
  }

  // At least `n` compressed bytes when the stream has them, with fill(n) where it has one.
  template <class Sink>
  std::span<const std::byte> look(std::size_t n, Sink& sink) {
    if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
      if constexpr (requires { source_.fill(n); }) return source_.fill(n);
      else return source_.fill();
    } else {
      if constexpr (requires { source_.fill(n, sink); }) return source_.fill(n, sink);
      else if constexpr (requires { source_.fill(n); })
        return detail::capture(sink, [&] { return std::span<const std::byte>(source_.fill(n)); });
      else return detail::fill(source_, sink);
    }
  }

  void take(std::size_t n) {
    source_.consume(n);
    consumed_ += n;
  }

  // At least `n` pending bytes: the pending ones moved to the front of the buffer, and the
  // decoder's output appended after them until there are enough or the data ends.
  template <class Sink>
  std::span<const std::byte> fill_impl(std::size_t n, Sink& sink) {
    if (end_ - begin_ >= n) return pending();
    if (n > buffer_.capacity()) {
      detail::report(sink, errc::no_buffer_space, "peek {}: more decoded bytes than the buffer holds",
                     detail::path_of(source_));
      return pending();
    }
    if (phase_ == phase::start) {
      fill_impl(sink); // detects the format, and decodes the first bytes
      if (detail::failed(sink) || end_ - begin_ >= n) return pending();
    }
    if (phase_ == phase::plain) return look(n, sink);
    if (begin_ != 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    while (end_ < n) {
      const std::size_t kept = end_;
      base_ = begin_ = kept; // fill_impl decodes after the kept bytes
      const std::span<const std::byte> more = fill_impl(sink);
      base_ = 0;
      begin_ = 0;
      if (more.empty()) {
        end_ = kept;
        break;
      }
    }
    return pending();
  }

  template <class Sink>
  std::span<const std::byte> fill_impl(Sink& sink) {
    if (begin_ != end_) return pending();
    for (;;) {
      switch (phase_) {
      case phase::plain: return detail::fill(source_, sink);
      case phase::end:
        if (error_) report_kept(sink);
        return {};
      case phase::start: {
        if (!codec_) {
          const std::span<const std::byte> head = look(detect_size, sink);
          if (detail::failed(sink)) return {};
          codec_ = detect_codec(head);
        }
        if (*codec_ == codec::none) {
          phase_ = phase::plain;
          continue;
        }
        if (const std::error_code e = decoder_.start(*codec_)) return fail(sink, e), pending();
        phase_ = phase::member;
        continue;
      }
      case phase::between: {
        // After a complete gzip member, zlib stream, bzip2 stream or zstd frame: the next one, or the end.
        const std::span<const std::byte> next = look(4, sink);
        if (detail::failed(sink)) return {};
        if (next.empty()) {
          phase_ = phase::end;
          return {};
        }
        const codec c = *codec_;
        const bool another = (c == codec::gzip && detect_codec(next) == codec::gzip) ||
                             (c == codec::bzip2 && detect_codec(next) == codec::bzip2);
        if (c == codec::zstd) {
          // The next frame (or skippable frame): the decoder starts it by itself and reports
          // anything else as corrupt data, as the zstd tool does.
          phase_ = phase::member;
        } else if (another) {
          if (const std::error_code e = decoder_.start(c)) return fail(sink, e), pending();
          phase_ = phase::member;
        } else if (c == codec::gzip && next.size() == 1 && next[0] == std::byte{0x1f}) {
          // The first byte of a gzip magic, then the end: a member cut short, as GNU gzip says.
          return fail(sink, errc::unexpected_eof), pending();
        } else if (c == codec::gzip && next[0] == std::byte{0}) {
          phase_ = phase::zeros; // GNU gzip ignores zeros after the last member (tape padding)
        } else {
          return fail(sink, errc::trailing_garbage), pending();
        }
        continue;
      }
      case phase::zeros: {
        const std::span<const std::byte> rest = detail::fill(source_, sink);
        if (detail::failed(sink)) return {};
        if (rest.empty()) {
          phase_ = phase::end;
          return {};
        }
        const auto zero = std::ranges::find_if(rest, [](std::byte b) { return b != std::byte{0}; });
        const auto n = static_cast<std::size_t>(zero - rest.begin());
        take(n);
        if (n != rest.size()) return fail(sink, errc::trailing_garbage), pending();
        continue;
      }
      case phase::member: {
        const std::span<const std::byte> in = detail::fill(source_, sink);
        if (detail::failed(sink)) return {};
        const std::span<std::byte> out(buffer_.data() + base_, buffer_.capacity() - base_);
        // An empty fill is the end of the input: the decoder flushes what it holds, then the
        // member must be complete.
        const detail::codec_step step = decoder_.run(in, out, in.empty());
        take(step.consumed);
        begin_ = base_;
        end_ = base_ + step.produced;
        if (step.error) {
          // The bytes decoded before the error are handed out first; the error comes next.
          error_ = step.error;
          phase_ = phase::end;
          if (end_ != base_) return pending();
          report_kept(sink);
          return {};
        }
        if (step.done) {
          // An xz decoder reads every stream itself and ends only at the end of the input.
          phase_ = *codec_ == codec::xz ? phase::end : phase::between;
        } else if (in.empty() && end_ == base_) {
          return fail(sink, errc::unexpected_eof), pending();
        }
        if (end_ != base_) return pending();
        if (!step.done && step.consumed == 0 && !in.empty()) {
          // No progress with input and room for output: the library refuses the data.
          return fail(sink, errc::corrupt_data), pending();
        }
        continue;
      }
      }
    }
  }

  std::span<const std::byte> pending() const noexcept { return {buffer_.data() + begin_, end_ - begin_}; }

  S source_;
  detail::byte_buffer buffer_;
  std::optional<codec> codec_;
  detail::decoder decoder_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t base_ = 0; // where the decoder writes in the buffer: after bytes fill(n) keeps
  std::uint64_t consumed_ = 0;
  std::error_code error_;
  phase phase_ = phase::start;
};

/// Deduces a reference for an lvalue and an owned stream for an rvalue.
template <class S>
decompress_reader(S&&) -> decompress_reader<S>;
/// As above, with a forced format.
template <class S>
decompress_reader(S&&, codec) -> decompress_reader<S>;

/// The decoded bytes of `source` (an lvalue is referenced, an rvalue moved in), its format
/// detected by its magic bytes; a stream that is not buffered_readable is read through an
/// io::buffered_reader. See decompress_reader.
template <class S>
  requires readable<std::remove_reference_t<S>>
auto decompress(S&& source) {
  if constexpr (buffered_readable<std::remove_reference_t<S>>) return decompress_reader<S>(std::forward<S>(source));
  else return decompress_reader<buffered_reader<S>>(buffered_reader<S>(std::forward<S>(source)));
}

/// The decoded bytes of `source` read as `format` (codec::none passes them through).
template <class S>
  requires readable<std::remove_reference_t<S>>
auto decompress(S&& source, codec format) {
  if constexpr (buffered_readable<std::remove_reference_t<S>>)
    return decompress_reader<S>(std::forward<S>(source), format);
  else return decompress_reader<buffered_reader<S>>(buffered_reader<S>(std::forward<S>(source)), format);
}

} // namespace io
