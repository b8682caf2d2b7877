// io.file:standard_streams — standard input, output and error, buffered as C's and Python's are.
module;
#include <cstddef>
#include <span>
#include <string>
#include <system_error>
export module io.file:standard_streams;
import io.core;
import :handle;

export namespace io {

/// How a standard_writer buffers (C's setvbuf modes; Python's line_buffering).
enum class buffering {
  none, ///< every write goes out at once (standard error, as C's stderr)
  line, ///< a write that holds a newline writes the buffer out (standard output on a terminal)
  full, ///< the buffer goes out when full, at flush() and at exit (standard output elsewhere)
};

/// Standard output or standard error: a buffer over the descriptor, which io never closes, that
/// writes out by line, fully or at once (see io::buffering). It does not share C's or C++'s
/// buffers: text printed with printf or std::cout sits in stdio's buffer, text written here in
/// this one, and each reaches the descriptor when its own buffer is flushed; flush one before
/// using the other (std::fflush(stdout), io::standard_output().flush()). One thread at a time,
/// as every io stream.
class standard_writer : public bytes_interface<standard_writer> {
public:
  using bytes_interface<standard_writer>::write;

  /// Buffers `raw` (referenced) with `capacity` bytes in mode `mode`.
  standard_writer(file& raw, buffering mode, std::size_t capacity);
  standard_writer(const standard_writer&) = delete;
  standard_writer& operator=(const standard_writer&) = delete;
  /// Writes out what is buffered, ignoring errors: call flush() to see them.
  ~standard_writer();

  /// Writes all of `bytes`: into the buffer, written out as the buffering mode says.
  void write(std::span<const std::byte> bytes);
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept;

  /// Writes the buffer out.
  void flush();
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept;

  /// Writes the buffer out and ends io's use of the stream (Python's sys.stdout.close(), GNU's
  /// close_stdout): later writes report errc::closed, nothing is written at exit, and the
  /// descriptor stays open, as io never closes it. Reports the last write's error: a program
  /// that reports it itself exits with the status it chooses.
  void close();
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept;
  /// Whether close() was called.
  bool closed() const noexcept { return closed_; }

  /// The buffer's free room, where a caller may put bytes in place and then commit() them (how
  /// io::print formats without a copy).
  std::span<std::byte> spare() noexcept { return closed_ ? std::span<std::byte>() : writer_.spare(); }
  /// Makes the first `n` bytes of spare() written, as write() of them would: in line mode a
  /// newline among them writes the buffer out, and in mode none they go out at once.
  void commit(std::size_t n);
  /// As commit(n), reporting errors through `ec`.
  void commit(std::size_t n, std::error_code& ec) noexcept;

  /// How the stream buffers.
  buffering mode() const noexcept { return mode_; }
  /// Buffers as `mode` says from now on (C's setvbuf); bytes already buffered stay until the
  /// next write out.
  void set_mode(buffering mode) noexcept { mode_ = mode; }
  /// The bytes written but not yet passed to the descriptor.
  std::span<const std::byte> buffered() const noexcept { return writer_.buffered(); }
  /// The unbuffered file under the buffer (Python's sys.stdout.buffer.raw), for io::copy and
  /// other whole-file work: flush() first, as bytes still buffered have not reached it.
  file& raw() noexcept { return writer_.inner(); }
  /// The name used in error messages ("<stdout>", "<stderr>").
  const std::string& path() const noexcept { return writer_.inner().path(); }

private:
  // Whether writing `bytes` in the current mode writes the buffer out.
  bool writes_out(std::span<const std::byte> bytes) const noexcept;

  buffered_writer<file&> writer_;
  buffering mode_;
  bool closed_ = false;
};

/// Standard input (descriptor 0), which io never closes: an unbuffered readable whose every read
/// first writes out standard output's buffer (errors stay there for its next flush), so that a
/// prompt shows before the program waits for an answer, as C and Python do. Wrap it in a
/// buffered_reader for line-by-line work, or read raw() to skip the flush.
class standard_reader : public bytes_interface<standard_reader> {
public:
  using bytes_interface<standard_reader>::read;

  /// Reads `raw` (referenced).
  explicit standard_reader(file& raw) noexcept : raw_(&raw) {}
  standard_reader(const standard_reader&) = delete;
  standard_reader& operator=(const standard_reader&) = delete;

  /// Writes out standard output's buffer, then reads into a prefix of `buffer`; returns the
  /// byte count, 0 at end of file.
  std::size_t read(std::span<std::byte> buffer);
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept;

  /// The file under it (Python's sys.stdin.buffer.raw), which reads without flushing anything.
  file& raw() noexcept { return *raw_; }
  /// The name used in error messages: "<stdin>".
  const std::string& path() const noexcept { return raw_->path(); }

private:
  file* raw_;
};

/// Standard input (see standard_reader).
standard_reader& standard_input() noexcept;

/// Standard output, buffered by line when it is a terminal and fully otherwise (as C's stdout and
/// Python's sys.stdout), with a 64 KiB buffer. What is still buffered when the program exits
/// (returning from main or calling std::exit) is written out then; when that fails, the error
/// ("io: cannot flush '<stdout>': No space left on device") goes to standard error and the
/// process ends at once with status 120, as Python's does (C's stdio buffers are flushed first,
/// exit handlers and static destructors not yet run are skipped). Call flush() to see errors
/// earlier, or close() to end io's use of it and report errors yourself; after the exit flush it
/// writes out at once.
standard_writer& standard_output() noexcept;

/// Standard error, unbuffered (io::buffering::none, as C's stderr): every write goes out at once.
standard_writer& standard_error() noexcept;

/// Whether `f` is a terminal (POSIX isatty).
bool is_terminal(const file& f) noexcept;
/// Whether standard output or standard error, as given, is a terminal.
bool is_terminal(standard_writer& s) noexcept;
/// Whether standard input is a terminal.
bool is_terminal(standard_reader& s) noexcept;

} // namespace io
