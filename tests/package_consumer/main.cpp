// Uses the installed io through `import io;`: memory, file, views and print together.
#include <filesystem>
#include <string>
#include <string_view>

import io;

int main() {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "io-package-consumer.txt";
  io::memory_stream memory("alpha\nbeta\ngamma\n");
  {
    io::buffered_file out = io::open(path, "w");
    io::copy(memory, out);
    out.close();
  }
  io::buffered_file in = io::open(path);
  int lines = 0;
  for (std::string_view line : in | io::views::lines) lines += line.empty() ? 0 : 1;
  std::filesystem::remove(path);
  io::println("lines: {}", lines); // io.text's formatting: std::format or {fmt}, as io was built
  return lines == 3 ? 0 : 1;
}
