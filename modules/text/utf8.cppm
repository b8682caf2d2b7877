// io.text:utf8 — checking UTF-8 as CPython's decoder does: whole buffers checked 32 or 64 bytes at a
// time (AVX2 or AVX-512, chosen at run time), an exact check where they find a flaw, and the length
// of each maximal ill-formed subsequence.
module;
#include <bit>
#include <cstddef>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <tmmintrin.h>
#define IO_TEXT_SSSE3 1
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

#if defined(IO_TEXT_SSSE3)
/// valid_prefix<StopAtCr> with every byte checked 16 at a time (SSSE3, chosen at run time): the
/// lookup algorithm of Keiser and Lemire ("Validating UTF-8 In Less Than One Instruction Per
/// Byte", 2021), as simdjson and simdutf run it. A block it finds an error in (or a '\r' when
/// `StopAtCr`) and the tail are checked by the scalar code above, from the start of the sequence
/// the block cuts, so that the prefix ends exactly where CPython's decoder would stop.
template <bool StopAtCr>
[[gnu::target("ssse3")]] inline std::size_t valid_prefix_ssse3(const unsigned char* p, std::size_t n) noexcept {
  // The error classes, one bit each, of a byte and the one before it.
  constexpr char too_short = 1 << 0;  // a lead or ASCII byte after a lead
  constexpr char too_long = 1 << 1;   // a continuation after ASCII
  constexpr char overlong_3 = 1 << 2; // E0 80..9F
  constexpr char too_large = 1 << 3;  // F4 90.., F5..
  constexpr char surrogate = 1 << 4;  // ED A0..BF
  constexpr char overlong_2 = 1 << 5; // C0, C1
  constexpr char too_large_1000 = 1 << 6;
  constexpr char overlong_4 = 1 << 6; // F0 80..8F
  constexpr char two_conts = static_cast<char>(1 << 7); // a continuation after a continuation (unless a 3rd/4th byte)
  constexpr char carry = too_short | too_long | two_conts;
  const __m128i byte_1_high = _mm_setr_epi8(
      too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long, two_conts, two_conts, two_conts,
      two_conts, too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
      too_short | too_large | too_large_1000 | overlong_4);
  const __m128i byte_1_low = _mm_setr_epi8(
      carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2, carry, carry, carry | too_large,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000 | surrogate, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000);
  const __m128i byte_2_high = _mm_setr_epi8(
      too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
      too_long | overlong_2 | two_conts | overlong_3 | too_large_1000 | overlong_4,
      too_long | overlong_2 | two_conts | overlong_3 | too_large, too_long | overlong_2 | two_conts | surrogate | too_large,
      too_long | overlong_2 | two_conts | surrogate | too_large, too_short, too_short, too_short, too_short);
  const __m128i nibble = _mm_set1_epi8(0x0F);
  // A block ending in the lead of a longer sequence: bytes above these in its last three.
  const __m128i max_complete = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                                             static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_setzero_si128();
  __m128i previous = zero;
  __m128i previous_incomplete = zero;
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i input = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i error;
    if (_mm_movemask_epi8(input) == 0) {
      error = previous_incomplete; // ASCII: valid unless the block before ended inside a sequence
    } else {
      const __m128i prev1 = _mm_alignr_epi8(input, previous, 15);
      const __m128i high_1 = _mm_shuffle_epi8(byte_1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble));
      const __m128i low_1 = _mm_shuffle_epi8(byte_1_low, _mm_and_si128(prev1, nibble));
      const __m128i high_2 = _mm_shuffle_epi8(byte_2_high, _mm_and_si128(_mm_srli_epi16(input, 4), nibble));
      const __m128i special = _mm_and_si128(_mm_and_si128(high_1, low_1), high_2);
      const __m128i prev2 = _mm_alignr_epi8(input, previous, 14);
      const __m128i prev3 = _mm_alignr_epi8(input, previous, 13);
      const __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8(static_cast<char>(0xE0 - 0x80)));
      const __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8(static_cast<char>(0xF0 - 0x80)));
      const __m128i must_continue = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
      error = _mm_xor_si128(must_continue, special);
      previous_incomplete = _mm_subs_epu8(input, max_complete);
    }
    if constexpr (StopAtCr) error = _mm_or_si128(error, _mm_cmpeq_epi8(input, cr));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, zero)) != 0xFFFF) break;
    previous = input;
  }
  // Everything before block i is valid but for a sequence the block cuts: back to its lead.
  std::size_t from = i;
  while (from > 0 && i - from < 3 && (p[from - 1] & 0xC0) == 0x80) --from;
  if (from > 0 && p[from - 1] >= 0xC0) --from;
  else from = i;
  return from + valid_prefix<StopAtCr>(p + from, n - from);
}

