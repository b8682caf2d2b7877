// Tests of the views' ownership of rvalue sources and of the one position rule over streams.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

import io;

using io_test::collect;
using io_test::read_text;
using io_test::reference_lines;
using io_test::temp_dir;
using io_test::trickle_reader;
using io_test::write_text;

namespace {

// A user's readable type, movable, that counts how many of its copies were destroyed with data.
struct user_stream {
  std::string data;
  std::size_t pos = 0;
  std::size_t read(std::span<std::byte> buffer) {
    const std::size_t n = std::min(buffer.size(), data.size() - pos);
    std::memcpy(buffer.data(), data.data() + pos, n);
    pos += n;
    return n;
  }
};

// Up to `lines` lines of up to `length` letters ended by "\n" or "\r\n", and half the time an
// unterminated "tail".
std::string random_lines(std::mt19937& rng, unsigned lines, unsigned length) {
  std::string text;
  for (int i = static_cast<int>(rng() % lines); i > 0; --i) {
    text += std::string(rng() % length, static_cast<char>('a' + rng() % 3));
    text += rng() % 4 == 0 ? "\r\n" : "\n";
  }
  if (rng() % 2 == 0) text += "tail";
  return text;
}

// What follows the first `k` lines of `text` (Python: for line in f: ...break; f.read()).
std::string after_lines(std::string_view text, std::size_t k) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < k && at < text.size(); ++i) {
    const std::size_t end = text.find('\n', at);
    at = end == std::string_view::npos ? text.size() : end + 1;
  }
  return std::string(text.substr(at));
}

// Runs `check(stream, name)` on `text`, which the file `path` holds, read through a buffered_file
// and a buffered_reader over a memory_stream with each buffer size in `buffers`, then through a
// buffered_file with the default buffer.
template <class Check>
void over_buffered_streams(const std::filesystem::path& path, const std::string& text,
                           std::initializer_list<std::size_t> buffers, Check&& check) {
  for (std::size_t buffer : buffers) {
    io::buffered_file s = io::open(path, "r", buffer);
    check(s, "buffered_file/" + std::to_string(buffer));
    io::buffered_reader r(io::memory_stream(text), buffer);
    check(r, "buffered_reader/" + std::to_string(buffer));
  }
  io::buffered_file s = io::open(path);
  check(s, "buffered_file");
}

} // namespace

TEST_CASE("for (line : io::open(path) | io::views::lines): the view owns the stream") {
  temp_dir dir;
  write_text(dir / "f", "one\ntwo\r\nthree");
  std::vector<std::string> lines;
  for (std::string_view line : io::open(dir / "f") | io::views::lines) lines.emplace_back(line);
  CHECK(lines == std::vector<std::string>{"one", "two", "three"});
  CHECK(io::read_all<std::string>(io::open(dir / "f")) == "one\ntwo\r\nthree");
  CHECK(collect(io::views::split(io::file(dir / "f"), 'o')) == std::vector<std::string>{"", "ne\ntw", "\r\nthree"});
  CHECK(collect(io::memory_stream("a b\tc") | io::views::words) == std::vector<std::string>{"a", "b", "c"});
  CHECK(std::ranges::distance(io::open(dir / "f") | io::views::chunks(4)) == 4);
  CHECK(std::ranges::count(io::file(dir / "f") | io::views::bytes, std::byte{'\n'}) == 2);
  CHECK(collect(user_stream{"x\ny\n"} | io::views::lines) == std::vector<std::string>{"x", "y"});
  // An owning view moves through a pipeline: std::views and range-v3, as prvalues.
  auto upper = io::open(dir / "f") | io::views::lines |
               std::views::transform([](std::string_view l) { return std::string(l) + "!"; });
  std::vector<std::string> got;
  for (std::string s : upper) got.push_back(s);
  CHECK(got == std::vector<std::string>{"one!", "two!", "three!"});
  CHECK((io::open(dir / "f") | io::views::lines | ranges::views::filter([](std::string_view l) { return l.size() == 3; }) |
         ranges::views::transform([](std::string_view l) { return std::string(l); }) | ranges::to<std::vector>()) ==
        std::vector<std::string>{"one", "two"});
}

