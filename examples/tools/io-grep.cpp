// io-grep [-z] -F PATTERN [FILE...] — prints the lines holding a fixed string, with the output and
// exit status of LC_ALL=C grep -F: 0 when a line matched, 1 when none did, 2 on an error. PATTERN
// may hold several patterns, one per line. Lines come from io::views::split over a buffered file;
// with -z, over its decompressed contents (gzip, zstd, xz, bzip2; others as they are), as zgrep.
// A failing standard output is reported as GNU grep reports it: "io-grep: write error: ...", 2.
#include <cstdio>
#include <cstring>
#include <exception>
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

// Standard output through a buffer, failing as GNU grep's does: a write that cannot get its bytes
// out ends the run at once; a flush before a message on standard error (gnulib's error() does one)
// that fails only marks the output as failed, and grep goes on to report it at exit.
struct output {
  io::buffered_writer<io::file&> writer{io::standard_output().raw()};
  bool failed = false;       // a flush before a message failed
  bool written_since = false; // bytes were written after that

  void write(std::string_view text, std::error_code& ec) noexcept {
    writer.write(io::as_bytes(text), ec);
    written_since = true;
  }
  void flush_before_message() noexcept {
    std::error_code ec;
    writer.flush(ec);
    if (ec) failed = true, written_since = false;
  }
};

struct search {
  std::vector<std::string> patterns;
  bool prefix = false;
  bool decompress = false;
  output* out = nullptr;

  bool matches(std::string_view line) const {
    for (const std::string& p : patterns)
      if (line.find(p) != std::string_view::npos) return true;
    return false;
  }

  // Returns whether a line matched; a read error goes to `ec`, a write error to `write_ec`.
  bool run(io::file& file, std::string_view name, std::error_code& ec, std::error_code& write_ec) const {
    if (decompress) {
      // The decoded bytes in a buffer as large as GNU grep's first one, scanned in place.
      io::decompress_reader<io::buffered_reader<io::file&>> in(io::buffered_reader<io::file&>(file), first_block);
      return scan(in, name, ec, write_ec);
    }
    io::buffered_reader in(file, first_block);
    return scan(in, name, ec, write_ec);
  }

  template <class S>
  bool scan(S& in, std::string_view name, std::error_code& ec, std::error_code& write_ec) const {
    const std::span<const std::byte> head = in.fill(ec);
    if (ec) return false;
    bool binary = std::memchr(head.data(), 0, head.size()) != nullptr;
    bool matched = false;
    for (const std::string_view line : io::views::split(in, '\n', ec)) {
      binary = binary || line.find('\0') != std::string_view::npos;
      if (!matches(line)) continue;
      matched = true;
      if (binary) {
        out->flush_before_message();
        std::fprintf(stderr, "io-grep: %.*s: binary file matches\n", static_cast<int>(name.size()), name.data());
        break;
      }
      std::string text = prefix ? std::string(name) + ":" : std::string();
      text.append(line).push_back('\n');
      out->write(text, write_ec);
      if (write_ec) break;
    }
    return matched;
  }
};

int run(int argc, char** argv) {
  std::vector<std::string_view> args;
  bool fixed = false, decompress = false, options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!options_done && arg == "--") options_done = true;
    else if (!options_done && arg == "-F") fixed = true;
    else if (!options_done && arg == "-z") decompress = true;
    else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "io-grep: unknown option '%.*s'\n", static_cast<int>(arg.size()), arg.data());
      return 2;
    } else args.push_back(arg);
  }
  if (!fixed || args.empty()) {
    std::fprintf(stderr, "usage: io-grep [-z] -F PATTERN [FILE...]\n");
    return 2;
  }

  output out;
  search s;
  s.out = &out;
  s.decompress = decompress;
  for (const std::string_view p : io::views::split(args[0], '\n')) s.patterns.emplace_back(p);
  if (s.patterns.empty()) s.patterns.emplace_back(); // "" matches every line
  std::vector<std::string_view> names(args.begin() + 1, args.end());
  if (names.empty()) names.push_back("-");
  s.prefix = names.size() > 1;

  bool any_match = false, any_error = false;
  for (const std::string_view name : names) {
    std::error_code ec, write_ec;
    const std::string_view shown = name == "-" ? "(standard input)" : name;
    if (name == "-") {
      any_match |= s.run(io::standard_input().raw(), shown, ec, write_ec);
    } else {
      io::file in(name, "r", ec);
      if (!ec) any_match |= s.run(in, shown, ec, write_ec);
    }
    if (write_ec) {
      std::fprintf(stderr, "io-grep: write error: %s\n", write_ec.message().c_str());
      return 2;
    }
    if (ec) {
      out.flush_before_message();
      std::fprintf(stderr, "io-grep: %.*s: %s\n", static_cast<int>(shown.size()), shown.data(), ec.message().c_str());
      any_error = true;
    }
  }
  // As GNU grep's close_stdout: a failed flush gives its reason; an output that failed earlier,
  // with nothing written since, is reported without one (stdio no longer holds the error).
  std::error_code ec;
  if (!out.failed || out.written_since)
    out.writer.flush(ec); // not close(): standard output stays open for whoever writes next
  if (ec) {
    std::fprintf(stderr, "io-grep: write error: %s\n", ec.message().c_str());
    return 2;
  }
  if (out.failed) {
    std::fprintf(stderr, "io-grep: write error\n");
    return 2;
  }
  return any_error ? 2 : any_match ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  // Every io call above reports through an error_code; this is for what is left (out of memory).
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "io-grep: %s\n", e.what());
    return 2;
  }
}
