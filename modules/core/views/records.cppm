// io.core:views.records — io::views::records and io::records_view: storage as an array of
// fixed-size values (Python's struct.iter_unpack, numpy.frombuffer), in a chosen byte order.
module;
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <range/v3/range_fwd.hpp>
export module io.core:views.records;
import :error;
import :detail;
import :bytes;
import :binary;
import :views.source;

namespace io::detail {

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};

// A record whose bytes io can put in the other order: a binary value, a std::array of them, or a
// type with a `byteswap(T) -> T` found by argument-dependent lookup (a struct of fields swaps each).
template <class T>
constexpr bool swappable_record() {
  if constexpr (binary_value<T>) return true;
  else if constexpr (is_std_array<T>::value) return binary_value<typename T::value_type>;
  else return requires(T v) { { byteswap(v) } -> std::same_as<T>; };
}

// A record whose bytes read the same in either order (a byte, an array of bytes): stored in the
// other order, it still needs no swap.
template <class T>
constexpr bool order_free_record() {
  if constexpr (binary_value<T>) return sizeof(T) == 1;
  else if constexpr (is_std_array<T>::value) return binary_value<typename T::value_type> && sizeof(typename T::value_type) == 1;
  else return false;
}

template <class T>
constexpr T swap_record(T value) noexcept {
  if constexpr (binary_value<T>) {
    return swap_bytes(value);
  } else if constexpr (is_std_array<T>::value) {
    for (auto& v : value) v = swap_bytes(v);
    return value;
  } else {
    return byteswap(value);
  }
}

// The records of storage: each decoded with one memcpy (any alignment) and swapped when stored in
// the other order. Random access.
template <class T>
class record_iterator {
public:
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::random_access_iterator_tag;
  // The elements are values, not references: for the C++17 categories that is an input iterator.
  using iterator_category = std::input_iterator_tag;

  record_iterator() = default;
  record_iterator(const std::byte* base, std::size_t index, bool swap) noexcept
      : base_(base), index_(index), swap_(swap) {}

  /// The current record, decoded.
  inline T operator*() const noexcept {
    T value;
    std::memcpy(static_cast<void*>(std::addressof(value)), base_ + index_ * sizeof(T), sizeof(T));
    if constexpr (swappable_record<T>()) {
      if (swap_) value = swap_record(value);
    }
    return value;
  }
  /// The record `n` steps away.
  inline T operator[](difference_type n) const noexcept { return *(*this + n); }
  inline record_iterator& operator++() noexcept { ++index_; return *this; }
  inline record_iterator operator++(int) noexcept { record_iterator before = *this; ++index_; return before; }
  inline record_iterator& operator--() noexcept { --index_; return *this; }
  inline record_iterator operator--(int) noexcept { record_iterator before = *this; --index_; return before; }
  inline record_iterator& operator+=(difference_type n) noexcept {
    index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n);
    return *this;
  }
  inline record_iterator& operator-=(difference_type n) noexcept { return *this += -n; }
  friend inline record_iterator operator+(record_iterator i, difference_type n) noexcept { return i += n; }
  friend inline record_iterator operator+(difference_type n, record_iterator i) noexcept { return i += n; }
  friend inline record_iterator operator-(record_iterator i, difference_type n) noexcept { return i -= n; }
  friend inline difference_type operator-(const record_iterator& a, const record_iterator& b) noexcept {
    return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
  }
  friend inline bool operator==(const record_iterator& a, const record_iterator& b) noexcept { return a.index_ == b.index_; }
  friend inline auto operator<=>(const record_iterator& a, const record_iterator& b) noexcept { return a.index_ <=> b.index_; }

private:
  const std::byte* base_ = nullptr;
  std::size_t index_ = 0;
  bool swap_ = false;
};

// Refuses storage that does not hold whole records, and an order the record cannot be put in.
template <class T>
bool check_records(std::size_t bytes, std::endian order, std::string_view path, std::error_code* ec) {
  if (order != std::endian::native && !swappable_record<T>()) {
    if (ec == nullptr)
      throw io_error(errc::invalid_argument, "read records of {} in the other byte order: give the record a byteswap()", path);
    *ec = errc::invalid_argument;
    return false;
  }
  if (bytes % sizeof(T) == 0) return true;
  if (ec == nullptr)
    throw io_error(errc::unexpected_eof,
                   "read records of " + std::to_string(sizeof(T)) + " bytes from {}: " + std::to_string(bytes) +
                       " bytes end with " + std::to_string(bytes % sizeof(T)) + " bytes of a partial record",
                   path);
  *ec = errc::unexpected_eof;
  return false;
}