/// The error bits (Keiser-Lemire, as in valid_prefix_ssse3) of the 32 bytes `input`, after the 32
/// bytes `previous`: zero when every sequence that ends or passes through `input` is valid so far.
// A template, as the helpers below: the intrinsics are TU-local, and an inline function that is
// not a template exposes them where it is defined (clang 22's -Wtu-local-entity-exposure).
template <class = void>
[[gnu::target("avx2"), gnu::always_inline]] inline __m256i block_errors_avx2(__m256i input, __m256i previous, __m256i byte_1_high,
                                                                           __m256i byte_1_low, __m256i byte_2_high) noexcept {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i before = _mm256_permute2x128_si256(previous, input, 0x21); // previous's high lane, input's low
  const __m256i prev1 = _mm256_alignr_epi8(input, before, 15);
  const __m256i prev2 = _mm256_alignr_epi8(input, before, 14);
  const __m256i prev3 = _mm256_alignr_epi8(input, before, 13);
  const __m256i high_1 = _mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble));
  const __m256i low_1 = _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, nibble));
  const __m256i high_2 = _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), nibble));
  const __m256i special = _mm256_and_si256(_mm256_and_si256(high_1, low_1), high_2);
  const __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80)));
  const __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
  const __m256i must_continue = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must_continue, special);
}

/// The lookup tables of valid_prefix_ssse3, in both 128-bit lanes.
struct avx2_tables {
  __m256i byte_1_high, byte_1_low, byte_2_high, max_complete;
};
/// The tables.
template <class = void>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2_tables make_avx2_tables() noexcept {
  constexpr char too_short = 1 << 0;
  constexpr char too_long = 1 << 1;
  constexpr char overlong_3 = 1 << 2;
  constexpr char too_large = 1 << 3;
  constexpr char surrogate = 1 << 4;
  constexpr char overlong_2 = 1 << 5;
  constexpr char too_large_1000 = 1 << 6;
  constexpr char overlong_4 = 1 << 6;
  constexpr char two_conts = static_cast<char>(1 << 7);
  constexpr char carry = too_short | too_long | two_conts;
  return {
      _mm256_broadcastsi128_si256(_mm_setr_epi8(
          too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long, two_conts, two_conts, two_conts,
          two_conts, too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
          too_short | too_large | too_large_1000 | overlong_4)),
      _mm256_broadcastsi128_si256(_mm_setr_epi8(
          carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2, carry, carry, carry | too_large,
          carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
          carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
          carry | too_large | too_large_1000, carry | too_large | too_large_1000,
          carry | too_large | too_large_1000 | surrogate, carry | too_large | too_large_1000,
          carry | too_large | too_large_1000)),
      _mm256_broadcastsi128_si256(_mm_setr_epi8(
          too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
          too_long | overlong_2 | two_conts | overlong_3 | too_large_1000 | overlong_4,
          too_long | overlong_2 | two_conts | overlong_3 | too_large, too_long | overlong_2 | two_conts | surrogate | too_large,
          too_long | overlong_2 | two_conts | surrogate | too_large, too_short, too_short, too_short, too_short)),
      // A block ending in the lead of a longer sequence: bytes above these in its last three.
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, static_cast<char>(0xF0 - 1), static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1)),
  };
}

