// io-wc [-l] [-w] [-m] [-c] [-z] [--threads N] [FILE...] — GNU wc's counts and layout in the C locale, counted through
// io::views::chunks; -m counts the characters of UTF-8 text as GNU wc -m does under LC_ALL=C.UTF-8. With no FILE, or with -, it reads standard input. With -z it counts the
// decompressed contents (gzip, zstd, xz, bzip2; others as they are) through io::decompress. Errors read as GNU wc's;
// a failing standard output does not stop the counting, and is reported last. With --threads N a
// regular file is mapped and counted in N shards cut by io::views::line_shards, one std::thread
// each; what cannot be mapped (a pipe, a terminal) is read on one thread.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <sys/stat.h>

import io;

namespace {

struct counts {
  std::uint64_t lines = 0, words = 0, chars = 0, bytes = 0;
};

// Counts UTF-8 characters as GNU wc -m does under LC_ALL=C.UTF-8 (glibc's mbrtowc): a byte that
// starts no valid sequence counts nothing and decoding resumes at the next byte; overlong forms
// and surrogates are invalid, while glibc still takes the 4- to 6-byte forms up to 0x7fffffff.
// The state carries a sequence across pieces; one left incomplete at the end counts nothing.
struct utf8_counter {
  std::uint32_t value = 0;
  int needed = 0, length = 0;

  std::uint64_t count(std::string_view text) {
    static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000};
    std::uint64_t n = 0;
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      if (needed != 0) {
        if ((b & 0xc0) == 0x80) {
          value = value << 6 | (b & 0x3f);
          if (--needed == 0) n += value >= smallest[length] && !(value >= 0xd800 && value <= 0xdfff);
          continue;
        }
        needed = 0; // not a continuation: the sequence was invalid, and this byte starts afresh
      }
      if (b < 0x80) ++n;
      else if (b >= 0xc0 && b <= 0xfd) {
        length = b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf8 ? 4 : b < 0xfc ? 5 : 6;
        needed = length - 1;
        value = b & (0x7f >> length);
      }
    }
    return n;
  }
};

// In the C locale a word starts at a printable character and ends at white space; other bytes
// neither start nor end one (as GNU wc 9 counts).
enum class kind : unsigned char { other, space, printable };
constexpr std::array<kind, 256> kinds = [] {
  std::array<kind, 256> table{};
  for (int c = 0x21; c < 0x7f; ++c) table[c] = kind::printable;
  for (const int c : {' ', '\t', '\n', '\v', '\f', '\r'}) table[c] = kind::space;
  return table;
}();

// The newlines in `text`, counted 255 bytes at a time into byte-wide counters, which the compiler
// turns into vector compares and adds: no call per line, unlike a memchr from line to line.
std::uint64_t count_newlines(std::string_view text) {
  std::uint64_t total = 0;
  while (!text.empty()) {
    const std::size_t n = std::min<std::size_t>(text.size(), 255);
    unsigned char block = 0;
    for (std::size_t i = 0; i < n; ++i) block += text[i] == '\n';
    total += block;
    text.remove_prefix(n);
  }
  return total;
}

// Adds the counts of `text` to `total`; `in_word` carries a word across pieces.
void tally(std::string_view text, bool want_words, bool& in_word, counts& total, utf8_counter* chars = nullptr) {
  total.bytes += text.size();
  if (chars != nullptr) total.chars += chars->count(text);
  total.lines += count_newlines(text);
  if (!want_words) return;
  for (const char c : text) {
    const kind k = kinds[static_cast<unsigned char>(c)];
    if (k == kind::space) in_word = false;
    else if (k == kind::printable && !in_word) in_word = true, ++total.words;
  }
}

// Counts a file, or the decompressed contents of one (io::decompress hands out its buffer of
// 256 KiB, so the chunks point into it). A read error ends the chunks after the bytes read before
// it, which are counted, as `zcat | wc` counts them.
template <class S>
counts count(S& in, bool want_words, bool want_chars, std::error_code& ec) {
  counts total;
  bool in_word = false;
  utf8_counter chars;
  for (const std::span<const std::byte> chunk : io::views::chunks(in, 256 * 1024, ec))
    tally(io::as_string_view(chunk), want_words, in_word, total, want_chars ? &chars : nullptr);
  return total;
}

