// A program for standard_streams.py: prints through io's standard output as it is told.
//   print_child lines N        N lines with io::println, then returns from main
//   print_child prompt         a prompt without a newline, then reads standard input through io
//   print_child prompt-raw     the same, reading standard input's raw file (no flush)
//   print_child caught N       N lines; a failing flush is caught, then main returns
//   print_child mixed          io::println, printf and io::println, flushing in between
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

import io;

int main(int argc, char** argv) {
  const std::string_view what = argc > 1 ? argv[1] : "";
  const int n = argc > 2 ? std::atoi(argv[2]) : 0;
  if (what == "lines") {
    for (int i = 0; i < n; ++i) io::println("line {} of {}", i + 1, n);
  } else if (what == "prompt" || what == "prompt-raw") {
    io::print("name? ");
    char buffer[64];
    const std::size_t got = what == "prompt" ? io::standard_input().read(std::span(buffer))
                                             : io::standard_input().raw().read(std::span(buffer));
    io::println("hello {}", std::string_view(buffer, got));
  } else if (what == "caught") {
    for (int i = 0; i < n; ++i) io::println("line {}", i);
    std::error_code ec;
    io::standard_output().flush(ec);
    std::fprintf(stderr, "flush: %s\n", ec ? ec.message().c_str() : "ok");
  } else if (what == "mixed") {
    io::println("io 1");
    io::standard_output().flush();
    std::printf("printf 2\n");
    std::fflush(stdout);
    io::println("io 3");
  } else {
    std::fprintf(stderr, "usage: print_child lines N | prompt | prompt-raw | caught N | mixed\n");
    return 2;
  }
  return 0;
}
