// Tests of io.compress: io::decompress, io::compress and io::open_compressed against the gzip,
// zstd, xz and bzip2 tools, on data of many sizes, cut short, corrupted and concatenated.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/wait.h>
#include <fcntl.h>

import io;

using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

static_assert(io::buffered_readable<io::decompress_reader<io::file_reader>>);
static_assert(io::buffered_readable<io::compressed_file>);
static_assert(io::writable<io::compress_writer<io::file_writer>>);
static_assert(io::writable<io::compressed_file>);

namespace {

struct tool {
  io::codec format;
  const char* compress; // reads stdin, writes stdout
  const char* decompress;
  const char* extension;
};

const tool tools[] = {
    {io::codec::gzip, "gzip -c", "gzip -dc", ".gz"},
    {io::codec::zstd, "zstd -q -c", "zstd -q -dc", ".zst"},
    {io::codec::xz, "xz -c", "xz -dc", ".xz"},
    {io::codec::bzip2, "bzip2 -c", "bzip2 -dc", ".bz2"},
};

// Runs a shell command; its exit status.
int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// Text lines of varying length, or random bytes (incompressible).
std::string make_data(std::size_t size, bool random_bytes, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s;
  s.reserve(size);
  if (random_bytes) {
    while (s.size() < size) s.push_back(static_cast<char>(rng()));
    return s;
  }
  std::uniform_int_distribution<int> length(0, 120);
  while (s.size() < size) {
    const int n = length(rng);
    for (int i = 0; i < n && s.size() < size; ++i) s.push_back(static_cast<char>('a' + rng() % 26));
    if (s.size() < size) s.push_back('\n');
  }
  return s;
}

// Everything a stream yields through fill()/consume().
template <class S>
std::string drain(S& s) {
  std::string out;
  for (;;) {
    const std::span<const std::byte> bytes = s.fill();
    if (bytes.empty()) return out;
    out.append(io::as_string_view(bytes));
    s.consume(bytes.size());
  }
}

template <class S>
std::string drain(S& s, std::error_code& ec) {
  std::string out;
  for (;;) {
    const std::span<const std::byte> bytes = s.fill(ec);
    if (ec || bytes.empty()) return out;
    out.append(io::as_string_view(bytes));
    s.consume(bytes.size());
  }
}

std::string decompress_file(const std::filesystem::path& p) {
  auto z = io::decompress(io::open_reader(p));
  return drain(z);
}

// The data compressed by the tool.
std::string tool_compress(const tool& t, const temp_dir& dir, std::string_view data, const std::string& options = "") {
  write_text(dir / "in", data);
  REQUIRE(shell(std::string(t.compress) + " " + options + " < " + quoted(dir / "in") + " > " + quoted(dir / "out")) == 0);
  return read_text(dir / "out");
}

const std::size_t sizes[] = {0, 1, 2, 100, 4095, 65535, 65536, 65537, 131073, 3 * 1024 * 1024 + 17};

} // namespace

TEST_CASE("detect_codec knows each format by its magic bytes and nothing else") {
  const auto detect = [](std::string_view s) { return io::detect_codec(io::as_bytes(s)); };
  CHECK(detect("\x1f\x8b\x08") == io::codec::gzip);
  CHECK(detect("\x28\xb5\x2f\xfd") == io::codec::zstd);
  CHECK(detect("\x5a\x2a\x4d\x18") == io::codec::zstd); // a skippable frame
  CHECK(detect(std::string_view("\xfd" "7zXZ\0", 6)) == io::codec::xz);
  CHECK(detect("BZh9") == io::codec::bzip2);
  CHECK(detect("BZh0") == io::codec::none);
  CHECK(detect("\x78\x9c") == io::codec::zlib);
  CHECK(detect("x^2 + y^2") == io::codec::none); // zlib's level 2-5 header is also text
  CHECK(detect("\x1f") == io::codec::none);
  CHECK(detect("") == io::codec::none);
  CHECK(detect("hello") == io::codec::none);
  CHECK(io::codec_for_path("a/b.tar.gz") == io::codec::gzip);
  CHECK(io::codec_for_path("x.zst") == io::codec::zstd);
  CHECK(io::codec_for_path("x.xz") == io::codec::xz);
  CHECK(io::codec_for_path("x.bz2") == io::codec::bzip2);
  CHECK(io::codec_for_path("x.gz.txt") == io::codec::none);
}

