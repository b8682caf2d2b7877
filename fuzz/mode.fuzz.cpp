// Fuzz target: io::parse_mode against Python's rules written out plainly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <system_error>

import io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view mode(reinterpret_cast<const char*>(data), size);
  // Python: only "rwaxbt+", each at most once, exactly one of r/w/a/x, not both b and t.
  bool valid = true;
  int kinds = 0;
  for (std::size_t i = 0; i < mode.size(); ++i) {
    const char c = mode[i];
    valid = valid && std::string_view("rwaxbt+").find(c) != std::string_view::npos && mode.find(c) == i;
    kinds += c == 'r' || c == 'w' || c == 'a' || c == 'x';
  }
  valid = valid && kinds == 1 && !(mode.find('b') != std::string_view::npos && mode.find('t') != std::string_view::npos);

  std::error_code ec;
  const io::open_flags flags = io::parse_mode(mode, ec);
  if (valid != !ec) std::abort();
  if (!valid) return 0;
  const bool plus = mode.find('+') != std::string_view::npos;
  const bool reads = mode.find('r') != std::string_view::npos || plus;
  if (io::has(flags, io::open_flags::read) != reads) std::abort();
  if (!io::has(flags, io::open_flags::write) && mode.find('r') == std::string_view::npos) std::abort();
  if (io::has(flags, io::open_flags::append) != (mode.find('a') != std::string_view::npos)) std::abort();
  if (io::has(flags, io::open_flags::exclusive) != (mode.find('x') != std::string_view::npos)) std::abort();
  if (io::has(flags, io::open_flags::truncate) != (mode.find('w') != std::string_view::npos)) std::abort();
  return 0;
}
