// The lines and words of a big file counted on all cores: the mapped file cut by
// io::views::line_shards into one shard per thread, each counted on its own std::thread.
// Usage: word_count_threads FILE [THREADS]   (THREADS: the cores the machine has)
#include <cstdio>
#include <cstdlib>
#include <ranges>
#include <string_view>
#include <thread>
#include <vector>

import io;

struct tally {
  std::size_t lines = 0, words = 0;
};

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: word_count_threads FILE [THREADS]\n");
    return 2;
  }
  const io::mapped_file file(argv[1]);
  const unsigned threads = argc == 3 ? static_cast<unsigned>(std::atoi(argv[2])) : std::thread::hardware_concurrency();
  // Each shard ends just after a '\n', so no line, and so no word, is cut in two.
  const std::vector<std::string_view> shards = io::views::line_shards(file.text(), threads);
  std::vector<tally> tallies(shards.size());
  // std::thread joined by hand (std::jthread would join by itself, but libc++ 22's shared library
  // here lacks the atomic-wait functions its stop token calls).
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < shards.size(); ++i)
    workers.emplace_back([shard = shards[i], &result = tallies[i]] {
      tally t; // counted locally: threads never write to one cache line as they go
      for (const std::string_view line : shard | io::views::lines) {
        ++t.lines;
        t.words += static_cast<std::size_t>(std::ranges::distance(line | io::views::words));
      }
      result = t;
    });
  for (std::thread& w : workers) w.join();
  tally total;
  for (const tally& t : tallies) total.lines += t.lines, total.words += t.words;
  std::printf("%zu lines, %zu words\n", total.lines, total.words);
}
