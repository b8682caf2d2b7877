// io::text_reader and io::open_text: checked UTF-8, Python's errors= and newline=, lines that end
// where the newline mode says, the in-place fast path and the position rule. The differential
// test against CPython is tests/text/text_parity.py.
#include <doctest/doctest.h>

#include <concepts>
#include <cstddef>
#include <random>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

#include "../support.hpp"
import io;

using io_test::temp_dir;
using io_test::write_text;

namespace {

std::vector<std::string> lines_of(std::string_view bytes, io::text_options options, bool keep_ends = false,
                                  std::size_t buffer = 3) {
  io::memory_stream source(bytes);
  io::buffered_reader small(source, buffer);
  std::vector<std::string> out;
  for (std::string_view line : io::text_reader(small, options) | io::views::lines({.keep_ends = keep_ends}))
    out.emplace_back(line);
  return out;
}

std::string text_of(std::string_view bytes, io::text_options options) {
  return io::read_all<std::string>(io::text_reader(io::memory_stream(bytes), options));
}

} // namespace

TEST_CASE("valid UTF-8 that needs no translation is handed out in the source's buffer, not copied") {
  const std::string text = "plain ASCII line\nd\xC3\xA9j\xC3\xA0 vu \xE2\x82\xAC \xF0\x9F\x98\x80\nlast";
  for (const io::newline_mode mode : {io::newline_mode::lf, io::newline_mode::universal, io::newline_mode::recognize}) {
    io::memory_stream source(text);
    io::text_reader reader(source, {.newline = mode});
    const std::span<const std::byte> got = reader.fill();
    CHECK(got.data() == source.view().data());
    CHECK(got.size() == text.size());
    CHECK(reader.buffered().data() == source.view().data());
    reader.consume(5);
    CHECK(source.tell() == 5); // consumed in the source itself
  }
  // Over a buffered file: the text lies in the file's buffer.
  temp_dir dir;
  write_text(dir / "t", text);
  io::text_reader reader(io::open(dir / "t"), {.newline = io::newline_mode::lf});
  const std::span<const std::byte> got = reader.fill();
  CHECK(got.data() == reader.inner().buffered().data());
  CHECK(io::as_string_view(got) == text);
}

TEST_CASE("a repaired or translated stretch is copied, and the valid text after it is in place again") {
  std::string text = "a\xFF" "b\r\n";
  const std::string tail(5000, 'x');
  text += tail;
  io::memory_stream source(text);
  io::text_reader reader(source, {.errors = io::text_errors::replace});
  std::string out;
  bool in_place_again = false;
  while (true) {
    const std::span<const std::byte> got = reader.fill();
    if (got.empty()) break;
    const auto* base = source.view().data();
    if (got.data() >= base && got.data() < base + text.size() && out.size() > 4) in_place_again = true;
    out += io::as_string_view(got);
    reader.consume(got.size());
  }
  CHECK(out == "a\xEF\xBF\xBD" "b\n" + tail);
  CHECK(in_place_again);
}

TEST_CASE("errors= repairs as CPython: U+FFFD per maximal ill-formed subsequence, dropped, or \\xNN per byte") {
  const std::string bad = "\xE0\x80|\xF0\x9F\x98|\xED\xA0\x80|\xC0\xAF|\xF4\x90\x80\x80|\xFF";
  CHECK(text_of(bad, {.errors = io::text_errors::replace}) ==
        "\uFFFD\uFFFD|\uFFFD|\uFFFD\uFFFD\uFFFD|\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD\uFFFD|\uFFFD");
  CHECK(text_of(bad, {.errors = io::text_errors::ignore}) == "|||||");
  CHECK(text_of(bad, {.errors = io::text_errors::backslash_replace}) ==
        "\\xe0\\x80|\\xf0\\x9f\\x98|\\xed\\xa0\\x80|\\xc0\\xaf|\\xf4\\x90\\x80\\x80|\\xff");
  // CPython decodes, then translates newlines: a "\r" and a "\n" with dropped bytes between are one line end.
  CHECK(text_of("a\r\xFF\xC0\nb", {.errors = io::text_errors::ignore}) == "a\nb");
  CHECK(text_of("a\r\xFF\nb", {.errors = io::text_errors::replace}) == "a\n\uFFFD\nb");
  // A sequence cut short by the end is one error.
  CHECK(text_of("ok\xF0\x9F\x98", {.errors = io::text_errors::replace}) == "ok\uFFFD");
}