TEST_CASE("decompress reads what each tool wrote, at every size, text and random bytes") {
  temp_dir dir;
  for (const tool& t : tools) {
    for (const std::size_t size : sizes) {
      for (const bool random_bytes : {false, true}) {
        CAPTURE(std::string(t.extension));
        CAPTURE(size);
        CAPTURE(random_bytes);
        const std::string data = make_data(size, random_bytes, static_cast<unsigned>(size));
        write_text(dir / ("f" + std::string(t.extension)), tool_compress(t, dir, data));
        auto z = io::decompress(io::open_reader(dir / ("f" + std::string(t.extension))));
        CHECK(drain(z) == data);
        CHECK(z.format().value() == t.format);
      }
    }
  }
}

TEST_CASE("the tools read what compress wrote, at every size") {
  temp_dir dir;
  for (const tool& t : tools) {
    for (const std::size_t size : sizes) {
      CAPTURE(std::string(t.extension));
      CAPTURE(size);
      const std::string data = make_data(size, size % 2 == 1, static_cast<unsigned>(size) + 7);
      {
        auto z = io::compress(io::open_writer(dir / "c"), t.format);
        // Odd-sized writes, to cross the buffer boundaries at varying places.
        for (std::size_t at = 0; at < data.size();) {
          const std::size_t n = std::min<std::size_t>(data.size() - at, 1 + (at * 7919) % 100000);
          z.write(std::string_view(data).substr(at, n));
          at += n;
        }
        z.close();
      }
      REQUIRE(shell(std::string(t.decompress) + " < " + quoted(dir / "c") + " > " + quoted(dir / "d")) == 0);
      CHECK(read_text(dir / "d") == data);
      CHECK(decompress_file(dir / "c") == data);
    }
  }
}

TEST_CASE("every member, frame and stream of concatenated files is read") {
  temp_dir dir;
  const std::string a = make_data(70000, false, 1), b = make_data(5, false, 2), c = make_data(100000, true, 3);
  for (const tool& t : tools) {
    CAPTURE(std::string(t.extension));
    const std::string joined = tool_compress(t, dir, a) + tool_compress(t, dir, b) + tool_compress(t, dir, "") +
                               tool_compress(t, dir, c);
    write_text(dir / "j", joined);
    CHECK(decompress_file(dir / "j") == a + b + c);
    // The tool agrees.
    REQUIRE(shell(std::string(t.decompress) + " < " + quoted(dir / "j") + " > " + quoted(dir / "d")) == 0);
    CHECK(read_text(dir / "d") == a + b + c);
  }
}

TEST_CASE("zstd skippable frames are skipped, before, between and after frames") {
  temp_dir dir;
  const std::string skippable = std::string("\x53\x2a\x4d\x18\x05\x00\x00\x00hello", 13);
  const std::string frame = tool_compress(tools[1], dir, "data\n");
  write_text(dir / "s.zst", skippable + frame + skippable + frame + skippable);
  CHECK(decompress_file(dir / "s.zst") == "data\ndata\n");
  REQUIRE(shell("zstd -q -dc < " + quoted(dir / "s.zst") + " > " + quoted(dir / "d")) == 0);
  CHECK(read_text(dir / "d") == "data\ndata\n");
}

