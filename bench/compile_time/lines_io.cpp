// Counts the lines of a file through io: the consumer whose compile time bench/compile_time.py measures.
#include <cstdio>
#include <string_view>
import io;

int main(int argc, char** argv) {
  long lines = 0;
  for (std::string_view line : io::open(argc > 1 ? argv[1] : argv[0]) | io::views::lines) {
    (void)line;
    ++lines;
  }
  std::printf("%ld\n", lines);
}
