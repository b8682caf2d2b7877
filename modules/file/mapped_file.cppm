// io.file:mapped_file — a read-only memory map of a file, as a contiguous range of bytes.
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

export namespace io {

/// How a mapped file will be read, passed to the kernel as advice (madvise).
enum class access_pattern { normal, sequential, random, will_need };

/// A read-only memory map of a whole file: a contiguous range of `const std::byte`, also seen as a
/// std::string_view. An empty file maps to an empty range; what is not a regular file (a FIFO, a
/// device) or has no known size (procfs, sysfs files) is refused with errc::not_mappable.
/// Move-only; unmapped by the destructor.
/// The bytes are valid while the mapped_file lives (and while nobody truncates the file). For a
/// readable, seekable stream over them, use io::span_stream(mapped.bytes()) from io.memory.
class mapped_file {
public:
  /// Maps nothing.
  mapped_file() noexcept = default;
  /// Maps all of `path`.
  explicit mapped_file(const std::filesystem::path& path);
  /// As mapped_file(path), reporting errors through `ec` (nothing is mapped then).
  mapped_file(const std::filesystem::path& path, std::error_code& ec) noexcept;

  mapped_file(mapped_file&& other) noexcept;
  mapped_file& operator=(mapped_file&& other) noexcept;
  ~mapped_file();

  /// The mapped bytes.
  inline std::span<const std::byte> bytes() const noexcept [[clang::lifetimebound]] { return {data_, size_}; }
  /// The mapped bytes as characters.
  inline std::string_view text() const noexcept [[clang::lifetimebound]] { return {reinterpret_cast<const char*>(data_), size_}; }
  /// The first mapped byte (null when nothing is mapped).
  const std::byte* data() const noexcept { return data_; }
  /// The number of mapped bytes: the size of the file when it was mapped.
  inline std::size_t size() const noexcept { return size_; }
  /// Whether no bytes are mapped.
  inline bool empty() const noexcept { return size_ == 0; }
  /// The first byte, for range-for and the range algorithms.
  const std::byte* begin() const noexcept { return data_; }
  /// One past the last byte.
  const std::byte* end() const noexcept { return data_ + size_; }

  /// Tells the kernel how the bytes will be read (madvise).
  void advise(access_pattern pattern);
  /// As advise(pattern), reporting errors through `ec`.
  void advise(access_pattern pattern, std::error_code& ec) noexcept;

  /// Unmaps the bytes; later the range is empty. Unmapping nothing does nothing.
  void close() noexcept;

  /// The path given when mapping, as used in error messages.
  const std::string& path() const noexcept { return path_; }

private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

} // namespace io
