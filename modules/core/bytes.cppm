// io.core:bytes — viewing text as bytes and bytes as text, without copying.
module;
#include <cstddef>
#include <span>
#include <string_view>
export module io.core:bytes;

export namespace io {

/// The bytes of `text`, without copying.
inline std::span<const std::byte> as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// `bytes` seen as characters, without copying.
inline std::string_view as_string_view(std::span<const std::byte> bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// The bytes of a writable character buffer, without copying.
inline std::span<std::byte> as_writable_bytes(std::span<char> chars) noexcept {
  return std::as_writable_bytes(chars);
}

} // namespace io
