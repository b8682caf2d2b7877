// io.file:atomic_file — write a new version of a file beside it, then replace the old one at once.
module;
#include <cstddef>
#include <filesystem>
#include <span>
#include <system_error>
#include <utility>
export module io.file:atomic_file;
import io.core;
import :handle;
import :open;

namespace io::detail {
struct atomic_file_lock;
}

export namespace io {

/// Writes the new contents of `target` into a temporary file in the same directory; commit()
/// flushes, fsyncs, renames it over the target and fsyncs the directory, so that readers and a
/// crash see either the whole old file or the whole new one. Destroyed without commit(), it
/// removes the temporary and leaves the target untouched. A process killed before commit leaves
/// its temporary (named `.<target name>.<random>.tmp`, shortened for long names) behind: delete
/// such files at leisure. It is writable.
///
/// Who can read the new contents: the temporary of an existing target is created readable by its
/// owner only, then given the target's owner and group (best effort, as `sed -i` does) and
/// permission bits before the first byte is written; when the owner cannot be kept the set-user-ID
/// bit is dropped, and when the group cannot be kept the set-group-ID bit and the group's
/// permissions are dropped. A new target is created as open() creates files (0666 less the umask).
///
/// Links: when `target` is a symbolic link, the file it points to (following every link) is
/// replaced and the link stays. Other hard links of the target keep naming the old contents.
///
/// Any failure of the constructor, a write or a flush, through either API, is kept: every later
/// write and flush reports it again, and commit() refuses (target untouched, temporary removed).
///
/// Writers that read the target, change it and commit must take turns: io::file_lock(atomic_file&)
/// locks the file at the target (not the temporary), checking after each wait that it locked the
/// file still there, and the atomic_file keeps that file open while the lock is held.
class atomic_file : public bytes_interface<atomic_file> {
public:
  using bytes_interface<atomic_file>::write;
  /// Starts a new version of `target`, buffered with `buffer_size` bytes.
  explicit atomic_file(const std::filesystem::path& target, std::size_t buffer_size = default_buffer_size);
  /// As atomic_file(target), reporting errors through `ec` (writes, flush and commit then report it).
  atomic_file(const std::filesystem::path& target, std::error_code& ec) noexcept;
  /// As atomic_file(target, buffer_size), reporting errors through `ec`.
  atomic_file(const std::filesystem::path& target, std::size_t buffer_size, std::error_code& ec) noexcept;

  /// Takes over `other`'s new version; `other` is left finished, removing nothing.
  atomic_file(atomic_file&& other) noexcept
      : target_(std::move(other.target_)), destination_(std::move(other.destination_)),
        temporary_(std::move(other.temporary_)), out_(std::move(other.out_)), error_(other.error_),
        sync_failure_(other.sync_failure_), committed_(other.committed_), finished_(std::exchange(other.finished_, true)),
        locked_(std::move(other.locked_)) {}
  atomic_file& operator=(atomic_file&&) = delete;
  /// Discards the new version unless it was committed.
  ~atomic_file();

  /// Writes all of `bytes` to the new version.
  void write(std::span<const std::byte> bytes) {
    if (error_) [[unlikely]]
      fail("write");
    try {
      out_.write(bytes);
    } catch (const std::system_error& e) {
      error_ = e.code();
      throw;
    }
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    if (error_) {
      ec = error_;
      return;
    }
    out_.write(bytes, ec);
    if (ec) error_ = ec;
  }

  /// Passes buffered bytes to the temporary file (nothing is visible at the target before commit).
  void flush();
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept;

  /// Makes the new version the target, durably. When it fails before the rename, the target is
  /// untouched and the temporary removed. When the rename succeeded but syncing the directory
  /// failed, it reports errc::not_durable: the new contents are in place (committed() is true)
  /// but a crash may bring the old ones back. Later writes report errc::closed.
  void commit();
  /// As commit(), reporting errors through `ec`.
  void commit(std::error_code& ec) noexcept;

  /// Drops the new version and removes the temporary; the target is untouched.
  void discard() noexcept;

  /// The file that commit() replaces, as given.
  const std::filesystem::path& target() const noexcept { return target_; }
  /// The temporary file holding the new version until commit().
  const std::filesystem::path& temporary_path() const noexcept { return temporary_; }
  /// Whether the rename of commit() succeeded: the target holds the new contents.
  bool committed() const noexcept { return committed_; }

private:
  friend struct detail::atomic_file_lock;
  [[noreturn]] void fail(const char* operation) const;

  std::filesystem::path target_;
  std::filesystem::path destination_; // target_ with symbolic links followed: what the rename replaces
  std::filesystem::path temporary_;
  file_writer out_;
  std::error_code error_;        // the first failure: commit refuses
  std::error_code sync_failure_; // why the directory sync after the rename failed
  bool committed_ = false;
  bool finished_ = false;
  file locked_; // the target as a file_lock opened and locked it: closing it releases the lock
};

} // namespace io

namespace io::detail {

// How io::file_lock reaches the descriptor of the target that a lock over an atomic_file holds
// open (this partition cannot name file_lock, which imports it); not part of the API.
struct atomic_file_lock {
  static file& descriptor(atomic_file& f) noexcept { return f.locked_; }
  static const std::filesystem::path& destination(const atomic_file& f) noexcept { return f.destination_; }
};

} // namespace io::detail
