// io.text's codecs: io's own for UTF-8, Latin-1, ASCII, cp1252 and UTF-16, glibc's iconv for the
// rest; the one unit that includes <iconv.h>.
module;
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>
module io.text;
import io.core;

namespace io::detail {

struct iconv_state {
  iconv_t cd;
};

void iconv_state_delete::operator()(iconv_state* state) const noexcept {
  iconv_close(state->cd);
  delete state;
}

namespace {

const iconv_t no_iconv = reinterpret_cast<iconv_t>(-1);

// --- names -------------------------------------------------------------------------------------

// `name` as Python's encodings.normalize_encoding leaves it, lower-cased: each run of characters
// other than ASCII letters, digits and '.' becomes one '_' between the others.
std::string python_spelling(std::string_view name) {
  std::string out;
  bool separator = false;
  for (const char c : name) {
    const bool kept = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.';
    if (!kept) {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out += '_';
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    separator = false;
  }
  return out;
}

struct alias {
  std::string_view spelling;
  encoding_kind kind;
};

// Python's aliases (encodings/aliases.py) of the encodings io decodes itself.
constexpr alias aliases[] = {
    {"utf_8", encoding_kind::utf8},
    {"utf8", encoding_kind::utf8},
    {"u8", encoding_kind::utf8},
    {"utf", encoding_kind::utf8},
    {"utf8_ucs2", encoding_kind::utf8},
    {"utf8_ucs4", encoding_kind::utf8},
    {"cp65001", encoding_kind::utf8},
    {"utf_8_sig", encoding_kind::utf8_sig},
    {"latin_1", encoding_kind::latin1},
    {"latin1", encoding_kind::latin1},
    {"latin", encoding_kind::latin1},
    {"l1", encoding_kind::latin1},
    {"iso_8859_1", encoding_kind::latin1},
    {"iso8859_1", encoding_kind::latin1},
    {"iso_8859_1_1987", encoding_kind::latin1},
    {"8859", encoding_kind::latin1},
    {"cp819", encoding_kind::latin1},
    {"ibm819", encoding_kind::latin1},
    {"iso_ir_100", encoding_kind::latin1},
    {"csisolatin1", encoding_kind::latin1},
    {"ascii", encoding_kind::ascii},
    {"us_ascii", encoding_kind::ascii},
    {"us", encoding_kind::ascii},
    {"646", encoding_kind::ascii},
    {"ansi_x3.4_1968", encoding_kind::ascii},
    {"ansi_x3_4_1968", encoding_kind::ascii},
    {"ansi_x3.4_1986", encoding_kind::ascii},
    {"cp367", encoding_kind::ascii},
    {"csascii", encoding_kind::ascii},
    {"ibm367", encoding_kind::ascii},
    {"iso646_us", encoding_kind::ascii},
    {"iso_646.irv_1991", encoding_kind::ascii},
    {"iso_ir_6", encoding_kind::ascii},
    {"cp1252", encoding_kind::cp1252},
    {"windows_1252", encoding_kind::cp1252},
    {"1252", encoding_kind::cp1252},
    {"utf_16", encoding_kind::utf16},
    {"utf16", encoding_kind::utf16},
    {"u16", encoding_kind::utf16},
    {"utf_16_le", encoding_kind::utf16_le},
    {"utf_16le", encoding_kind::utf16_le},
    {"unicodelittleunmarked", encoding_kind::utf16_le},
    {"utf_16_be", encoding_kind::utf16_be},
    {"utf_16be", encoding_kind::utf16_be},
    {"unicodebigunmarked", encoding_kind::utf16_be},
};

std::string_view python_name(encoding_kind kind) noexcept {
  switch (kind) {
  case encoding_kind::utf8: return "utf-8";
  case encoding_kind::utf8_sig: return "utf-8-sig";
  case encoding_kind::latin1: return "iso8859-1";
  case encoding_kind::ascii: return "ascii";
  case encoding_kind::cp1252: return "cp1252";
  case encoding_kind::utf16: return "utf-16";
  case encoding_kind::utf16_le: return "utf-16-le";
  case encoding_kind::utf16_be: return "utf-16-be";
  case encoding_kind::charmap:
  case encoding_kind::iconv: break; // named as iconv accepted them
  }
  return {};
}

// Opens an iconv conversion, trying `name` as given, then with '_' and '-' swapped either way,
// then without them (Python writes "euc_jp" and "iso2022_jp", iconv knows "EUC-JP" and
// "ISO2022JP"). Returns the name that worked, or an empty string with `ec` set.
std::string open_iconv(std::string_view name, bool to_utf8, iconv_t& cd, std::error_code& ec) {
  std::string tried[4] = {std::string(name), std::string(name), std::string(name), std::string(name)};
  std::replace(tried[1].begin(), tried[1].end(), '_', '-');
  std::replace(tried[2].begin(), tried[2].end(), '-', '_');
  std::erase_if(tried[3], [](char c) { return c == '-' || c == '_' || c == ' '; });
  for (const std::string& n : tried) {
    if (n.empty() || n.find('/') != std::string::npos) break; // "X//TRANSLIT" asks iconv for more than a name
    cd = to_utf8 ? iconv_open("UTF-8", n.c_str()) : iconv_open(n.c_str(), "UTF-8");
    if (cd != no_iconv) return n;
    if (errno == ENOMEM) {
      ec = std::make_error_code(std::errc::not_enough_memory);
      return {};
    }
  }
  ec = errc::unknown_encoding;
  return {};
}

// --- UTF-8 -------------------------------------------------------------------------------------

enum class utf8_state : unsigned char { valid, invalid, incomplete };

// One UTF-8 sequence at p[0..n), n >= 1: a valid one (its size and code point), the maximal
// ill-formed subsequence that starts there (its size: the longest prefix of a valid sequence,
// at least 1; Unicode's "maximal subpart" practice, which CPython follows), or a valid prefix
// that the end of the input cuts (its size, n).
struct utf8_step {
  unsigned size;
  utf8_state state;
  char32_t code;
};

inline utf8_step next_utf8(const unsigned char* p, std::size_t n) noexcept {
  const unsigned char b = p[0];
  if (b < 0x80) return {1, utf8_state::valid, b};
  unsigned need;
  unsigned char low = 0x80, high = 0xBF;
  char32_t code;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    code = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    code = b & 0x0F;
    if (b == 0xE0) low = 0xA0;      // no overlong forms
    else if (b == 0xED) high = 0x9F; // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    code = b & 0x07;
    if (b == 0xF0) low = 0x90;       // no overlong forms
    else if (b == 0xF4) high = 0x8F; // nothing past U+10FFFF
  } else {
    return {1, utf8_state::invalid, 0};
  }
  for (unsigned i = 1; i <= need; ++i) {
    if (i >= n) return {i, utf8_state::incomplete, 0};
    const unsigned char c = p[i];
    if (c < low || c > high) return {i, utf8_state::invalid, 0};
    low = 0x80;
    high = 0xBF;
    code = (code << 6) | (c & 0x3F);
  }
  return {need + 1, utf8_state::valid, code};
}

// The length of the run of ASCII bytes at the start of p[0..n), eight at a time.
inline std::size_t ascii_run(const unsigned char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  while (n - i >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & 0x8080808080808080u) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// The length of the longest prefix of p[0..n) made of whole valid UTF-8 sequences.
inline std::size_t valid_utf8_run(const unsigned char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (;;) {
    i += ascii_run(p + i, n - i);
    if (i == n) return i;
    const utf8_step step = next_utf8(p + i, n - i);
    if (step.state != utf8_state::valid) return i;
    i += step.size;
  }
}

inline char* write_utf8(char* o, char32_t c) noexcept {
  if (c < 0x80) {
    *o++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *o++ = static_cast<char>(0xC0 | (c >> 6));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (c >> 12));
    *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (c >> 18));
    *o++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return o;
}

constexpr char hex_digits[] = "0123456789abcdef";

// --- cp1252 ------------------------------------------------------------------------------------

// Python's cp1252 (encodings/cp1252.py) for bytes 80..9F; 0 where it leaves a byte undefined
// (81 8D 8F 90 9D). The other bytes are Latin-1's.
constexpr char16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// The cp1252 byte of `c`, or -1 when cp1252 has none.
inline int cp1252_byte(char32_t c) noexcept {
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return static_cast<int>(c);
  if (c < 0x152 || c > 0x2122) return -1;
  for (int i = 0; i < 32; ++i)
    if (cp1252_high[i] == c) return 0x80 + i;
  return -1;
}

} // namespace

// A one-byte-per-character encoding, as a table read from iconv: decoding and encoding by table
// is CPython's charmap codecs' way, at a fraction of iconv's cost per character (each character
// iconv refuses to encode costs it a pass over what it was given again).
struct charmap {
  static constexpr char32_t none = 0xFFFFFFFF;
  char32_t decode[256];
  std::vector<std::pair<char32_t, unsigned char>> encode; // sorted by character
  bool ascii_as_is = true;                                // bytes 00..7F are ASCII

