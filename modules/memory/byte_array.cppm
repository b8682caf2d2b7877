// io.memory:byte_array — the growable byte container memory_stream holds and take() hands back.
module;
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <utility>
export module io.memory:byte_array;
import io.core;

export namespace io {

/// A contiguous, growable array of bytes, like std::vector<std::byte> but grown with realloc:
/// for large arrays the C library moves pages instead of copying them, so appending stays cheap
/// at any size; an allocation of 4 MiB or more asks for huge pages, so that first writes to it take
/// one page fault per 2 MiB rather than per 4 KiB. resize_for_overwrite() grows without
/// zero-filling bytes the caller will write.
class byte_array {
public:
  /// The element: one byte.
  using value_type = std::byte;
  /// Sizes and indexes.
  using size_type = std::size_t;
  /// A pointer into the bytes.
  using iterator = std::byte*;
  /// A pointer into the bytes, read-only.
  using const_iterator = const std::byte*;

  /// An empty array; allocates nothing.
  byte_array() noexcept = default;
  /// A copy of `bytes`.
  explicit byte_array(std::span<const std::byte> bytes) { assign(bytes); }
  /// A copy of the bytes of `text`.
  explicit byte_array(std::string_view text)
      : byte_array(std::span(reinterpret_cast<const std::byte*>(text.data()), text.size())) {}

  /// A copy of `other`'s bytes.
  byte_array(const byte_array& other) : byte_array(other.bytes()) {}
  /// Takes `other`'s allocation and leaves it empty.
  byte_array(byte_array&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  /// Replaces the bytes with a copy of `other`'s.
  byte_array& operator=(const byte_array& other) {
    if (this != &other) assign(other.bytes());
    return *this;
  }
  /// Takes `other`'s allocation and leaves it empty.
  byte_array& operator=(byte_array&& other) noexcept {
    byte_array(std::move(other)).swap(*this);
    return *this;
  }
  /// Frees the allocation.
  ~byte_array() { std::free(data_); }

  /// The first byte; null while nothing was ever allocated.
  inline std::byte* data() noexcept { return data_; }
  /// The first byte; null while nothing was ever allocated.
  inline const std::byte* data() const noexcept { return data_; }
  /// The number of bytes held.
  inline std::size_t size() const noexcept { return size_; }
  /// The number of bytes the allocation can hold without growing.
  inline std::size_t capacity() const noexcept { return capacity_; }
  /// Whether no bytes are held.
  inline bool empty() const noexcept { return size_ == 0; }

  /// The first byte.
  inline std::byte* begin() noexcept { return data_; }
  /// Past the last byte.
  inline std::byte* end() noexcept { return data_ + size_; }
  /// The first byte.
  inline const std::byte* begin() const noexcept { return data_; }
  /// Past the last byte.
  inline const std::byte* end() const noexcept { return data_ + size_; }
  /// The byte at `i`, which must be less than size().
  inline std::byte& operator[](std::size_t i) noexcept { return data_[i]; }
  /// The byte at `i`, which must be less than size().
  inline const std::byte& operator[](std::size_t i) const noexcept { return data_[i]; }

  /// The bytes held, as a span.
  inline std::span<const std::byte> bytes() const noexcept [[clang::lifetimebound]] { return {data_, size_}; }
  /// The bytes held, as characters.
  inline std::string_view str() const noexcept {
    return {reinterpret_cast<const char*>(data_), size_};
  }

  /// Makes room for `n` bytes without changing the contents; throws std::bad_alloc.
  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  /// Sets the size to `n`; bytes added are zero.
  void resize(std::size_t n) {
    const std::size_t old = size_;
    resize_for_overwrite(n);
    if (n > old) std::memset(data_ + old, 0, n - old);
  }
  /// Sets the size to `n`; bytes added have unspecified values, for the caller to overwrite.
  /// Growing past the capacity at least doubles it, so that appends take amortized constant time.
  void resize_for_overwrite(std::size_t n) {
    if (n > capacity_) reallocate(std::max(n, capacity_ * 2));
    size_ = n;
  }
  /// Appends `bytes`.
  void append(std::span<const std::byte> bytes) {
    const std::size_t old = size_;
    resize_for_overwrite(old + bytes.size());
    if (!bytes.empty()) std::memcpy(data_ + old, bytes.data(), bytes.size());
  }
  /// Removes every byte and keeps the allocation.
  void clear() noexcept { size_ = 0; }
  /// Exchanges the contents of two arrays without copying.
  void swap(byte_array& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  /// Whether both hold the same bytes.
  friend bool operator==(const byte_array& a, const byte_array& b) noexcept {
    return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
  }

private:
  void assign(std::span<const std::byte> bytes) {
    size_ = 0;
    append(bytes);
  }
  void reallocate(std::size_t n) {
    // Large arrays get huge pages (detail::grow_heap_block): see the class comment.
    void* grown = detail::grow_heap_block(data_, n);
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<std::byte*>(grown);
    capacity_ = n;
  }

  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

} // namespace io
