// io.text:names — encoding names as Python's codec registry reads them.
module;
#include <string>
#include <string_view>
export module io.text:names;

// Exported only because io::text_reader is a template instantiated by users: not part of the API.
export namespace io::detail {

/// `name` as Python's encodings.normalize_encoding leaves it, lower-cased: each run of characters
/// other than ASCII letters, digits and '.' becomes one '_' between the others ("UTF-8 sig" ->
/// "utf_8_sig", " U8 " -> "u8").
inline std::string normalize_encoding(std::string_view name) {
  std::string out;
  bool punct = false;
  for (const char c : name) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.';
    if (!alnum) {
      punct = true;
      continue;
    }
    if (punct && !out.empty()) out += '_';
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    punct = false;
  }
  return out;
}

/// Which of io's own decoders reads an encoding.
enum class utf8_kind { utf8, utf8_sig, other };

/// Whether `name` is UTF-8 under one of the names Python gives it (utf-8, utf8, UTF_8, u8, utf,
/// cp65001, ...), UTF-8 with a byte order mark (utf-8-sig), or another encoding.
inline utf8_kind utf8_kind_of(std::string_view name) {
  const std::string n = normalize_encoding(name);
  if (n == "utf_8" || n == "utf8" || n == "u8" || n == "utf" || n == "utf8_ucs2" || n == "utf8_ucs4" || n == "cp65001")
    return utf8_kind::utf8;
  if (n == "utf_8_sig") return utf8_kind::utf8_sig;
  return utf8_kind::other;
}

} // namespace io::detail
