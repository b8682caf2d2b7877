// Counts the lines of a file through <fstream> and std::getline: the baseline of bench/compile_time.py.
#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
  long lines = 0;
  std::ifstream in(argc > 1 ? argv[1] : argv[0]);
  for (std::string line; std::getline(in, line);) ++lines;
  std::printf("%ld\n", lines);
}
