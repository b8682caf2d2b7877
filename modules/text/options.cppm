// io.text:options — how text is decoded, repaired and split into lines: Python's encoding=,
// errors= and newline= arguments of open().
module;
#include <string>
#include <string_view>
export module io.text:options;

export namespace io {

/// What a decoder does with bytes that are not valid in the encoding (Python's `errors=`).
enum class text_errors {
  strict,            ///< fail with errc::invalid_text, naming the path and the byte offset
  replace,           ///< U+FFFD for each maximal ill-formed subsequence, as CPython does
  ignore,            ///< drop the invalid bytes
  backslash_replace, ///< `\xNN` for each invalid byte
};

/// How lines end and whether their ends are translated (Python's `newline=`).
enum class newline_mode {
  universal, ///< newline=None: reading, `\n`, `\r` and `\r\n` end lines and become `\n`;
             ///< writing, `\n` is written as the platform's line end (`\n` here)
  recognize, ///< newline='': all three end lines and are kept as they are; written as is
  lf,        ///< newline='\n': only `\n` ends a line; nothing translated
  cr,        ///< newline='\r': only `\r` ends a line when reading; `\n` written as `\r`
  crlf,      ///< newline='\r\n': only `\r\n` ends a line when reading; `\n` written as `\r\n`
};

/// The options of a text stream; the defaults are Python's open(p, "r") under a UTF-8 locale.
struct text_options {
  /// The encoding's name as Python spells it ("utf-8", "utf-8-sig", "latin-1", "utf-16",
  /// "utf-16-le", "utf-16-be", "cp1252", or any name iconv knows); case and '_'/'-' ignored.
  std::string encoding = "utf-8";
  /// What to do with invalid bytes.
  text_errors errors = text_errors::strict;
  /// How lines end.
  newline_mode newline = newline_mode::universal;
};

} // namespace io