TEST_CASE("a view over an rvalue std::string owns it, over an lvalue or a string_view it is borrowed") {
  auto owned = std::string("alpha\nbeta\n") | io::views::lines;
  auto moved = std::move(owned); // the string moves with the view, before any iteration
  CHECK(collect(moved) == std::vector<std::string>{"alpha", "beta"});
  CHECK(collect(moved) == std::vector<std::string>{"alpha", "beta"}); // storage: a forward range, again
  const std::string text = "a,b";
  auto borrowed = text | io::views::split(',');
  CHECK((*std::ranges::begin(borrowed)).data() == text.data());
}

TEST_CASE("after a break, the stream is right after the last line handed out: every stream, every buffer size") {
  std::mt19937 rng(12);
  temp_dir dir;
  for (int round = 0; round < 40; ++round) {
    const std::string text = random_lines(rng, 12, 14);
    write_text(dir / "f", text);
    const std::size_t k = 1 + rng() % 6; // break after the k-th line
    CAPTURE(text);
    CAPTURE(k);
    auto check = [&](auto& s, const std::string& name) {
      INFO(name);
      std::size_t n = 0;
      for (std::string_view line : s | io::views::lines) {
        (void)line;
        if (++n == k) break;
      }
      CHECK(io::read_all<std::string>(s) == after_lines(text, k));
    };
    over_buffered_streams(dir / "f", text, {1, 2, 3, 4, 5, 6, 7, 8, 9}, check);
    io::file raw(dir / "f");
    check(raw, "file (the view's read-ahead is given back)");
    io::memory_stream m(text);
    check(m, "memory_stream");
    io::span_stream sp(text);
    check(sp, "span_stream");
  }
}

TEST_CASE("a read from the stream between lines: the next line starts where the read left off") {
  std::mt19937 rng(31);
  temp_dir dir;
  for (int round = 0; round < 40; ++round) {
    const std::string text = random_lines(rng, 14, 20);
    write_text(dir / "f", text);
    // The reference: after the i-th line, i % 4 bytes are read straight from the stream.
    std::vector<std::string> expected;
    for (std::size_t at = 0, i = 0; at < text.size(); ++i) {
      const std::size_t nl = text.find('\n', at);
      const std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
      std::string line = text.substr(at, (nl == std::string::npos ? text.size() : nl) - at);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      expected.push_back("line:" + line);
      const std::size_t k = std::min(i % 4, text.size() - end);
      if (k != 0) expected.push_back("read:" + text.substr(end, k));
      at = end + k;
    }
    CAPTURE(text);
    auto check = [&](auto& s, const std::string& name) {
      INFO(name);
      std::vector<std::string> seen;
      std::size_t i = 0;
      for (std::string_view line : s | io::views::lines) {
        seen.push_back("line:" + std::string(line));
        std::string bytes; // one byte at a time: a read may return fewer bytes than asked
        for (std::size_t j = i++ % 4; j > 0; --j) {
          char c;
          if (io::read(s, std::span(&c, 1)) == 0) break;
          bytes += c;
        }
        if (!bytes.empty()) seen.push_back("read:" + bytes);
      }
      CHECK(seen == expected);
    };
    over_buffered_streams(dir / "f", text, {1, 2, 3, 5, 8, 9, 64}, check);
    io::memory_stream m(text);
    check(m, "memory_stream");
    io::span_stream sp(text);
    check(sp, "span_stream");
  }
}

TEST_CASE("split, words, chunks and bytes also leave a stream right after their last element") {
  for (std::size_t buffer : {1, 2, 3, 5, 64}) {
    CAPTURE(buffer);
    io::buffered_reader a(io::memory_stream("x,,yy,zzz"), buffer);
    for (std::string_view piece : a | io::views::split(',')) {
      if (piece == "yy") break;
    }
    CHECK(io::read_all<std::string>(a) == "zzz");
    io::buffered_reader b(io::memory_stream("  one two\tthree"), buffer);
    for (std::string_view word : b | io::views::words) {
      if (word == "two") break;
    }
    CHECK(io::read_all<std::string>(b) == "\tthree");
    io::buffered_reader c(io::memory_stream("0123456789"), buffer);
    for (auto chunk : c | io::views::chunks(3)) {
      if (chunk[0] == std::byte{'3'}) break;
    }
    CHECK(io::read_all<std::string>(c) == "6789");
    io::buffered_reader d(io::memory_stream("abcdef"), buffer);
    for (std::byte x : d | io::views::bytes) {
      if (x == std::byte{'c'}) break;
    }
    CHECK(io::read_all<std::string>(d) == "def");
  }
  temp_dir dir;
  write_text(dir / "f", "abcdef");
  io::file raw(dir / "f");
  for (std::byte x : raw | io::views::bytes) {
    if (x == std::byte{'b'}) break;
  }
  CHECK(io::read_all<std::string>(raw) == "cdef");
}