/// Where the sequence that offset `i` cuts starts (`i` when it cuts none), all before `i` being valid.
inline std::size_t sequence_start(const unsigned char* p, std::size_t i) noexcept {
  std::size_t from = i;
  while (from > 0 && i - from < 3 && (p[from - 1] & 0xC0) == 0x80) --from;
  return from > 0 && p[from - 1] >= 0xC0 ? from - 1 : i;
}

/// valid_prefix_ssse3<StopAtCr> 32 bytes at a time with a test after each block (AVX2): where a
/// flaw is, to the block; the blocks after the first flawed one are not looked at.
template <bool StopAtCr>
[[gnu::target("avx2")]] inline std::size_t exact_prefix_avx2(const unsigned char* p, std::size_t n) noexcept {
  const avx2_tables t = make_avx2_tables();
  const __m256i cr = _mm256_set1_epi8('\r');
  __m256i previous = _mm256_setzero_si256();
  __m256i previous_incomplete = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i input = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i error;
    if (_mm256_movemask_epi8(input) == 0) {
      error = previous_incomplete;
    } else {
      error = block_errors_avx2(input, previous, t.byte_1_high, t.byte_1_low, t.byte_2_high);
      previous_incomplete = _mm256_subs_epu8(input, t.max_complete);
    }
    if constexpr (StopAtCr) error = _mm256_or_si256(error, _mm256_cmpeq_epi8(input, cr));
    if (!_mm256_testz_si256(error, error)) break;
    previous = input;
  }
  const std::size_t from = sequence_start(p, i);
  return from + valid_prefix_ssse3<StopAtCr>(p + from, n - from);
}

/// Bytes checked between two tests of the gathered errors (a flaw sends the check back to the
/// start of its stretch, to find it exactly; a test after every block costs a fifth of the check).
inline constexpr std::size_t stretch = 512;

/// valid_prefix<StopAtCr> for whole buffers (AVX2, chosen at run time), a 512-byte stretch at a
/// time: after an ASCII stretch the next is first looked at as ASCII (a load and an OR a block);
/// else, or when that finds other bytes, every block goes through block_errors_avx2 without a
/// branch, the errors gathered and tested once a stretch. From a flawed stretch on, and for the
/// tail, exact_prefix_avx2 finds where the valid prefix ends.
template <bool StopAtCr>
[[gnu::target("avx2")]] inline std::size_t valid_prefix_avx2(const unsigned char* p, std::size_t n) noexcept {
  const avx2_tables t = make_avx2_tables();
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i zero = _mm256_setzero_si256();
  __m256i previous = zero; // the last block of the stretch before (zero: ASCII)
  // Whether the stretch before ended in 64 bytes of ASCII (or there is none): no sequence is cut
  // at its end, so that an ASCII stretch now is valid as it stands.
  bool ascii = true;
  std::size_t i = 0;
  for (; i + stretch <= n; i += stretch) {
    if (ascii) {
      __m256i seen = zero; // a byte's high bit, or a '\r' as one
      __m256i crs = zero;
      for (std::size_t j = i; j < i + stretch; j += 128) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j + 32));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j + 64));
        const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j + 96));
        seen = _mm256_or_si256(seen, _mm256_or_si256(_mm256_or_si256(a, b), _mm256_or_si256(c, d)));
        if constexpr (StopAtCr)
          crs = _mm256_or_si256(crs, _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, cr), _mm256_cmpeq_epi8(b, cr)),
                                                     _mm256_or_si256(_mm256_cmpeq_epi8(c, cr), _mm256_cmpeq_epi8(d, cr))));
      }
      if (_mm256_movemask_epi8(_mm256_or_si256(seen, crs)) == 0) {
        previous = zero;
        continue;
      }
    }
    __m256i error = zero;
    __m256i a = zero, b = zero;