TEST_CASE("each codec's level range ends: io writes them, the tools read them, and the reverse") {
  temp_dir dir;
  const std::string data = make_data(200000, false, 9);
  for (const tool& t : tools) {
    for (const int level : {io::min_level(t.format), io::max_level(t.format)}) {
      CAPTURE(std::string(t.extension));
      CAPTURE(level);
      {
        auto z = io::compress(io::open_writer(dir / "c"), t.format, level);
        z.write(data);
        z.finish();
      }
      REQUIRE(shell(std::string(t.decompress) + " < " + quoted(dir / "c") + " > " + quoted(dir / "d")) == 0);
      CHECK(read_text(dir / "d") == data);
    }
    CHECK_THROWS_AS(io::compress(io::open_writer(dir / "c"), t.format, io::max_level(t.format) + 1), io::io_error);
    CHECK_THROWS_AS(io::compress(io::open_writer(dir / "c"), t.format, io::min_level(t.format) - 1), io::io_error);
    std::error_code ec;
    auto refused = io::compress(io::open_writer(dir / "c"), t.format, io::max_level(t.format) + 1, ec);
    CHECK(ec == io::errc::invalid_argument);
    refused.write(std::string_view("x"), ec);
    CHECK(ec == io::errc::invalid_argument);
  }
  const char* cli_levels[][2] = {{"gzip -c -1", "gzip -c -9"},
                                 {"zstd -q -c --fast=100", "zstd -q -c --ultra -22"},
                                 {"xz -c -0", "xz -c -9"},
                                 {"bzip2 -c -1", "bzip2 -c -9"}};
  for (const auto& pair : cli_levels) {
    for (const char* command : pair) {
      CAPTURE(command);
      write_text(dir / "in", data);
      REQUIRE(shell(std::string(command) + " < " + quoted(dir / "in") + " > " + quoted(dir / "c")) == 0);
      CHECK(decompress_file(dir / "c") == data);
    }
  }
}

TEST_CASE("plain bytes pass through unchanged, as zcat -f passes them") {
  temp_dir dir;
  for (const std::string data : {std::string(), std::string("\x1f"), std::string("x^2 + 1\n"), make_data(300000, true, 4),
                                 std::string("BZh"), std::string("\x28\xb5\x2f")}) {
    write_text(dir / "p", data);
    CHECK(decompress_file(dir / "p") == data);
  }
  // Forced to none, even a gzip file passes through.
  write_text(dir / "g", tool_compress(tools[0], dir, "x"));
  auto z = io::decompress(io::open_reader(dir / "g"), io::codec::none);
  CHECK(drain(z) == read_text(dir / "g"));
}

TEST_CASE("a zlib stream is read, detected or forced") {
  temp_dir dir;
  const std::string data = make_data(100000, false, 5);
  for (const int level : {1, 4, 6, 9}) {
    CAPTURE(level);
    {
      auto z = io::compress(io::open_writer(dir / "z"), io::codec::zlib, level);
      z.write(data);
      z.close();
    }
    auto forced = io::decompress(io::open_reader(dir / "z"), io::codec::zlib);
    CHECK(drain(forced) == data);
    if (level != 4) CHECK(decompress_file(dir / "z") == data); // level 4's header "x^" is not detected
  }
  // Python's zlib agrees.
  if (shell("python3 -c 'import sys,zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1],\"rb\").read()))' " +
            quoted(dir / "z") + " > " + quoted(dir / "d")) == 0)
    CHECK(read_text(dir / "d") == data);
}

TEST_CASE("cut short anywhere after its magic, a compressed file is an error, never a short read") {
  temp_dir dir;
  std::mt19937 rng(42);
  const std::string data = make_data(150000, false, 6);
  for (const tool& t : tools) {
    const std::string whole = tool_compress(t, dir, data);
    std::vector<std::size_t> cuts = {io::detect_size, whole.size() - 1, whole.size() - 4, whole.size() / 2};
    for (int i = 0; i < 20; ++i) cuts.push_back(io::detect_size + rng() % (whole.size() - io::detect_size));
    for (const std::size_t cut : cuts) {
      CAPTURE(std::string(t.extension));
      CAPTURE(cut);
      write_text(dir / "t", whole.substr(0, cut));
      // Throwing: an io_error naming the path and the offset.
      try {
        const std::string out = decompress_file(dir / "t");
        FAIL("no error, " << out.size() << " bytes");
      } catch (const io::io_error& e) {
        CHECK((e.code() == io::errc::unexpected_eof || e.code() == io::errc::corrupt_data));
        CHECK(e.path() == (dir / "t").string());
        CHECK(std::string(e.what()).find("compressed byte") != std::string::npos);
      }
      // The error_code twin agrees, and the error stays.
      auto z = io::decompress(io::open_reader(dir / "t"));
      std::error_code ec;
      const std::string out = drain(z, ec);
      CHECK((ec == io::errc::unexpected_eof || ec == io::errc::corrupt_data));
      CHECK(data.starts_with(out));
      CHECK(z.compressed_offset() <= cut);
      std::error_code again;
      CHECK(z.fill(again).empty());
      CHECK(again == ec);
      // So does the tool.
      CHECK(shell(std::string(t.decompress) + " < " + quoted(dir / "t") + " > /dev/null 2>&1") != 0);
    }
  }
}

