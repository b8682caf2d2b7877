// io-zcat [FILE...] — writes the decompressed contents of gzip, zstd, xz and bzip2 files (every
// member) to standard output, and other files unchanged, as `zcat -f` does for gzip; with no FILE,
// or with -, it reads standard input. Messages and exit status follow GNU gzip's: 1 after an
// error ("io-zcat: FILE: unexpected end of file", "...: invalid compressed data", a missing
// file), 2 after only warnings ("decompression OK, trailing garbage ignored", a directory).
// After a gzip member it does what `gzip -dc` does (zeros ignored, other bytes a warning), not
// what `gzip -dcf` does (which copies them to the output as if they began a plain file).
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/stat.h>

import io;

namespace {

// GNU gzip starts what it says about the data it decompressed (not a file that did not open, nor
// a directory) on a new line, in case the output went to the same terminal.
void report(std::string_view name, std::string_view reason, bool new_line = false) {
  std::fprintf(stderr, "%sio-zcat: %.*s: %.*s\n", new_line ? "\n" : "", static_cast<int>(name.size()), name.data(),
               static_cast<int>(reason.size()), reason.data());
}

// gzip's words for what went wrong with compressed data.
std::string reason(const std::error_code& ec) {
  if (ec == io::errc::unexpected_eof) return "unexpected end of file";
  if (ec == io::errc::corrupt_data) return "invalid compressed data";
  return ec.message();
}

// Decompresses `in` to standard output. Returns 0, 1 (an error) or 2 (a warning); `write_ec`
// gets a failure of standard output.
template <class S>
int unpack(S& in, std::string_view name, std::error_code& write_ec) {
  auto z = io::decompress(in);
  std::error_code ec;
  for (;;) {
    const std::span<const std::byte> bytes = z.fill(ec);
    if (ec || bytes.empty()) break;
    io::write(io::standard_output().raw(), bytes, write_ec);
    if (write_ec) return 1;
    z.consume(bytes.size());
  }
  if (!ec) return 0;
  if (ec == io::errc::trailing_garbage) {
    report(name, "decompression OK, trailing garbage ignored", true);
    return 2;
  }
  report(name, reason(ec), true);
  return 1;
}

int run(int argc, char** argv) {
  std::vector<std::string_view> names;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!options_done && arg == "--") options_done = true;
    else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "io-zcat: invalid option -- '%c'\nusage: io-zcat [FILE...]\n", arg[1]);
      return 1;
    } else names.push_back(arg);
  }
  if (names.empty()) names.push_back("-");

  int status = 0;
  const auto note = [&](int outcome) {
    if (outcome == 1 || (outcome == 2 && status == 0)) status = outcome;
  };
  for (const std::string_view name : names) {
    std::error_code write_ec;
    if (name == "-") {
      note(unpack(io::standard_input().raw(), "stdin", write_ec));
    } else {
      std::error_code ec;
      io::file in(name, "r", ec);
      struct stat info {};
      if (ec == std::errc::is_a_directory || (!ec && ::fstat(in.native_handle(), &info) == 0 && S_ISDIR(info.st_mode))) {
        std::fprintf(stderr, "io-zcat: %.*s is a directory -- ignored\n", static_cast<int>(name.size()), name.data());
        note(2);
        continue;
      }
      if (ec) {
        report(name, ec.message());
        note(1);
        continue;
      }
      note(unpack(in, name, write_ec));
    }
    if (write_ec) {
      report("stdout", write_ec.message(), true);
      return 1;
    }
  }
  return status;
}

} // namespace

int main(int argc, char** argv) {
  // Every io call above reports through an error_code; this is for what is left (out of memory).
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "io-zcat: %s\n", e.what());
    return 1;
  }
}
