// io-grep -F PATTERN [FILE...] — prints the lines holding a fixed string, with the output and exit
// status of LC_ALL=C grep -F: 0 when a line matched, 1 when none did, 2 on an error. PATTERN may
// hold several patterns, one per line. Lines come from io::views::split over a buffered file.
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io;

namespace {

// GNU grep calls a file binary when its first buffer (128 KiB) holds a NUL byte, or from the point
// where a later NUL is seen: a match is then reported, not printed.
constexpr std::size_t first_block = 128 * 1024;

struct search {
  std::vector<std::string> patterns;
  bool prefix = false;
  io::buffered_writer<io::file&>* out = nullptr;

  bool matches(std::string_view line) const {
    for (const std::string& p : patterns)
      if (line.find(p) != std::string_view::npos) return true;
    return false;
  }

  // Returns whether a line matched; an error goes to `ec`.
  bool run(io::file& file, std::string_view name, std::error_code& ec) const {
    io::buffered_reader in(file, first_block);
    const std::span<const std::byte> head = in.fill(ec);
    if (ec) return false;
    bool binary = std::memchr(head.data(), 0, head.size()) != nullptr;
    bool matched = false;
    for (const std::string_view line : io::views::split(in, '\n', ec)) {
      binary = binary || line.find('\0') != std::string_view::npos;
      if (!matches(line)) continue;
      matched = true;
      if (binary) {
        out->flush();
        std::fprintf(stderr, "io-grep: %.*s: binary file matches\n", static_cast<int>(name.size()), name.data());
        break;
      }
      std::string text = prefix ? std::string(name) + ":" : std::string();
      text.append(line).push_back('\n');
      io::write(*out, text);
    }
    return matched;
  }
};

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args;
  bool fixed = false, options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!options_done && arg == "--") options_done = true;
    else if (!options_done && arg == "-F") fixed = true;
    else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "io-grep: unknown option '%.*s'\n", static_cast<int>(arg.size()), arg.data());
      return 2;
    } else args.push_back(arg);
  }
  if (!fixed || args.empty()) {
    std::fprintf(stderr, "usage: io-grep -F PATTERN [FILE...]\n");
    return 2;
  }

  io::buffered_writer out(io::standard_output());
  search s;
  s.out = &out;
  for (const std::string_view p : io::views::split(args[0], '\n')) s.patterns.emplace_back(p);
  if (s.patterns.empty()) s.patterns.emplace_back(); // "" matches every line
  std::vector<std::string_view> names(args.begin() + 1, args.end());
  if (names.empty()) names.push_back("-");
  s.prefix = names.size() > 1;

  bool any_match = false, any_error = false;
  for (const std::string_view name : names) {
    std::error_code ec;
    const std::string_view shown = name == "-" ? "(standard input)" : name;
    if (name == "-") {
      any_match |= s.run(io::standard_input(), shown, ec);
    } else {
      io::file in(name, "r", ec);
      if (!ec) any_match |= s.run(in, shown, ec);
    }
    if (ec) {
      out.flush();
      std::fprintf(stderr, "io-grep: %.*s: %s\n", static_cast<int>(shown.size()), shown.data(), ec.message().c_str());
      any_error = true;
    }
  }
  std::error_code ec;
  out.flush(ec); // not close(): standard output stays open for whoever writes next
  if (ec) {
    std::fprintf(stderr, "io-grep: write error: %s\n", ec.message().c_str());
    return 2;
  }
  return any_error ? 2 : any_match ? 0 : 1;
}
