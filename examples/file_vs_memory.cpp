// One code path over a file and a memory buffer, then the buffer saved to a file (Python's
// open() next to BytesIO). Usage: file_vs_memory [DIRECTORY] (default: the temporary directory)
#include <cstdio>
#include <filesystem>
#include <string>

import io;

// Works on anything readable: a file, a memory stream, a buffered file.
template <io::readable Stream>
std::size_t count_words(Stream& in) {
  const std::string text = io::read_all<std::string>(in);
  std::size_t words = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    words += text[i] != ' ' && text[i] != '\n' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n');
  return words;
}

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
  const std::filesystem::path path = dir / "io-file-vs-memory.txt";

  io::memory_stream memory;                            // memory = io.BytesIO()
  io::write(memory, "the quick brown fox\njumps over the lazy dog\n");
  memory.seek(0);
  std::printf("words in memory: %zu\n", count_words(memory));

  memory.seek(0);
  io::buffered_file out = io::open(path, "w");         // out = open(path, "w")
  std::printf("bytes saved: %llu\n", static_cast<unsigned long long>(io::copy(memory, out)));
  out.close();                                          // close() reports a failed write

  io::buffered_file in = io::open(path, "rb");         // the same function, given the file
  std::printf("words in the file: %zu\n", count_words(in));
  in.seek(0);
  std::printf("file equals memory: %s\n", io::read_all<std::string>(in) == memory.str() ? "yes" : "no");
  std::filesystem::remove(path);
}