// The path of storage that has one (io::mapped_file), copied into a view that may outlive the
// object it came from (an rvalue map moved into the view moves its path string too); an empty
// member for storage without a path (spans, strings), which then costs nothing.
template <class S>
constexpr bool storage_has_path = requires(const std::remove_cvref_t<S>& s) {
  { s.path() } -> std::convertible_to<std::string_view>;
} || requires(const std::remove_cvref_t<S>& s) {
  { s.path().native() } -> std::convertible_to<std::string_view>;
};
struct no_path {
  std::string_view view() const noexcept { return {}; }
};
struct held_path {
  std::string path;
  std::string_view view() const noexcept { return path; }
};

// "view 'r.bin' as a span of 4-byte records: <why>", or "view the storage as ..." without a path.
inline std::string span_operation(std::string_view path, std::size_t record_size, std::string_view why) {
  std::string s = path.empty() ? "view the storage" : "view {}";
  s += " as a span of ";
  s += std::to_string(record_size);
  s += "-byte records: ";
  s += why;
  return s;
}

} // namespace io::detail

export namespace io {

/// Storage `S` (a std::span, std::string, std::vector, io::mapped_file, ... held as views hold
/// storage) as a random-access, sized range of T: record i is decoded from bytes
/// [i * sizeof(T), (i + 1) * sizeof(T)) with one memcpy, whatever their alignment, then swapped
/// when stored in the other byte order. Elements are T values, not references into the storage:
/// one type for aligned and unaligned storage, no undefined behaviour, and the copy of a record
/// costs what the load of a reference would. as_span() gives the records as a std::span<const T>
/// over the storage itself when they need no decoding (native order, aligned storage) and reports
/// why not otherwise. Borrowed unless it owns an rvalue container.
template <class T, class S>
  requires std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T> && storage_source<S>
class records_view : public std::ranges::view_interface<records_view<T, S>>, public ranges::view_base {
public:
  records_view() = default;
  /// The records of `storage` in byte order `order`; errors go to *ec when set (the range is then empty).
  records_view(S&& storage, std::endian order, std::error_code* ec)
      : path_(held_path_of(storage)), storage_(std::forward<S>(storage)) {
    const std::string_view bytes = storage_.text();
    if (!detail::check_records<T>(bytes.size(), order, path_.view(), ec)) {
      storage_ = detail::held_storage<S>();
      empty_ = true;
    }
    swap_ = order != std::endian::native && !detail::order_free_record<T>();
  }

  /// The first record.
  inline detail::record_iterator<T> begin() const noexcept { return {base(), 0, swap_}; }
  /// Past the last record.
  inline detail::record_iterator<T> end() const noexcept { return {base(), count(), swap_}; }
  /// The number of records.
  inline std::size_t size() const noexcept { return count(); }

  /// The records as a std::span<const T> over the storage itself, without a copy, as
  /// numpy.frombuffer or Rust's bytemuck::try_cast_slice: when they are stored in the machine's
  /// byte order (or T is byte-sized) and the storage starts at an address aligned for T (a mapped
  /// file, a std::vector or std::string's heap block; not a subspan at an odd offset). Otherwise
  /// errc::invalid_argument (the other byte order) or errc::misaligned, naming the storage's path,
  /// and the range itself still decodes every record. Empty (never an error) when there are no
  /// records. The span is valid while the storage is (the view, unmoved, when it owns it).
  std::span<const T> as_span() const {
    detail::throw_errors sink;
    return as_span_impl(sink);
  }
  /// As as_span(), reporting errors through `ec` (and returning an empty span).
  std::span<const T> as_span(std::error_code& ec) const noexcept {
    ec.clear();
    return as_span_impl(ec);
  }

