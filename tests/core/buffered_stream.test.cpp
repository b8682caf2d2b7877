// Tests of io::buffered_stream: one buffer shared by reads and writes of a seekable stream.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

import io.core;
import io.memory;

static_assert(io::readable<io::buffered_stream<io::memory_stream>>);
static_assert(io::writable<io::buffered_stream<io::memory_stream>>);
static_assert(io::seekable<io::buffered_stream<io::memory_stream>>);
static_assert(io::buffered_readable<io::buffered_stream<io::memory_stream>>);

namespace {

// A memory stream that says at run time whether it may be read or written, as io::file does.
struct restricted_stream : io::memory_stream {
  bool may_read = true;
  bool may_write = true;
  bool readable() const { return may_read; }
  bool writable() const { return may_write; }
};

// Reads up to n bytes, gathering short reads until n or the end of the stream.
std::string read_string(auto& s, std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  for (std::size_t got = 1; done < n && got != 0; done += got)
    got = s.read(io::as_writable_bytes(std::span(out)).subspan(done));
  out.resize(done);
  return out;
}

} // namespace

TEST_CASE("a write after a read lands where the caller's position is, not after the read-ahead") {
  io::memory_stream s("0123456789");
  io::buffered_stream b(s, 8);
  CHECK(read_string(b, 2) == "01");
  CHECK(s.tell() == 8); // the buffer read ahead
  io::write(b, "ab");
  CHECK(b.tell() == 4);
  b.flush();
  CHECK(s.str() == "01ab456789");
  CHECK(read_string(b, 3) == "456");
}

TEST_CASE("a read after a write writes out first and reads what follows") {
  io::memory_stream s("0123456789");
  io::buffered_stream b(s, 8);
  io::write(b, "xyz");
  CHECK(s.str() == "0123456789");
  CHECK(read_string(b, 2) == "34");
  CHECK(s.str() == "xyz3456789");
}

TEST_CASE("fill and consume see written data after a write-out") {
  io::memory_stream s;
  io::buffered_stream b(s, 4);
  io::write(b, "hello");
  b.seek(0);
  CHECK(io::as_string_view(b.fill()) == "hell");
  b.consume(4);
  CHECK(io::as_string_view(b.fill()) == "o");
}

TEST_CASE("random interleavings of reads, writes and seeks match the unbuffered stream") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    io::memory_stream plain("initial contents of the stream");
    io::memory_stream inner("initial contents of the stream");
    const std::size_t capacity = 1 + rng() % 9;
    io::buffered_stream b(inner, capacity);
    std::string log = "capacity " + std::to_string(capacity);
    INFO(log);
    for (int step = 0; step < 60; ++step) {
      const unsigned op = rng() % 5;
      log += "; op " + std::to_string(op) + " at " + std::to_string(plain.tell());
      switch (op) {
      case 0: {
        const std::size_t n = rng() % 12;
        REQUIRE(read_string(b, n) == read_string(plain, n));
        break;
      }
      case 1: {
        std::string piece(rng() % 12, static_cast<char>('a' + rng() % 26));
        io::write(b, piece);
        io::write(plain, piece);
        break;
      }
      case 2: {
        const std::int64_t offset = static_cast<std::int64_t>(rng() % 40) - 10;
        const auto from = static_cast<io::whence>(rng() % 3);
        if (from == io::whence::begin && offset < 0) break;
        REQUIRE(b.seek(offset, from) == plain.seek(offset, from));
        break;
      }
      case 3: REQUIRE(b.tell() == plain.tell()); break;
      case 4: {
        const auto chunk = b.fill();
        const std::size_t n = chunk.empty() ? 0 : rng() % (chunk.size() + 1);
        REQUIRE(io::as_string_view(chunk.first(n)) == read_string(plain, n));
        b.consume(n);
        break;
      }
      }
    }
    b.flush();
    REQUIRE(inner.str() == plain.str());
  }
}

TEST_CASE("truncate writes out first and keeps the caller's position") {
  io::memory_stream s("0123456789");
  io::buffered_stream b(s, 4);
  CHECK(read_string(b, 1) == "0");
  io::write(b, "A");
  CHECK(b.truncate(5) == 5);
  CHECK(s.str() == "0A234");
  CHECK(b.tell() == 2);
  std::error_code ec;
  b.truncate(-1, ec);
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("a stream that forbids reading or writing is reported at once, both ways") {
  restricted_stream write_only;
  write_only.may_read = false;
  io::buffered_stream w(write_only, 16);
  std::array<std::byte, 4> b{};
  try {
    (void)w.read(b);
    FAIL("reading a write-only stream did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::not_readable);
  }
  std::error_code ec;
  w.read(b, ec);
  CHECK(ec == io::errc::not_readable);
  w.fill(ec);
  CHECK(ec == io::errc::not_readable);
  io::write(w, "fine");

  restricted_stream read_only;
  read_only.may_write = false;
  io::buffered_stream r(read_only, 16);
  try {
    io::write(r, "x");
    FAIL("writing a read-only stream did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::not_writable);
  }
  io::write(r, "x", ec);
  CHECK(ec == io::errc::not_writable);
}

TEST_CASE("close writes out and closes, later operations report closed, both ways") {
  io::memory_stream s;
  io::buffered_stream b(s, 16);
  io::write(b, "kept");
  b.close();
  CHECK(s.closed());
  CHECK(b.closed());
  std::array<std::byte, 1> one{};
  CHECK_THROWS_AS((void)b.read(one), io::io_error);
  CHECK_THROWS_AS(io::write(b, "x"), io::io_error);
  CHECK_THROWS_AS(b.seek(0), io::io_error);
  CHECK_THROWS_AS((void)b.tell(), io::io_error);
  std::error_code ec;
  b.read(one, ec);
  CHECK(ec == io::errc::closed);
  b.seek(0, io::whence::begin, ec);
  CHECK(ec == io::errc::closed);
  b.tell(ec);
  CHECK(ec == io::errc::closed);
  b.close(ec);
  CHECK(!ec);
}

TEST_CASE("the destructor writes out pending writes") {
  io::memory_stream s;
  {
    io::buffered_stream b(s, 64);
    io::write(b, "pending");
  }
  CHECK(s.str() == "pending");
}
