// io.text:open_text — io::open_text, Python's open() in text mode.
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
import :names;
import :text_reader;

namespace io::detail {

// Whether `mode` reads text: "r" or "rt" (letters in any order, as Python takes them).
inline bool text_read_mode(std::string_view mode) noexcept {
  return mode == "r" || mode == "rt" || mode == "tr";
}

// The error of a mode or an encoding open_text cannot serve, before anything is opened.
inline std::error_code check_open_text(std::string_view mode, const text_options& options) noexcept {
  // The writing modes ("w", "a", "x", "+") are served by io::text_writer's side of open_text.
  if (!text_read_mode(mode)) return errc::invalid_argument;
  if (utf8_kind_of(options.encoding) == utf8_kind::other) return errc::unknown_encoding;
  return {};
}

} // namespace io::detail

export namespace io {

/// The text reader io::open_text returns for reading: a buffered file read as text.
using text_file_reader = text_reader<buffered_file>;

/// Opens `path` as Python's open(path, mode, encoding=, errors=, newline=) does in text mode:
/// "r" (or "rt") reads it through an io::text_reader. Another mode is errc::invalid_argument and
/// an encoding io cannot read errc::unknown_encoding, both before the file is opened.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode = "r",
                                  text_options options = {}) {
  if (const std::error_code e = detail::check_open_text(mode, options))
    throw io_error(e, "open {} as text with mode '" + std::string(mode) + "' and encoding '" + options.encoding + "'",
                   path.string());
  return text_file_reader(io::open(path, "r"), std::move(options));
}

/// As open_text(path, mode, options), reporting errors through `ec`; the reader then holds no
/// file and reports errc::closed.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode, text_options options,
                                  std::error_code& ec) noexcept {
  ec = detail::check_open_text(mode, options);
  if (ec) return text_file_reader(buffered_file(file(), 1), std::move(options));
  return text_file_reader(io::open(path, "r", default_buffer_size, ec), std::move(options));
}

/// As open_text(path, mode), reporting errors through `ec`.
inline text_file_reader open_text(const std::filesystem::path& path, std::string_view mode,
                                  std::error_code& ec) noexcept {
  return io::open_text(path, mode, text_options{}, ec);
}

} // namespace io