  // The byte of `c`, or -1 when the encoding has none.
  int byte_of(char32_t c) const noexcept {
    if (c < 0x80 && ascii_as_is) return static_cast<int>(c);
    const auto it = std::lower_bound(encode.begin(), encode.end(), std::pair<char32_t, unsigned char>(c, 0));
    return it != encode.end() && it->first == c ? it->second : -1;
  }
};

namespace {

// Converts `in` through `cd` from its initial state, to the end (iconv's state flushed); false on
// any error.
bool convert_all(iconv_t cd, std::string_view in, std::string& out) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  out.assign(4 * in.size() + 16, '\0');
  char* ip = const_cast<char*>(in.data());
  std::size_t il = in.size();
  char* op = out.data();
  std::size_t ol = out.size();
  if (iconv(cd, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1) || il != 0) return false;
  if (iconv(cd, nullptr, nullptr, &op, &ol) == static_cast<std::size_t>(-1)) return false;
  out.resize(static_cast<std::size_t>(op - out.data()));
  return true;
}

// The table of the iconv encoding `name` when each byte alone decodes to one character or to
// nothing, no character has two bytes, and iconv encodes each character back to its byte; null
// otherwise (multibyte and stateful encodings). Bytes are then decoded one by one, as CPython's
// charmap codecs decode: glibc's CP1255 and CP1258 would compose a letter and the marks after it
// into one character, CPython's do not.
std::shared_ptr<const charmap> build_charmap(const std::string& name) {
  const iconv_t from = iconv_open("UTF-8", name.c_str());
  if (from == no_iconv) return nullptr;
  const iconv_t to = iconv_open(name.c_str(), "UTF-8");
  if (to == no_iconv) {
    iconv_close(from);
    return nullptr;
  }
  auto map = std::make_shared<charmap>();
  bool ok = true;
  for (int b = 0; b < 256 && ok; ++b) {
    const char byte = static_cast<char>(b);
    map->decode[b] = charmap::none;
    iconv(from, nullptr, nullptr, nullptr, nullptr);
    char* ip = const_cast<char*>(&byte);
    std::size_t il = 1;
    char buffer[16];
    char* op = buffer;
    std::size_t ol = sizeof buffer;
    if (iconv(from, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) {
      if (errno != EILSEQ) ok = false; // a byte that starts a longer sequence
      continue;
    }
    if (iconv(from, nullptr, nullptr, &op, &ol) == static_cast<std::size_t>(-1)) ok = false;
    const std::size_t size = static_cast<std::size_t>(op - buffer);
    if (!ok || size == 0) {
      ok = false;
      break;
    }
    const utf8_step step = next_utf8(reinterpret_cast<const unsigned char*>(buffer), size);
    if (step.state != utf8_state::valid || step.size != size) { // one byte, one character
      ok = false;
      break;
    }
    map->decode[b] = step.code;
    if (b < 0x80 && step.code != static_cast<char32_t>(b)) map->ascii_as_is = false;
    map->encode.emplace_back(step.code, static_cast<unsigned char>(b));
    // Each character back to its byte.
    std::string back;
    if (!convert_all(to, std::string_view(buffer, size), back) || back != std::string_view(&byte, 1)) ok = false;
  }
  std::sort(map->encode.begin(), map->encode.end());
  for (std::size_t i = 1; ok && i < map->encode.size(); ++i)
    if (map->encode[i].first == map->encode[i - 1].first) ok = false; // two bytes, one character
  iconv_close(from);
  iconv_close(to);
  if (!ok) return nullptr;
  return map;
}

// The charmap of the iconv encoding `name` (built once per name), or null.
std::shared_ptr<const charmap> charmap_of(const std::string& name) {
  static std::mutex lock;
  static std::map<std::string, std::shared_ptr<const charmap>> known;
  const std::lock_guard<std::mutex> guard(lock);
  const auto found = known.find(name);
  if (found != known.end()) return found->second;
  auto map = build_charmap(name);
  known.emplace(name, map);
  return map;
}

} // namespace

std::size_t valid_utf8_prefix(std::span<const std::byte> text) noexcept {
  return valid_utf8_run(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

encoding_info find_encoding(std::string_view name, std::error_code& ec) noexcept {
  ec.clear();
  try {
    const std::string spelling = python_spelling(name);
    for (const alias& a : aliases)
      if (a.spelling == spelling) return {a.kind, std::string(python_name(a.kind))};
    iconv_t cd = no_iconv;
    std::string found = open_iconv(name, true, cd, ec);
    if (ec) return {};
    iconv_close(cd);
    const encoding_kind kind = charmap_of(found) ? encoding_kind::charmap : encoding_kind::iconv;
    return {kind, std::move(found)};
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return {};
  }
}

// --- output ------------------------------------------------------------------------------------

// Appends to a std::string through a pointer; the string is cut to what was written when the
// cursor goes away.
struct output_cursor {
  explicit output_cursor(std::string& s) noexcept : text(s), size(s.size()) {}
  ~output_cursor() { text.resize(size); }
  output_cursor(const output_cursor&) = delete;
  output_cursor& operator=(const output_cursor&) = delete;

  // Room for at least `k` more bytes; may throw std::bad_alloc. The string is sized (zero-filled)
  // only as far as asked, a little more for runs of small requests: a text_writer's buffer already
  // holds up to 64 KiB, which a geometric resize would fill again at every small write. Its
  // capacity still grows geometrically (std::string does that).
  char* room(std::size_t k) {
    if (text.size() - size < k) text.resize(size + std::max<std::size_t>(k, 256));
    return text.data() + size;
  }
  std::size_t room_left() const noexcept { return text.size() - size; }
  void put(char c) {
    *room(1) = c;
    ++size;
  }
  void append(const void* p, std::size_t k) {
    if (k == 0) return; // p may be null
    std::memcpy(room(k), p, k);
    size += k;
  }
  void put_utf8(char32_t c) {
    char* o = room(4);
    size = static_cast<std::size_t>(write_utf8(o, c) - text.data());
  }

  std::string& text;
  std::size_t size;
};

struct text_decoder::cursor : output_cursor {
  using output_cursor::output_cursor;
};
struct text_encoder::cursor : output_cursor {
  using output_cursor::output_cursor;
};

namespace {

// One call of iconv() that appends to `out`, with room for at least `room` more bytes: converts
// from `*in`, moving `*in` and `*in_left` past what it read (null `in` and `in_left`: writes what
// iconv holds back and returns it to its initial shift state). Returns iconv's result and sets
// `error` to its errno.
std::size_t call_iconv(iconv_t cd, char** in, std::size_t* in_left, output_cursor& out, std::size_t room, int& error) {
  char* o = out.room(room);
  char* const start = o;
  std::size_t out_left = out.room_left();
  const std::size_t r = iconv(cd, in, in_left, &o, &out_left);
  error = errno;
  out.size += static_cast<std::size_t>(o - start);
  return r;
}

// Appends what iconv still holds back and returns it to its initial shift state.
void flush_iconv(iconv_t cd, output_cursor& out) {
  for (;;) {
    int error = 0;
    const std::size_t r = call_iconv(cd, nullptr, nullptr, out, 64, error);
    if (r != static_cast<std::size_t>(-1) || error != E2BIG) break;
  }
}

} // namespace

// What text_decoder and text_encoder share.
struct codec_common {
  // Sets `codec` up for `encoding` (iconv's descriptor for `decoding` or encoding): its kind, name,
  // charmap or iconv descriptor. On an error, in `ec`, the codec stays UTF-8.
  template <class Codec>
  static void open(Codec& codec, std::string_view encoding, bool decoding, std::error_code& ec) noexcept {
    encoding_info info = find_encoding(encoding, ec);
    if (ec) return;
    codec.kind_ = info.kind;
    try {
      codec.name_ = std::move(info.name);
      if (codec.kind_ == encoding_kind::charmap) codec.charmap_ = charmap_of(codec.name_);
      if (codec.kind_ == encoding_kind::iconv) {
        iconv_t cd = no_iconv;
        open_iconv(codec.name_, decoding, cd, ec);
        if (!ec) codec.iconv_.reset(new iconv_state{cd});
      }
    } catch (const std::bad_alloc&) {
      ec = std::make_error_code(std::errc::not_enough_memory);
    }
    if (ec) codec.kind_ = encoding_kind::utf8;
  }

  // A unit (an encoded character, or a UTF-8 sequence to encode) that the end of the last piece
  // cut, held by the codec: completes it from the piece p[0..n), a few bytes at a time; `taken`
  // counts the bytes of the piece used. Returns what decode() or encode() returns when the piece ends here
  // (all of it held, or an error, in `ec`); nothing when the codec holds nothing more and goes on
  // from p[taken].
  template <class Codec>
  static std::optional<std::size_t> complete_held(Codec& codec, const unsigned char* p, std::size_t n, bool last,
                                             std::size_t& taken, typename Codec::cursor& o, std::error_code& ec) {
    while (codec.held_size_ != 0) {
      const std::size_t old = codec.held_size_;
      const std::size_t take = std::min(n - taken, sizeof codec.held_ - old);
      if (take != 0) std::memcpy(codec.held_ + old, p + taken, take);
      const bool end = last && taken + take == n;
      const std::size_t used = codec.run(codec.held_, old + take, end, o);
      if (codec.error_) {
        ec = codec.error_;
        return used > old ? taken + (used - old) : taken;
      }
      if (used >= old) {
        codec.offset_ += used;
        taken += used - old;
        codec.held_size_ = 0;
        break;
      }
      if (used == 0 && taken + take == n) { // still cut: hold all of it
        codec.held_size_ = static_cast<unsigned char>(old + take);
        return n;
      }
      // No unit is this long (only iconv's decoder could do this: the encoder holds at most 3 bytes
      // of a valid UTF-8 start, which the 4 it can hold complete or prove invalid): the first byte is
      // invalid.
      if (used == 0) {
        if (!codec.invalid(codec.held_, 1, codec.offset_, o)) {
          ec = codec.error_;
          return taken;
        }
        codec.offset_ += 1;
        std::memmove(codec.held_, codec.held_ + 1, old - 1);
        codec.held_size_ = static_cast<unsigned char>(old - 1);
        continue;
      }
      // Units before the cut one passed on: the rest of it is still held, and taken again.
      codec.offset_ += used;
      std::memmove(codec.held_, codec.held_ + used, old - used);
      codec.held_size_ = static_cast<unsigned char>(old - used);
    }
    return std::nullopt;
  }

  // Runs the codec over the rest of the piece, p[taken..n), and holds the unit its end cuts (the
  // encoder: at most 3 bytes of a UTF-8 sequence). Returns what decode() or encode() returns on an
  // error, in `ec`; nothing when the piece is all taken.
  template <class Codec>
  static std::optional<std::size_t> run_rest(Codec& codec, const unsigned char* p, std::size_t n, bool last,
                                             std::size_t& taken, typename Codec::cursor& o, std::error_code& ec) {
    for (;;) {
      const std::size_t used = codec.run(p + taken, n - taken, last, o);
      if (codec.error_) {
        ec = codec.error_;
        return taken + used;
      }
      codec.offset_ += used;
      taken += used;
      const std::size_t rest = n - taken;
      if (rest <= sizeof codec.held_) {
        if (rest != 0) std::memcpy(codec.held_, p + taken, rest);
        codec.held_size_ = static_cast<unsigned char>(rest);
        return std::nullopt;
      }
      // No unit is this long (only iconv's decoder could say so): its first byte is invalid.
      if (!codec.invalid(p + taken, 1, codec.offset_, o)) {
        ec = codec.error_;
        return taken;
      }
      ++codec.offset_;
      ++taken;
    }
  }
};

// --- decoder -----------------------------------------------------------------------------------

text_decoder::text_decoder(std::string_view encoding, text_errors errors, std::error_code& ec) noexcept
    : errors_(errors) {
  codec_common::open(*this, encoding, true, ec);
}

// Handles the invalid unit p[0..n) at offset `at`; false when errors=strict, which fails the decoder.
bool text_decoder::invalid(const unsigned char* p, std::size_t n, std::uint64_t at, cursor& out) {
  switch (errors_) {
  case text_errors::strict:
    error_ = errc::invalid_text;
    error_offset_ = at;
    return false;
  case text_errors::replace: out.append("\xEF\xBF\xBD", 3); return true;
  case text_errors::ignore: return true;
  case text_errors::backslash_replace:
    for (std::size_t i = 0; i < n; ++i) {
      const char escape[4] = {'\\', 'x', hex_digits[p[i] >> 4], hex_digits[p[i] & 15]};
      out.append(escape, 4);
    }
    return true;
  }
  return true;
}

std::size_t text_decoder::run_utf8(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  std::size_t i = 0;
  if (kind_ == encoding_kind::utf8_sig && !started_) {
    static constexpr unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    std::size_t same = 0;
    while (same < std::min<std::size_t>(n, 3) && p[same] == bom[same]) ++same;
    if (same == std::min<std::size_t>(n, 3)) {
      if (n < 3) {
        if (!last) return 0; // too few bytes to tell
      } else {
        i = 3;
      }
    }
    started_ = true;
  }
  while (i < n) {
    const std::size_t run = valid_utf8_run(p + i, n - i);
    out.append(p + i, run);
    i += run;
    if (i == n) break;
    const utf8_step step = next_utf8(p + i, n - i);
    if (step.state == utf8_state::incomplete && !last) return i;
    if (!invalid(p + i, step.size, offset_ + i, out)) return i;
    i += step.size;
  }
  return n;
}

std::size_t text_decoder::run_latin1(const unsigned char* p, std::size_t n, cursor& out) {
  char* o = out.room(2 * n);
  std::size_t i = 0;
  while (i < n) {
    if (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080u) == 0) {
        std::memcpy(o, p + i, 8);
        o += 8;
        i += 8;
        continue;
      }
    }
    // Every byte is its own code point: two UTF-8 bytes for each one from 80 on. Without a branch,
    // which random bytes would mispredict half the time: both bytes are stored, the second is
    // kept only for a byte from 80 on.
    const unsigned char b = p[i++];
    o[0] = static_cast<char>(b < 0x80 ? b : 0xC0 | (b >> 6));
    o[1] = static_cast<char>(0x80 | (b & 0x3F));
    o += 1 + (b >> 7);
  }
  out.size = static_cast<std::size_t>(o - out.text.data());
  return n;
}

std::size_t text_decoder::run_charmap(const unsigned char* p, std::size_t n, cursor& out) {
  const charmap& map = *charmap_;
  std::size_t i = 0;
  while (i < n) {
    char* o = out.room(4 * (n - i));
    for (; i < n; ++i) {
      const char32_t c = map.decode[p[i]];
      if (c == charmap::none) break;
      o = write_utf8(o, c);
    }
    out.size = static_cast<std::size_t>(o - out.text.data());
    if (i == n) break;
    if (!invalid(p + i, 1, offset_ + i, out)) return i;
    ++i;
  }
  return n;
}

// ASCII, where every byte from 80 on is invalid, and cp1252: runs of ASCII, then the bytes after.
std::size_t text_decoder::run_ascii_or_cp1252(const unsigned char* p, std::size_t n, cursor& out) {
  const bool ascii = kind_ == encoding_kind::ascii;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run = ascii_run(p + i, n - i);
    out.append(p + i, run);
    i += run;
    for (; i < n && p[i] >= 0x80; ++i) {
      const char32_t c = ascii ? 0 : p[i] >= 0xA0 ? p[i] : cp1252_high[p[i] - 0x80];
      if (c == 0) {
        if (!invalid(p + i, 1, offset_ + i, out)) return i;
      } else {
        out.put_utf8(c);
      }
    }
  }
  return n;
}