// Counts a regular file on `threads` threads: its map cut into shards at line boundaries, eight a
// thread, which the threads take in turn (one thread's shards can take longer than another's: the
// kernel maps some parts of the page cache in more slowly), each counted on its own. A shard
// starts after a '\n' (or at the start), so no word straddles a cut and the shards' counts add up
// to the whole's. False when it cannot be mapped.
bool count_sharded(const std::string& path, unsigned threads, bool want_words, bool want_chars, counts& total) {
  std::error_code ec;
  io::mapped_file mapped(path, ec);
  if (ec) return false;
  mapped.advise(io::access_pattern::sequential, ec); // advice only: counting works without it
  const std::vector<std::string_view> shards = io::views::line_shards(mapped.text(), std::size_t{threads} * 8);
  // One cache line per thread's counts, so that the threads do not share one.
  struct alignas(64) part {
    counts value;
  };
  // No more threads than shards (a small file has few lines), and at least this one.
  const std::size_t used = std::max<std::size_t>(1, std::min<std::size_t>(threads, shards.size()));
  std::vector<part> parts(used);
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t t) {
    counts local; // counted in a local: the loop's stores cannot alias the bytes it reads
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < shards.size();) {
      bool in_word = false;
      utf8_counter chars; // a shard ends after a '\n', which ends any UTF-8 sequence: none straddles a cut
      // The thread maps its shard's pages in at once and takes them out when done (advice only:
      // errors change nothing), so that neither the page faults nor the unmapping of the whole
      // file at the end are one thread's work.
      const auto offset = static_cast<std::size_t>(shards[i].data() - mapped.text().data());
      std::error_code advice_ec;
      mapped.advise(io::access_pattern::populate, offset, shards[i].size(), advice_ec);
      tally(shards[i], want_words, in_word, local, want_chars ? &chars : nullptr);
      mapped.advise(io::access_pattern::dont_need, offset, shards[i].size(), advice_ec);
    }
    parts[t].value = local;
  };
  // std::thread joined by hand, not std::jthread: libc++ 22's shared library here lacks the
  // atomic-wait functions that std::jthread's stop token calls, so it does not link.
  std::vector<std::thread> workers;
  try {
    for (std::size_t t = 1; t < used; ++t) workers.emplace_back(work, t);
  } catch (...) {
    next = shards.size(); // the running threads stop after their shard
    for (std::thread& w : workers) w.join();
    throw;
  }
  work(0);
  for (std::thread& w : workers) w.join();
  for (const part& p : parts) total.lines += p.value.lines, total.words += p.value.words, total.chars += p.value.chars,
                                   total.bytes += p.value.bytes;
  return true;
}

struct operand {
  std::string name; // "-" for standard input
  bool named;       // printed after the counts
  bool stat_failed = false;
  struct stat info {};
};

