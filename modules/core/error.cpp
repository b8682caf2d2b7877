// io.core:error — the io error category and the messages of io_error.
module;
#include <string>
#include <string_view>
#include <system_error>
module io.core;

namespace io {
namespace {

class category final : public std::error_category {
public:
  const char* name() const noexcept override { return "io"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
    case errc::closed: return "I/O operation on closed stream";
    case errc::unexpected_eof: return "unexpected end of stream";
    case errc::not_readable: return "stream not open for reading";
    case errc::not_writable: return "stream not open for writing";
    case errc::not_seekable: return "stream does not support seeking";
    case errc::invalid_argument: return "invalid argument";
    case errc::no_buffer_space: return "no space left in fixed-size buffer";
    case errc::line_too_long: return "line too long";
    case errc::not_durable: return "new contents in place, but not durable: a crash may undo them";
    case errc::not_mappable: return "not a regular file of known size";
    case errc::misaligned: return "storage not aligned for the type";
    case errc::corrupt_data: return "corrupt compressed data";
    case errc::trailing_garbage: return "trailing garbage after the compressed data";
    case errc::invalid_text: return "invalid text in the encoding";
    case errc::unknown_encoding: return "unknown encoding";
    case errc::unencodable: return "character not representable in the encoding";
    }
    return "unknown io error";
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    // Lets callers compare with the portable conditions they already know.
    switch (static_cast<errc>(value)) {
    case errc::invalid_argument: return std::errc::invalid_argument;
    case errc::no_buffer_space: return std::errc::no_buffer_space;
    case errc::not_seekable: return std::errc::invalid_seek;
    default: return {value, *this};
    }
  }
};

// "open for reading" + "x.bin" -> "cannot open 'x.bin' for reading";
// "create a temporary file for {}" + "x.bin" -> "cannot create a temporary file for 'x.bin'"
std::string describe(std::string_view operation, std::string_view path) {
  std::string what = "cannot ";
  const auto slot = operation.find("{}");
  if (slot != std::string_view::npos) {
    std::string_view before = operation.substr(0, slot);
    if (path.empty()) {
      if (before.ends_with(' ')) before.remove_suffix(1); // no path: "copy to {}" -> "copy to"
      (what += before) += operation.substr(slot + 2);
    } else {
      ((((what += before) += '\'') += path) += '\'') += operation.substr(slot + 2);
    }
    return what;
  }
  if (path.empty()) {
    what += operation;
    return what;
  }
  const auto verb_end = operation.find(' ');
  what += operation.substr(0, verb_end);
  what += " '";
  what += path;
  what += '\'';
  if (verb_end != std::string_view::npos) what += operation.substr(verb_end);
  return what;
}

} // namespace

const std::error_category& io_category() noexcept {
  static const category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), io_category()}; }

io_error::io_error(std::error_code ec, std::string_view operation, std::string_view path)
    : std::system_error(ec, describe(operation, path)), operation_(operation), path_(path) {}

} // namespace io
