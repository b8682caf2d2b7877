// io-cat [FILE...] — concatenates files to standard output byte for byte, as cat does; with no
// FILE, or with -, it reads standard input. File to file, io::copy stays inside the kernel.
// Errors read as GNU cat's: "io-cat: FILE: reason" for an input, which is then skipped;
// "io-cat: write error: reason" for standard output, which ends the run.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

import io;

namespace {

// io::copy moves the bytes inside the kernel, where one failed call does not say which end
// failed. These errors come only from writing (write(2), sendfile(2), copy_file_range(2)), or,
// for EBADF, from a standard output not open for writing; an input's read reports the others.
bool output_failed(const std::error_code& ec) {
  if (ec == io::errc::not_writable) return true;
  if (ec.category() != std::system_category()) return false;
  switch (ec.value()) {
  case ENOSPC: case EDQUOT: case EFBIG: case EPIPE: return true;
  case EBADF: {
    const int flags = ::fcntl(1, F_GETFL);
    return flags == -1 || (flags & O_ACCMODE) == O_RDONLY;
  }
  default: return false;
  }
}

void report(std::string_view name, const std::string& reason) {
  std::fprintf(stderr, "io-cat: %.*s: %s\n", static_cast<int>(name.size()), name.data(), reason.c_str());
}

int run(int argc, char** argv) {
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

  // Where standard output lands: appending a file to itself would never end (GNU cat's check).
  struct stat out {};
  if (::fstat(1, &out) != 0) {
    report("standard output", std::generic_category().message(errno));
    return 1;
  }

  int status = 0;
  for (const std::string_view name : names) {
    std::error_code ec;
    io::file opened;
    if (name != "-") opened = io::file(name, "r", ec);
    io::file& in = name == "-" ? io::standard_input().raw() : opened;
    struct stat info {};
    if (!ec && ::fstat(in.native_handle(), &info) != 0) ec = {errno, std::system_category()};
    if (ec) {
      report(name, ec.message());
      status = 1;
      continue;
    }
    // The same regular file with bytes left to read past the position: each byte copied would
    // be read again. (An input read to its end, or emptied by `> FILE`, copies nothing.)
    if (S_ISREG(out.st_mode) && info.st_dev == out.st_dev && info.st_ino == out.st_ino) {
      std::error_code tell_ec;
      const std::uint64_t position = in.tell(tell_ec);
      if (tell_ec || position < static_cast<std::uint64_t>(info.st_size)) {
        report(name, "input file is output file");
        status = 1;
        continue;
      }
    }
    // File to file, io::copy moves the bytes inside the kernel (copy_file_range). Into a pipe or
    // a device it would use sendfile(2), which fails on a pipe whose reader is gone even with no
    // bytes to send; reading first, as cat does, finds nothing to write and meets no error.
    if (S_ISREG(out.st_mode)) io::copy(in, io::standard_output().raw(), ec);
    else io::copy<io::file, io::file>(in, io::standard_output().raw(), ec);
    if (ec && output_failed(ec)) {
      std::fprintf(stderr, "io-cat: write error: %s\n", ec.message().c_str());
      return 1;
    }
    if (ec) {
      report(name, ec.message());
      status = 1;
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
    std::fprintf(stderr, "io-cat: %s\n", e.what());
    return 1;
  }
}
