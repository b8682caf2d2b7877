// io's benchmarks: each task done by io and by the peers a user would otherwise pick, in one
// program, so that ratios are taken in the same run. Every task returns a checksum of all the
// bytes it touched; `io_bench --verify DATA_DIR` checks that io and its peers agree on each task.
// Data (made by bench/run.py): DATA_DIR/binary, DATA_DIR/text, DATA_DIR/text-utf8, written files go to DATA_DIR/out;
// printed records go to a file in /dev/shm (the temporary directory where there is none) and to /dev/null.
#include <benchmark/benchmark.h>

#include <range/v3/view/getlines.hpp>
#if IO_BENCH_FMT
#include <fmt/core.h>
#endif
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ios>
#include <iomanip>
#include <iterator>
#include <limits>
#include <map>
#include <regex>
#include <memory>
#include <new>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

import io;

namespace {

std::filesystem::path data_dir;
std::filesystem::path binary_file() { return data_dir / "binary"; }
std::filesystem::path text_file() { return data_dir / "text"; }
std::filesystem::path utf8_file() { return data_dir / "text-utf8"; }
std::filesystem::path out_file() { return data_dir / "out"; }

// Folds every byte so that no read can be optimized away; vectorizes into a plain sum. Not
// inlined, so that every task folds with the same machine code whatever its caller looks like.
[[gnu::noinline]] std::uint64_t fold(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t sum = 0;
  // 32-bit partial sums (255 * 2^24 < 2^32) vectorize four times wider than 64-bit ones.
  while (n > 0) {
    const std::size_t block = n < (std::size_t{1} << 24) ? n : std::size_t{1} << 24;
    std::uint32_t part = 0;
    for (std::size_t i = 0; i < block; ++i) part += p[i];
    sum += part;
    p += block;
    n -= block;
  }
  return sum;
}

// Lines and their total length (without terminators), mixed into one number.
struct line_stats {
  std::uint64_t lines = 0, length = 0;
  void add(std::size_t n) { ++lines, length += n; }
  std::uint64_t checksum() const { return lines * 1'000'003 + length; }
};

struct aligned_block {
  explicit aligned_block(std::size_t n)
      : size(n), data(static_cast<char*>(::operator new(n, std::align_val_t{4096}))) {}
  ~aligned_block() { ::operator delete(data, std::align_val_t{4096}); }
  std::size_t size;
  char* data;
};

// ---- sequential read ----------------------------------------------------------------------
std::uint64_t read_posix() {
  const int fd = ::open(binary_file().c_str(), O_RDONLY);
  aligned_block block(1 << 20);
  std::uint64_t sum = 0;
  for (ssize_t n; (n = ::read(fd, block.data, block.size)) > 0;) sum += fold(block.data, static_cast<std::size_t>(n));
  ::close(fd);
  return sum;
}
std::uint64_t read_mmap() {
  const int fd = ::open(binary_file().c_str(), O_RDONLY);
  struct stat info;
  ::fstat(fd, &info);
  const auto size = static_cast<std::size_t>(info.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::madvise(p, size, MADV_SEQUENTIAL);
  const std::uint64_t sum = fold(p, size);
  ::munmap(p, size);
  ::close(fd);
  return sum;
}
std::uint64_t read_ifstream() {
  std::ifstream in(binary_file(), std::ios::binary);
  std::vector<char> block(64 * 1024);
  std::uint64_t sum = 0;
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0)
    sum += fold(block.data(), static_cast<std::size_t>(in.gcount()));
  return sum;
}
std::uint64_t read_fread() {
  std::FILE* f = std::fopen(binary_file().c_str(), "rb");
  std::vector<char> block(64 * 1024);
  std::uint64_t sum = 0;
  for (std::size_t n; (n = std::fread(block.data(), 1, block.size(), f)) > 0;) sum += fold(block.data(), n);
  std::fclose(f);
  return sum;
}
std::uint64_t read_io_chunks() {
  io::file in(binary_file());
  std::uint64_t sum = 0;
  for (const auto chunk : io::views::chunks(in, 1 << 20)) sum += fold(chunk.data(), chunk.size());
  return sum;
}
std::uint64_t read_io_mapped() {
  io::mapped_file mapped(binary_file());
  mapped.advise(io::access_pattern::sequential);
  return fold(mapped.data(), mapped.size());
}

// ---- byte at a time ----------------------------------------------------------------------
std::uint64_t bytes_istreambuf() {
  std::ifstream in(text_file(), std::ios::binary);
  std::uint64_t sum = 0;
  for (auto it = std::istreambuf_iterator<char>(in); it != std::istreambuf_iterator<char>(); ++it)
    sum += static_cast<unsigned char>(*it);
  return sum;
}
std::uint64_t bytes_getc() {
  std::FILE* f = std::fopen(text_file().c_str(), "rb");
  std::uint64_t sum = 0;
  for (int c; (c = getc_unlocked(f)) != EOF;) sum += static_cast<unsigned>(c);
  std::fclose(f);
  return sum;
}
std::uint64_t bytes_io() {
  io::buffered_file in = io::open(text_file());
  std::uint64_t sum = 0;
  for (const std::byte b : in | io::views::bytes) sum += std::to_integer<unsigned>(b);
  return sum;
}

// ---- lines -------------------------------------------------------------------------------
std::uint64_t lines_memchr_read() {
  const int fd = ::open(text_file().c_str(), O_RDONLY);
  aligned_block block(1 << 20);
  line_stats stats;
  std::size_t carried = 0; // length of the line that crossed the last block's end
  for (ssize_t n; (n = ::read(fd, block.data, block.size)) > 0;) {
    const char* p = block.data;
    const char* end = p + n;
    for (const char* nl; (nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; p = nl + 1) {
      stats.add(carried + static_cast<std::size_t>(nl - p));
      carried = 0;
    }
    carried += static_cast<std::size_t>(end - p);
  }
  if (carried != 0) stats.add(carried);
  ::close(fd);
  return stats.checksum();
}
std::uint64_t lines_memchr_mmap() {
  const int fd = ::open(text_file().c_str(), O_RDONLY);
  struct stat info;
  ::fstat(fd, &info);
  const auto size = static_cast<std::size_t>(info.st_size);
  const char* base = static_cast<const char*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
  line_stats stats;
  const char* p = base;
  const char* end = base + size;
  for (const char* nl; (nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; p = nl + 1)
    stats.add(static_cast<std::size_t>(nl - p));
  if (p != end) stats.add(static_cast<std::size_t>(end - p));
  ::munmap(const_cast<char*>(base), size);
  ::close(fd);
  return stats.checksum();
}
std::uint64_t lines_getline() {
  std::ifstream in(text_file(), std::ios::binary);
  line_stats stats;
  for (std::string line; std::getline(in, line);) stats.add(line.size());
  return stats.checksum();
}
std::uint64_t lines_range_v3() {
  std::ifstream in(text_file(), std::ios::binary);
  line_stats stats;
  for (const std::string& line : ranges::getlines(in)) stats.add(line.size());
  return stats.checksum();
}
std::uint64_t lines_io_file() {
  io::buffered_file in = io::open(text_file(), "r", 1 << 20);
  line_stats stats;
  for (const std::string_view line : in | io::views::lines) stats.add(line.size());
  return stats.checksum();
}
std::uint64_t lines_io_text() {
  io::text_reader in(io::open(text_file(), "r", 1 << 20));
  line_stats stats;
  for (const std::string_view line : in | io::views::lines) stats.add(line.size());
  return stats.checksum();
}
// ---- lines of UTF-8 text: checked by io::text_reader, or not checked ---------------------------
std::uint64_t utf8_lines_io_file() {
  io::buffered_file in = io::open(utf8_file(), "r", 1 << 20);
  line_stats stats;
  for (const std::string_view line : in | io::views::lines) stats.add(line.size());
  return stats.checksum();
}
std::uint64_t utf8_lines_io_text() {
  io::text_reader in(io::open(utf8_file(), "r", 1 << 20));
  line_stats stats;
  for (const std::string_view line : in | io::views::lines) stats.add(line.size());
  return stats.checksum();
}
// The text read into memory once, before the tasks that scan it: lines over storage, without a
// file system or page faults in the way.
const std::string& text_in_memory() {
  static const std::string text = [] {
    std::ifstream in(text_file(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }();
  return text;
}
std::uint64_t lines_memchr_memory() {
  const std::string& text = text_in_memory();
  line_stats stats;
  const char* p = text.data();
  const char* end = p + text.size();
  for (const char* nl; (nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; p = nl + 1)
    stats.add(static_cast<std::size_t>(nl - p));
  if (p != end) stats.add(static_cast<std::size_t>(end - p));
  return stats.checksum();
}
std::uint64_t lines_io_memory() {
  line_stats stats;
  for (const std::string_view line : std::string_view(text_in_memory()) | io::views::lines) stats.add(line.size());
  return stats.checksum();
}
std::uint64_t lines_io_mapped() {
  const io::mapped_file mapped(text_file());
  line_stats stats;
  for (const std::string_view line : mapped | io::views::lines) stats.add(line.size());
  return stats.checksum();
}

// ---- memory appends of 10-byte pieces ---------------------------------------------------------
// The appended bytes are checked by size and a sample (every 4096th byte, and the last 64): a full
// fold would add a pass over the 100 MB to every variant that is not appending, and the Python
// peer makes no such pass.
std::uint64_t sample(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t sum = n;
  for (std::size_t i = 0; i < n; i += 4096) sum += p[i];
  return sum + fold(p + (n < 64 ? 0 : n - 64), n < 64 ? n : 64);
}

// How many 10-byte pieces the append and small-write tasks write (io_bench --pieces N).
std::size_t pieces = 10'000'000;
constexpr std::string_view piece = "0123456789";
std::uint64_t append_string() {
  std::string s;
  for (std::size_t i = 0; i < pieces; ++i) s += piece;
  return sample(s.data(), s.size());
}
std::uint64_t append_vector() {
  std::vector<std::byte> v;
  const auto bytes = io::as_bytes(piece);
  for (std::size_t i = 0; i < pieces; ++i) v.insert(v.end(), bytes.begin(), bytes.end());
  return sample(v.data(), v.size());
}
std::uint64_t append_ostringstream() {
  std::ostringstream out;
  for (std::size_t i = 0; i < pieces; ++i) out.write(piece.data(), piece.size());
  const std::string s = std::move(out).str(); // C++20: takes the buffer without a copy
  return sample(s.data(), s.size());
}
std::uint64_t append_memory_stream() {
  io::memory_stream m;
  const auto bytes = io::as_bytes(piece);
  for (std::size_t i = 0; i < pieces; ++i) m.write(bytes);
  return sample(m.view().data(), m.view().size());
}

// A spooled_stream whose threshold is never reached: a memory stream (the same fast path).
std::uint64_t append_spooled_below() {
  io::spooled_stream m(std::numeric_limits<std::size_t>::max());
  const auto bytes = io::as_bytes(piece);
  for (std::size_t i = 0; i < pieces; ++i) m.write(bytes);
  return sample(m.view().data(), m.view().size());
}

// ---- file writes: 64 MiB in 1 MiB blocks, and the pieces -------------------------------------
constexpr std::size_t block_count = 64;
const std::string& block_data() {
  static const std::string block(1 << 20, 'b');
  return block;
}
std::uint64_t file_size_of_out() { return std::filesystem::file_size(out_file()); }

std::uint64_t write_blocks_posix() {
  const int fd = ::open(out_file().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (std::size_t i = 0; i < block_count; ++i) (void)!::write(fd, block_data().data(), block_data().size());
  ::close(fd);
  return file_size_of_out();
}
std::uint64_t write_blocks_fwrite() {
  std::FILE* f = std::fopen(out_file().c_str(), "wb");
  for (std::size_t i = 0; i < block_count; ++i) std::fwrite(block_data().data(), 1, block_data().size(), f);
  std::fclose(f);
  return file_size_of_out();
}
std::uint64_t write_blocks_ofstream() {
  {
    std::ofstream out(out_file(), std::ios::binary);
    for (std::size_t i = 0; i < block_count; ++i) out.write(block_data().data(), static_cast<std::streamsize>(block_data().size()));
  }
  return file_size_of_out();
}
std::uint64_t write_blocks_io() {
  io::buffered_file out = io::open(out_file(), "w");
  for (std::size_t i = 0; i < block_count; ++i) io::write(out, block_data());
  out.close();
  return file_size_of_out();
}
std::uint64_t write_pieces_posix() {
  const int fd = ::open(out_file().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (std::size_t i = 0; i < pieces; ++i) (void)!::write(fd, piece.data(), piece.size());
  ::close(fd);
  return file_size_of_out();
}
std::uint64_t write_pieces_fwrite() {
  std::FILE* f = std::fopen(out_file().c_str(), "wb");
  for (std::size_t i = 0; i < pieces; ++i) std::fwrite(piece.data(), 1, piece.size(), f);
  std::fclose(f);
  return file_size_of_out();
}
std::uint64_t write_pieces_ofstream() {
  {
    std::ofstream out(out_file(), std::ios::binary);
    for (std::size_t i = 0; i < pieces; ++i) out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  }
  return file_size_of_out();
}
std::uint64_t write_pieces_io() {
  io::buffered_file out = io::open(out_file(), "w");
  for (std::size_t i = 0; i < pieces; ++i) io::write(out, piece);
  out.close();
  return file_size_of_out();
}

// A spooled_stream past its threshold from the first byte: appends into a mapped file (in the
// output's directory), which it grows by remapping and cuts to the contents at close.
std::uint64_t write_pieces_spooled() {
  io::spooled_stream out(0, out_file().parent_path());
  for (std::size_t i = 0; i < pieces; ++i) io::write(out, piece);
  const std::uint64_t size = out.view().size();
  out.close();
  return size;
}

// ---- printing small records: an int, a short string and a double per line -------------------
// `pieces` records (io_bench --pieces N), the same text from every variant: "{} {} {:.3f}\n" and
// "%d %s %.3f\n" agree (both round the double's exact value correctly), as does an ostream with
// std::fixed and precision 3. Every variant keeps its default buffer, as a user would.
std::filesystem::path print_file() {
  static const std::filesystem::path path = [] {
    const std::filesystem::path shm = "/dev/shm";
    std::error_code ec;
    const auto directory = std::filesystem::is_directory(shm, ec) ? shm : std::filesystem::temp_directory_path();
    return directory / ("io_bench-print-" + std::to_string(::getpid()));
  }();
  return path;
}
const std::filesystem::path null_file = "/dev/null";

constexpr const char* names[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
int record_number(std::size_t i) { return static_cast<int>(i); }
const char* record_name(std::size_t i) { return names[i % std::size(names)]; }
double record_value(std::size_t i) { return static_cast<double>(i) / 7.0; }

// The file's size: what the benchmark checks (a full comparison is --verify's, below).
std::uint64_t size_of(const std::filesystem::path& path) {
  return path == null_file ? pieces : std::filesystem::file_size(path);
}

std::uint64_t print_io(const std::filesystem::path& path) {
  io::buffered_file out = io::open(path, "w");
  for (std::size_t i = 0; i < pieces; ++i)
    io::println(out, "{} {} {:.3f}", record_number(i), record_name(i), record_value(i));
  out.close();
  return size_of(path);
}
std::uint64_t print_fprintf(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  for (std::size_t i = 0; i < pieces; ++i) std::fprintf(f, "%d %s %.3f\n", record_number(i), record_name(i), record_value(i));
  std::fclose(f);
  return size_of(path);
}
std::uint64_t print_ofstream(const std::filesystem::path& path) {
  {
    std::ofstream out(path);
    out << std::fixed << std::setprecision(3);
    for (std::size_t i = 0; i < pieces; ++i) out << record_number(i) << ' ' << record_name(i) << ' ' << record_value(i) << '\n';
  }
  return size_of(path);
}
#if IO_BENCH_FMT
std::uint64_t print_fmt(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  for (std::size_t i = 0; i < pieces; ++i) fmt::print(f, "{} {} {:.3f}\n", record_number(i), record_name(i), record_value(i));
  std::fclose(f);
  return size_of(path);
}
#endif

// Each task: its group, its name ("io ..." for io's own variants), the work, and the file it
// writes when --verify compares the variants' outputs byte for byte.
struct task {
  const char* group;
  const char* name;
  std::uint64_t (*run)();
  std::filesystem::path (*output)() = nullptr;
};

const std::vector<task> tasks = {
    {"read", "read() 1 MiB loop", read_posix},
    {"read", "mmap loop", read_mmap},
    {"read", "std::ifstream::read 64 KiB", read_ifstream},
    {"read", "fread 64 KiB", read_fread},
    {"read", "io chunks(file, 1 MiB)", read_io_chunks},
    {"read", "io mapped_file", read_io_mapped},
    {"bytes", "std::istreambuf_iterator", bytes_istreambuf},
    {"bytes", "getc_unlocked", bytes_getc},
    {"bytes", "io views::bytes", bytes_io},
    {"lines", "memchr over read()", lines_memchr_read},
    {"lines", "memchr over mmap", lines_memchr_mmap},
    {"lines", "std::getline", lines_getline},
    {"lines", "range-v3 getlines", lines_range_v3},
    {"lines", "io lines(buffered_file)", lines_io_file},
    {"lines", "io lines(mapped_file)", lines_io_mapped},
    {"lines", "io lines(text_reader(buffered_file))", lines_io_text},
    {"utf-8 lines", "io lines(buffered_file)", utf8_lines_io_file},
    {"utf-8 lines", "io lines(text_reader(buffered_file))", utf8_lines_io_text},
    {"lines in memory", "memchr over memory", lines_memchr_memory},
    {"lines in memory", "io lines(std::string_view)", lines_io_memory},
    {"append", "std::string +=", append_string},
    {"append", "std::vector<std::byte>::insert", append_vector},
    {"append", "std::ostringstream::write", append_ostringstream},
    {"append", "io memory_stream::write", append_memory_stream},
    {"append", "io spooled_stream::write (in memory)", append_spooled_below},
    {"write 1 MiB blocks", "write()", write_blocks_posix},
    {"write 1 MiB blocks", "fwrite", write_blocks_fwrite},
    {"write 1 MiB blocks", "std::ofstream", write_blocks_ofstream},
    {"write 1 MiB blocks", "io buffered_file", write_blocks_io},
    {"write 10-byte pieces", "write()", write_pieces_posix},
    {"write 10-byte pieces", "fwrite", write_pieces_fwrite},
    {"write 10-byte pieces", "std::ofstream", write_pieces_ofstream},
    {"write 10-byte pieces", "io buffered_file", write_pieces_io},
    {"write 10-byte pieces", "io spooled_stream (in a file)", write_pieces_spooled},
    {"print records", "fprintf", [] { return print_fprintf(print_file()); }, print_file},
    {"print records", "std::ofstream <<", [] { return print_ofstream(print_file()); }, print_file},
#if IO_BENCH_FMT
    {"print records", "fmt::print(FILE*)", [] { return print_fmt(print_file()); }, print_file},
#endif
    {"print records", "io println(io::open(p, \"w\"))", [] { return print_io(print_file()); }, print_file},
    {"print records to /dev/null", "fprintf", [] { return print_fprintf(null_file); }},
    {"print records to /dev/null", "std::ofstream <<", [] { return print_ofstream(null_file); }},
#if IO_BENCH_FMT
    {"print records to /dev/null", "fmt::print(FILE*)", [] { return print_fmt(null_file); }},
#endif
    {"print records to /dev/null", "io println(io::open(p, \"w\"))", [] { return print_io(null_file); }},
};

// The whole contents of a file.
std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs every task whose "group/name" matches `only` once and checks that each group agrees on its
// checksum, and that the variants of a group that writes a file write the same bytes.
int verify(const std::regex& only) {
  std::map<std::string, std::uint64_t> expected;
  std::map<std::string, std::string> written; // each group's first output
  std::size_t ran = 0;
  int failures = 0;
  for (const task& t : tasks) {
    if (!std::regex_search(std::string(t.group) + "/" + t.name, only)) continue;
    ++ran;
    const std::uint64_t result = t.run();
    const auto [it, first] = expected.emplace(t.group, result);
    bool same = first || it->second == result;
    if (t.output != nullptr) {
      std::string bytes = contents(t.output());
      std::filesystem::remove(t.output());
      if (const auto at = written.find(t.group); at == written.end()) written.emplace(t.group, std::move(bytes));
      else same = same && at->second == bytes;
    }
    std::printf("%-28s %-36s %20llu %s\n", t.group, t.name, static_cast<unsigned long long>(result),
                same ? (t.output != nullptr ? "same bytes" : "") : "DIFFERS");
    failures += same ? 0 : 1;
  }
  std::printf("%zu tasks in %zu groups: %s\n", ran, expected.size(), failures == 0 ? "io and its peers agree" : "MISMATCH");
  return failures == 0 && ran != 0 ? 0 : 1;
}

// The task under measurement in `io_bench --instructions`: callgrind counts from its entry to its
// return (valgrind --toggle-collect='*measured_run*'), and nothing of the set-up around it.
[[gnu::noinline]] std::uint64_t measured_run(const task& t) { return t.run(); }

// Runs one task ("group/name") once, after reading what it scans into memory, for callgrind.
int instructions(std::string_view name) {
  for (const task& t : tasks) {
    if (std::string(t.group) + "/" + t.name != name) continue;
    (void)text_in_memory();
    std::printf("%llu\n", static_cast<unsigned long long>(measured_run(t)));
    return 0;
  }
  std::fprintf(stderr, "io_bench: no task '%.*s'\n", static_cast<int>(name.size()), name.data());
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  // io_bench [--pieces N] --verify DATA_DIR [REGEX] | io_bench [--pieces N] DATA_DIR [benchmark options]
  // | io_bench [--pieces N] --instructions GROUP/TASK DATA_DIR (one run of one task, for callgrind)
  if (argc >= 3 && std::string_view(argv[1]) == "--pieces") {
    pieces = std::strtoull(argv[2], nullptr, 10);
    argv[2] = argv[0];
    argc -= 2;
    argv += 2;
  }
  if (argc >= 4 && std::string_view(argv[1]) == "--instructions") {
    data_dir = argv[3];
    return instructions(argv[2]);
  }
  if (argc >= 3 && std::string_view(argv[1]) == "--verify") {
    data_dir = argv[2];
    return verify(std::regex(argc >= 4 ? argv[3] : ""));
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: io_bench [--pieces N] --verify DATA_DIR [REGEX] | io_bench [--pieces N] DATA_DIR [--benchmark_...]\n");
    return 2;
  }
  data_dir = argv[1];
  (void)text_in_memory(); // read before the clock runs
  // Interleave io and its peers: one registration per task, in the order above, so repetitions
  // alternate between them rather than running one variant's repetitions back to back.
  for (const task& t : tasks) {
    benchmark::RegisterBenchmark((std::string(t.group) + "/" + t.name).c_str(), [run = t.run](benchmark::State& state) {
      for (auto _ : state) benchmark::DoNotOptimize(run());
    })->Unit(benchmark::kMillisecond)->UseRealTime();
  }
  argv[1] = argv[0];
  int rest = argc - 1;
  benchmark::Initialize(&rest, argv + 1);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove(print_file(), ec);
}