TEST_CASE("two live views on one stream take turns from its position, a closed stream is an error both ways") {
  io::memory_stream s("1\n2\n3\n4\n");
  auto a = s | io::views::lines;
  auto b = s | io::views::lines;
  auto ia = a.begin();
  auto ib = b.begin();
  CHECK(*ia == "1");
  CHECK(*ib == "2");
  ++ia;
  CHECK(*ia == "3");
  CHECK(io::read_all<std::string>(s) == "4\n");

  temp_dir dir;
  write_text(dir / "f", "x\ny\n");
  io::buffered_file f = io::open(dir / "f");
  f.close();
  CHECK_THROWS_AS(collect(f | io::views::lines), io::io_error);
  std::error_code ec;
  CHECK(collect(f | io::views::lines(ec)).empty());
  CHECK(ec == io::errc::closed);
}

TEST_CASE("two live views take turns line by line: the stream follows every line handed out, every buffer size") {
  std::mt19937 rng(47);
  temp_dir dir;
  for (int round = 0; round < 40; ++round) {
    const std::string text = random_lines(rng, 16, 12);
    write_text(dir / "f", text);
    const std::vector<std::string> lines = reference_lines(text);
    CAPTURE(text);
    // Turns of 1 to 4 lines, from one iterator then from the other; both views stay alive.
    auto check = [&](auto& s, const std::string& name) {
      INFO(name);
      auto a = s | io::views::lines;
      auto b = s | io::views::lines;
      std::vector<std::string> seen;
      auto ia = a.begin(); // takes the first line
      if (ia == std::default_sentinel) {
        CHECK(lines.empty());
        return;
      }
      seen.emplace_back(*ia);
      auto ib = b.begin(); // takes the line after it
      bool turn_b = true;
      for (;;) {
        auto& it = turn_b ? ib : ia;
        if (it == std::default_sentinel) break;
        seen.emplace_back(*it);
        for (std::size_t n = rng() % 4; n > 0; --n) {
          ++it;
          if (it == std::default_sentinel) break;
          seen.emplace_back(*it);
        }
        if (it == std::default_sentinel) break;
        turn_b = !turn_b;
        ++(turn_b ? ib : ia); // the next turn starts after the lines the other iterator handed out
      }
      CHECK(seen == lines);
    };
    over_buffered_streams(dir / "f", text, {1, 2, 3, 4, 5, 6, 7, 8, 9}, check);
    io::memory_stream m(text);
    check(m, "memory_stream");
  }
}

TEST_CASE("a line too long over a stream that cannot tell its position: the offset counts every line before it") {
  // Lines taken inside the buffer and lines that crossed its end, then the long one.
  std::string text;
  for (int i = 0; i < 50; ++i) text += std::string(static_cast<std::size_t>(i % 7), 'a') + (i % 3 == 0 ? "\r\n" : "\n");
  const std::size_t offset = text.size();
  text += std::string(40, 'z') + "\nafter\n";
  for (std::size_t buffer : {1, 3, 8, 16, 64, 4096}) {
    CAPTURE(buffer);
    trickle_reader inner{.data = text, .step = 5};
    io::buffered_reader s(inner, buffer);
    std::size_t seen = 0;
    try {
      for (std::string_view line : s | io::views::lines({.max_length = 20})) {
        (void)line;
        ++seen;
      }
      FAIL("no error");
    } catch (const io::io_error& e) {
      CHECK(e.code() == io::errc::line_too_long);
      CHECK(std::string(e.what()).find("offset " + std::to_string(offset) + " ") != std::string::npos);
    }
    CHECK(seen == 50);
  }
}