TEST_CASE("a flipped byte is an error or, where no checksum covers it, changes nothing") {
  temp_dir dir;
  std::mt19937 rng(7);
  for (const tool& t : tools) {
    for (const bool random_bytes : {false, true}) { // random bytes make stored (uncompressed) blocks
      const std::string data = make_data(40000, random_bytes, 8);
      const std::string whole = tool_compress(t, dir, data);
      for (int i = 0; i < 60; ++i) {
        std::string bad = whole;
        const std::size_t at = rng() % bad.size();
        bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
        CAPTURE(std::string(t.extension));
        CAPTURE(random_bytes);
        CAPTURE(at);
        write_text(dir / "b", bad);
        // Forced: a flipped magic byte must not make the file "plain".
        auto z = io::decompress(io::open_reader(dir / "b"), t.format);
        std::error_code ec;
        const std::string out = drain(z, ec);
        if (!ec) CHECK(out == data);
        else CHECK((ec == io::errc::corrupt_data || ec == io::errc::unexpected_eof || ec == io::errc::trailing_garbage ||
                    ec == std::errc::not_enough_memory));
      }
    }
  }
}

TEST_CASE("after a gzip member, zeros are ignored and other bytes are trailing garbage, as GNU gzip says") {
  temp_dir dir;
  const std::string member = tool_compress(tools[0], dir, "hello\n");
  write_text(dir / "z.gz", member + std::string(1000, '\0'));
  CHECK(decompress_file(dir / "z.gz") == "hello\n");
  CHECK(shell("gzip -dc " + quoted(dir / "z.gz") + " > /dev/null 2>&1") == 0);

  for (const std::string garbage : {std::string("garbage"), std::string("\0\0x", 3), std::string("\x1fx")}) {
    write_text(dir / "g.gz", member + garbage);
    auto z = io::decompress(io::open_reader(dir / "g.gz"));
    std::error_code ec;
    CHECK(drain(z, ec) == "hello\n"); // everything decoded comes first
    CHECK(ec == io::errc::trailing_garbage);
    CHECK_THROWS_WITH_AS(decompress_file(dir / "g.gz"),
                         doctest::Contains("trailing garbage"), io::io_error);
    // GNU gzip outputs the data and warns with status 2.
    CHECK(shell("gzip -dc " + quoted(dir / "g.gz") + " > /dev/null 2>&1") == 2);
  }
  // The first byte of a magic, then the end: a member cut short, for GNU gzip too.
  write_text(dir / "c.gz", member + "\x1f");
  CHECK_THROWS_WITH_AS(decompress_file(dir / "c.gz"), doctest::Contains("unexpected end"), io::io_error);
  CHECK(shell("gzip -dc " + quoted(dir / "c.gz") + " > /dev/null 2>&1") == 1);
  // bzip2 alike (the tool warns and succeeds; io reports it).
  write_text(dir / "g.bz2", tool_compress(tools[3], dir, "hello\n") + "garbage");
  auto z = io::decompress(io::open_reader(dir / "g.bz2"));
  std::error_code ec;
  CHECK(drain(z, ec) == "hello\n");
  CHECK(ec == io::errc::trailing_garbage);
}

