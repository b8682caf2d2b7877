// Tests of io::span_stream and io::writable_span_stream over a caller's buffer.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

import io.core;
import io.memory;

static_assert(io::readable<io::span_stream>);
static_assert(io::seekable<io::span_stream>);
static_assert(io::buffered_readable<io::span_stream>);
static_assert(io::contiguous_source<io::span_stream>);
static_assert(!io::writable<io::span_stream>);

static_assert(io::readable<io::writable_span_stream>);
static_assert(io::writable<io::writable_span_stream>);
static_assert(io::seekable<io::writable_span_stream>);
static_assert(io::buffered_readable<io::writable_span_stream>);

// The throwing members at compile time: write, seek, tell, truncate, read, fill and consume.
constexpr bool span_streams_at_compile_time() {
  std::array<std::byte, 6> buffer{};
  io::writable_span_stream out(buffer);
  const std::array<std::byte, 3> abc{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
  out.write(abc);
  out.seek(1, io::whence::end); // past the end: the next write fills the gap with a zero
  out.write(std::span<const std::byte>(abc).first(1));
  if (out.tell() != 5 || out.size() != 5 || buffer[3] != std::byte{0} || buffer[4] != std::byte{'a'}) return false;
  if (out.truncate(4) != 4 || out.size() != 4 || out.capacity() != 6) return false;
  io::span_stream in(std::span<const std::byte>(buffer).first(4));
  std::array<std::byte, 2> two{};
  if (in.read(two) != 2 || two[1] != std::byte{'b'}) return false; // any std::byte range
  if (in.fill().size() != 2 || in.fill()[0] != std::byte{'c'}) return false;
  in.consume(1);
  if (in.tell() != 3 || in.seek(-1, io::whence::current) != 2) return false;
  if (in.read(std::span<std::byte>(two)) != 2 || two[0] != std::byte{'c'} || two[1] != std::byte{0}) return false;
  if (in.read(std::span<std::byte>(two)) != 0) return false; // the end
  in.close();
  return in.closed();
}
static_assert(span_streams_at_compile_time());

TEST_CASE("span stream members hold at run time as at compile time") {
  CHECK(span_streams_at_compile_time());
}

TEST_CASE("a span stream reads the caller's bytes in place") {
  const std::string text = "hello world";
  io::span_stream s(text);
  CHECK(s.view().data() == reinterpret_cast<const std::byte*>(text.data()));
  CHECK(s.size() == text.size());
  std::array<std::byte, 5> b{};
  CHECK(s.read(b) == 5);
  CHECK(io::as_string_view(b) == "hello");
  CHECK(s.tell() == 5);
  CHECK(io::as_string_view(s.fill()) == " world");
  s.consume(1);
  CHECK(io::read_all<std::string>(s) == "world");
  CHECK(s.read(b) == 0);
}

TEST_CASE("a span stream seeks like BytesIO") {
  io::span_stream s("0123456789");
  CHECK(s.seek(-3, io::whence::end) == 7);
  CHECK(s.seek(-100, io::whence::current) == 0);
  CHECK(s.seek(20) == 20);
  std::byte b[1];
  CHECK(s.read(b) == 0);
  std::error_code ec;
  s.seek(-1, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(s.seek(-1), io::io_error);
}

TEST_CASE("a writable span stream starts empty and grows within its buffer") {
  std::array<std::byte, 8> buffer{};
  io::writable_span_stream s(buffer);
  CHECK(s.size() == 0);
  CHECK(s.capacity() == 8);
  io::write(s, "abc");
  CHECK(s.size() == 3);
  CHECK(s.view().data() == buffer.data());
  CHECK(io::as_string_view(std::span(buffer).first(3)) == "abc");
  s.seek(1);
  io::write(s, "Z");
  CHECK(s.str() == "aZc");
  s.seek(0);
  CHECK(io::read_all<std::string>(s) == "aZc");
}

TEST_CASE("a writable span stream can start with contents") {
  std::array<char, 6> buffer{'a', 'b', 'c', 'd', 'e', 'f'};
  io::writable_span_stream s(io::as_writable_bytes(buffer), 4);
  CHECK(s.str() == "abcd");
  s.seek(0, io::whence::end);
  io::write(s, "XY");
  CHECK(s.str() == "abcdXY");
}

TEST_CASE("a write that does not fit reports no_buffer_space and writes nothing") {
  std::array<std::byte, 4> buffer{};
  io::writable_span_stream s(buffer);
  io::write(s, "ab");
  try {
    io::write(s, "cde");
    FAIL("an overflowing write did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::no_buffer_space);
    CHECK(e.code() == std::errc::no_buffer_space);
  }
  std::error_code ec;
  io::write(s, "cde", ec);
  CHECK(ec == io::errc::no_buffer_space);
  CHECK(s.str() == "ab");
  CHECK(s.tell() == 2);
  io::write(s, "cd", ec); // exactly fills the buffer
  CHECK(!ec);
  CHECK(s.str() == "abcd");
}

TEST_CASE("a writable span stream fills a gap with zeros, and a write past its capacity fails") {
  std::array<char, 8> buffer;
  buffer.fill('#');
  io::writable_span_stream s(io::as_writable_bytes(buffer));
  io::write(s, "a");
  s.seek(3);
  io::write(s, "b");
  CHECK(s.str() == std::string("a\0\0b", 4));
  s.seek(100);
  std::error_code ec;
  io::write(s, "c", ec);
  CHECK(ec == io::errc::no_buffer_space);
  CHECK(s.size() == 4);
}

TEST_CASE("a writable span stream truncates like BytesIO") {
  std::array<std::byte, 8> buffer{};
  io::writable_span_stream s(buffer);
  io::write(s, "abcdef");
  CHECK(s.truncate(3) == 3);
  CHECK(s.str() == "abc");
  CHECK(s.tell() == 6);
  CHECK(s.truncate() == 6);
  CHECK(s.str() == "abc");
  std::error_code ec;
  s.truncate(-2, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK_THROWS_AS(s.truncate(-2), io::io_error);
}

TEST_CASE("span streams report closed after close, both ways") {
  io::span_stream r("abc");
  r.close();
  std::byte b[1];
  CHECK_THROWS_AS((void)r.read(b), io::io_error);
  std::error_code ec;
  CHECK(r.read(b, ec) == 0);
  CHECK(ec == io::errc::closed);

  std::array<std::byte, 4> buffer{};
  io::writable_span_stream w(buffer);
  w.close();
  CHECK_THROWS_AS(io::write(w, "x"), io::io_error);
  io::write(w, "x", ec);
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS(w.flush(), io::io_error);
  w.flush(ec);
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS((void)w.view(), io::io_error);
}
