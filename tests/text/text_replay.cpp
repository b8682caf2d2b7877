// Reads one file through io::text_reader under every errors= and newline= mode and buffer size,
// and prints what it gives, one result per line in hex, for tests/text/text_parity.py to compare
// with CPython's io.TextIOWrapper.
//
// Usage: text_replay FILE ENCODING
// Output lines: "<errors> <newline> <buffer> <method> <hex> <hex> ...", newline being one of
// none, empty, lf, cr, crlf and buffer the source's buffer size (0: the default), and method:
//   keep  lines with their ends, std::ranges over a text_reader held by name (Python's `for line in f`)
//   drop  lines without their ends, range-v3 over a prvalue pipeline, errors in a std::error_code
//   read  the whole text through read() in pieces of 7 bytes
//   peek  the whole text through fill(n) and consume()
//   rest  two lines, a break, then the rest through read() (the position rule)
// An error ends the items with "E<offset>" ("E?" where the offset is not at hand).
#include <algorithm>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <range/v3/algorithm/for_each.hpp>
#include <range/v3/view/transform.hpp>

import io;

namespace {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "x";
  for (const unsigned char c : bytes) (out += digits[c >> 4]) += digits[c & 15];
  return out;
}

io::buffered_file open(const char* path, std::size_t buffer) {
  return buffer == 0 ? io::open(path) : io::open(path, "r", buffer);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const char* path = argv[1];
  const std::string encoding = argv[2];
  const std::pair<io::text_errors, const char*> all_errors[] = {{io::text_errors::strict, "strict"},
                                                                {io::text_errors::replace, "replace"},
                                                                {io::text_errors::ignore, "ignore"},
                                                                {io::text_errors::backslash_replace, "backslashreplace"}};
  const std::pair<io::newline_mode, const char*> all_newlines[] = {{io::newline_mode::universal, "none"},
                                                                   {io::newline_mode::recognize, "empty"},
                                                                   {io::newline_mode::lf, "lf"},
                                                                   {io::newline_mode::cr, "cr"},
                                                                   {io::newline_mode::crlf, "crlf"}};
  for (const auto& [errors, errors_name] : all_errors) {
    for (const auto& [newline, newline_name] : all_newlines) {
      const io::text_options options{.encoding = encoding, .errors = errors, .newline = newline};
      for (const std::size_t buffer : {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}) {
        const std::string head = std::string(errors_name) + " " + newline_name + " " + std::to_string(buffer) + " ";
        {
          std::string items;
          io::text_reader reader(open(path, buffer), options);
          try {
            std::ranges::for_each(reader | io::views::lines({.keep_ends = true}),
                                  [&](std::string_view line) { (items += ' ') += hex(line); });
          } catch (const io::io_error& e) {
            items += " E" + std::to_string(reader.error_offset());
          }
          std::printf("%skeep%s\n", head.c_str(), items.c_str());
        }
        {
          std::string items;
          std::error_code ec;
          ranges::for_each(io::text_reader(open(path, buffer), options) | io::views::lines(ec) |
                               ranges::views::transform([](std::string_view line) { return hex(line); }),
                           [&](const std::string& line) { (items += ' ') += line; });
          if (ec) items += ec == io::errc::invalid_text ? " E?" : " F" + ec.message();
          std::printf("%sdrop%s\n", head.c_str(), items.c_str());
        }
        {
          std::string text;
          io::text_reader reader(open(path, buffer), options);
          std::error_code ec;
          char piece[7];
          while (const std::size_t n = reader.read(piece, ec)) text.append(piece, n);
          std::string items = " " + hex(text);
          if (ec) items += ec == io::errc::invalid_text ? " E" + std::to_string(reader.error_offset()) : " F";
          std::printf("%sread%s\n", head.c_str(), items.c_str());
        }
        {
          std::string text;
          io::text_reader reader(open(path, buffer), options, 16);
          std::string items;
          try {
            for (std::size_t n = 1;; n = n % 16 + 1) {
              const std::span<const std::byte> got = reader.fill(n);
              if (got.empty()) break;
              const std::size_t take = std::min(got.size(), (n + 1) / 2);
              text += io::as_string_view(got.first(take));
              reader.consume(take);
            }
          } catch (const io::io_error&) {
            items = " E" + std::to_string(reader.error_offset());
          }
          std::printf("%speek %s%s\n", head.c_str(), hex(text).c_str(), items.c_str());
        }
        if (errors != io::text_errors::strict) {
          std::string items;
          io::text_reader reader(open(path, buffer), options);
          int n = 0;
          for (std::string_view line : reader | io::views::lines({.keep_ends = true})) {
            (items += ' ') += hex(line);
            if (++n == 2) break;
          }
          (items += ' ') += hex(io::read_all<std::string>(reader));
          std::printf("%srest%s\n", head.c_str(), items.c_str());
        }
      }
    }
  }
}
