// io.file:file_lock — advisory locks on a whole file or a byte range, shared or exclusive, over
// open-file-description locks; usable with std::unique_lock, std::shared_lock and std::scoped_lock.
module;
#include <chrono>
#include <concepts>
#include <cstdint>
#include <system_error>
#include <utility>
export module io.file:file_lock;
import io.core;
import :handle;
import :atomic_file;

export namespace io {

/// An advisory lock on an open io::file, or on `length` bytes of it from `offset` (a length of 0
/// reaches past the end, however the file grows): exclusive with lock(), try_lock(),
/// try_lock_for(), try_lock_until() and unlock(), shared with their `_shared` twins, so it meets
/// the standard Lockable, TimedLockable and SharedTimedLockable requirements and works with
/// std::unique_lock, std::shared_lock and std::scoped_lock. The destructor unlocks, never throwing.
///
/// It uses Linux's open-file-description locks (F_OFD_SETLK, F_OFD_SETLKW), not classic POSIX
/// record locks (F_SETLK): a lock belongs to the open file, so it is not dropped when the process
/// closes some other descriptor of the same file (the POSIX trap: opening and closing the file
/// anywhere in the process, a library included, silently released every lock on it), and two
/// io::files opened separately exclude each other even in one process, so threads can lock
/// through their own io::file. Locks taken through one io::file (or its duplicates, or across
/// fork) are one owner's: they do not exclude each other, overlapping ranges merge, and unlocking
/// one releases its range for all. Closing the io::file releases its locks.
///
/// The lock is advisory: it excludes other locks, not reads and writes. It flushes nothing: flush
/// a buffered file before unlocking when others must see the writes. A lock held when lock() or
/// lock_shared() is called is converted to the other kind, as fcntl does. try_lock_for() polls,
/// sleeping from 1 ms up to 50 ms between attempts, since fcntl has no timed wait. Errors name
/// the file's path and the operation; a call interrupted by a signal is retried.
///
/// Over an io::atomic_file it locks the file at the atomic_file's target (symbolic links followed,
/// as commit() follows them), which is what writers that read, change and commit must agree on:
/// the temporary is the writer's own. Taking the lock opens that file for reading and writing
/// (without creating or truncating it: nothing changes on disk; a shared lock falls back to
/// reading only when writing is not allowed) and keeps it open in the atomic_file until unlock
/// or destruction, since closing it releases the lock. Since commit() renames a new file over the
/// locked one, a process that waited for the lock may have got it on a file that was replaced
/// meanwhile: after every wait the locked file is compared (device and inode) with the one now at
/// the target, and on a difference it is closed and the new one opened and locked, until they
/// match. A target that does not exist yet cannot be locked (std::errc::no_such_file_or_directory,
/// naming it): creating it here would publish an empty file nobody committed; serialise the
/// writers that create it with a separate lock file instead.
class file_lock {
public:
  /// A lock on the whole of `f` (not taken yet); `f` must outlive it.
  explicit file_lock(file& f) noexcept : file_(&f) {}
  /// A lock on `length` bytes of `f` from `offset`, 0 meaning to the end and beyond (not taken
  /// yet); an offset or end past 2^63 - 1 makes every operation report errc::invalid_argument.
  file_lock(file& f, std::uint64_t offset, std::uint64_t length) noexcept
      : file_(&f), offset_(offset), length_(length) {}
  /// A lock on the whole of a buffered file (what io::open returns) through its io::file.
  template <class Buffered>
    requires requires(Buffered& b) {
      { b.inner() } -> std::same_as<file&>;
    }
  explicit file_lock(Buffered& f) noexcept : file_lock(f.inner()) {}
  /// A lock on `length` bytes from `offset` of a buffered file, through its io::file.
  template <class Buffered>
    requires requires(Buffered& b) {
      { b.inner() } -> std::same_as<file&>;
    }
  file_lock(Buffered& f, std::uint64_t offset, std::uint64_t length) noexcept
      : file_lock(f.inner(), offset, length) {}
  /// A lock on the whole file at `f`'s target (not taken yet); `f` must outlive it and stay where
  /// it is (not moved from) while it holds the lock.
  explicit file_lock(atomic_file& f) noexcept;

  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;
  /// Takes over `other`'s file, range and lock; `other` holds no lock.
  file_lock(file_lock&& other) noexcept
      : file_(other.file_), atomic_(other.atomic_), offset_(other.offset_), length_(other.length_),
        held_(std::exchange(other.held_, held::none)) {}
  /// Unlocks what this object holds, then takes over `other`'s file, range and lock.
  file_lock& operator=(file_lock&& other) noexcept;
  /// Unlocks, ignoring errors: call unlock() to see them.
  ~file_lock();

