// io.file:atomic_file — write a new version of a file beside it, then replace the old one at once.
module;
#include <cstddef>
#include <filesystem>
#include <span>
#include <system_error>
export module io.file:atomic_file;
import io.core;
import :handle;
import :open;

export namespace io {

/// Writes the new contents of `target` into a temporary file in the same directory; commit()
/// flushes, fsyncs, renames it over the target and fsyncs the directory, so that readers and a
/// crash see either the whole old file or the whole new one. Destroyed without commit(), it
/// removes the temporary and leaves the target untouched. A process killed before commit leaves
/// its temporary (named `.<target name>.<random>.tmp`) behind: delete such files at leisure.
/// An existing target's permission bits carry over to the new file. It is writable.
class atomic_file {
public:
  /// Starts a new version of `target`, buffered with `buffer_size` bytes.
  explicit atomic_file(const std::filesystem::path& target, std::size_t buffer_size = default_buffer_size);
  /// As atomic_file(target), reporting errors through `ec` (flush and commit then report errc::closed).
  atomic_file(const std::filesystem::path& target, std::error_code& ec) noexcept;

  atomic_file(atomic_file&&) noexcept = default;
  atomic_file& operator=(atomic_file&&) = delete;
  /// Discards the new version unless it was committed.
  ~atomic_file();

  /// Writes all of `bytes` to the new version.
  void write(std::span<const std::byte> bytes) { out_.write(bytes); }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept { out_.write(bytes, ec); }

  /// Passes buffered bytes to the temporary file (nothing is visible at the target before commit).
  void flush() { out_.flush(); }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept { out_.flush(ec); }

  /// Makes the new version the target, durably; on failure the target is untouched and the
  /// temporary removed. Later writes report errc::closed.
  void commit();
  /// As commit(), reporting errors through `ec`.
  void commit(std::error_code& ec) noexcept;

  /// Drops the new version and removes the temporary; the target is untouched.
  void discard() noexcept;

  /// The file that commit() replaces.
  const std::filesystem::path& target() const noexcept { return target_; }
  /// The temporary file holding the new version until commit().
  const std::filesystem::path& temporary_path() const noexcept { return temporary_; }
  /// Whether commit() succeeded.
  bool committed() const noexcept { return committed_; }

private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  file_writer out_;
  bool committed_ = false;
  bool finished_ = false;
};

} // namespace io
