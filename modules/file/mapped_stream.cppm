// io.file:mapped_stream — Python's BytesIO semantics over bytes held in memory or in a file mapped
// shared (growing the file by remapping it): the base of mapped_stream and spooled_stream.
module;
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>
export module io.file:mapped_stream;
import io.core;
import :handle;
import :mapped_file;

// Exported only because mapped_stream and spooled_stream derive from it: not part of the API.
namespace io::detail {

/// BytesIO's write and truncate over contents that live on the heap (up to a threshold) or in a
/// file; memory_stream_base gives the rest (read, seek, tell, fill, view). mapped_stream's file is
/// mapped shared and written through the map, grown geometrically by detail::resize_shared (the
/// file holds the capacity, the contents and zeros after them, until truncate() or close() cut it).
/// A spooled stream's file is written with pwrite, appends through a write buffer, as
/// buffered_file writes: writing through a map costs a page fault per page, zero-filled and then
/// overwritten. It is mapped, read-only use, only when something reads it, and remapped as it grows.
class store_stream : public memory_stream_base<store_stream> {
  using base = memory_stream_base<store_stream>;
  friend base;

public:
  using base::write;

  store_stream(store_stream&& other) noexcept;
  store_stream& operator=(store_stream&& other) noexcept;
  /// Closes, ignoring errors: call close() to see them.
  ~store_stream();

  /// Writes `bytes` at the position, overwriting and extending; the position moves past them.
  // `inline`: a member defined in a class of a module's purview is not inline by itself, and this
  // one must be inlined into the caller's loop.
  inline void write(std::span<const std::byte> bytes) {
    // The common case, appending while there is room, stays inline: a check and a memcpy.
    // put_ is where the next appended byte goes: the heap block or the map at size_, or the
    // write buffer of a spooled stream's file.
    if (!closed_ && pos_ == size_ && bytes.size() <= static_cast<std::size_t>(put_end_ - put_)) [[likely]] {
      if (!bytes.empty()) std::memcpy(put_, bytes.data(), bytes.size());
      put_ += bytes.size();
      size_ += bytes.size();
      pos_ = size_;
      return;
    }
    std::error_code ec;
    write_slow(bytes, ec);
    if (ec) fail(ec, "write");
  }
  /// As write(bytes), reporting errors through `ec`.
  void write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    write_slow(bytes, ec);
  }

  /// Writes the bytes appended to a spooled stream's file and not yet written there; the other
  /// bytes are in memory or in the map already (see sync()).
  void flush();
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept;

  // The bytes appended to a spooled stream's file go through a write buffer: everything that
  // reads them writes it out first, so spans see every byte (the map of the file sees what
  // write() put in the page cache). These hide memory_stream_base's, which read the map unchecked.

