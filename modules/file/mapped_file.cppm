// io.file:mapped_file — a memory map of a file or of part of it, read-only or writable, as a
// contiguous range of bytes; and the growth of a shared map that mapped_stream and spooled_stream reuse.
module;
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
export module io.file:mapped_file;
import io.core;
import :handle;

namespace io::detail {

// A shared mapping of a file from a page-aligned file offset: `base` is null when `length` is 0.
struct shared_region {
  std::byte* base = nullptr;
  std::size_t length = 0;
};

// The size of a memory page.
std::size_t system_page_size() noexcept;

// The one place where a shared map grows and shrinks with its file: sets the file `fd` to
// `file_size` bytes (ftruncate) and remaps `region`, which maps the file from `offset`, to
// `length` bytes (mremap, which may move it; mmap from nothing, munmap to nothing). When growing,
// the file grows first, so that no mapped page ever lies past its end (SIGBUS); when shrinking,
// the map shrinks first. On failure `ec` holds the error, the file keeps its size (or is put back)
// and `region` still describes a valid mapping (when shrinking, possibly the smaller one).
void resize_shared(int fd, std::uint64_t offset, bool writable, shared_region& region, std::uint64_t file_size,
                   std::size_t length, std::error_code& ec) noexcept;

// msync of `length` bytes from `at` inside `region` (widened to whole pages).
void sync_shared(const shared_region& region, std::size_t at, std::size_t length, std::error_code& ec) noexcept;

// Unmaps `region` (which then maps nothing).
void unmap(shared_region& region) noexcept;

} // namespace io::detail