TEST_CASE("keep_ends hands out lines with their terminators, max_length refuses a longer line, both ways") {
  CHECK(collect(std::string_view("a\nb\r\nc") | io::views::lines({.keep_ends = true})) ==
        std::vector<std::string>{"a\n", "b\r\n", "c"});
  CHECK(collect(std::string_view("a;b;") | io::views::split(";", {.keep_ends = true})) ==
        std::vector<std::string>{"a;", "b;"});
  const std::string text = "short\nmuch too long a line\nok\n";
  for (std::size_t buffer : {1, 4, 64}) {
    CAPTURE(buffer);
    io::buffered_reader s(io::memory_stream(text), buffer);
    std::vector<std::string> seen;
    try {
      for (std::string_view line : s | io::views::lines({.max_length = 8})) seen.emplace_back(line);
      FAIL("no error");
    } catch (const io::io_error& e) {
      CHECK(e.code() == io::errc::line_too_long);
      CHECK(std::string(e.what()).find("offset 6") != std::string::npos);
    }
    CHECK(seen == std::vector<std::string>{"short"});
    io::buffered_reader t(io::memory_stream(text), buffer);
    std::error_code ec;
    CHECK(collect(t | io::views::lines({.max_length = 8}, ec)) == std::vector<std::string>{"short"});
    CHECK(ec == io::errc::line_too_long);
  }
  // The limit does not count the terminator; over storage too.
  CHECK(collect(std::string_view("12345678\r\n") | io::views::lines({.keep_ends = true, .max_length = 8})) ==
        std::vector<std::string>{"12345678\r\n"});
  std::error_code ec;
  CHECK(collect(std::string_view("ok\n123456789\n") | io::views::lines({.max_length = 8}, ec)) ==
        std::vector<std::string>{"ok"});
  CHECK(ec == io::errc::line_too_long);
  // A file's error names the file and the offset from its start.
  temp_dir dir;
  write_text(dir / "f", "head\n" + std::string(100, 'z') + "\n");
  io::buffered_file f = io::open(dir / "f", "r", 16);
  try {
    for (std::string_view line : f | io::views::lines({.max_length = 50})) (void)line;
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot read the token at offset 5 of '" + (dir / "f").string() +
                                       "' (longer than 50 bytes): line too long");
  }
}

TEST_CASE("words are runs between ASCII whitespace, as bytes.split()") {
  const std::string text = " \t one\x0btwo\x0c\r\nthree  \x01x ";
  const std::vector<std::string> expected = {"one", "two", "three", "\x01x"};
  io_test::for_each_source(text, [&](auto& source, const char* name) {
    INFO(name);
    CHECK(collect(source | io::views::words) == expected);
  });
  static_assert(std::ranges::forward_range<io::words_view<std::string_view>>);
  static_assert(ranges::view_<io::words_view<io::file&>>);
}

TEST_CASE("tokens: a user's splitter, over storage and streams, with std::ranges and range-v3") {
  // Fixed-width records of 3 bytes, a short last one dropped.
  auto records = [](std::string_view data, bool) -> io::split_result {
    if (data.size() < 3) return {};
    return {3, data.substr(0, 3), true};
  };
  const std::string text = "abcdefgh";
  io_test::for_each_source(text, [&](auto& source, const char* name) {
    INFO(name);
    CHECK(collect(source | io::views::tokens(records)) == std::vector<std::string>{"abc", "def"});
  });
  CHECK((std::string_view("aaabbb") | io::views::tokens(records) |
         ranges::views::transform([](std::string_view t) { return t[0]; }) | ranges::to<std::string>()) == "ab");
  // A splitter that hands out a token without moving is an error, not an endless range.
  auto stuck = [](std::string_view, bool) -> io::split_result { return {0, {}, true}; };
  std::error_code ec;
  CHECK(collect(io::views::tokens(io::memory_stream("x"), stuck, ec)).empty());
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(collect(std::string_view("x") | io::views::tokens(stuck)), io::io_error);
}

TEST_CASE("read_line and read_until leave every stream right after what they read") {
  temp_dir dir;
  write_text(dir / "f", "one\r\ntwo\nthree");
  auto check = [](auto& s, const std::string& name) {
    INFO(name);
    std::string line;
    CHECK(io::read_line(s, line));
    CHECK(line == "one");
    CHECK(io::read_until(s, 'w', line));
    CHECK(line == "t");
    CHECK(io::read_line(s, line, {.keep_ends = true, .max_length = 2}));
    CHECK(line == "o\n");
    CHECK(io::read_line(s, line, {.max_length = 3}));
    CHECK(line == "thr");
    CHECK(io::read_line(s, line));
    CHECK(line == "ee");
    CHECK(!io::read_line(s, line));
    CHECK(line.empty());
  };
  io::file raw(dir / "f");
  check(raw, "file");
  io::buffered_file b = io::open(dir / "f", "r", 2);
  check(b, "buffered_file/2");
  trickle_reader pipe{.data = "one\r\ntwo\nthree", .step = 2};
  check(pipe, "unbuffered, unseekable");
  io::memory_stream m("one\r\ntwo\nthree");
  check(m, "memory_stream");
  std::error_code ec;
  std::string line;
  trickle_reader failing{.data = "abc\ndef", .step = 2, .fail_after = 5};
  CHECK(io::read_line(failing, line, ec));
  CHECK(!io::read_line(failing, line, ec));
  CHECK(ec == std::errc::io_error);
  CHECK_THROWS_AS(io::read_until(m, "", line), io::io_error);
}

