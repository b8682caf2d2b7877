// io.file:mapped_stream — Python's BytesIO semantics over bytes held in memory or in a file mapped
// shared (growing the file by remapping it): the base of mapped_stream and spooled_stream.
module;
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
export module io.file:mapped_stream;
import io.core;
import :handle;
import :mapped_file;

// Exported only because mapped_stream and spooled_stream derive from it: not part of the API.
namespace io::detail {

/// BytesIO's write and truncate over contents that live on the heap (up to a threshold) or in a
/// file mapped shared, grown geometrically by detail::resize_shared; memory_stream_base gives the
/// rest (read, seek, tell, fill, view). While the contents are in the file, the file holds the
/// capacity (the contents and zeros after them); truncate() and close() cut it to the contents.
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
    if (!closed_ && pos_ == size_ && bytes.size() <= capacity_ - size_) [[likely]] {
      if (!bytes.empty()) std::memcpy(data_ + size_, bytes.data(), bytes.size());
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

  /// Does nothing but report a closed stream: the bytes are in memory or in the map already (see sync()).
  inline void flush() { check_open("flush"); }
  /// As flush(), reporting errors through `ec`.
  void flush(std::error_code& ec) noexcept { open_for(ec, "flush"); }

  /// Cuts the contents to `size` bytes if longer (never extends) and returns `size`; the position
  /// does not move; a file then holds exactly the contents. A negative size is errc::invalid_argument.
  std::uint64_t truncate(std::int64_t size);
  /// As truncate(size), reporting errors through `ec`.
  std::uint64_t truncate(std::int64_t size, std::error_code& ec) noexcept;
  /// Cuts the contents at the position, as Python's truncate() without a size.
  std::uint64_t truncate() { return truncate(static_cast<std::int64_t>(pos_)); }
  /// As truncate(), reporting errors through `ec`.
  std::uint64_t truncate(std::error_code& ec) noexcept { return truncate(static_cast<std::int64_t>(pos_), ec); }

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
  // Moves the contents to the open file `f` (empty, readable and writable), with room for `room` bytes.
  void move_to(file f, std::size_t room, std::error_code& ec) noexcept;
  // Makes the file hold exactly the contents, and the map cover them.
  void cut_file(std::error_code& ec) noexcept;
  // Gives up the map and the file (which then holds what it held); the stream is closed.
  void release() noexcept;
  [[noreturn]] void fail(const std::error_code& ec, const char* operation) const;

  std::byte* data_ = nullptr;   // heap_ or region_.base
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;    // bytes writable at data_: the heap block, or the file's size
  std::size_t threshold_ = std::numeric_limits<std::size_t>::max(); // the most the heap holds
  bool writable_ = true;
  file file_;                   // open once the contents live in a file
  shared_region region_;
  std::filesystem::path directory_; // where a spooled stream creates its file
  std::string path_;

private:
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
/// exactly the contents. Spans from view() and fill() are invalidated by write, truncate and close.
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