#pragma GCC unroll 8
    for (std::size_t j = i; j < i + stretch; j += 64) {
      a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j));
      b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j + 32));
      if constexpr (StopAtCr)
        error = _mm256_or_si256(error, _mm256_or_si256(_mm256_cmpeq_epi8(a, cr), _mm256_cmpeq_epi8(b, cr)));
      error = _mm256_or_si256(error, block_errors_avx2(a, previous, t.byte_1_high, t.byte_1_low, t.byte_2_high));
      error = _mm256_or_si256(error, block_errors_avx2(b, a, t.byte_1_high, t.byte_1_low, t.byte_2_high));
      previous = b;
    }
    if (!_mm256_testz_si256(error, error)) break;
    ascii = _mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0;
  }
  const std::size_t from = sequence_start(p, i);
  return from + exact_prefix_avx2<StopAtCr>(p + from, n - from);
}

/// block_errors_avx2 for 64 bytes (AVX-512 BW): each 128-bit lane after the lane before it.
template <class = void>
[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline __m512i
block_errors_avx512(__m512i input, __m512i previous, __m512i byte_1_high, __m512i byte_1_low, __m512i byte_2_high) noexcept {
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  const __m512i before = _mm512_alignr_epi64(input, previous, 6); // previous's last lane, input's first three
  const __m512i prev1 = _mm512_alignr_epi8(input, before, 15);
  const __m512i prev2 = _mm512_alignr_epi8(input, before, 14);
  const __m512i prev3 = _mm512_alignr_epi8(input, before, 13);
  const __m512i high_1 = _mm512_shuffle_epi8(byte_1_high, _mm512_and_si512(_mm512_srli_epi16(prev1, 4), nibble));
  const __m512i low_1 = _mm512_shuffle_epi8(byte_1_low, _mm512_and_si512(prev1, nibble));
  const __m512i high_2 = _mm512_shuffle_epi8(byte_2_high, _mm512_and_si512(_mm512_srli_epi16(input, 4), nibble));
  const __m512i special = _mm512_and_si512(_mm512_and_si512(high_1, low_1), high_2);
  const __m512i third = _mm512_subs_epu8(prev2, _mm512_set1_epi8(static_cast<char>(0xE0 - 0x80)));
  const __m512i fourth = _mm512_subs_epu8(prev3, _mm512_set1_epi8(static_cast<char>(0xF0 - 0x80)));
  const __m512i must_continue = _mm512_and_si512(_mm512_or_si512(third, fourth), _mm512_set1_epi8(static_cast<char>(0x80)));
  return _mm512_xor_si512(must_continue, special);
}

/// valid_prefix_avx2<StopAtCr> 64 bytes a block (AVX-512 BW, chosen at run time): the same tables
/// in all four 128-bit lanes, the bytes before each lane carried across lanes; from a flawed
/// 512-byte stretch on, and for the tail, valid_prefix_avx2 goes on.
template <bool StopAtCr>
[[gnu::target("avx512f,avx512bw")]] inline std::size_t valid_prefix_avx512(const unsigned char* p, std::size_t n) noexcept {
  constexpr char too_short = 1 << 0;
  constexpr char too_long = 1 << 1;
  constexpr char overlong_3 = 1 << 2;
  constexpr char too_large = 1 << 3;
  constexpr char surrogate = 1 << 4;
  constexpr char overlong_2 = 1 << 5;
  constexpr char too_large_1000 = 1 << 6;
  constexpr char overlong_4 = 1 << 6;
  constexpr char two_conts = static_cast<char>(1 << 7);
  constexpr char carry = too_short | too_long | two_conts;
  const __m512i byte_1_high = _mm512_broadcast_i32x4(_mm_setr_epi8(
      too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long, two_conts, two_conts, two_conts,
      two_conts, too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
      too_short | too_large | too_large_1000 | overlong_4));
  const __m512i byte_1_low = _mm512_broadcast_i32x4(_mm_setr_epi8(
      carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2, carry, carry, carry | too_large,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000 | surrogate, carry | too_large | too_large_1000,
      carry | too_large | too_large_1000));
  const __m512i byte_2_high = _mm512_broadcast_i32x4(_mm_setr_epi8(
      too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
      too_long | overlong_2 | two_conts | overlong_3 | too_large_1000 | overlong_4,
      too_long | overlong_2 | two_conts | overlong_3 | too_large, too_long | overlong_2 | two_conts | surrogate | too_large,
      too_long | overlong_2 | two_conts | surrogate | too_large, too_short, too_short, too_short, too_short));
  const __m512i cr = _mm512_set1_epi8('\r');
  const __m512i zero = _mm512_setzero_si512();
  __m512i previous = zero; // as in valid_prefix_avx2
  bool ascii = true;
  std::size_t i = 0;
  for (; i + stretch <= n; i += stretch) {
    if (ascii) {
      __m512i seen = zero;
      std::uint64_t crs = 0;
#pragma GCC unroll 8
      for (std::size_t j = i; j < i + stretch; j += 64) {
        const __m512i a = _mm512_loadu_si512(p + j);
        seen = _mm512_or_si512(seen, a);
        if constexpr (StopAtCr) crs |= _mm512_cmpeq_epi8_mask(a, cr);
      }
      if (_mm512_movepi8_mask(seen) == 0 && crs == 0) {
        previous = zero;
        continue;
      }
    }
    __m512i error = zero;
    __m512i a = zero, b = zero;
    std::uint64_t crs = 0;
#pragma GCC unroll 4
    for (std::size_t j = i; j < i + stretch; j += 128) {
      a = _mm512_loadu_si512(p + j);
      b = _mm512_loadu_si512(p + j + 64);
      if constexpr (StopAtCr) crs |= _mm512_cmpeq_epi8_mask(a, cr) | _mm512_cmpeq_epi8_mask(b, cr);
      error = _mm512_or_si512(error, block_errors_avx512(a, previous, byte_1_high, byte_1_low, byte_2_high));
      error = _mm512_or_si512(error, block_errors_avx512(b, a, byte_1_high, byte_1_low, byte_2_high));
      previous = b;
    }
    if (_mm512_test_epi8_mask(error, error) != 0 || crs != 0) break;
    ascii = _mm512_movepi8_mask(_mm512_or_si512(a, b)) == 0;
  }
  const std::size_t from = sequence_start(p, i);
  return from + valid_prefix_avx2<StopAtCr>(p + from, n - from);
}

// What the CPU can run, asked once.
inline const int vector_level = [] {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2")) return 3;
  return __builtin_cpu_supports("avx2") ? 2 : __builtin_cpu_supports("ssse3") ? 1 : 0;
}();
#endif

/// valid_prefix<StopAtCr>(p, n) with the flag chosen at run time, vectorized where the CPU can.
inline std::size_t valid_prefix(const unsigned char* p, std::size_t n, bool stop_at_cr) noexcept {
#if defined(IO_TEXT_SSSE3)
  if (vector_level == 3) return stop_at_cr ? valid_prefix_avx512<true>(p, n) : valid_prefix_avx512<false>(p, n);
  if (vector_level == 2) return stop_at_cr ? valid_prefix_avx2<true>(p, n) : valid_prefix_avx2<false>(p, n);
  if (vector_level == 1) return stop_at_cr ? valid_prefix_ssse3<true>(p, n) : valid_prefix_ssse3<false>(p, n);
#endif
  return stop_at_cr ? valid_prefix<true>(p, n) : valid_prefix<false>(p, n);
}

} // namespace io::detail::utf8