export namespace io {

/// Advice to the kernel about how mapped bytes will be used (madvise).
enum class access_pattern {
  normal,     ///< no advice (MADV_NORMAL)
  sequential, ///< read in order: read ahead aggressively, drop pages soon after (MADV_SEQUENTIAL)
  random,     ///< read in no order: do not read ahead (MADV_RANDOM)
  will_need,  ///< about to be read: start reading the pages in now (MADV_WILLNEED)
  dont_need,  ///< not needed soon: the kernel may drop the pages, a shared map reads them back from the file (MADV_DONTNEED)
  populate,   ///< about to be read: map the pages now, reading them in, so that the first reads take no page
              ///< fault (MADV_POPULATE_READ, Linux 5.14; nothing where unsupported; a writable map's pages stay clean)
};

/// A memory map of a file: a contiguous range of `const std::byte`, also seen as a
/// std::string_view, and with writable_bytes() a writable one. By default the map is read-only
/// and covers the whole file; mapped_file(path, "r+") maps it shared and writable (writes reach
/// the file, sync() makes them durable, resize() grows or shrinks file and map together), and
/// mapped_file(f, offset, length) maps part of an open io::file from any offset.
/// An empty file maps to an empty range; what is not a regular file (a FIFO, a device) or has no
/// known size (procfs, sysfs files) is refused with errc::not_mappable.
/// Move-only; unmapped by the destructor. The bytes are valid while the mapped_file lives and
/// until resize(), which may move them. When another process truncates the file, touching a page
/// past its new end kills this process with SIGBUS: a map cannot report that as an error (Python's
/// mmap and Rust's memmap2 have the same limit); lock the file (io::file_lock) where others may
/// truncate it. For a readable, seekable stream over the bytes, use io::span_stream(mapped.bytes())
/// from io.memory, or io::mapped_stream for a file that grows as it is written.
class mapped_file {
public:
  /// Maps nothing.
  mapped_file() noexcept = default;
  /// Maps all of `path`, read-only.
  explicit mapped_file(const std::filesystem::path& path);
  /// As mapped_file(path), reporting errors through `ec` (nothing is mapped then).
  mapped_file(const std::filesystem::path& path, std::error_code& ec) noexcept;
  /// Maps all of `path` with mode "r" (read-only, as mapped_file(path)) or "r+" (shared and
  /// writable: writes through the map reach the file); any other mode is errc::invalid_argument.
  mapped_file(const std::filesystem::path& path, std::string_view mode);
  /// As mapped_file(path, mode), reporting errors through `ec` (nothing is mapped then).
  mapped_file(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept;
  /// Maps `length` bytes of the open file `f` from `offset` (any offset: the map starts at the
  /// page below and the range where asked), a length of 0 meaning to the end of the file. Shared
  /// and writable when `f` was opened for reading and writing, read-only when only for reading;
  /// `f` not opened for reading is errc::not_readable, a range past the end of the file
  /// errc::invalid_argument. The map holds its own descriptor: `f` may be closed afterwards.
  mapped_file(const file& f, std::uint64_t offset, std::size_t length = 0);
  /// As mapped_file(f, offset, length), reporting errors through `ec` (nothing is mapped then).
  mapped_file(const file& f, std::uint64_t offset, std::size_t length, std::error_code& ec) noexcept;

  mapped_file(mapped_file&& other) noexcept;
  mapped_file& operator=(mapped_file&& other) noexcept;
  ~mapped_file();

  /// The mapped bytes.
  inline std::span<const std::byte> bytes() const noexcept [[clang::lifetimebound]] { return {data(), size_}; }
  /// The mapped bytes, writable; a read-only map reports errc::not_writable.
  std::span<std::byte> writable_bytes() [[clang::lifetimebound]];
  /// As writable_bytes(), reporting errors through `ec` (and returning an empty span).
  std::span<std::byte> writable_bytes(std::error_code& ec) noexcept [[clang::lifetimebound]];
  /// The mapped bytes as characters.
  inline std::string_view text() const noexcept [[clang::lifetimebound]] { return {reinterpret_cast<const char*>(data()), size_}; }
  /// The first mapped byte (null when nothing is mapped).
  const std::byte* data() const noexcept { return region_.base == nullptr ? nullptr : region_.base + lead_; }
  /// The number of mapped bytes: the size of the file (or of the range asked for) when it was
  /// mapped, or as resize() left it.
  inline std::size_t size() const noexcept { return size_; }
  /// Whether no bytes are mapped.
  inline bool empty() const noexcept { return size_ == 0; }
  /// The first byte, for range-for and the range algorithms.
  const std::byte* begin() const noexcept { return data(); }
  /// One past the last byte.
  const std::byte* end() const noexcept { return data() + size_; }
  /// Whether the map is shared and writable.
  bool writable() const noexcept { return writable_; }
  /// The offset in the file of the first mapped byte.
  std::uint64_t offset() const noexcept { return offset_ + lead_; }

  /// Makes the file end `size` bytes after offset() and the map cover exactly those bytes
  /// (ftruncate, then mremap, which may move the bytes: spans from before are invalid); bytes past
  /// the file's old end are zeros. A read-only map reports errc::not_writable.
  void resize(std::size_t size);
  /// As resize(size), reporting errors through `ec` (the map and the file keep their size).
  void resize(std::size_t size, std::error_code& ec) noexcept;

  /// Writes the changed pages of the whole map to the file's storage and waits (msync with
  /// MS_SYNC). A read-only map has nothing to write and succeeds.
  void sync();
  /// As sync(), reporting errors through `ec`.
  void sync(std::error_code& ec) noexcept;
  /// As sync(), for `length` bytes from `offset` in the map (whole pages around them are
  /// written); a range past size() is errc::invalid_argument.
  void sync(std::size_t offset, std::size_t length);
  /// As sync(offset, length), reporting errors through `ec`.
  void sync(std::size_t offset, std::size_t length, std::error_code& ec) noexcept;

  /// Tells the kernel how the bytes will be used (madvise).
  void advise(access_pattern pattern);
  /// As advise(pattern), reporting errors through `ec`.
  void advise(access_pattern pattern, std::error_code& ec) noexcept;
  /// As advise(pattern), for `length` bytes from `offset` in the map (the whole pages around
  /// them: dont_need on a shared map drops no data, a later read maps the page again); a range
  /// past size() is errc::invalid_argument. Threads working on parts of one map advise their own
  /// parts: populate before and dont_need after, so that neither the page faults nor the unmap
  /// of the whole happen on one thread.
  void advise(access_pattern pattern, std::size_t offset, std::size_t length);
  /// As advise(pattern, offset, length), reporting errors through `ec`.
  void advise(access_pattern pattern, std::size_t offset, std::size_t length, std::error_code& ec) noexcept;

  /// Unmaps the bytes; later the range is empty. Unmapping nothing does nothing.
  void close() noexcept;

  /// The path given when mapping, as used in error messages.
  const std::string& path() const noexcept { return path_; }

private:
  // madvise over [start, start + length) of the mapping (page-aligned).
  void advise_pages(access_pattern pattern, std::size_t start, std::size_t length, std::error_code& ec) const noexcept;

  detail::shared_region region_; // the mapping, from the page-aligned file offset offset_
  std::size_t lead_ = 0;         // bytes between the start of the mapping and the first byte asked for
  std::size_t size_ = 0;
  std::uint64_t offset_ = 0;
  int descriptor_ = -1;          // kept by writable maps, for resize()
  bool writable_ = false;
  std::string path_;
};

} // namespace io