  static constexpr bool borrowed = detail::held_storage<S>::borrowed;

private:
  template <class U>
  static std::string_view path_of_storage(const U& storage) noexcept {
    if constexpr (requires { { storage.path() } -> std::convertible_to<std::string_view>; }) return storage.path();
    else if constexpr (requires { { storage.path().native() } -> std::convertible_to<std::string_view>; })
      return storage.path().native();
    else return {};
  }
  // Taken before the storage moves into the view: a moved-from map has no path.
  template <class U>
  static auto held_path_of(const U& storage) {
    if constexpr (detail::storage_has_path<S>) return detail::held_path{std::string(path_of_storage(storage))};
    else return detail::no_path{};
  }
  inline const std::byte* base() const noexcept { return reinterpret_cast<const std::byte*>(storage_.text().data()); }
  inline std::size_t count() const noexcept { return empty_ ? 0 : storage_.text().size() / sizeof(T); }

  template <class Sink>
  std::span<const T> as_span_impl(Sink& sink) const {
    const std::size_t n = count();
    if (n == 0) return {};
    if (swap_) {
      if constexpr (std::is_same_v<Sink, detail::throw_errors>)
        detail::report(sink, errc::invalid_argument,
                       detail::span_operation(path_.view(), sizeof(T), "they are stored in the other byte order"),
                       path_.view());
      else detail::report(sink, errc::invalid_argument, {});
      return {};
    }
    const auto address = reinterpret_cast<std::uintptr_t>(base());
    if (address % alignof(T) != 0) {
      if constexpr (std::is_same_v<Sink, detail::throw_errors>) {
        const std::size_t past = address % alignof(T);
        detail::report(sink, errc::misaligned,
                       detail::span_operation(path_.view(), sizeof(T),
                                              "their storage starts " + std::to_string(past) +
                                                  (past == 1 ? " byte" : " bytes") + " past a multiple of " +
                                                  std::to_string(alignof(T))),
                       path_.view());
      } else {
        detail::report(sink, errc::misaligned, {});
      }
      return {};
    }
    // T is trivially copyable and the bytes are suitably aligned: the storage's bytes are the
    // object representations of n T objects, which C++20 creates implicitly where memory is
    // obtained for them (P0593; C++23 spells it std::start_lifetime_as_array).
    return {reinterpret_cast<const T*>(base()), n};
  }

  [[no_unique_address]] std::conditional_t<detail::storage_has_path<S>, detail::held_path, detail::no_path> path_;
  detail::held_storage<S> storage_;
  bool swap_ = false;
  bool empty_ = false;
};

} // namespace io

export namespace io::views {

/// The adaptor behind io::views::records<T>.
template <class T>
struct records_fn {
  /// `storage` as records of T stored in `order` (the machine's own by default).
  template <class S>
    requires storage_source<S>
  inline auto operator()(S&& storage, std::endian order = std::endian::native) const {
    return records_view<T, S>(std::forward<S>(storage), order, nullptr);
  }
  /// As records<T>(storage, order), reporting a partial record through `ec`: the range is then empty.
  template <class S>
    requires storage_source<S>
  inline auto operator()(S&& storage, std::endian order, std::error_code& ec) const {
    ec.clear();
    return records_view<T, S>(std::forward<S>(storage), order, &ec);
  }
  /// As records<T>(storage), reporting errors through `ec`.
  template <class S>
    requires storage_source<S>
  inline auto operator()(S&& storage, std::error_code& ec) const {
    return (*this)(std::forward<S>(storage), std::endian::native, ec);
  }
};

/// Storage (a std::span, std::string, io::mapped_file, ...) as a random-access, sized range of T
/// values stored in byte order `order` (native by default): Python's struct.iter_unpack. Bytes that
/// end with a partial record are errc::unexpected_eof (thrown, or in `ec` with an empty range),
/// never a silently dropped tail. T is any trivially copyable type; in the other byte order, a
/// binary value, a std::array of them, or a type with a byteswap(T) found by ADL. For the records
/// without a copy, `records<T>(storage).as_span()`: a std::span<const T> over the storage, or an
/// error when the order is not native or the storage is misaligned for T.
template <class T>
inline constexpr records_fn<T> records{};

} // namespace io::views

template <class T, class S>
inline constexpr bool std::ranges::enable_borrowed_range<io::records_view<T, S>> = io::records_view<T, S>::borrowed;
template <class T, class S>
inline constexpr bool ranges::enable_borrowed_range<io::records_view<T, S>> = io::records_view<T, S>::borrowed;
