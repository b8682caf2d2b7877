// io.text:utf8 — checking UTF-8 as CPython's decoder does: an SSE2 pass over ASCII, a scalar check
// of each multi-byte sequence, and the length of each maximal ill-formed subsequence.
module;
#include <bit>
#include <cstddef>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
export module io.text:utf8;

// Exported only because io::text_reader is a template instantiated by users: not part of the API.
export namespace io::detail::utf8 {

/// What check() found at the start of some bytes.
enum class status : unsigned char {
  valid,      ///< a whole, valid sequence of `length` bytes
  invalid,    ///< a maximal ill-formed subsequence of `length` bytes (one U+FFFD under errors=replace)
  incomplete, ///< the `length` bytes present are the valid start of a longer sequence
};

/// A verdict of check().
struct sequence {
  status state;
  unsigned char length;
};

/// The sequence at the start of `p` (n >= 1 bytes), judged as CPython's UTF-8 decoder judges it:
/// overlong forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above
/// U+10FFFF (F4 90.., F5..FF) are invalid; the ill-formed subsequence ends before the first byte
/// that cannot continue a valid sequence (Unicode's "maximal subpart" practice): E0 80 is two
/// errors, ED A0 80 three, F0 9F 98 at the end of the data one.
inline sequence check(const unsigned char* p, std::size_t n) noexcept {
  const unsigned lead = p[0];
  if (lead < 0x80) return {status::valid, 1};
  unsigned need = 0;
  unsigned low = 0x80;
  unsigned high = 0xBF;
  if (lead < 0xC2) return {status::invalid, 1};
  if (lead < 0xE0) {
    need = 2;
  } else if (lead < 0xF0) {
    need = 3;
    if (lead == 0xE0) low = 0xA0;       // below is an overlong form
    else if (lead == 0xED) high = 0x9F; // above are surrogates
  } else if (lead < 0xF5) {
    need = 4;
    if (lead == 0xF0) low = 0x90;       // below is an overlong form
    else if (lead == 0xF4) high = 0x8F; // above is past U+10FFFF
  } else {
    return {status::invalid, 1};
  }
  for (unsigned i = 1; i < need; ++i) {
    if (i >= n) return {status::incomplete, static_cast<unsigned char>(i)};
    const unsigned c = p[i];
    if (c < low || c > high) return {status::invalid, static_cast<unsigned char>(i)};
    low = 0x80;
    high = 0xBF;
  }
  return {status::valid, static_cast<unsigned char>(need)};
}

/// The length of the longest prefix of [p, p + n) made of whole valid sequences (and, when
/// `StopAtCr`, holding no '\r'): ASCII is checked 32 or 16 bytes at a time.
template <bool StopAtCr>
inline std::size_t valid_prefix(const unsigned char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    // Blocks of ASCII: a set high bit (or a '\r') shows in the byte masks.
    const __m128i cr = _mm_set1_epi8('\r');
    while (i + 32 <= n) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
      auto low = static_cast<std::uint32_t>(_mm_movemask_epi8(a));
      auto high = static_cast<std::uint32_t>(_mm_movemask_epi8(b));
      if constexpr (StopAtCr) {
        low |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, cr)));
        high |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, cr)));
      }
      const std::uint32_t mask = low | (high << 16);
      if (mask != 0) {
        i += static_cast<std::size_t>(std::countr_zero(mask));
        break;
      }
      i += 32;
    }
    if (i + 32 > n && i + 16 <= n) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(a));
      if constexpr (StopAtCr) mask |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, cr)));
      i += mask != 0 ? static_cast<std::size_t>(std::countr_zero(mask)) : 16;
    }
    if (i >= n) break;
#endif
    // A byte the blocks stopped at, or the tail: one sequence, then back to the blocks.
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (StopAtCr && c == '\r') return i;
      ++i;
      continue;
    }
    const sequence s = check(p + i, n - i);
    if (s.state != status::valid) return i;
    i += s.length;
  }
  return n;
}

/// valid_prefix<StopAtCr>(p, n) with the flag chosen at run time.
inline std::size_t valid_prefix(const unsigned char* p, std::size_t n, bool stop_at_cr) noexcept {
  return stop_at_cr ? valid_prefix<true>(p, n) : valid_prefix<false>(p, n);
}

} // namespace io::detail::utf8
