// io::print and io::println against std::format / fmt::format of the same arguments, into memory,
// buffered writers of every small size, files and /dev/full.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <version>
#if defined(__cpp_lib_format) && __cpp_lib_format >= 202106L
#include <format>
namespace reference = std;
constexpr bool uses_std_format = true;
#else
#include <fmt/format.h>
namespace reference = fmt;
constexpr bool uses_std_format = false;
#endif
import io;

using io_test::limited_writer;
using io_test::read_text;
using io_test::temp_dir;

namespace {

// The formatting library the build chose is the one io::print uses, and its format strings are
// checked at compile time (a consteval constructor).
static_assert(std::is_same_v<io::format_string<int, const char*>, reference::format_string<int, const char*>>);

// A writer that counts writes and lends no buffer: print's stack-block path.
struct counting_writer {
  std::string data;
  std::size_t writes = 0;
  void write(std::span<const std::byte> bytes) {
    ++writes;
    data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  void flush() {}
};

// One random record and the reference text of it; `print` gets the same format and arguments.
struct record {
  std::int64_t number;
  double real;
  std::string text;
  unsigned width;
};

record random_record(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> length(0, 40);
  std::string text(static_cast<std::size_t>(rng() % 4 == 0 ? length(rng) * 40 : length(rng)), 'x');
  for (char& c : text) c = static_cast<char>('a' + rng() % 26);
  return {static_cast<std::int64_t>(rng()), std::uniform_real_distribution<double>(-1e6, 1e6)(rng), text,
          static_cast<unsigned>(rng() % 30)};
}

// Prints `r` into `out` with both functions, with the same format as reference_text(r).
template <class W>
void print_record(W& out, const record& r) {
  io::print(out, "{} {:>12.3f} [{:^{}}] {:#x}", r.number, r.real, r.text, r.width, r.number & 0xffff);
  io::println(out, " {}", r.text.size());
}
std::string reference_text(const record& r) {
  return reference::format("{} {:>12.3f} [{:^{}}] {:#x}", r.number, r.real, r.text, r.width, r.number & 0xffff) +
         reference::format(" {}\n", r.text.size());
}

// A value whose formatter writes 'P' and looks whether it landed at `expected`: it does when
// print formats straight into a buffer's free room, not when it formats into a copy first.
struct probe {
  const char* expected;
};
bool probe_landed = false;

} // namespace

template <>
struct reference::formatter<probe> {
  template <class ParseContext>
  constexpr auto parse(ParseContext& ctx) {
    return ctx.begin();
  }
  template <class FormatContext>
  auto format(const probe& p, FormatContext& ctx) const {
    auto out = ctx.out();
    *out++ = 'P';
    probe_landed = *p.expected == 'P';
    return out;
  }
};

TEST_CASE("print formats straight into the free room of a buffered writer and of io::open's file") {
  auto check_in_place = [](auto& w) {
    const std::span<std::byte> room = w.spare();
    REQUIRE(room.size() > 2);
    room[1] = std::byte{0};
    probe_landed = false;
    io::print(w, "<{}>", probe{reinterpret_cast<const char*>(room.data()) + 1});
    CHECK(probe_landed);
  };
  limited_writer sink;
  io::buffered_writer w(sink, 64);
  check_in_place(w);
  CHECK(io::as_string_view(w.buffered()) == "<P>");
  temp_dir dir;
  io::buffered_file f = io::open(dir / "p.txt", "w");
  check_in_place(f);
  f.close();
  CHECK(read_text(dir / "p.txt") == "<P>");
}

TEST_CASE("print formats as std::format, or fmt::format where the standard library has no <format>") {
  INFO("std::format used: " << uses_std_format);
  io::memory_stream out;
  io::print(out, "{} + {} = {}; {:08.3f} {:<5}|{:>5}|{:^7}| {}", 1, 2, 1 + 2, 3.14159, "ab", "cd", "mid", true);
  io::println(out, "{{literal}} {:x} {:o} {:e}", 255, 8, 12345.678);
  io::println(out, "");
  io::print(out, "no arguments");
  const std::string expected =
      reference::format("{} + {} = {}; {:08.3f} {:<5}|{:>5}|{:^7}| {}", 1, 2, 1 + 2, 3.14159, "ab", "cd", "mid", true) +
      reference::format("{{literal}} {:x} {:o} {:e}\n", 255, 8, 12345.678) + "\nno arguments";
  CHECK(out.str() == expected);
}

TEST_CASE("print of random records matches the reference into memory, buffered writers of every small size and plain writers") {
  std::mt19937_64 rng(20261126);
  std::vector<record> records;
  std::string expected;
  for (int i = 0; i < 400; ++i) {
    records.push_back(random_record(rng));
    expected += reference_text(records.back());
  }
  {
    io::memory_stream out;
    for (const record& r : records) print_record(out, r);
    CHECK(out.str() == expected);
  }
  {
    counting_writer out;
    for (const record& r : records) print_record(out, r);
    CHECK(out.data == expected);
  }
  for (std::size_t capacity : {1, 2, 3, 5, 7, 9, 16, 100, 511, 512, 513, 4096, 65536}) {
    INFO("capacity " << capacity);
    limited_writer sink;
    io::buffered_writer w(sink, capacity);
    for (const record& r : records) print_record(w, r);
    w.flush();
    CHECK(sink.data == expected);
  }
}

TEST_CASE("print into a buffered writer formats straight into its buffer, one write out when full") {
  limited_writer sink;
  io::buffered_writer w(sink, 64);
  CHECK(w.spare().size() == 64);
  io::println(w, "{}-{}", 12, "ab");
  CHECK(sink.writes == 0);
  CHECK(io::as_string_view(w.buffered()) == "12-ab\n");
  CHECK(w.spare().size() == 58);
  std::string expected = "12-ab\n";
  for (int i = 0; i < 20; ++i) {
    io::println(w, "line {:3}", i); // 9 bytes each: after 6 of them the buffer goes out, then every 7
    expected += reference::format("line {:3}\n", i);
  }
  CHECK(sink.writes == 2);
  CHECK(w.buffered().size() == 63);
  w.flush();
  CHECK(sink.data == expected);
  // Text longer than the buffer and than print's stack block.
  const std::string long_text(3000, 'q');
  io::println(w, "<{}>", long_text);
  w.flush();
  CHECK(sink.data == expected + "<" + long_text + ">\n");
}

TEST_CASE("print into a plain writer makes one write a call when the text fits its stack block") {
  counting_writer out;
  io::println(out, "{} {}", "one", 1);
  CHECK(out.writes == 1);
  CHECK(out.data == "one 1\n");
  const std::string long_text(2000, 'z');
  io::print(out, "{}", long_text);
  CHECK(out.data == "one 1\n" + long_text);
}

TEST_CASE("print into files: io::open's buffered file, an appending one and a raw io::file") {
  temp_dir dir;
  {
    io::buffered_file f = io::open(dir / "a.txt", "w");
    for (int i = 0; i < 10000; ++i) io::println(f, "{:5} {}", i, i * 0.5);
    f.close();
  }
  std::string expected;
  for (int i = 0; i < 10000; ++i) expected += reference::format("{:5} {}\n", i, i * 0.5);
  CHECK(read_text(dir / "a.txt") == expected);
  {
    io::buffered_file f = io::open(dir / "a.txt", "a");
    io::println(f, "appended {}", 1);
    f.close();
  }
  CHECK(read_text(dir / "a.txt") == expected + "appended 1\n");
  {
    io::file f(dir / "b.txt", "w");
    io::println(f, "raw {}", 2);
    f.close();
  }
  CHECK(read_text(dir / "b.txt") == "raw 2\n");
  {
    // A file open for reading and writing: a print after a read writes where the read stopped.
    io::buffered_file f = io::open(dir / "b.txt", "r+");
    char c[4];
    CHECK(f.read(std::span(c)) == 4);
    io::print(f, "{}", "XY");
    f.close();
  }
  CHECK(read_text(dir / "b.txt") == "raw XY");
}

TEST_CASE("print into /dev/full fails at flush and close, both ways, naming the file") {
  if (!std::filesystem::exists("/dev/full")) return;
  {
    io::buffered_file f = io::open("/dev/full", "w");
    for (int i = 0; i < 100; ++i) io::println(f, "record {}", i); // fits the buffer: nothing written yet
    try {
      f.flush();
      FAIL("flush did not throw");
    } catch (const io::io_error& e) {
      CHECK(e.code() == std::errc::no_space_on_device);
      CHECK(e.path() == "/dev/full");
      CHECK(std::string_view(e.what()).find("/dev/full") != std::string_view::npos);
    }
    std::error_code ec;
    f.close(ec);
    CHECK(ec == std::errc::no_space_on_device);
  }
  {
    io::buffered_file f = io::open("/dev/full", "w", 16);
    std::error_code ec;
    io::println(f, ec, "{}", "0123456789"); // 11 bytes: fits
    CHECK(!ec);
    io::println(f, ec, "{}", "0123456789"); // the buffer must go out first: fails
    CHECK(ec == std::errc::no_space_on_device);
    CHECK_THROWS_AS(io::println(f, "{}", "0123456789"), io::io_error);
    f.close(ec);
    CHECK(ec == std::errc::no_space_on_device);
  }
  {
    io::file f("/dev/full", "w");
    std::error_code ec;
    io::print(f, ec, "{}", 42); // unbuffered: at once
    CHECK(ec == std::errc::no_space_on_device);
    CHECK_THROWS_AS(io::print(f, "{}", 42), io::io_error);
  }
}

TEST_CASE("print into a closed buffered writer reports errc::closed") {
  limited_writer sink;
  io::buffered_writer w(sink, 64);
  w.close();
  CHECK(w.spare().empty());
  std::error_code ec;
  io::print(w, ec, "{}", 1);
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS(io::print(w, "{}", 1), io::io_error);
}
