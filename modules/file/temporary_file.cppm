// io.file:temporary_file — unnamed and named temporary files (Python's tempfile.TemporaryFile and
// NamedTemporaryFile, Rust's tempfile and NamedTempFile::persist).
module;
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>
export module io.file:temporary_file;
import io.core;
import :handle;

namespace io::detail {

// A number for a temporary file's name, different at each call and in each process; atomic_file
// names its temporaries with it too.
std::uint64_t temporary_name_number() noexcept;

// fsync of a directory, so that a rename or link in it survives a crash; atomic_file and
// spooled_stream call it after theirs.
void sync_directory(const std::filesystem::path& directory, std::error_code& ec) noexcept;

} // namespace io::detail

export namespace io {

/// Opens a new, empty file for reading and writing that has no name: it is gone when closed,
/// whatever happens to the process. Created in `directory`, or when that is empty in `$TMPDIR`
/// (when set and not empty) or else `/tmp`, readable and writable by its owner only (0600),
/// closed on exec. Where the file system supports it the file never has a name (O_TMPFILE);
/// elsewhere it is created under an unpredictable name with O_EXCL and unlinked at once. Its
/// path() is `<directory>/(unnamed temporary file)`, as used in error messages.
file temporary_file(const std::filesystem::path& directory = {});
/// As temporary_file(directory), reporting errors through `ec` (the handle then holds no file).
file temporary_file(const std::filesystem::path& directory, std::error_code& ec) noexcept;
/// As temporary_file(), reporting errors through `ec` (the handle then holds no file).
file temporary_file(std::error_code& ec) noexcept;

/// A new, empty file with a name, open for reading and writing, removed when destroyed unless
/// persist() gave it its final name (Python's NamedTemporaryFile, Rust's NamedTempFile).
/// Created in `directory`, or when that is empty in `$TMPDIR` (when set and not empty) or else
/// `/tmp`, as `tmp` followed by 16 hexadecimal digits that differ at each call (O_EXCL, so that
/// nobody else's file is ever opened), readable and writable by its owner only (0600), closed on
/// exec. It holds an unbuffered io::file, so no byte waits in a buffer when it is persisted or
/// removed; wrap file() in a buffered_stream<io::file&> for small writes.
class named_temporary_file {
public:
  /// Creates the file in `directory` (the default directory when empty).
  explicit named_temporary_file(const std::filesystem::path& directory = {});
  /// As named_temporary_file(directory), reporting errors through `ec` (it then holds no file).
  named_temporary_file(const std::filesystem::path& directory, std::error_code& ec) noexcept;
  /// As named_temporary_file(), reporting errors through `ec` (it then holds no file).
  explicit named_temporary_file(std::error_code& ec) noexcept;

  /// Takes over `other`'s file; `other` holds none and removes nothing.
  named_temporary_file(named_temporary_file&& other) noexcept
      : file_(std::move(other.file_)), path_(std::move(other.path_)), remove_(std::exchange(other.remove_, false)),
        persisted_(other.persisted_) {}
  /// Removes this object's file (unless persisted), then takes over `other`'s.
  named_temporary_file& operator=(named_temporary_file&& other) noexcept;
  /// Closes the file and removes it unless persisted, ignoring errors: call close() to see them.
  ~named_temporary_file();

  /// The file's path: where it was created, or where persist() put it.
  const std::filesystem::path& path() const noexcept { return path_; }
  /// The open file, positioned where the last read, write or seek left it.
  io::file& file() noexcept { return file_; }
  /// The open file, positioned where the last read, write or seek left it.
  const io::file& file() const noexcept { return file_; }
  /// Whether persist() succeeded: the destructor and close() then keep the file.
  bool persisted() const noexcept { return persisted_; }

  /// Renames the file to `target` at once (rename(2): replacing a file there, atomically for
  /// readers); from then on path() is `target` and the file is kept, still open. It does not
  /// sync: call file().sync() first when the contents must survive a crash. Across file systems
  /// it fails (EXDEV) and the temporary stays where it was, still removed on destruction.
  void persist(const std::filesystem::path& target);
  /// As persist(target), reporting errors through `ec`.
  void persist(const std::filesystem::path& target, std::error_code& ec) noexcept;

  /// Closes the file and removes it unless persisted, reporting the first error; later calls do nothing.
  void close();
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept;

private:
  io::file file_;
  std::filesystem::path path_;
  bool remove_ = false; // path_ names a file this object created and must remove
  bool persisted_ = false;
};

} // namespace io