TEST_CASE("errors=strict names the path and the absolute offset of the first invalid byte, both ways") {
  temp_dir dir;
  write_text(dir / "bad.txt", "first line\nsecond \xC3\xA9 line\nthird \xC3( line\n");
  std::vector<std::string> seen;
  try {
    for (std::string_view line : io::open_text(dir / "bad.txt") | io::views::lines) seen.emplace_back(line);
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::invalid_text);
    CHECK(e.path() == (dir / "bad.txt").string());
    CHECK(std::string(e.what()).find("byte offset 32") != std::string::npos);
    CHECK(std::string(e.what()).find("0xc3") != std::string::npos);
  }
  CHECK(seen == std::vector<std::string>{"first line", "second \xC3\xA9 line"});
  // The error_code twin: the range ends at the error, which stays.
  std::error_code ec;
  io::text_file_reader reader = io::open_text(dir / "bad.txt", "r", {}, ec);
  REQUIRE(!ec);
  std::size_t count = 0;
  for (std::string_view line : reader | io::views::lines(ec)) count += line.empty() ? 0 : 1;
  CHECK(count == 2);
  CHECK(ec == io::errc::invalid_text);
  CHECK(reader.error_offset() == 32);
  std::error_code again;
  CHECK(reader.fill(again).empty());
  CHECK(again == io::errc::invalid_text);
  // The offset counts from the stream's start, not from where the reader began.
  io::memory_stream source(std::string_view("abc\xFF"));
  source.seek(1);
  io::text_reader from_middle(source);
  CHECK_THROWS_AS(io::read_all<std::string>(from_middle), io::io_error);
  CHECK(from_middle.error_offset() == 3);
}

TEST_CASE("newline=recognize, cr and crlf: io::views::lines ends lines where Python's TextIOWrapper does") {
  const std::string text = "a\rb\r\nc\nd\r\r\ne";
  CHECK(lines_of(text, {.newline = io::newline_mode::universal}) ==
        std::vector<std::string>{"a", "b", "c", "d", "", "e"});
  CHECK(lines_of(text, {.newline = io::newline_mode::recognize}, true) ==
        std::vector<std::string>{"a\r", "b\r\n", "c\n", "d\r", "\r\n", "e"});
  CHECK(lines_of(text, {.newline = io::newline_mode::recognize}) ==
        std::vector<std::string>{"a", "b", "c", "d", "", "e"});
  CHECK(lines_of(text, {.newline = io::newline_mode::lf}, true) ==
        std::vector<std::string>{"a\rb\r\n", "c\n", "d\r\r\n", "e"});
  CHECK(lines_of(text, {.newline = io::newline_mode::lf}) == std::vector<std::string>{"a\rb\r", "c", "d\r\r", "e"});
  CHECK(lines_of(text, {.newline = io::newline_mode::cr}) == std::vector<std::string>{"a", "b", "\nc\nd", "", "\ne"});
  CHECK(lines_of(text, {.newline = io::newline_mode::crlf}) == std::vector<std::string>{"a\rb", "c\nd\r", "e"});
  // A "\r\n" split by the source's buffer is one line end.
  CHECK(lines_of("x\r\ny", {.newline = io::newline_mode::recognize}, true, 2) ==
        std::vector<std::string>{"x\r\n", "y"});
  CHECK(lines_of("x\r\ny", {.newline = io::newline_mode::universal}, true, 2) ==
        std::vector<std::string>{"x\n", "y"});
  // Lines over a plain byte stream are cut as before: "\n", with a '\r' before it dropped.
  io::memory_stream plain(std::string_view("a\r\nb\rc"));
  std::vector<std::string> got;
  for (std::string_view line : plain | io::views::lines) got.emplace_back(line);
  CHECK(got == std::vector<std::string>{"a", "b\rc"});
}

