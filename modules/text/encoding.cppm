// io.text:encoding — text codecs between UTF-8 and an encoding named as Python names it, with
// Python's errors= rules: io's own for UTF-8, Latin-1, ASCII, cp1252 and UTF-16, glibc's iconv
// for any other name. iconv stays in encoding.cpp.
module;
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
export module io.text:encoding;
import :options;

// Exported only because io::text_writer and io::text_reader are templates instantiated by users:
// io::detail is not part of the API.
export namespace io::detail {

// The codecs io writes itself; `charmap` is an encoding of one byte per character that iconv
// knows (KOI8-R, ISO 8859-x, cp125x, EBCDIC code pages, ...), read and written byte by byte
// through a table built from iconv's once per name, as CPython's charmap codecs do; `iconv` is any
// other encoding (multibyte, stateful), through glibc's iconv.
enum class encoding_kind : unsigned char {
  utf8,
  utf8_sig,
  latin1,
  ascii,
  cp1252,
  utf16,
  utf16_le,
  utf16_be,
  charmap,
  iconv
};

// An encoding found by name: which codec reads and writes it, and the name Python gives it
// ("utf-8", "iso8859-1", "cp1252", ...; for iconv, the name iconv accepted).
struct encoding_info {
  encoding_kind kind = encoding_kind::utf8;
  std::string name = "utf-8";
};

// Finds `name` as Python's codec registry does (case ignored, each run of characters other than
// letters, digits and '.' read as one '_': "UTF_8", "utf8", "u8", "Latin-1", "l1", "iso8859_1",
// "windows-1252", "us-ascii", "utf-16le", ...); any other name is tried with iconv as given, then
// with '_' and '-' swapped. errc::unknown_encoding when neither io nor iconv knows it;
// std::errc::not_enough_memory when iconv cannot allocate.
encoding_info find_encoding(std::string_view name, std::error_code& ec) noexcept;

// The size of the longest prefix of `text` made of whole, valid UTF-8 sequences.
std::size_t valid_utf8_prefix(std::span<const std::byte> text) noexcept;

struct iconv_state;
struct iconv_state_delete {
  void operator()(iconv_state* state) const noexcept;
};
struct charmap;
struct codec_common; // what text_decoder and text_encoder share, written once (encoding.cpp)

// Decodes bytes of an encoding into UTF-8 with Python's errors= rules, as `data.decode(encoding,
// errors)` does, fed in pieces of any size: the text it appends for a stream is the same however the
// stream is cut. Invalid units, as CPython's codec for that encoding delimits them: for UTF-8 each
// maximal ill-formed subsequence; for ASCII each byte >= 0x80; for cp1252 the five bytes it leaves
// undefined (81 8D 8F 90 9D); for UTF-16 a lone surrogate (two bytes), a high surrogate with fewer
// than two bytes after it at the end (those bytes with it), an odd byte at the end; for iconv each
// byte iconv refuses (for a charmap, each byte it leaves undefined), and an incomplete sequence at
// the end as one unit. errors=replace appends
// U+FFFD per unit, ignore drops it, backslash_replace appends `\xNN` per byte, strict fails with
// errc::invalid_text and error_offset() says where the unit starts.
// BOMs as Python: "utf-8-sig" drops EF BB BF at the start; "utf-16" takes FF FE or FE FF at the start
// as the byte order and drops it, and reads little-endian (the native order here) without one;
// "utf-16-le"/"utf-16-be" keep a BOM as U+FEFF.
class text_decoder {
public:
  // Decodes UTF-8, strict.
  text_decoder() noexcept = default;
  // Decodes `encoding` (see find_encoding; its errors go to `ec`, and the decoder then decodes
  // UTF-8) with `errors`.
  text_decoder(std::string_view encoding, text_errors errors, std::error_code& ec) noexcept;
  text_decoder(text_decoder&&) noexcept = default;
  text_decoder& operator=(text_decoder&&) noexcept = default;
  ~text_decoder() = default;

  // Appends the UTF-8 text of `in` to `out`. A unit cut at the end of `in` is held for the next
  // call, unless `last` says no bytes follow, when it is an invalid unit. Returns the number of
  // bytes of `in` taken: all of them, unless it fails, when it returns those before the error
  // (their text is in `out`). Errors: errc::invalid_text (errors=strict; see error_offset()),
  // std::errc::not_enough_memory. After an error every call reports it again.
  std::size_t decode(std::span<const std::byte> in, bool last, std::string& out, std::error_code& ec) noexcept;

  // After errc::invalid_text: the offset of the first invalid byte, counted from the first byte
  // this decoder was given (Python's UnicodeDecodeError.start over the whole stream).
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // The number of bytes given so far.
  std::uint64_t position() const noexcept { return offset_ + held_size_; }
  // Which codec decodes.
  encoding_kind kind() const noexcept { return kind_; }
  // The encoding's name as Python gives it.
  const std::string& name() const noexcept { return name_; }
  // Whether the decoder holds bytes of a unit cut at the end of the last piece.
  bool holding() const noexcept { return held_size_ != 0; }

private:
  struct cursor;
  std::size_t run(const unsigned char* p, std::size_t n, bool last, cursor& out);
  std::size_t run_utf8(const unsigned char* p, std::size_t n, bool last, cursor& out);
  std::size_t run_latin1(const unsigned char* p, std::size_t n, cursor& out);
  std::size_t run_ascii_or_cp1252(const unsigned char* p, std::size_t n, cursor& out);
  std::size_t run_utf16(const unsigned char* p, std::size_t n, bool last, cursor& out);
  std::size_t run_charmap(const unsigned char* p, std::size_t n, cursor& out);
  std::size_t run_iconv(const unsigned char* p, std::size_t n, bool last, cursor& out);
  bool invalid(const unsigned char* p, std::size_t n, std::uint64_t at, cursor& out);
  friend codec_common;