  /// Waits until the lock is exclusively this object's.
  void lock();
  /// As lock(), reporting errors through `ec`.
  void lock(std::error_code& ec) noexcept;
  /// Takes the exclusive lock when nobody else holds any lock on the range; returns whether it did.
  bool try_lock();
  /// As try_lock(), reporting errors through `ec` (and returning false).
  bool try_lock(std::error_code& ec) noexcept;
  /// Tries to take the exclusive lock until `timeout` has passed; returns whether it did.
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) {
    return try_until(held::exclusive, deadline_after(timeout));
  }
  /// As try_lock_for(timeout), reporting errors through `ec` (and returning false).
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
    return try_until(held::exclusive, deadline_after(timeout), ec);
  }
  /// Tries to take the exclusive lock until `deadline`; returns whether it did.
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    return try_lock_for(deadline - Clock::now());
  }
  /// Releases the lock (or the shared lock); unlocking what is not locked does nothing, and so
  /// does unlocking a file closed since (closing released the lock).
  void unlock();
  /// As unlock(), reporting errors through `ec`.
  void unlock(std::error_code& ec) noexcept;

  /// Waits until this object shares the lock: no one else holds it exclusively.
  void lock_shared();
  /// As lock_shared(), reporting errors through `ec`.
  void lock_shared(std::error_code& ec) noexcept;
  /// Takes a shared lock when nobody else holds the range exclusively; returns whether it did.
  bool try_lock_shared();
  /// As try_lock_shared(), reporting errors through `ec` (and returning false).
  bool try_lock_shared(std::error_code& ec) noexcept;
  /// Tries to take a shared lock until `timeout` has passed; returns whether it did.
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period>& timeout) {
    return try_until(held::shared, deadline_after(timeout));
  }
  /// As try_lock_shared_for(timeout), reporting errors through `ec` (and returning false).
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
    return try_until(held::shared, deadline_after(timeout), ec);
  }
  /// Tries to take a shared lock until `deadline`; returns whether it did.
  template <class Clock, class Duration>
  bool try_lock_shared_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    return try_lock_shared_for(deadline - Clock::now());
  }
  /// As unlock(): releases the shared lock.
  void unlock_shared() { unlock(); }
  /// As unlock(), reporting errors through `ec`.
  void unlock_shared(std::error_code& ec) noexcept { unlock(ec); }

  /// Whether this object holds the exclusive lock.
  bool owns_lock() const noexcept { return held_ == held::exclusive; }
  /// Whether this object holds a shared lock.
  bool owns_shared_lock() const noexcept { return held_ == held::shared; }
  /// The first byte of the range.
  std::uint64_t offset() const noexcept { return offset_; }
  /// The length of the range, 0 for everything from offset() on.
  std::uint64_t length() const noexcept { return length_; }

private:
  enum class held : unsigned char { none, shared, exclusive };

  template <class Rep, class Period>
  static std::chrono::steady_clock::time_point deadline_after(const std::chrono::duration<Rep, Period>& timeout) {
    const auto now = std::chrono::steady_clock::now();
    if (timeout <= timeout.zero()) return now;
    // A timeout beyond what steady_clock can count waits for ever, as far as anyone can tell.
    using namespace std::chrono;
    if (duration<double>(timeout) >= duration<double>(steady_clock::time_point::max() - now))
      return steady_clock::time_point::max();
    return now + ceil<steady_clock::duration>(timeout);
  }

  void take(held kind, bool wait, bool& taken, std::error_code& ec) noexcept;
  void take_target(held kind, bool wait, bool& taken, std::error_code& ec) noexcept;
  bool try_until(held kind, std::chrono::steady_clock::time_point deadline);
  bool try_until(held kind, std::chrono::steady_clock::time_point deadline, std::error_code& ec) noexcept;
  [[noreturn]] void fail(const std::error_code& ec, held kind, const char* how) const;

  file* file_;
  atomic_file* atomic_ = nullptr; // set when file_ is the atomic_file's descriptor of its target
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
  held held_ = held::none;
};

} // namespace io
