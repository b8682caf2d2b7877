// io.core:bytes — what io reads and writes as bytes, seen as bytes without copying.
module;
#include <concepts>
#include <cstddef>
#include <ranges>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
export module io.core:bytes;

export namespace io {

/// An element io reads and writes as a raw byte: char, signed char, unsigned char (std::uint8_t),
/// char8_t or std::byte, const or not. (bool is left out: not every byte is a valid bool.)
template <class T>
concept byte_element = std::same_as<std::remove_cv_t<T>, char> || std::same_as<std::remove_cv_t<T>, signed char> ||
                       std::same_as<std::remove_cv_t<T>, unsigned char> ||
                       std::same_as<std::remove_cv_t<T>, char8_t> || std::same_as<std::remove_cv_t<T>, std::byte>;

/// A contiguous sized range of byte_elements (std::string, std::vector<char>, char[100],
/// std::array<unsigned char, N>, std::span<const std::byte>).
template <class B>
concept contiguous_bytes = std::ranges::contiguous_range<B> && std::ranges::sized_range<B> &&
                           byte_element<std::ranges::range_value_t<B>>;

/// What a write accepts: contiguous_bytes (a string literal without its '\0') or anything
/// convertible to std::string_view (a const char*).
template <class B>
concept bytes_like = contiguous_bytes<B> || std::convertible_to<B, std::string_view>;

/// What a read fills: a contiguous sized range of non-const byte_elements (std::vector<char>,
/// char[100], std::array<unsigned char, N>, std::span<std::byte>, std::string).
template <class B>
concept writable_bytes_like =
    contiguous_bytes<B> && !std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<B>>>;

/// The bytes of `bytes`, without copying. A const array of char or char8_t (a string literal)
/// ends before its terminating '\0'; any other range is taken whole, a mutable char[100] too.
/// Usable at compile time over std::byte ranges (no reinterpret_cast is needed there).
template <class B>
  requires bytes_like<B>
constexpr std::span<const std::byte> as_bytes(B&& bytes) noexcept {
  using type = std::remove_reference_t<B>;
  if constexpr (contiguous_bytes<B>) {
    const auto* data = std::ranges::data(bytes);
    auto size = static_cast<std::size_t>(std::ranges::size(bytes));
    using element = std::remove_extent_t<type>;
    if constexpr (std::is_array_v<type> && std::is_const_v<element> &&
                  (std::same_as<std::remove_cv_t<element>, char> || std::same_as<std::remove_cv_t<element>, char8_t>)) {
      if (size != 0 && data[size - 1] == element{}) --size;
    }
    if constexpr (std::same_as<std::remove_cv_t<std::ranges::range_value_t<B>>, std::byte>) return {data, size};
    else return {reinterpret_cast<const std::byte*>(data), size};
  } else {
    const std::string_view text(bytes);
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
  }
}

/// `bytes` seen as characters, without copying.
inline std::string_view as_string_view(std::span<const std::byte> bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// The bytes of a buffer a read can fill, without copying.
template <class B>
  requires writable_bytes_like<B>
constexpr std::span<std::byte> as_writable_bytes(B&& buffer) noexcept {
  const auto size = static_cast<std::size_t>(std::ranges::size(buffer));
  if constexpr (std::same_as<std::ranges::range_value_t<B>, std::byte>) return {std::ranges::data(buffer), size};
  else return {reinterpret_cast<std::byte*>(std::ranges::data(buffer)), size};
}

/// Gives a stream whose members read into `std::span<std::byte>` and write `std::span<const
/// std::byte>` the same members over any writable_bytes_like buffer and any bytes_like bytes, as
/// std::ranges::view_interface gives a view its members: derive from it and bring its members in
/// beside your own with `using io::bytes_interface<S>::read;` and `using io::bytes_interface<S>::write;`.
template <class Derived>
class bytes_interface {
public:
  /// Reads into a prefix of `buffer` (a std::vector<char>, a char[100], ...); returns the count.
  template <class B>
    requires(!std::same_as<std::remove_cvref_t<B>, std::span<std::byte>>) && writable_bytes_like<B> &&
            requires(Derived& d, std::span<std::byte> b) { d.read(b); }
  constexpr std::size_t read(B&& buffer) {
    return derived().read(io::as_writable_bytes(buffer));
  }
  /// As read(buffer), reporting errors through `ec`.
  template <class B>
    requires(!std::same_as<std::remove_cvref_t<B>, std::span<std::byte>>) && writable_bytes_like<B> &&
            requires(Derived& d, std::span<std::byte> b, std::error_code& ec) { d.read(b, ec); }
  std::size_t read(B&& buffer, std::error_code& ec) noexcept {
    return derived().read(io::as_writable_bytes(buffer), ec);
  }

  /// Writes all of `bytes` (a string, a string literal without its '\0', a std::vector<char>, ...).
  template <class B>
    requires(!std::same_as<std::remove_cvref_t<B>, std::span<const std::byte>>) && bytes_like<B> &&
            requires(Derived& d, std::span<const std::byte> b) { d.write(b); }
  constexpr void write(B&& bytes) {
    derived().write(io::as_bytes(bytes));
  }
  /// As write(bytes), reporting errors through `ec`.
  template <class B>
    requires(!std::same_as<std::remove_cvref_t<B>, std::span<const std::byte>>) && bytes_like<B> &&
            requires(Derived& d, std::span<const std::byte> b, std::error_code& ec) { d.write(b, ec); }
  void write(B&& bytes, std::error_code& ec) noexcept {
    derived().write(io::as_bytes(bytes), ec);
  }

private:
  constexpr Derived& derived() noexcept { return static_cast<Derived&>(*this); }
};

} // namespace io
