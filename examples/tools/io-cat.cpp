// io-cat [FILE...] — concatenates files to standard output byte for byte, as cat does; with no
// FILE, or with -, it reads standard input. File to file, io::copy stays inside the kernel.
#include <cstdio>
#include <string_view>
#include <system_error>
#include <vector>

import io;

int main(int argc, char** argv) {
  std::vector<std::string_view> names;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!options_done && arg == "--") options_done = true;
    else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "io-cat: invalid option -- '%c'\nusage: io-cat [FILE...]\n", arg[1]);
      return 1;
    } else names.push_back(arg);
  }
  if (names.empty()) names.push_back("-");

  int status = 0;
  for (const std::string_view name : names) {
    std::error_code ec;
    if (name == "-") {
      io::copy(io::standard_input(), io::standard_output(), ec);
    } else {
      io::file in(name, "r", ec);
      if (!ec) io::copy(in, io::standard_output(), ec);
    }
    if (ec) {
      std::fprintf(stderr, "io-cat: %.*s: %s\n", static_cast<int>(name.size()), name.data(), ec.message().c_str());
      status = 1;
    }
  }
  return status;
}