  /// Reads into a prefix of `buffer` from the position; returns the byte count, 0 at the end.
  std::size_t read(std::span<std::byte> buffer) {
    settle_or_fail("read");
    return base::read(buffer);
  }
  /// As read(buffer), reporting errors through `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    return settle(ec) ? base::read(buffer, ec) : 0;
  }
  using base::read;
  /// The bytes from the position to the end, without copying; empty at or past the end.
  std::span<const std::byte> fill() const {
    settle_or_fail("read");
    return base::fill();
  }
  /// As fill(), reporting errors through `ec`.
  std::span<const std::byte> fill(std::error_code& ec) const noexcept {
    return settle(ec) ? base::fill(ec) : std::span<const std::byte>{};
  }
  /// As fill(): every byte to the end is in memory or the map, so it holds at least `n` bytes
  /// unless the stream ends first.
  std::span<const std::byte> fill(std::size_t) const { return fill(); }
  /// As fill(n), reporting errors through `ec`.
  std::span<const std::byte> fill(std::size_t, std::error_code& ec) const noexcept { return fill(ec); }
  /// The bytes from the position to the end, as fill() without its checks: empty when closed, or
  /// when the write buffer cannot be written out (fill() reports that).
  std::span<const std::byte> buffered() const noexcept {
    std::error_code ec;
    return settle(ec) ? base::buffered() : std::span<const std::byte>{};
  }
  /// The whole contents, whatever the position, without copying (Python's getbuffer()).
  std::span<const std::byte> view() const [[clang::lifetimebound]] {
    settle_or_fail("view");
    return base::view();
  }
  /// As view(), reporting errors through `ec`.
  std::span<const std::byte> view(std::error_code& ec) const noexcept {
    return settle(ec) ? base::view(ec) : std::span<const std::byte>{};
  }
  /// A copy of the whole contents as a std::string (Python's getvalue()).
  std::string str() const { return std::string(as_string_view(view())); }
  /// Moves the position past `n` bytes returned by fill().
  void consume(std::size_t n) noexcept { pos_ += std::min<std::uint64_t>(n, pos_ < size_ ? size_ - pos_ : 0); }

  /// Cuts the contents to `size` bytes if longer (never extends) and returns `size`; the position
  /// does not move; a file then holds exactly the contents. A negative size is errc::invalid_argument.
  std::uint64_t truncate(std::int64_t size);
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept;
  /// Cuts the contents at the position, as Python's truncate() without a size.
  std::uint64_t truncate() { return truncate(static_cast<std::int64_t>(pos_)); }
  /// As truncate(), reporting errors through `ec`.
  std::uint64_t truncate(std::error_code& ec) noexcept { return truncate(static_cast<std::int64_t>(pos_), ec); }

  /// Moves the contents out as a `Container` (std::vector<std::byte> by default; io::byte_array,
  /// std::string, std::vector<char> or std::vector<unsigned char> when named) and leaves the
  /// stream empty at position 0 and open, as memory_stream's take(). Unlike memory_stream's it
  /// copies, once: the heap block or the map is no container's to hand over. Every byte written
  /// is in the copy, those still in a spooled stream's write buffer too (written out first). A
  /// heap block is freed; a file is cut to 0 bytes and stays the stream's (a spooled stream stays
  /// rolled over). On failure (errc::closed, errc::not_writable for a read-only mapped stream, the
  /// write-out or the cut failing) the stream keeps its contents and position.
  template <byte_container Container = std::vector<std::byte>>
    requires std::default_initializable<Container>
  Container take() {
    check_open("take");
    std::error_code ec;
    if (!ready_to_take(ec)) fail(ec, "take");
    Container out = copy_of<Container>(stored());
    empty_out(ec);
    if (ec) fail(ec, "take");
    return out;
  }
  /// As take(), reporting errors through `ec` (running out of memory too) and returning an empty
  /// container then.
  template <byte_container Container = std::vector<std::byte>>
    requires std::default_initializable<Container>
  Container take(std::error_code& ec) noexcept {
    Container out;
    if (!ready_to_take(ec)) return out;
    try {
      out = copy_of<Container>(stored());
    } catch (...) {
      ec = std::make_error_code(std::errc::not_enough_memory);
      return Container{};
    }
    empty_out(ec);
    if (ec) return Container{};
    return out;
  }

  /// Writes the changed pages of the file to its storage (msync, then fsync); on the heap, nothing to do.
  void sync();
  /// As sync(), reporting errors through `ec`.
  void sync(std::error_code& ec) noexcept;

  /// Releases the contents; a file is cut to the contents, unmapped and closed. Every later
  /// operation but close() and closed() reports errc::closed; closing again does nothing.
  void close();
  /// As close(), reporting errors through `ec`.
  void close(std::error_code& ec) noexcept;

  /// The path of the file, as used in error messages (empty while the contents are on the heap).
  const std::string& path() const noexcept { return path_; }

