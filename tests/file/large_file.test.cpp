// Tests of 64-bit positions on a sparse file with a byte beyond 5 GiB.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

import io.core;
import io.file;
import io.memory;

using io_test::temp_dir;

TEST_CASE("a sparse file with a byte at 5 GiB: seek, tell, size, read back, read_at and map") {
  temp_dir dir;
  constexpr std::uint64_t offset = std::uint64_t{5} << 30;
  {
    io::file f(dir / "sparse", "w");
    CHECK(f.seek(static_cast<std::int64_t>(offset)) == offset);
    CHECK(f.tell() == offset);
    io::write(f, "Z");
    CHECK(f.size() == offset + 1);
  }
  io::file f(dir / "sparse");
  CHECK(f.size() == offset + 1);
  CHECK(f.seek(-1, io::whence::end) == offset);
  std::array<std::byte, 4> b{};
  CHECK(f.read(b) == 1);
  CHECK(b[0] == std::byte{'Z'});
  CHECK(f.read_at(offset, b) == 1);
  CHECK(b[0] == std::byte{'Z'});
  CHECK(f.read_at(offset - 2, b) == 3);
  CHECK(b[0] == std::byte{0});
  CHECK(b[2] == std::byte{'Z'});
  CHECK(f.tell() == offset + 1);

  const io::mapped_file m(dir / "sparse");
  CHECK(m.size() == offset + 1);
  CHECK(m.bytes()[offset] == std::byte{'Z'});
  CHECK(m.bytes()[offset - 1] == std::byte{0});

  io::buffered_file buffered = io::open(dir / "sparse", "r+");
  CHECK(buffered.seek(static_cast<std::int64_t>(offset) - 1) == offset - 1);
  io::write(buffered, "Y");
  CHECK(buffered.tell() == offset);
  buffered.close();
  CHECK(io::file(dir / "sparse").read_at(offset - 1, b) == 2);
  CHECK(io::as_string_view(std::span(b).first(2)) == "YZ");
}

TEST_CASE("lines and chunks past 4 GiB: over a buffered file positioned there and over a mapped tail") {
  temp_dir dir;
  constexpr std::uint64_t start = (std::uint64_t{4} << 30) + 12345; // beyond any 32-bit offset
  const std::string text = "first line\nsecond\r\nthird without newline";
  io::file(dir / "sparse", "w").write_at(start, io::as_bytes(text));
  const std::vector<std::string> expected = {std::string("\0\0\0first line", 13), "second", "third without newline"};

  io::buffered_file in = io::open(dir / "sparse", "r", 16); // lines cross many buffer ends
  CHECK(in.seek(static_cast<std::int64_t>(start) - 3) == start - 3);
  std::vector<std::string> lines;
  for (const std::string_view line : in | io::views::lines) lines.emplace_back(line);
  CHECK(lines == expected);
  CHECK(in.tell() == start + text.size());

  io::file raw(dir / "sparse");
  raw.seek(static_cast<std::int64_t>(start));
  std::string joined;
  std::size_t chunks = 0;
  for (const auto chunk : io::views::chunks(raw, 7)) {
    joined += io::as_string_view(chunk);
    ++chunks;
  }
  CHECK(joined == text);
  CHECK(chunks == (text.size() + 6) / 7);

  const io::mapped_file m(dir / "sparse");
  io::span_stream tail(m.bytes().subspan(start - 3));
  lines.clear();
  for (const std::string_view line : tail | io::views::lines) lines.emplace_back(line);
  CHECK(lines == expected);
  CHECK(tail.tell() == text.size() + 3); // a stream, in memory or not, is consumed
}