TEST_CASE("after a break, the text reader is right after the last line handed out") {
  const std::string text = "one\r\ntwo\rthree\n\xFFrest\r";
  for (std::size_t buffer = 1; buffer <= 9; ++buffer) {
    CAPTURE(buffer);
    io::memory_stream source(text);
    io::buffered_reader small(source, buffer);
    io::text_reader reader(small, {.errors = io::text_errors::replace});
    std::vector<std::string> seen;
    for (std::string_view line : reader | io::views::lines) {
      seen.emplace_back(line);
      if (seen.size() == 2) break;
    }
    CHECK(seen == std::vector<std::string>{"one", "two"});
    CHECK(io::read_all<std::string>(reader) == "three\n\uFFFDrest\n");
  }
}

TEST_CASE("std::ranges and range-v3 over a text reader, held by name and as a prvalue pipeline") {
  const std::string text = "\xEF\xBB\xBF" "alpha\r\nbeta\n";
  io::memory_stream source(text);
  io::text_reader reader(source, {.encoding = "UTF_8-sig"});
  auto view = reader | io::views::lines;
  static_assert(std::ranges::input_range<decltype(view)>);
  static_assert(!std::ranges::forward_range<decltype(view)>);
  std::vector<std::string> a;
  for (auto size : view | std::views::transform([](std::string_view l) { return l.size(); })) a.push_back(std::to_string(size));
  CHECK(a == std::vector<std::string>{"5", "4"});
  const auto b = io::text_reader(io::memory_stream(text), {.encoding = "utf-8-sig"}) | io::views::lines |
                 ranges::views::transform([](std::string_view l) { return std::string(l); }) | ranges::to<std::vector>();
  CHECK(b == std::vector<std::string>{"alpha", "beta"});
}