protected:
  store_stream() noexcept = default;

  std::span<const std::byte> stored() const noexcept { return {data_, size_}; }
  bool in_file() const noexcept { return file_.is_open(); }

  // Takes over `f`, open for reading (and for writing when `writable`), mapping its contents.
  void adopt(file f, bool writable, std::error_code& ec) noexcept;
  // Moves the contents to the open file `f` (empty, readable and writable), written with pwrite,
  // and starts the write buffer.
  void move_to(file f, std::error_code& ec) noexcept;
  // Makes the file hold exactly the contents, and the map cover them.
  void cut_file(std::error_code& ec) noexcept;
  // Gives up the map and the file (which then holds what it held); the stream is closed.
  void release() noexcept;
  [[noreturn]] void fail(const std::error_code& ec, const char* operation) const;

  // Makes the contents readable at data_: writes out the write buffer and maps the file far
  // enough. Returns false with `ec` set (and the path named) when that fails; closed is not an
  // error here (the caller reports it). Const because reading does it; it changes no contents.
  bool settle(std::error_code& ec) const noexcept;
  void settle_or_fail(const char* operation) const;
  // Points put_ and put_end_ at where the fast path of write() may append.
  void open_window() noexcept;

  std::byte* data_ = nullptr;   // heap_ or region_.base
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;    // bytes writable at data_: the heap block, or the file's size
  std::size_t threshold_ = std::numeric_limits<std::size_t>::max(); // the most the heap holds
  bool writable_ = true;
  file file_;                   // open once the contents live in a file
  shared_region region_;
  std::filesystem::path directory_; // where a spooled stream creates its file
  std::string path_;

  // The fast path of write(): appends go to [put_, put_end_). On the heap and in mapped_stream's
  // map that is data_ + size_ up to the capacity; in a spooled stream's file it is the write
  // buffer, whose bytes belong at file offset buffer_at_ on.
  std::byte* put_ = nullptr;
  std::byte* put_end_ = nullptr;
  std::byte* buffer_ = nullptr;  // a spooled stream's write buffer, once its contents are in the file
  std::size_t buffer_at_ = 0;

private:
  static constexpr std::size_t buffer_size = 64 * 1024;
  template <class Container>
  static Container copy_of(std::span<const std::byte> bytes) {
    Container out;
    if constexpr (requires { out.resize_for_overwrite(bytes.size()); }) out.resize_for_overwrite(bytes.size());
    else out.resize(bytes.size());
    if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
    return out;
  }
  // Whether take() can go ahead: the stream open and writable, every byte readable at data_.
  bool ready_to_take(std::error_code& ec) const noexcept;
  // What take() leaves: no contents, position 0; the heap block freed, the file cut to 0 bytes.
  void empty_out(std::error_code& ec) noexcept;
  bool spooling() const noexcept { return buffer_ != nullptr; }
  // Writes out the write buffer; on failure its bytes stay there, to be written by a later call.
  bool write_buffer(std::error_code& ec) noexcept;
  // Writes `bytes` to the file at `at` (pwrite), the write buffer written out first.
  bool write_file(std::size_t at, std::span<const std::byte> bytes, std::error_code& ec) noexcept;
  void write_slow(std::span<const std::byte> bytes, std::error_code& ec) noexcept;
  bool reserve(std::size_t end, std::error_code& ec) noexcept;
  // Makes room for `end` bytes in the file, growing it geometrically.
  bool grow_file(std::size_t end, std::error_code& ec) noexcept;
};

} // namespace io::detail

export namespace io {

/// Python's io.BytesIO over a file: a readable, writable, seekable stream whose contents are a
/// file's bytes, mapped shared so that view() and fill() are zero-copy spans over them. Writes
/// overwrite or extend at the position; seeking past the end is allowed and a later write fills
/// the gap with zeros; truncate never extends. The file grows as it is written, geometrically
/// (ftruncate and mremap): until truncate() or close() it holds the contents followed by zeros, then
/// exactly the contents. take() copies the contents out and cuts the file to 0 bytes. Spans from
/// view() and fill() are invalidated by write, truncate, take and close.
/// When another process truncates the file, touching a lost page kills this process with SIGBUS
/// (see io::mapped_file).
class mapped_stream : public detail::store_stream {
public:
  /// A closed stream, with no file.
  mapped_stream() noexcept { closed_ = true; }
  /// Opens `path` with mode "r" (read-only: writes report errc::not_writable), "r+" (an existing
  /// file, its contents kept), "w+" (created or emptied) or "x+" (created, failing when it exists),
  /// each optionally with `b`; the position is 0. Other modes are errc::invalid_argument: a map
  /// reads what it writes, so a writable mode has `+`, and appending has no meaning in BytesIO.
  explicit mapped_stream(const std::filesystem::path& path, std::string_view mode = "r+");
  /// As mapped_stream(path, mode), reporting errors through `ec` (the stream is closed then).
  mapped_stream(const std::filesystem::path& path, std::string_view mode, std::error_code& ec) noexcept;
};

} // namespace io
