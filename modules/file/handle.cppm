// io.file:handle — io::file, an unbuffered file handle (Python's FileIO).
module;
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
export module io.file:handle;
import io.core;
import :mode;

export namespace io {

/// An open file: unbuffered, move-only, closed by its destructor (Python's FileIO). It is
/// readable, writable and seekable; what the mode allows is checked at run time, so reading a
/// file opened for writing reports errc::not_readable and writing one opened for reading
/// errc::not_writable. Every error names the path and the operation. read() retries on EINTR;
/// write() loops until everything is written. Threads: as with std::fstream, one thread at a time
/// uses a stream; but read_at() and write_at() (pread and pwrite, which move no shared position)
/// may be called on one io::file from several threads at once, while nobody closes or moves it.
class file : public bytes_interface<file> {
public:
  using bytes_interface<file>::read;
  using bytes_interface<file>::write;
  /// A handle that holds no file.
  file() noexcept = default;

  /// Opens `path` with a Python mode string ("r", "rb", "w", "a+", "x", ...); in an append mode
  /// the position starts at the end of the file, as with Python's FileIO.
  explicit file(const std::filesystem::path& path, std::string_view mode = "r");
  /// As file(path, mode), reporting errors through `ec` (the handle then holds no file).
  file(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept;
  /// As file(path), reporting errors through `ec` (the handle then holds no file).
  file(const std::filesystem::path& path, std::error_code& ec) noexcept : file(path, "r", ec) {}
  /// Opens `path` with typed flags (with open_flags::append, at the end of the file).
  file(const std::filesystem::path& path, open_flags flags);
  /// As file(path, flags), reporting errors through `ec` (the handle then holds no file).
  file(const std::filesystem::path& path, open_flags flags, std::error_code& ec) noexcept;

  /// Wraps an open descriptor; `name` is used in error messages. When `owned`, close() and the
  /// destructor close it.
  static file from_native(int descriptor, open_flags flags, std::string name, bool owned = true) noexcept;

  file(file&& other) noexcept;
  file& operator=(file&& other) noexcept;
  /// Closes the file, ignoring errors: call close() to see them.
  ~file();

  /// Reads into a prefix of `buffer`; returns the byte count, 0 at end of file.
  std::size_t read(std::span<std::byte> buffer);
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept;

  /// Writes all of `bytes` at the position (at the end in append mode).
  void write(std::span<const std::byte> bytes);
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept;
  /// Writes some of `bytes` with one write() (retried on EINTR) and returns how many were
  /// written, at least one unless `bytes` is empty; what a buffered writer uses, so that after a
  /// failure it keeps exactly the bytes that did not reach the kernel.
  std::size_t write_some(std::span<const std::byte> bytes);
  /// As write_some(bytes), reporting errors through `ec` (and returning 0).
  std::size_t write_some(std::span<const std::byte> bytes, std::error_code& ec) noexcept;

  /// Reads at `offset` without moving the position (pread); returns the byte count, 0 at the end.
  std::size_t read_at(std::uint64_t offset, std::span<std::byte> buffer);
  /// As read_at(offset, buffer), reporting errors through `ec`.
  std::size_t read_at(std::uint64_t offset, std::span<std::byte> buffer, std::error_code& ec) noexcept;

  /// Writes all of `bytes` at `offset` without moving the position (pwrite). On a file opened
  /// for appending, where POSIX would append instead, it reports errc::invalid_argument.
  void write_at(std::uint64_t offset, std::span<const std::byte> bytes);
  /// As write_at(offset, bytes), reporting errors through `ec`.
  void write_at(std::uint64_t offset, std::span<const std::byte> bytes, std::error_code& ec) noexcept;

  /// Reads into several buffers in order with one call (readv); returns the byte count, 0 at the end.
  std::size_t read_vector(std::span<const std::span<std::byte>> buffers);
  /// As read_vector(buffers), reporting errors through `ec`.
  std::size_t read_vector(std::span<const std::span<std::byte>> buffers, std::error_code& ec) noexcept;

  /// Writes all of several buffers in order (writev, looping on short writes).
  void write_vector(std::span<const std::span<const std::byte>> buffers);
  /// As write_vector(buffers), reporting errors through `ec`.
  void write_vector(std::span<const std::span<const std::byte>> buffers, std::error_code& ec) noexcept;

  /// Moves to `offset` from `from` and returns the new position; a pipe reports errc::not_seekable.
  std::uint64_t seek(std::int64_t offset, whence from = whence::begin);
  /// As seek(offset, from), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, whence from, std::error_code& ec) noexcept;
  /// As seek(offset), reporting errors through `ec`.
  std::uint64_t seek(std::int64_t offset, std::error_code& ec) noexcept { return seek(offset, whence::begin, ec); }

  /// The position.
  std::uint64_t tell();
  /// As tell(), reporting errors through `ec`.
  std::uint64_t tell(std::error_code& ec) noexcept;

  /// The size of the file in bytes.
  std::uint64_t size();
  /// As size(), reporting errors through `ec`.
  std::uint64_t size(std::error_code& ec) noexcept;

  /// Resizes the file to `size` bytes, extending with zeros (unlike BytesIO); the position stays.
  std::uint64_t truncate(std::int64_t size);
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept;

  /// Does nothing but report a closed file: a file handle buffers nothing (see sync()).
  void flush();
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept;

  /// Asks the system to put the file's data on the storage device (fsync).
  void sync();
  /// As sync(), reporting errors through `ec`.
  void sync(std::error_code& ec) noexcept;

  /// Closes the file and reports the system's error; later operations report errc::closed.
  /// Closing a closed file does nothing.
  void close();
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept;

  /// Whether the handle holds an open file.
  inline bool is_open() const noexcept { return descriptor_ >= 0; }
  /// Whether the file was opened for reading.
  inline bool readable() const noexcept { return has(flags_, open_flags::read); }
  /// Whether the file was opened for writing.
  inline bool writable() const noexcept { return has(flags_, open_flags::write); }
  /// Whether the file was opened for appending: every write goes to the end, wherever the position.
  inline bool appends() const noexcept { return has(flags_, open_flags::append); }
  /// The flags the file was opened with.
  inline open_flags flags() const noexcept { return flags_; }
  /// The path or name given when opening, as used in error messages.
  const std::string& path() const noexcept { return path_; }
  /// The POSIX file descriptor, or -1.
  inline int native_handle() const noexcept { return descriptor_; }

private:
  void open(const std::filesystem::path& path, open_flags flags, std::error_code& ec) noexcept;
  bool usable(std::error_code& ec, open_flags needed) const noexcept;
  [[noreturn]] void fail(const std::error_code& ec, std::string_view operation) const;

  int descriptor_ = -1;
  open_flags flags_ = open_flags::none;
  bool owned_ = true;
  std::string path_;
};

} // namespace io