// CPython's UTF-16 decoder (PyUnicode_DecodeUTF16Stateful), unit for unit: a low surrogate first
// is "illegal encoding" (2 bytes), a high surrogate followed by no low one "illegal UTF-16
// surrogate" (its 2 bytes), a high surrogate with fewer than 2 bytes after it at the end
// "unexpected end of data" (it and the byte after it), an odd byte at the end "truncated data".
std::size_t text_decoder::run_utf16(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  std::size_t i = 0;
  if (!started_) {
    if (kind_ == encoding_kind::utf16) {
      if (n < 2 && !last) return 0;
      if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) i = 2;
      else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) i = 2, big_endian_ = true;
    } else {
      big_endian_ = kind_ == encoding_kind::utf16_be;
    }
    started_ = true;
  }
  const bool be = big_endian_;
  const auto unit = [p, be](std::size_t k) -> char32_t {
    return be ? (char32_t{p[k]} << 8) | p[k + 1] : char32_t{p[k]} | (char32_t{p[k + 1]} << 8);
  };
  while (n - i >= 2) {
    char* o = out.room(3 * ((n - i) / 2) + 4);
    // Runs of code units outside the surrogates, written without further checks for room.
    while (n - i >= 2) {
      const char32_t c = unit(i);
      if (c >= 0xD800 && c <= 0xDFFF) break;
      o = write_utf8(o, c);
      i += 2;
    }
    out.size = static_cast<std::size_t>(o - out.text.data());
    if (n - i < 2) break;
    const char32_t c = unit(i);
    if (c >= 0xDC00) { // a low surrogate first
      if (!invalid(p + i, 2, offset_ + i, out)) return i;
      i += 2;
      continue;
    }
    if (n - i < 4) { // a high surrogate at the end
      if (!last) return i;
      if (!invalid(p + i, n - i, offset_ + i, out)) return i;
      return n;
    }
    const char32_t d = unit(i + 2);
    if (d < 0xDC00 || d > 0xDFFF) {
      if (!invalid(p + i, 2, offset_ + i, out)) return i;
      i += 2;
      continue;
    }
    out.put_utf8(0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00));
    i += 4;
  }
  if (i < n) { // an odd byte at the end
    if (!last) return i;
    if (!invalid(p + i, n - i, offset_ + i, out)) return i;
  }
  return n;
}

