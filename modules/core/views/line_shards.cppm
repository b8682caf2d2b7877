// io.core:views.line_shards — io::views::line_shards: storage cut at line boundaries into n
// contiguous pieces, one per thread.
module;
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>
export module io.core:views.line_shards;
import :views.source;

namespace io::detail {

// The element a shard of storage `T` is made of: char storage gives std::string_views, byte
// storage (std::byte, unsigned char) spans of its own element type.
template <class T>
using shard_element = std::remove_cv_t<std::ranges::range_value_t<std::remove_cvref_t<T>>>;
template <class T>
using shard_type = std::conditional_t<std::is_same_v<shard_element<T>, char>, std::string_view,
                                      std::span<const shard_element<T>>>;

// The offsets where the n shards of `text` start, followed by text.size(): each is 0, the end, or
// just after a '\n', and none is before the one before it.
inline std::vector<std::size_t> shard_cuts(std::string_view text, std::size_t n) {
  const std::size_t size = text.size();
  std::vector<std::size_t> cuts(n + 1, size);
  cuts[0] = 0;
  for (std::size_t i = 1; i < n; ++i) {
    // The even cut (i * size / n, computed without overflowing), moved forward to a line boundary;
    // a line longer than a shard pushes the next cuts forward, leaving shards empty.
    const std::size_t even = i * (size / n) + i * (size % n) / n;
    std::size_t cut = std::max(even, cuts[i - 1]);
    if (cut != 0 && cut != size && text[cut - 1] != '\n') {
      const void* newline = std::memchr(text.data() + cut, '\n', size - cut);
      cut = newline == nullptr ? size : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data()) + 1;
    }
    cuts[i] = cut;
  }
  return cuts;
}

} // namespace io::detail

export namespace io::views {

/// The adaptor behind io::views::line_shards.
struct line_shards_fn {
  /// `storage` cut into `n` contiguous shards, in order, each ending just after a '\n' (the last
  /// at the end of the storage), as even in size as the lines allow: a shard may be empty when a
  /// line is longer than a shard's share. The lines of the shards, one shard after the other, are
  /// exactly the lines of the whole, so that n threads can each take one. n = 0 (what
  /// std::thread::hardware_concurrency() returns when it cannot tell) is taken as 1. The shards
  /// point into the storage, which must outlive them: an lvalue or a borrowed range.
  template <class T>
  auto operator()(T&& storage, std::size_t n) const {
    static_assert(storage_source<T>,
                  "io::views::line_shards: pass contiguous bytes in memory (io::mapped_file, std::string_view, "
                  "std::span<const std::byte>, memory_stream::view()); a stream has no whole to cut");
    static_assert(std::is_lvalue_reference_v<T> || std::ranges::borrowed_range<T>,
                  "io::views::line_shards: the shards point into the storage; an rvalue container would die "
                  "before them: pass it as an lvalue");
    using shard = detail::shard_type<T>;
    using element = typename shard::value_type;
    const std::string_view text = detail::storage_text(storage);
    const std::vector<std::size_t> cuts = detail::shard_cuts(text, n == 0 ? 1 : n);
    const auto* base = reinterpret_cast<const element*>(text.data());
    std::vector<shard> shards;
    shards.reserve(cuts.size() - 1);
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) shards.emplace_back(base + cuts[i], cuts[i + 1] - cuts[i]);
    return shards;
  }
};

/// Storage (a mapped file, a string, a span, `memory_stream::view()`) cut into n contiguous
/// shards at line boundaries: a std::vector of std::string_view (of std::span<const std::byte>
/// for byte storage) whose lines, shard after shard, are exactly the storage's lines.
inline constexpr line_shards_fn line_shards{};

} // namespace io::views
