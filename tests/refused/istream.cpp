// Must not compile: a std::istream is not a readable stream (tests/CMakeLists.txt checks that the
// compiler says what a view takes).
#include <iostream>
import io;

int main() {
  for (auto line : std::cin | io::views::lines) (void)line;
}