std::size_t text_decoder::run_iconv(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  char* in = const_cast<char*>(reinterpret_cast<const char*>(p));
  std::size_t in_left = n;
  while (in_left != 0) {
    int error = 0;
    const std::size_t r = call_iconv(iconv_->cd, &in, &in_left, out, std::max<std::size_t>(4 * in_left, 64), error);
    if (r != static_cast<std::size_t>(-1)) break;
    const std::size_t at = static_cast<std::size_t>(reinterpret_cast<unsigned char*>(in) - p);
    if (error == E2BIG) continue;
    if (error == EINVAL) { // a sequence the end cuts
      if (!last) return at;
      if (!invalid(p + at, in_left, offset_ + at, out)) return at;
      return n;
    }
    // EILSEQ: a byte iconv cannot read; it tells no unit's length, so one byte is one unit.
    if (!invalid(p + at, 1, offset_ + at, out)) return at;
    ++in;
    --in_left;
  }
  // What iconv keeps back (CP1255 holds a letter for the points that may follow it).
  if (last) flush_iconv(iconv_->cd, out);
  return n;
}

std::size_t text_decoder::run(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  switch (kind_) {
  case encoding_kind::utf8:
  case encoding_kind::utf8_sig: return run_utf8(p, n, last, out);
  case encoding_kind::latin1: return run_latin1(p, n, out);
  case encoding_kind::ascii:
  case encoding_kind::cp1252: return run_ascii_or_cp1252(p, n, out);
  case encoding_kind::utf16:
  case encoding_kind::utf16_le:
  case encoding_kind::utf16_be: return run_utf16(p, n, last, out);
  case encoding_kind::charmap: return run_charmap(p, n, out);
  case encoding_kind::iconv: return run_iconv(p, n, last, out);
  }
  return n;
}