TEST_CASE("encoding names as Python spells UTF-8, and names neither io nor iconv knows are errc::unknown_encoding") {
  for (const char* name : {"utf-8", "UTF8", "utf_8", "U8", "utf", "cp65001", " Utf--8 "})
    CHECK(text_of("\xC3\xA9", {.encoding = name}) == "\xC3\xA9");
  CHECK(text_of("\xEF\xBB\xBFx\xEF\xBB\xBF", {.encoding = "utf-8-sig"}) == "x\xEF\xBB\xBF");
  CHECK(text_of("\xEF\xBB\xBFx", {.encoding = "utf-8"}) == "\xEF\xBB\xBFx");
  io::text_reader reader(io::memory_stream(std::string_view("x")), {.encoding = "klingon"});
  CHECK_THROWS_AS(reader.fill(), io::io_error);
  std::error_code ec;
  CHECK(reader.fill(ec).empty());
  CHECK(ec == io::errc::unknown_encoding);
  temp_dir dir;
  write_text(dir / "t", "x");
  CHECK_THROWS_AS(io::open_text(dir / "t", "r", {.encoding = "klingon"}), io::io_error);
  io::open_text(dir / "t", "r", {.encoding = "klingon"}, ec);
  CHECK(ec == io::errc::unknown_encoding);
  io::open_text(dir / "t", "w", {}, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(std::filesystem::file_size(dir / "t") == 1); // nothing truncated
  io::open_text(dir / "missing", "r", {}, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(io::read_all<std::string>(io::open_text(dir / "t", "rt")) == "x");
}

TEST_CASE("other encodings are decoded, then their lines end as newline= says") {
  const io::text_options latin1{.encoding = "latin-1"};
  CHECK(lines_of("caf\xE9\r\nna\xEFve\rend", latin1) == std::vector<std::string>{"caf\xC3\xA9", "na\xC3\xAFve", "end"});
  CHECK(lines_of("a\r\nb", {.encoding = "cp1252", .newline = io::newline_mode::recognize}, true, 1) ==
        std::vector<std::string>{"a\r\n", "b"});
  // UTF-16 with its byte order mark, "\r" and "\n" in separate reads of the source (one byte each).
  CHECK(lines_of(std::string_view("\xFF\xFEx\0\r\0\n\0\xAC\x20", 10), {.encoding = "utf-16"}, false, 1) ==
        std::vector<std::string>{"x", "\xE2\x82\xAC"});
  CHECK(lines_of(std::string_view("\0x\0\n\0y", 6), {.encoding = "UTF-16BE"}) == std::vector<std::string>{"x", "y"});
  CHECK(text_of("\xE1\xC2\r\n", {.encoding = "koi8-r"}) == "\xD0\x90\xD0\xB1\n");
  CHECK(text_of("ab\x81" "c", {.encoding = "cp1252", .errors = io::text_errors::replace}) == "ab\uFFFDc");
  CHECK(text_of("ab\x81" "c", {.encoding = "cp1252", .errors = io::text_errors::backslash_replace}) == "ab\\x81c");
}

TEST_CASE("a strict decoding error of another encoding comes after the text before it, at its offset, both ways") {
  temp_dir dir;
  write_text(dir / "bad.txt", "one\ntwo\nthr\x81" "e\n");
  std::vector<std::string> seen;
  io::text_file_reader reader = io::open_text(dir / "bad.txt", "r", {.encoding = "cp1252"});
  try {
    for (std::string_view line : reader | io::views::lines) seen.emplace_back(line);
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::invalid_text);
    CHECK(std::string_view(e.what()).find("cp1252 (invalid byte 0x81 at byte offset 11)") != std::string_view::npos);
    CHECK(std::string_view(e.what()).find("bad.txt") != std::string_view::npos);
  }
  CHECK(seen == std::vector<std::string>{"one", "two"});
  CHECK(reader.error_offset() == 11);
  std::error_code ec;
  io::text_file_reader again = io::open_text(dir / "bad.txt", "r", {.encoding = "cp1252"}, ec);
  REQUIRE(!ec);
  std::string text;
  char piece[3];
  while (const std::size_t n = again.read(piece, ec)) text.append(piece, n);
  CHECK(text == "one\ntwo\nthr");
  CHECK(ec == io::errc::invalid_text);
  CHECK(again.error_offset() == 11);
  // A unit cut by the end (an odd byte of UTF-16) is the error, at its offset.
  io::text_reader odd(io::memory_stream(std::string_view("a\0b", 3)), {.encoding = "utf-16-le"});
  CHECK(io::read_all<std::string>(odd, ec) == "a");
  CHECK(ec == io::errc::invalid_text);
  CHECK(odd.error_offset() == 2);
}

TEST_CASE("open_text_writer writes text files as Python's w, a and x text modes, both ways") {
  temp_dir dir;
  const auto path = dir / "out.txt";
  {
    io::text_file_writer out = io::open_text_writer(path, "w", {.encoding = "utf-8-sig", .newline = io::newline_mode::crlf});
    io::write(out, std::string_view("one\n"));
    out.close();
  }
  CHECK(io_test::read_text(path) == "\xEF\xBB\xBFone\r\n");
  {
    // Appending to a file that is not empty writes no second byte order mark.
    io::text_file_writer out = io::open_text_writer(path, "at", {.encoding = "utf-8-sig"});
    io::write(out, std::string_view("two\n"));
    out.close();
  }
  CHECK(io_test::read_text(path) == "\xEF\xBB\xBFone\r\ntwo\n");
  CHECK(io::read_all<std::string>(io::open_text(path, "r", {.encoding = "utf-8-sig"})) == "one\ntwo\n");
  {
    std::error_code ec;
    io::text_file_writer out = io::open_text_writer(dir / "new.txt", "a", {.encoding = "utf-16"}, ec);
    REQUIRE(!ec);
    io::write(out, std::string_view("\xC3\xA9"));
    out.close(ec);
    CHECK(!ec);
  }
  CHECK(io_test::read_text(dir / "new.txt") == std::string_view("\xFF\xFE\xE9\0", 4)); // a new file gets its BOM
  {
    io::text_file_writer out = io::open_text_writer(path, "w", {.encoding = "latin-1"});
    io::write(out, std::string_view("caf\xC3\xA9"));
    out.close();
  }
  CHECK(io_test::read_text(path) == "caf\xE9");
  // "x" refuses a file that exists, and leaves it as it is.
  CHECK_THROWS_AS(io::open_text_writer(path, "x"), io::io_error);
  std::error_code ec;
  io::open_text_writer(path, "xt", {}, ec);
  CHECK(ec == std::errc::file_exists);
  {
    io::text_file_writer out = io::open_text_writer(dir / "x.txt", "x", {}, ec);
    REQUIRE(!ec);
    io::write(out, std::string_view("x"));
    out.close();
  }
  CHECK(io_test::read_text(dir / "x.txt") == "x");
  // Modes of the other direction, '+', 'b' and unknown encodings fail before anything is opened.
  for (const char* mode : {"r", "r+", "w+", "wb", "a+", "rw", "", "ww", "q"}) {
    CAPTURE(mode);
    CHECK_THROWS_AS(io::open_text_writer(path, mode), io::io_error);
    io::open_text_writer(path, mode, {}, ec);
    CHECK(ec == io::errc::invalid_argument);
  }
  for (const char* mode : {"w", "a", "x", "r+", "rb", "rw"}) {
    CAPTURE(mode);
    CHECK_THROWS_AS(io::open_text(path, mode), io::io_error);
    io::open_text(path, mode, {}, ec);
    CHECK(ec == io::errc::invalid_argument);
  }
  CHECK_THROWS_AS(io::open_text_writer(path, "w", {.encoding = "klingon"}), io::io_error);
  io::open_text_writer(path, "w", {.encoding = "klingon"}, ec);
  CHECK(ec == io::errc::unknown_encoding);
  CHECK(io_test::read_text(path) == "caf\xE9"); // nothing truncated
  io::open_text_writer(dir / "no" / "such.txt", "w", {}, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("an unbuffered source is read through a buffered_reader") {
  temp_dir dir;
  write_text(dir / "t", "a\r\nb");
  io::file f(dir / "t");
  io::text_reader reader(f);
  static_assert(std::same_as<decltype(reader), io::text_reader<io::buffered_reader<io::file&>>>);
  CHECK(io::read_all<std::string>(reader) == "a\nb");
}

TEST_CASE("fill(n) gathers text across repairs and buffer ends, and refuses more than the capacity") {
  io::memory_stream source(std::string_view("ab\xFF\xC3\xA9\r\ncd"));
  io::buffered_reader small(source, 2);
  io::text_reader reader(small, {.errors = io::text_errors::replace}, 16);
  CHECK(io::as_string_view(reader.fill(10)) == "ab\uFFFD\xC3\xA9\ncd");
  CHECK_THROWS_AS(reader.fill(17), io::io_error);
  std::error_code ec;
  reader.fill(17, ec);
  CHECK(ec == io::errc::no_buffer_space);
}

TEST_CASE("a read error of the source passes through, after the text before it, both ways") {
  io_test::trickle_reader source{.data = "one\ntwo\nthree\n", .step = 3, .fail_after = 9};
  io::text_reader reader(io::buffered_reader(source, 4));
  std::vector<std::string> seen;
  std::error_code ec;
  for (std::string_view line : reader | io::views::lines(ec)) seen.emplace_back(line);
  CHECK(seen == std::vector<std::string>{"one", "two"});
  CHECK(ec == std::errc::io_error);
  io_test::trickle_reader again{.data = "one\ntwo\nthree\n", .step = 3, .fail_after = 9};
  io::text_reader thrown(io::buffered_reader(again, 4));
  CHECK_THROWS_AS(io::read_all<std::string>(thrown), std::system_error);
}

TEST_CASE("the vectorized check stops exactly where the scalar one does, on random text") {
  const std::vector<std::string> pieces = {"a", "hello world, ", "\r", "\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                           "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF", "\x80", "\xC0\x80", "\xE0\x80\x80",
                                           "\xED\xA0\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5", "\xFF",
                                           "\xE2\x82", "\xF0\x9F", "\xC3"};
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int count = static_cast<int>(rng() % 40);
    const bool valid_only = rng() % 2 == 0;
    for (int k = 0; k < count; ++k) {
      const std::string& piece = pieces[rng() % (valid_only ? 9 : pieces.size())];
      for (unsigned r = rng() % 8 == 0 ? 20 : 1; r > 0; --r) text += piece;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t from = 0; from < text.size(); from += 1 + rng() % 7) {
      CAPTURE(text);
      CAPTURE(from);
      CHECK(io::detail::utf8::valid_prefix(p + from, text.size() - from, false) ==
            io::detail::utf8::valid_prefix<false>(p + from, text.size() - from));
      CHECK(io::detail::utf8::valid_prefix(p + from, text.size() - from, true) ==
            io::detail::utf8::valid_prefix<true>(p + from, text.size() - from));
#if defined(__x86_64__) || defined(__i386__)
      if (io::detail::utf8::vector_level >= 1) { // the AVX2 check above falls back on this one
        CHECK(io::detail::utf8::valid_prefix_ssse3<false>(p + from, text.size() - from) ==
              io::detail::utf8::valid_prefix<false>(p + from, text.size() - from));
      }
#endif
    }
  }
}

TEST_CASE("the whole-buffer checks stop exactly where the scalar one does, on long text with one flaw") {
  // Stretches of 512 bytes checked without a test per block, ASCII stretches skipped: a flaw (or a
  // '\r') anywhere, in an ASCII stretch after a sequence cut at its start, or in the tail.
  const std::vector<std::string> valid = {"hello world, ", "\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xED\x9F\xBF",
                                          "\xF4\x8F\xBF\xBF", "abcdefghijklmnopqrstuvwxyz0123456789"};
  const std::vector<std::string> flaws = {"\r", "\x80", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
                                          "\xF4\x90\x80\x80", "\xF5", "\xFF", "\xE2\x82", "\xF0\x9F", "\xC3"};
  std::mt19937 rng(17);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t size = rng() % 4000;
    const bool ascii_first = rng() % 2 == 0;
    while (text.size() < size) {
      // Long ASCII runs then non-ASCII ones, so that both kinds of stretch occur.
      const bool ascii = ascii_first ? text.size() < size / 2 : text.size() >= size / 2;
      text += valid[ascii ? (rng() % 2 == 0 ? 0 : 7) : rng() % valid.size()];
    }
    if (rng() % 4 != 0) {
      const std::string& flaw = flaws[rng() % flaws.size()];
      text.insert(rng() % (text.size() + 1), flaw);
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t from : {std::size_t{0}, std::size_t{rng() % 64}, std::size_t{rng() % (text.size() + 1)}}) {
      if (from > text.size()) continue;
      CAPTURE(round);
      CAPTURE(from);
      const std::size_t n = text.size() - from;
      const std::size_t expected_lf = io::detail::utf8::valid_prefix<false>(p + from, n);
      const std::size_t expected_cr = io::detail::utf8::valid_prefix<true>(p + from, n);
      CHECK(io::detail::utf8::valid_prefix(p + from, n, false) == expected_lf);
      CHECK(io::detail::utf8::valid_prefix(p + from, n, true) == expected_cr);
#if defined(__x86_64__) || defined(__i386__)
      if (io::detail::utf8::vector_level >= 2) {
        CHECK(io::detail::utf8::valid_prefix_avx2<false>(p + from, n) == expected_lf);
        CHECK(io::detail::utf8::valid_prefix_avx2<true>(p + from, n) == expected_cr);
        CHECK(io::detail::utf8::exact_prefix_avx2<true>(p + from, n) == expected_cr);
      }
      if (io::detail::utf8::vector_level >= 3) {
        CHECK(io::detail::utf8::valid_prefix_avx512<false>(p + from, n) == expected_lf);
        CHECK(io::detail::utf8::valid_prefix_avx512<true>(p + from, n) == expected_cr);
      }
#endif
    }
  }
}

TEST_CASE("a text reader lends its text as a read window: lines walk it in place, and the reader takes what they passed") {
  static_assert(requires(io::text_reader<io::memory_stream&>& r) {
    { lend_read_window(r) } -> std::same_as<io::detail::lent_window>;
  });
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " d\xC3\xA9j\xC3\xA0 vu\n";
  for (const io::newline_mode mode : {io::newline_mode::universal, io::newline_mode::lf, io::newline_mode::recognize}) {
    CAPTURE(static_cast<int>(mode));
    io::memory_stream source(text);
    io::text_reader reader(source, {.newline = mode});
    std::size_t seen = 0;
    const char* first = nullptr;
    for (std::string_view line : reader | io::views::lines) {
      if (seen == 0) first = line.data();
      if (++seen == 1500) break;
    }
    CHECK(seen == 1500);
    CHECK(static_cast<const void*>(first) == static_cast<const void*>(source.view().data())); // in the source's bytes
    // The reader takes the lines handed out before anything else it does.
    std::string expected;
    for (int i = 1500; i < 2000; ++i) expected += "line " + std::to_string(i) + " d\xC3\xA9j\xC3\xA0 vu\n";
    CHECK(reader.inner().tell() == text.size() - expected.size()); // inner() takes them too
    CHECK(io::read_all<std::string>(reader) == expected);
    CHECK(source.tell() == text.size());
  }
}

TEST_CASE("a text reader made in the pipeline leaves the stream it refers to right after the last line handed out") {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "line " + std::to_string(i) + " \xC3\xA9t\xC3\xA9\n";
  const auto rest_after = [&](std::size_t lines) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < lines; ++i) at = text.find('\n', at) + 1;
    return text.substr(at);
  };
  for (const std::size_t stop : {std::size_t{1}, std::size_t{7}, std::size_t{1500}}) {
    CAPTURE(stop);
    // The reader is a prvalue owned by the view; the stream is referred to.
    io::memory_stream source(text);
    std::size_t seen = 0;
    for (std::string_view line : io::text_reader(source) | io::views::lines) {
      (void)line;
      if (++seen == stop) break;
    }
    CHECK(io::read_all<std::string>(source) == rest_after(stop));
    // The same with the view held in a variable, over a buffered stream with a small buffer.
    io::memory_stream inner(text);
    io::buffered_reader<io::memory_stream&> buffered(inner, 64);
    {
      auto view = io::text_reader(buffered) | io::views::lines;
      std::size_t n = 0;
      for (auto it = std::ranges::begin(view); it != std::ranges::end(view); ++it)
        if (++n == stop) break;
      CHECK(n == stop);
    }
    CHECK(io::read_all<std::string>(buffered) == rest_after(stop));
    // A reader moved from leaves nothing to take: the one moved to does, once.
    io::memory_stream again(text);
    {
      io::text_reader<io::memory_stream&> first(again);
      std::size_t n = 0;
      for (std::string_view line : first | io::views::lines) {
        (void)line;
        if (++n == stop) break;
      }
      io::text_reader<io::memory_stream&> second(std::move(first));
    }
    CHECK(io::read_all<std::string>(again) == rest_after(stop));
  }
}