TEST_CASE("decompress reads a pipe, without seeking, through read() too") {
  temp_dir dir;
  const std::string data = make_data(500000, false, 10);
  write_text(dir / "in", data);
  for (const tool& t : tools) {
    CAPTURE(std::string(t.extension));
    FILE* pipe = ::popen((std::string(t.compress) + " < " + quoted(dir / "in")).c_str(), "r");
    REQUIRE(pipe);
    io::file f = io::file::from_native(fileno(pipe), io::open_flags::read, "pipe", false);
    auto z = io::decompress(f); // a plain readable: buffered by io
    std::string out;
    char chunk[1000];
    for (std::size_t n; (n = z.read(chunk)) != 0;) out.append(chunk, n);
    CHECK(out == data);
    CHECK(::pclose(pipe) == 0);
  }
}

TEST_CASE("compress writes into a pipe that the tool reads") {
  temp_dir dir;
  const std::string data = make_data(700000, false, 16);
  for (const tool& t : tools) {
    CAPTURE(std::string(t.extension));
    FILE* pipe = ::popen((std::string(t.decompress) + " > " + quoted(dir / "out")).c_str(), "w");
    REQUIRE(pipe);
    {
      io::file f = io::file::from_native(fileno(pipe), io::open_flags::write, "pipe", false);
      auto z = io::compress(f, t.format);
      z.write(data);
      z.finish();
    }
    CHECK(::pclose(pipe) == 0);
    CHECK(read_text(dir / "out") == data);
  }
}

TEST_CASE("lines over a decompressed file match the tool's, lvalue and rvalue sources") {
  temp_dir dir;
  const std::string data = make_data(1000000, false, 11);
  write_text(dir / "f.gz", tool_compress(tools[0], dir, data));
  std::size_t lines = 0, bytes = 0;
  for (const std::string_view line : io::decompress(io::open(dir / "f.gz")) | io::views::lines) {
    ++lines;
    bytes += line.size() + 1;
  }
  CHECK(lines == static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) + (data.ends_with('\n') ? 0 : 1));
  CHECK(bytes == data.size() + (data.ends_with('\n') ? 0 : 1));
  auto source = io::open_reader(dir / "f.gz");
  auto z = io::decompress(source);
  static_assert(std::is_same_v<decltype(z), io::decompress_reader<io::file_reader&>>);
  // The lines are string_views into the decompressor's own buffer: no copy between them.
  const char* decoded = reinterpret_cast<const char*>(z.fill().data());
  std::size_t again = 0, in_place = 0;
  for (const std::string_view line : z | io::views::lines) {
    ++again;
    in_place += line.data() >= decoded && line.data() < decoded + decltype(z)::default_capacity;
  }
  CHECK(again == lines);
  CHECK(in_place >= lines * 9 / 10); // all but the lines that cross the buffer's end
}

TEST_CASE("lines over a decompressed stream: after a break, reading on gives the rest, every format") {
  temp_dir dir;
  const std::string data = make_data(300000, false, 12);
  for (const auto& t : tools) {
    CAPTURE(t.extension);
    write_text(dir / "f", tool_compress(t, dir, data));
    for (std::size_t k : {1, 2, 1000, 3000}) {
      CAPTURE(k);
      auto z = io::decompress(io::open(dir / "f"));
      std::size_t n = 0;
      std::size_t at = 0; // where the k-th line ends in the data
      for (std::string_view line : z | io::views::lines) {
        at += line.size() + 1;
        if (++n == k) break;
      }
      // The view looked at the decoded bytes it had without decoding more at each line.
      CHECK(z.buffered().size() <= decltype(z)::default_capacity);
      CHECK(io::read_all<std::string>(z) == data.substr(std::min(at, data.size())));
    }
  }
}