std::size_t text_decoder::decode(std::span<const std::byte> bytes, bool last, std::string& out,
                                 std::error_code& ec) noexcept {
  ec.clear();
  if (error_) {
    ec = error_;
    return 0;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t taken = 0; // bytes of `bytes` decoded, or held
  try {
    cursor o(out);
    if (const auto done = codec_common::complete_held(*this, p, n, last, taken, o, ec)) return *done;
    if (const auto failed = codec_common::run_rest(*this, p, n, last, taken, o, ec)) return *failed;
    return n;
  } catch (const std::bad_alloc&) {
    error_ = std::make_error_code(std::errc::not_enough_memory);
    ec = error_;
    return taken;
  }
}

// --- encoder -----------------------------------------------------------------------------------

text_encoder::text_encoder(std::string_view encoding, text_errors errors, newline_mode newline,
                           std::error_code& ec) noexcept
    : errors_(errors), newline_(newline) {
  codec_common::open(*this, encoding, false, ec);
  pass_through_ = (kind_ == encoding_kind::utf8 || kind_ == encoding_kind::utf8_sig) &&
                  newline_ != newline_mode::cr && newline_ != newline_mode::crlf;
}

// Writes `c` in the encoding; false when the encoding has no such character.
bool text_encoder::put(char32_t c, cursor& out) {
  switch (kind_) {
  case encoding_kind::utf8:
  case encoding_kind::utf8_sig: out.put_utf8(c); return true;
  case encoding_kind::latin1:
    if (c > 0xFF) return false;
    out.put(static_cast<char>(c));
    return true;
  case encoding_kind::ascii:
    if (c > 0x7F) return false;
    out.put(static_cast<char>(c));
    return true;
  case encoding_kind::cp1252: {
    const int b = cp1252_byte(c);
    if (b < 0) return false;
    out.put(static_cast<char>(b));
    return true;
  }
  case encoding_kind::utf16:
  case encoding_kind::utf16_le:
  case encoding_kind::utf16_be: {
    const bool be = kind_ == encoding_kind::utf16_be;
    const auto unit = [&out, be](char32_t u) {
      const char bytes[2] = {static_cast<char>(be ? u >> 8 : u & 0xFF), static_cast<char>(be ? u & 0xFF : u >> 8)};
      out.append(bytes, 2);
    };
    if (c < 0x10000) {
      unit(c);
    } else {
      unit(0xD800 + ((c - 0x10000) >> 10));
      unit(0xDC00 + ((c - 0x10000) & 0x3FF));
    }
    return true;
  }
  case encoding_kind::charmap: {
    const int b = charmap_->byte_of(c);
    if (b < 0) return false;
    out.put(static_cast<char>(b));
    return true;
  }
  case encoding_kind::iconv: {
    char utf8[4];
    const std::size_t size = static_cast<std::size_t>(write_utf8(utf8, c) - utf8);
    return put_iconv(utf8, size, out);
  }
  }
  return false;
}

// Converts valid UTF-8 through iconv; false when iconv cannot represent it (nothing written then).
bool text_encoder::put_iconv(const char* utf8, std::size_t n, cursor& out) {
  char* in = const_cast<char*>(utf8);
  std::size_t in_left = n;
  const std::size_t before = out.size;
  while (in_left != 0) {
    int error = 0;
    const std::size_t r = call_iconv(iconv_->cd, &in, &in_left, out, std::max<std::size_t>(8 * in_left, 64), error);
    if (r != static_cast<std::size_t>(-1)) return true;
    if (error != E2BIG) {
      out.size = before;
      return false;
    }
  }
  return true;
}

// Writes ASCII text (a replacement) in the encoding, as Python's encoders do, '?' for what it lacks.
bool text_encoder::put_text(std::string_view ascii, cursor& out) {
  for (const char c : ascii)
    if (!put(static_cast<unsigned char>(c), out)) return false;
  return true;
}

bool text_encoder::newline(cursor& out) {
  if (newline_ == newline_mode::cr) return put('\r', out);
  if (newline_ == newline_mode::crlf) return put('\r', out) && put('\n', out);
  return put('\n', out);
}

// Handles the character `c` at offset `at` that the encoding cannot represent; false when
// errors=strict, which fails the encoder.
bool text_encoder::unencodable(char32_t c, std::uint64_t at, cursor& out) {
  switch (errors_) {
  case text_errors::strict:
    error_ = errc::unencodable;
    error_offset_ = at;
    return false;
  case text_errors::replace: put('?', out); return true;
  case text_errors::ignore: return true;
  case text_errors::backslash_replace: {
    char escape[10] = {'\\'};
    const int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
    escape[1] = c < 0x100 ? 'x' : c < 0x10000 ? 'u' : 'U';
    for (int i = 0; i < digits; ++i) escape[2 + i] = hex_digits[(c >> (4 * (digits - 1 - i))) & 15];
    put_text(std::string_view(escape, 2 + static_cast<std::size_t>(digits)), out);
    return true;
  }
  }
  return true;
}

// Handles the invalid UTF-8 unit p[0..n) at offset `at` as bytes.decode("utf-8", errors) reads it,
// then encodes what that gives; false when errors=strict.
bool text_encoder::invalid(const unsigned char* p, std::size_t n, std::uint64_t at, cursor& out) {
  switch (errors_) {
  case text_errors::strict:
    error_ = errc::invalid_text;
    error_offset_ = at;
    return false;
  case text_errors::replace:
    if (!put(0xFFFD, out)) put('?', out);
    return true;
  case text_errors::ignore: return true;
  case text_errors::backslash_replace:
    for (std::size_t i = 0; i < n; ++i) {
      const char escape[4] = {'\\', 'x', hex_digits[p[i] >> 4], hex_digits[p[i] & 15]};
      put_text(std::string_view(escape, 4), out);
    }
    return true;
  }
  return true;
}

std::size_t text_encoder::run_iconv(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  const bool translate = newline_ == newline_mode::cr || newline_ == newline_mode::crlf;
  std::size_t i = 0;
  while (i < n) {
    // A stretch of valid UTF-8 (up to a '\n' when translating) goes to iconv at once; at most 1 KiB,
    // because each character it cannot encode costs glibc a pass over the stretch again.
    std::size_t run = valid_utf8_run(p + i, std::min<std::size_t>(n - i, 1024));
    if (translate) {
      const void* nl = std::memchr(p + i, '\n', run);
      if (nl) run = static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - (p + i));
    }
    char* in = const_cast<char*>(reinterpret_cast<const char*>(p + i));
    std::size_t in_left = run;
    while (in_left != 0) {
      int error = 0;
      const std::size_t r = call_iconv(iconv_->cd, &in, &in_left, out, std::max<std::size_t>(4 * in_left, 64), error);
      if (r != static_cast<std::size_t>(-1) || error == E2BIG) continue;
      // A character iconv cannot represent (the stretch is valid UTF-8, so nothing else).
      const auto* q = reinterpret_cast<const unsigned char*>(in);
      const utf8_step step = next_utf8(q, in_left);
      const std::size_t at = static_cast<std::size_t>(q - p);
      if (!unencodable(step.code, offset_ + at, out)) return at;
      in += step.size;
      in_left -= step.size;
    }
    i += run;
    if (i == n) break;
    const utf8_step step = next_utf8(p + i, n - i);
    if (step.state == utf8_state::valid) { // a '\n' to translate, or the stretch's limit
      if (translate && p[i] == '\n') {
        if (!newline(out)) return i;
        ++i;
      }
      continue;
    }
    if (step.state == utf8_state::incomplete && !last) return i;
    if (!invalid(p + i, step.size, offset_ + i, out)) return i;
    i += step.size;
  }
  return n;
}

