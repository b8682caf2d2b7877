// io.text:open_text — io::open_text and io::open_text_writer, Python's open() in text mode.
module;
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
export module io.text:open_text;
import io.core;
import io.file;
import :options;
import :encoding;
import :text_reader;
import :text_writer;

namespace io::detail {

// Whether `mode` is `letter` alone or with a 't' on either side, as Python takes a text mode.
inline bool text_mode_of(std::string_view mode, char letter) noexcept {
  if (mode.size() == 1) return mode[0] == letter;
  return mode.size() == 2 && ((mode[0] == letter && mode[1] == 't') || (mode[0] == 't' && mode[1] == letter));
}

// Whether `mode` reads text: "r" or "rt" (letters in any order, as Python takes them).
inline bool text_read_mode(std::string_view mode) noexcept { return text_mode_of(mode, 'r'); }

// The letter of a writing text mode ("w", "a", "x", each optionally with 't'), or 0.
inline char text_write_mode(std::string_view mode) noexcept {
  for (const char letter : {'w', 'a', 'x'})
    if (text_mode_of(mode, letter)) return letter;
  return 0;
}

// The error of a mode or an encoding open_text cannot serve, before anything is opened (so that
// "w" truncates nothing): a mode of the other direction, '+' or 'b' is errc::invalid_argument, an
// encoding neither io nor iconv knows errc::unknown_encoding.
inline std::error_code check_open_text(bool writing, std::string_view mode, const text_options& options) noexcept {
  if (writing ? text_write_mode(mode) == 0 : !text_read_mode(mode)) return errc::invalid_argument;
  std::error_code ec;
  (void)find_encoding(options.encoding, ec);
  return ec;
}

inline std::string open_text_operation(std::string_view mode, const text_options& options) {
  return "open {} as text with mode '" + std::string(mode) + "' and encoding '" + options.encoding + "'";
}

} // namespace io::detail

export namespace io {

/// The text reader io::open_text returns: a buffered file read as text.
using text_file_reader = text_reader<buffered_file>;
/// The text writer io::open_text_writer returns: text written into a buffered file.
using text_file_writer = text_writer<buffered_file>;

/// Opens `path` as Python's open(path, mode, encoding=, errors=, newline=) does in text mode for
/// reading: "r" (or "rt") reads it through an io::text_reader. A writing mode is
/// io::open_text_writer's; it and any other mode ("r+", "rb", ...) are errc::invalid_argument, and
/// an encoding neither io nor iconv knows errc::unknown_encoding, both before the file is opened.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode = "r",
                                  text_options options = {}) {
  if (const std::error_code e = detail::check_open_text(false, mode, options))
    throw io_error(e, detail::open_text_operation(mode, options), path.string());
  return text_file_reader(io::open(path, "r"), std::move(options));
}

/// As open_text(path, mode, options), reporting errors through `ec`; the reader then holds no
/// file and reports errc::closed.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode, text_options options,
                                  std::error_code& ec) noexcept {
  ec = detail::check_open_text(false, mode, options);
  if (ec) return text_file_reader(buffered_file(file(), 1), std::move(options));
  return text_file_reader(io::open(path, "r", default_buffer_size, ec), std::move(options));
}

/// As open_text(path, mode), reporting errors through `ec`.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode,
                                  std::error_code& ec) noexcept {
  return io::open_text(path, mode, text_options{}, ec);
}

/// Opens `path` as Python's open(path, mode, encoding=, errors=, newline=) does in text mode for
/// writing, through an io::text_writer: "w" truncates or creates, "a" appends (no byte order mark
/// when the file is not empty, as Python), "x" creates and fails when the file exists; each may
/// have a 't'. A reading mode is io::open_text's; it, '+' (io's text streams read or write, not
/// both) and 'b' are errc::invalid_argument, and an encoding neither io nor iconv knows
/// errc::unknown_encoding, both before the file is opened (so "w" truncates nothing). Call
/// close() to see the last write's errors.
inline text_file_writer open_text_writer(const std::filesystem::path& path, std::string_view mode = "w",
                                         text_options options = {}) {
  if (const std::error_code e = detail::check_open_text(true, mode, options))
    throw io_error(e, detail::open_text_operation(mode, options), path.string());
  const char binary[] = {detail::text_write_mode(mode), 'b', '\0'};
  return text_file_writer(io::open(path, binary), std::move(options));
}

/// As open_text_writer(path, mode, options), reporting errors through `ec`; the writer then holds
/// no file and reports errc::closed.
inline text_file_writer open_text_writer(const std::filesystem::path& path, std::string_view mode,
                                         text_options options, std::error_code& ec) noexcept {
  ec = detail::check_open_text(true, mode, options);
  if (!ec) {
    const char binary[] = {detail::text_write_mode(mode), 'b', '\0'};
    buffered_file f = io::open(path, binary, default_buffer_size, ec);
    if (!ec) return text_file_writer(std::move(f), std::move(options), ec);
  }
  std::error_code ignored;
  return text_file_writer(buffered_file(file(), 1), std::move(options), ignored);
}

/// As open_text_writer(path, mode), reporting errors through `ec`.
inline text_file_writer open_text_writer(const std::filesystem::path& path, std::string_view mode,
                                         std::error_code& ec) noexcept {
  return io::open_text_writer(path, mode, text_options{}, ec);
}

} // namespace io