TEST_CASE("read_line over an io::file on a pipe reads on without seeking, losing nothing") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "a\nb\n", 4) == 4);
  ::close(fds[1]);
  io::file in = io::file::from_native(fds[0], io::open_flags::read, "pipe");
  std::string line;
  CHECK(io::read_line(in, line));
  CHECK(line == "a");
  std::error_code ec;
  CHECK(io::read_line(in, line, ec));
  CHECK(!ec);
  CHECK(line == "b");
  CHECK(!io::read_line(in, line));
}

TEST_CASE("a second loop over a stream view goes on after the last element handed out") {
  io::memory_stream s("1\n2\n3\n4\n");
  auto v = s | io::views::lines;
  for (std::string_view line : v)
    if (line == "2") break;
  std::vector<std::string> rest;
  for (std::string_view line : v) rest.emplace_back(line);
  CHECK(rest == std::vector<std::string>{"3", "4"});
  io::buffered_reader b(io::memory_stream("abcdef"), 4);
  auto bytes = b | io::views::bytes;
  for (std::byte x : bytes)
    if (x == std::byte{'b'}) break;
  CHECK(io::read_all<std::string>(b) == "cdef"); // the named view still alive: the position is right
}

TEST_CASE("a named view over an unbuffered file gives back its read-ahead when its loop ends") {
  temp_dir dir;
  write_text(dir / "f", "1\n2\n3\n");
  io::file f(dir / "f");
  auto v = f | io::views::lines;
  for (std::string_view line : v)
    if (line == "1") break;
  CHECK(io::read_all<std::string>(f) == "2\n3\n");
  // The stream moved since: destroying the view later seeks nothing back.
  io::file g(dir / "f");
  {
    auto w = g | io::views::lines;
    auto it = w.begin(); // held: the read-ahead is still the view's
    CHECK(*it == "1");
    g.seek(1);
  }
  CHECK(g.tell() == 1);
}

TEST_CASE("reversed lines with a maximum length and an error_code stop at the long line") {
  std::error_code ec;
  std::vector<std::string> got;
  for (std::string_view line : std::string_view("b\naaaa\nc\n") | io::views::lines({.max_length = 2}, ec) | std::views::reverse) {
    got.emplace_back(line);
    REQUIRE(got.size() < 10);
  }
  REQUIRE(!got.empty());
  CHECK(got.front() == "c");
  CHECK(got.size() <= 2); // a reverse_iterator reads the line before: the refused one shows as ""
  CHECK(ec == io::errc::line_too_long);
}

TEST_CASE("split with a long delimiter and a maximum length over tiny buffers") {
  for (std::size_t buffer : {1, 2, 3, 4, 64}) {
    CAPTURE(buffer);
    io::buffered_reader r(io::memory_stream("ab<>|cd<>|e"), buffer);
    CHECK(collect(r | io::views::split("<>|", {.max_length = 2})) == std::vector<std::string>{"ab", "cd", "e"});
  }
}

TEST_CASE("with an error_code, a failed read ends the range once: it is not read again") {
  // Fails its first read, then would succeed: the range must end at the failure.
  struct flaky {
    int reads = 0;
    std::size_t read(std::span<std::byte> buffer) {
      if (reads++ == 0) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again), "flaky");
      const std::size_t n = std::min<std::size_t>(buffer.size(), 2);
      std::memset(buffer.data(), 'x', n);
      return n;
    }
  };
  io::buffered_reader a(flaky{}, 8);
  std::error_code ec;
  CHECK(collect(a | io::views::lines(ec)).empty());
  CHECK(ec == std::errc::resource_unavailable_try_again);
  io::buffered_reader b(flaky{}, 8);
  std::size_t chunks = 0;
  for (auto chunk : b | io::views::chunks(4, ec)) chunks += chunk.size() != 0;
  CHECK(chunks == 0);
  CHECK(ec == std::errc::resource_unavailable_try_again);
}