int run(int argc, char** argv) {
  bool lines = false, words = false, chars = false, bytes = false, decompress = false, options_done = false;
  unsigned threads = 0; // 0: --threads not given, read through chunks
  std::vector<operand> operands;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && (arg == "--threads" || arg.starts_with("--threads="))) {
      const char* value = arg == "--threads" ? (i + 1 < argc ? argv[++i] : "") : argv[i] + std::strlen("--threads=");
      char* end = nullptr;
      const unsigned long n = std::strtoul(value, &end, 10);
      if (*value < '0' || *value > '9' || *end != '\0' || n == 0 || n > 1024) {
        std::fprintf(stderr, "io-wc: invalid number of threads: '%s'\n", value);
        return 1;
      }
      threads = static_cast<unsigned>(n);
    } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      for (const char c : arg.substr(1)) {
        if (c == 'l') lines = true;
        else if (c == 'w') words = true;
        else if (c == 'c') bytes = true;
        else if (c == 'm') chars = true;
        else if (c == 'z') decompress = true;
        else {
          std::fprintf(stderr, "io-wc: invalid option -- '%c'\nusage: io-wc [-l] [-w] [-m] [-c] [-z] [--threads N] [FILE...]\n", c);
          return 1;
        }
      }
    } else {
      operands.push_back({std::string(arg), true});
    }
  }
  if (!lines && !words && !chars && !bytes) lines = words = bytes = true;
  if (operands.empty()) operands.push_back({"-", false});

  // The column width, as GNU wc chooses it from the sizes it can see before reading.
  for (operand& op : operands)
    op.stat_failed = op.name == "-" ? ::fstat(0, &op.info) != 0 : ::stat(op.name.c_str(), &op.info) != 0;
  int width = 1;
  if (lines + words + chars + bytes > 1 || operands.size() > 1) {
    std::uint64_t regular_total = 0;
    int minimum = 1;
    for (const operand& op : operands) {
      if (op.stat_failed) continue;
      if (S_ISREG(op.info.st_mode)) regular_total += static_cast<std::uint64_t>(op.info.st_size);
      else minimum = 7;
    }
    for (; regular_total >= 10; regular_total /= 10) ++width;
    width = std::max(width, minimum);
  }

  // Through io's buffered standard output, as GNU wc's goes through stdio's: by line on a
  // terminal, fully into a pipe or file. After a failed write nothing more is written.
  std::error_code write_ec;
  io::standard_writer& out = io::standard_output();
  auto print = [&](const counts& c, std::string_view name) {
    bool first = true;
    for (const auto& [wanted, value] :
         {std::pair{lines, c.lines}, {words, c.words}, {chars, c.chars}, {bytes, c.bytes}}) {
      if (!wanted || write_ec) continue;
      io::print(out, write_ec, "{}{:>{}}", first ? "" : " ", value, width);
      first = false;
    }
    if (!write_ec) io::println(out, write_ec, "{}{}", name.empty() ? "" : " ", name);
  };

  int status = 0;
  counts total;
  for (const operand& op : operands) {
    std::error_code ec;
    io::file opened;
    if (op.name != "-") opened = io::file(op.name, "r", ec);
    const bool open_failed = static_cast<bool>(ec);
    io::file& in = op.name == "-" ? io::standard_input().raw() : opened;
    counts c;
    if (!open_failed && decompress) {
      auto decoded = io::decompress(in);
      c = count(decoded, words, chars, ec);
    } else if (!open_failed && threads > 0 && op.name != "-" && !op.stat_failed && S_ISREG(op.info.st_mode) &&
               count_sharded(op.name, threads, words, chars, c)) {
    } else if (!open_failed) {
      c = count(in, words, chars, ec);
    }
    if (ec) {
      std::fprintf(stderr, "io-wc: %s: %s\n", op.name.c_str(), ec.message().c_str());
      status = 1;
      // GNU wc opens a directory and fails only at reading it, so it still prints its zeros; a
      // file that did not open gets no line.
      if (open_failed && ec != std::errc::is_a_directory) continue;
    }
    total.lines += c.lines, total.words += c.words, total.chars += c.chars, total.bytes += c.bytes;
    print(c, op.named ? op.name : "");
  }
  if (operands.size() > 1) print(total, "total");
  // Closed here, so that its errors are reported as GNU wc reports them and not again at exit.
  std::error_code close_ec;
  out.close(close_ec);
  if (!write_ec) write_ec = close_ec;
  if (write_ec) {
    // GNU wc's stdio has dropped the failed line by the time it checks standard output at exit,
    // so it reports no reason: "wc: write error".
    std::fprintf(stderr, "io-wc: write error\n");
    return 1;
  }
  return status;
}

} // namespace

int main(int argc, char** argv) {
  // Every io call above reports through an error_code; this is for what is left (out of memory).
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "io-wc: %s\n", e.what());
    return 1;
  }
}