  std::unique_ptr<iconv_state, iconv_state_delete> iconv_;
  std::shared_ptr<const charmap> charmap_;
  std::string name_ = "utf-8";
  std::uint64_t offset_ = 0; // offset of the first byte not yet decoded (held_[0] when holding)
  std::uint64_t error_offset_ = 0;
  std::error_code error_;
  encoding_kind kind_ = encoding_kind::utf8;
  text_errors errors_ = text_errors::strict;
  bool started_ = false;    // the BOM, if any, was looked for
  bool big_endian_ = false; // UTF-16's order
  unsigned char held_size_ = 0;
  unsigned char held_[16] = {};
};

// Encodes UTF-8 text into an encoding with Python's errors= rules for characters the encoding
// cannot represent (strict: errc::unencodable; replace: '?'; ignore; backslash_replace: `\xNN`,
// `\uNNNN` or `\UNNNNNNNN`, as str.encode does), and translates '\n' on the way as Python's
// TextIOWrapper does for `newline` (cr: "\r", crlf: "\r\n"; the others write it as is). Input
// that is not valid UTF-8 is read as `bytes.decode("utf-8", errors)` reads it (each maximal
// ill-formed subsequence is an invalid unit), and what that gives is encoded: strict fails with
// errc::invalid_text; replace encodes U+FFFD (a '?' where the encoding has no U+FFFD); ignore drops
// it; backslash_replace writes `\xNN` per byte. "utf-8-sig" writes EF BB BF and "utf-16" FF FE
// (then little-endian, as Python here) at the start of the first call, unless skip_bom().
class text_encoder {
public:
  // Encodes UTF-8, strict, no translation.
  text_encoder() noexcept = default;
  // Encodes into `encoding` (see find_encoding; its errors go to `ec`, and the encoder then
  // writes UTF-8) with `errors`, translating '\n' as `newline` says.
  text_encoder(std::string_view encoding, text_errors errors, newline_mode newline, std::error_code& ec) noexcept;
  text_encoder(text_encoder&&) noexcept = default;
  text_encoder& operator=(text_encoder&&) noexcept = default;
  ~text_encoder() = default;

  // Appends the encoding of the UTF-8 text `in` to `out`. A UTF-8 sequence cut at the end is held
  // for the next call, unless `last`, when it is an invalid unit and a stateful encoding (iconv's
  // ISO-2022 family) returns to its initial state. Returns the number of bytes of `in` taken: all
  // of them, unless it fails, when it returns those before the error. Errors: errc::unencodable,
  // errc::invalid_text (errors=strict; see error_offset()), std::errc::not_enough_memory. After
  // an error every call reports it again.
  std::size_t encode(std::span<const std::byte> in, bool last, std::string& out, std::error_code& ec) noexcept;

  // After errc::unencodable or errc::invalid_text: the offset of the character or of the invalid
  // byte in the UTF-8 text, counted from the first byte given (to encode() or passed()).
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // The number of bytes of UTF-8 text given so far.
  std::uint64_t position() const noexcept { return offset_ + held_size_; }
  // Writes no BOM: Python writes none when the stream is not at its start.
  void skip_bom() noexcept { started_ = true; }
  // Whether valid UTF-8 text is written unchanged (UTF-8 out, no translation, BOM written or
  // skipped, nothing held): a caller may then write it itself and count it with passed().
  bool passes_through() const noexcept { return pass_through_ && started_ && held_size_ == 0 && !error_; }
  // Counts `n` bytes of UTF-8 text the caller wrote itself while passes_through().
  void passed(std::size_t n) noexcept { offset_ += n; }
  // Which codec encodes.
  encoding_kind kind() const noexcept { return kind_; }
  // The encoding's name as Python gives it.
  const std::string& name() const noexcept { return name_; }
  // Whether the encoder holds the start of a UTF-8 sequence cut at the end of the last piece.
  bool holding() const noexcept { return held_size_ != 0; }

private:
  struct cursor;
  std::size_t run(const unsigned char* p, std::size_t n, bool last, cursor& out);
  std::size_t run_iconv(const unsigned char* p, std::size_t n, bool last, cursor& out);
  bool put(char32_t c, cursor& out);
  bool put_text(std::string_view ascii, cursor& out);
  bool put_iconv(const char* utf8, std::size_t n, cursor& out);
  bool newline(cursor& out);
  bool unencodable(char32_t c, std::uint64_t at, cursor& out);
  bool invalid(const unsigned char* p, std::size_t n, std::uint64_t at, cursor& out);
  friend codec_common;

  std::unique_ptr<iconv_state, iconv_state_delete> iconv_;
  std::shared_ptr<const charmap> charmap_;
  std::string name_ = "utf-8";
  std::uint64_t offset_ = 0; // offset of the first byte not yet encoded (held_[0] when holding)
  std::uint64_t error_offset_ = 0;
  std::error_code error_;
  encoding_kind kind_ = encoding_kind::utf8;
  text_errors errors_ = text_errors::strict;
  newline_mode newline_ = newline_mode::lf;
  bool started_ = false; // the BOM, if any, was written (or skipped)
  bool pass_through_ = true;
  unsigned char held_size_ = 0;
  unsigned char held_[4] = {};
};

} // namespace io::detail
