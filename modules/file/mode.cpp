// io.file:mode — parsing Python's mode strings, with Python's rules.
module;
#include <string>
#include <string_view>
#include <system_error>
module io.file;

namespace io {

open_flags parse_mode(std::string_view mode, std::error_code& ec) noexcept {
  ec.clear();
  // As CPython's io.open: each character at most once, exactly one of r/w/a/x, not both b and t.
  constexpr std::string_view letters = "rwaxbt+";
  constexpr unsigned binary_and_text = (1u << letters.find('b')) | (1u << letters.find('t'));
  unsigned seen = 0;
  int kinds = 0;
  open_flags flags = open_flags::none;
  for (const char c : mode) {
    const std::size_t index = letters.find(c);
    if (index == std::string_view::npos || (seen & (1u << index)) != 0) {
      ec = errc::invalid_argument;
      return open_flags::none;
    }
    seen |= 1u << index;
    switch (c) {
    case 'r': flags = flags | open_flags::read, ++kinds; break;
    case 'w': flags = flags | open_flags::write | open_flags::create | open_flags::truncate, ++kinds; break;
    case 'a': flags = flags | open_flags::write | open_flags::create | open_flags::append, ++kinds; break;
    case 'x': flags = flags | open_flags::write | open_flags::create | open_flags::exclusive, ++kinds; break;
    case '+': flags = flags | open_flags::read | open_flags::write; break;
    default: break; // 'b' and 't' change nothing on POSIX
    }
  }
  if (kinds != 1 || (seen & binary_and_text) == binary_and_text) {
    ec = errc::invalid_argument;
    return open_flags::none;
  }
  return flags;
}

open_flags parse_mode(std::string_view mode) {
  std::error_code ec;
  const open_flags flags = parse_mode(mode, ec);
  if (ec) throw io_error(ec, "parse mode '" + std::string(mode) + "'");
  return flags;
}

} // namespace io
