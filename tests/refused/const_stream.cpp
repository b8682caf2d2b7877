// Must not compile: a const stream cannot be read (tests/CMakeLists.txt checks the sentence).
import io;

int main() {
  const io::memory_stream s("x\n");
  for (auto line : s | io::views::lines) (void)line;
}
