// Must not compile: a string literal would bring its '\0' into the lines (tests/CMakeLists.txt
// checks that the compiler says what to pass instead).
import io;

int main() {
  for (auto line : io::views::lines("a\nb")) (void)line;
}