TEST_CASE("fill(n) and io::peek show at least n decoded bytes without consuming them, across members, every format") {
  temp_dir dir;
  const std::string data = make_data(20000, false, 13);
  std::mt19937 rng(14);
  for (const auto& t : tools) {
    CAPTURE(t.extension);
    // Two members (frames, streams) one after the other.
    const std::string packed = tool_compress(t, dir, data.substr(0, 7000)) + tool_compress(t, dir, data.substr(7000));
    for (std::size_t capacity : {1, 2, 7, 64, 4096}) {
      CAPTURE(capacity);
      io::decompress_reader<io::memory_stream> z(io::memory_stream(packed), capacity);
      std::size_t at = 0;
      while (at < data.size()) {
        const std::size_t n = 1 + rng() % capacity;
        const std::span<const std::byte> seen = rng() % 2 ? z.fill(n) : io::peek(z, n);
        REQUIRE(seen.size() >= std::min(n, data.size() - at));
        REQUIRE(std::string_view(reinterpret_cast<const char*>(seen.data()), seen.size()) ==
                std::string_view(data).substr(at, seen.size()));
        const std::size_t k = std::min<std::size_t>(seen.size(), rng() % (n + 1));
        z.consume(k);
        at += k;
      }
      CHECK(z.fill(1).empty());
      std::error_code ec;
      CHECK(z.fill(capacity + 1, ec).empty());
      CHECK(ec == io::errc::no_buffer_space);
      CHECK_THROWS_AS(z.fill(capacity + 1), io::io_error);
    }
  }
}

TEST_CASE("the decompressor's errors from its stream name the stream's path, both ways") {
  temp_dir dir;
  std::error_code ec;
  auto z = io::decompress(io::open_reader(dir / "missing.gz", ec));
  CHECK(ec);
  std::error_code read_error;
  CHECK(drain(z, read_error).empty());
  CHECK(read_error == io::errc::closed);
  CHECK_THROWS_AS(drain(z), io::io_error);
  // read() with an error_code: the same error, kept.
  const std::string cut = tool_compress(tools[2], dir, make_data(100000, true, 12)).substr(0, 5000);
  io::span_stream cut_stream(io::as_bytes(cut));
  auto cut_z = io::decompress(cut_stream);
  std::string got;
  char buffer[300];
  std::error_code read_ec;
  for (std::size_t n; (n = cut_z.read(buffer, read_ec)) != 0;) got.append(buffer, n);
  CHECK(read_ec == io::errc::unexpected_eof);
  CHECK(cut_z.read(buffer, read_ec) == 0);
  CHECK(read_ec == io::errc::unexpected_eof);
  CHECK_THROWS_WITH_AS(cut_z.read(buffer), doctest::Contains("xz data, at compressed byte 5000"), io::io_error);
  // A stream failing midway: the decoded bytes before it, then its error.
  const std::string compressed = tool_compress(tools[0], dir, make_data(100000, true, 12));
  io_test::trickle_reader failing{compressed, 4096, compressed.size() / 2};
  auto midway = io::decompress(failing);
  CHECK_THROWS_AS(drain(midway), std::system_error);
}

TEST_CASE("compress: flush makes the data so far decodable, finish writes the trailer, errors both ways") {
  temp_dir dir;
  for (const tool& t : tools) {
    CAPTURE(std::string(t.extension));
    io::memory_stream out;
    auto z = io::compress(out, t.format);
    z.write(std::string_view("first\n"));
    z.flush();
    // What was flushed decodes, though the stream is not finished (the tool then complains).
    {
      io::span_stream so_far(out.view());
      auto partial = io::decompress(so_far);
      std::error_code ec;
      CHECK(drain(partial, ec) == "first\n");
      // Unfinished, except bzip2, whose flush ends a stream.
      if (t.format == io::codec::bzip2) CHECK(!ec);
      else CHECK(ec == io::errc::unexpected_eof);
    }
    z.write(std::string_view("second\n"));
    z.finish();
    io::span_stream whole(out.view());
    auto all = io::decompress(whole);
    CHECK(drain(all) == "first\nsecond\n");
    CHECK_THROWS_AS(z.write(std::string_view("late")), io::io_error);
    std::error_code ec;
    z.write(std::string_view("late"), ec);
    CHECK(ec == io::errc::closed);
    z.finish(); // finishing twice does nothing
  }
  // A sink that runs out of space: reported by write or finish, and kept.
  for (const tool& t : tools) {
    io_test::limited_writer small{{}, 100};
    auto z = io::compress(small, t.format);
    const std::string data = make_data(1000000, true, 13);
    CHECK_THROWS_AS((z.write(data), z.finish()), std::system_error);
    std::error_code ec;
    z.finish(ec);
    CHECK(ec == std::errc::no_space_on_device);
    io_test::limited_writer small2{{}, 100};
    auto z2 = io::compress(small2, t.format);
    z2.write(data, ec);
    if (!ec) z2.finish(ec);
    CHECK(ec == std::errc::no_space_on_device);
  }
}