std::size_t text_encoder::run(const unsigned char* p, std::size_t n, bool last, cursor& out) {
  if (!started_) {
    started_ = true;
    if (kind_ == encoding_kind::utf8_sig) out.append("\xEF\xBB\xBF", 3);
    else if (kind_ == encoding_kind::utf16) out.append("\xFF\xFE", 2);
  }
  if (kind_ == encoding_kind::iconv) return run_iconv(p, n, last, out);
  const bool translate = newline_ == newline_mode::cr || newline_ == newline_mode::crlf;
  const bool ascii_as_is = kind_ == encoding_kind::charmap
                               ? charmap_->ascii_as_is
                               : kind_ != encoding_kind::utf16 && kind_ != encoding_kind::utf16_le &&
                                     kind_ != encoding_kind::utf16_be;
  std::size_t i = 0;
  while (i < n) {
    if (!ascii_as_is && kind_ != encoding_kind::charmap) { // UTF-16: ASCII runs, two bytes each
      std::size_t run = ascii_run(p + i, n - i);
      if (translate) {
        const void* nl = std::memchr(p + i, '\n', run);
        if (nl) run = static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - (p + i));
      }
      char* o = out.room(2 * run);
      const bool be = kind_ == encoding_kind::utf16_be;
      for (std::size_t k = 0; k < run; ++k, o += 2) {
        o[be] = static_cast<char>(p[i + k]);
        o[!be] = 0;
      }
      out.size += 2 * run;
      i += run;
      if (i == n) break;
    }
    if (ascii_as_is) { // every encoding here but UTF-16 (and EBCDIC charmaps) writes ASCII as is
      std::size_t run = ascii_run(p + i, n - i);
      if (translate) {
        const void* nl = std::memchr(p + i, '\n', run);
        if (nl) run = static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - (p + i));
      }
      out.append(p + i, run);
      i += run;
      if (i == n) break;
    }
    const utf8_step step = next_utf8(p + i, n - i);
    if (step.state == utf8_state::valid) {
      if (step.code == '\n' && translate) {
        newline(out);
      } else if (!put(step.code, out) && !unencodable(step.code, offset_ + i, out)) {
        return i;
      }
      i += step.size;
      continue;
    }
    if (step.state == utf8_state::incomplete && !last) return i;
    if (!invalid(p + i, step.size, offset_ + i, out)) return i;
    i += step.size;
  }
  return n;
}

std::size_t text_encoder::encode(std::span<const std::byte> bytes, bool last, std::string& out,
                                 std::error_code& ec) noexcept {
  ec.clear();
  if (error_) {
    ec = error_;
    return 0;
  }
  // Nothing given and nothing to end: not even a BOM, as Python writes none for a stream never written.
  if (last && bytes.empty() && !started_) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t taken = 0;
  try {
    cursor o(out);
    if (const auto done = codec_common::complete_held(*this, p, n, last, taken, o, ec)) return *done;
    if (const auto failed = codec_common::run_rest(*this, p, n, last, taken, o, ec)) return *failed;
    // Back to the initial shift state, as Python's encoders do at the end.
    if (last && iconv_) flush_iconv(iconv_->cd, o);
    return n;
  } catch (const std::bad_alloc&) {
    error_ = std::make_error_code(std::errc::not_enough_memory);
    ec = error_;
    return taken;
  }
}

} // namespace io::detail
