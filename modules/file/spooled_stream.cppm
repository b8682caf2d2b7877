// io.file:spooled_stream — a memory stream that moves to an unnamed temporary file once it grows
// past a threshold (Python's tempfile.SpooledTemporaryFile, Rust's SpooledTempFile).
module;
#include <cstddef>
#include <filesystem>
#include <system_error>
export module io.file:spooled_stream;
import io.core;
import :handle;
import :mapped_stream;

export namespace io {

/// Python's io.BytesIO that keeps its bytes in memory until their size first exceeds
/// `threshold`, then moves them into an unnamed temporary file (io::temporary_file: O_TMPFILE, or
/// a file created under a random name and unlinked at once) and goes on there, with the same
/// semantics before, across and after the move: writes overwrite or extend at the position,
/// seeking past the end is allowed and a later write fills the gap with zeros, truncate never
/// extends, and the position is kept. In the file, writes go through pwrite, appends through a
/// 64 KiB write buffer (as buffered_file's), so they cost what writing a file costs; whatever
/// reads the contents (read, fill, view, str) first writes the buffer out and maps the file (shared,
/// remapped as it grows), so view() and fill() stay zero-copy spans over every byte written and
/// every view keeps its in-memory fast path. A failing write-out is reported by the call that
/// needed it (write, flush, read, fill, view, sync, persist or close), naming the file; the bytes
/// stay in the buffer until then. A threshold of 0 moves to the file at the first byte (unlike
/// Python, where 0 means never). take() copies the contents out and leaves the stream empty
/// and open, still in its file once rolled over. Spans from view() and fill() are invalidated by
/// write, truncate, take, rollover, persist and close.
/// Nobody else can reach the unnamed file, so no other process can truncate it under the map.
class spooled_stream : public detail::store_stream {
public:
  /// An empty stream that moves to a file in `directory` (the default temporary directory when
  /// empty: `$TMPDIR` or `/tmp`) once its size exceeds `threshold` bytes.
  explicit spooled_stream(std::size_t threshold, const std::filesystem::path& directory = {});

  /// Whether the contents live in the temporary file.
  bool rolled_over() const noexcept { return in_file(); }
  /// The size past which the contents move to a file.
  std::size_t threshold() const noexcept { return threshold_; }

  /// Moves the contents to the temporary file now, whatever their size; does nothing when they
  /// are there already. On failure the contents stay in memory, whole.
  void rollover();
  /// As rollover(), reporting errors through `ec`.
  void rollover(std::error_code& ec) noexcept;

  /// Gives the contents the name `target` atomically, replacing a file there, then closes the
  /// stream: readers see the old file or all of the new one, never part of it. Contents in the
  /// temporary file are made durable (fsync), linked into the target's directory under a
  /// temporary name (linkat of /proc/self/fd/N) and renamed over the target, without copying; the
  /// file keeps its mode 0600. Contents still in memory, or a file that cannot be linked there
  /// (another file system, a temporary that had to be created under a name), are written out with
  /// io::atomic_file instead (mode as for a new file, or the target's). Either way the directory
  /// is synced; when only that fails, the target is in place and errc::not_durable is reported.
  /// On any other failure the target is untouched, no temporary name is left, and the stream
  /// stays open with its contents and position.
  void persist(const std::filesystem::path& target);
  /// As persist(target), reporting errors through `ec`.
  void persist(const std::filesystem::path& target, std::error_code& ec) noexcept;

private:
  void write_out(const std::filesystem::path& target, std::error_code& ec) noexcept;
  bool link_file(const std::filesystem::path& target, std::error_code& ec) noexcept;
};

} // namespace io