TEST_CASE("compress's destructor finishes the stream") {
  temp_dir dir;
  for (const tool& t : tools) {
    {
      auto z = io::compress(io::open_writer(dir / "d"), t.format);
      z.write(std::string_view("unfinished\n"));
    }
    CHECK(decompress_file(dir / "d") == "unfinished\n");
  }
}

TEST_CASE("a compressed atomic_file appears whole or not at all") {
  temp_dir dir;
  write_text(dir / "t.zst", "old");
  const std::string data = make_data(300000, false, 14);
  {
    auto z = io::compress(io::atomic_file(dir / "t.zst"), io::codec::zstd);
    z.write(data);
    z.finish();
    CHECK(read_text(dir / "t.zst") == "old"); // nothing visible before commit
    z.inner().commit();
  }
  CHECK(decompress_file(dir / "t.zst") == data);
  REQUIRE(shell("zstd -q -dc " + quoted(dir / "t.zst") + " > " + quoted(dir / "d")) == 0);
  CHECK(read_text(dir / "d") == data);
  const std::string committed = read_text(dir / "t.zst");
  {
    // Abandoned midway (an exception): the old file stays, and no temporary is left.
    auto z = io::compress(io::atomic_file(dir / "t.zst"), io::codec::zstd);
    z.write(data);
  }
  CHECK(read_text(dir / "t.zst") == committed);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("open_compressed picks the codec by extension for writing and by magic for reading") {
  temp_dir dir;
  const std::string data = make_data(100000, false, 15);
  for (const char* name : {"a.gz", "a.zst", "a.xz", "a.bz2", "a.txt"}) {
    CAPTURE(name);
    {
      io::compressed_file f = io::open_compressed(dir / name, "w");
      f.write(data);
      f.close();
    }
    CHECK(io::codec_for_path(name) == io::detect_codec(io::as_bytes(read_text(dir / name).substr(0, 6))));
    {
      io::compressed_file f = io::open_compressed(dir / name, "a"); // a second member
      f.write(std::string_view("more\n"));
    }
    io::compressed_file r = io::open_compressed(dir / name);
    CHECK(drain(r) == data + "more\n");
    CHECK(r.path() == (dir / name).string());
    CHECK_THROWS_AS(r.write(std::string_view("x")), io::io_error);
    std::error_code ec;
    r.write(std::string_view("x"), ec);
    CHECK(ec == io::errc::not_writable);
    for (const tool& t : tools)
      if (std::string_view(name).ends_with(t.extension)) {
        REQUIRE(shell(std::string(t.decompress) + " < " + quoted(dir / name) + " > " + quoted(dir / "d")) == 0);
        CHECK(read_text(dir / "d") == data + "more\n");
      }
  }
  CHECK_THROWS_AS(io::open_compressed(dir / "m.gz", "r+"), io::io_error);
  CHECK_THROWS_AS(io::open_compressed(dir / "m.gz", "w", 10), io::io_error);
  CHECK(!std::filesystem::exists(dir / "m.gz")); // a bad level creates nothing
  CHECK_THROWS_AS(io::open_compressed(dir / "missing.gz"), io::io_error);
  std::error_code ec;
  io::compressed_file missing = io::open_compressed(dir / "missing.gz", "r", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  io::compressed_file bad_mode = io::open_compressed(dir / "m.gz", "rw", ec);
  CHECK(ec == io::errc::invalid_argument);
}
