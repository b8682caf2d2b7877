// Tests of bytes in, bytes out over memory: every byte element type and container, members and
// free functions, both ways; read_full and read_exact over memory.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>
#include <utility>
#include <vector>

import io.core;
import io.memory;

namespace {

// The byte element types a read and a write accept.
template <class... T>
struct types {};
using element_types = types<char, signed char, unsigned char, std::byte, std::uint8_t, std::int8_t, char8_t>;

template <class T>
std::vector<T> elements(std::string_view text) {
  std::vector<T> out(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<T>(text[i]);
  return out;
}

template <class T>
std::string text_of(std::span<const T> items) {
  std::string out;
  for (const T& item : items) out += static_cast<char>(item);
  return out;
}

// Writes "abc" from a vector, an array, a C array and a span of T, through the stream's members
// and io::write, both ways; then reads it back into the same kinds of buffers.
template <class T, class Stream>
void round_trip(Stream& s) {
  const std::vector<T> vector = elements<T>("ab");
  const std::array<T, 2> array{static_cast<T>('c'), static_cast<T>('d')};
  T c_array[2] = {static_cast<T>('e'), static_cast<T>('f')};
  const std::span<const T> span(vector);
  std::error_code ec;
  s.write(vector);
  s.write(array, ec);
  CHECK_FALSE(ec);
  s.write(c_array); // a mutable array is a buffer: written whole, whatever its last element
  io::write(s, span);
  io::write(s, std::span<T>(c_array), ec);
  CHECK_FALSE(ec);
  s.seek(0);
  std::vector<T> into_vector(3);
  CHECK(s.read(into_vector) == 3);
  CHECK(text_of<T>(into_vector) == "abc");
  std::array<T, 2> into_array{};
  CHECK(io::read(s, into_array) == 2);
  CHECK(text_of<T>(into_array) == "de");
  T into_c_array[4] = {};
  CHECK(s.read(into_c_array, ec) == 4);
  CHECK_FALSE(ec);
  CHECK(text_of<T>(into_c_array) == "fabe");
  CHECK(io::read(s, std::span<T>(into_c_array), ec) == 1);
  CHECK_FALSE(ec);
  CHECK(static_cast<char>(into_c_array[0]) == 'f');
  CHECK(io::read(s, into_vector) == 0);
}

template <class... T>
void round_trip_each(types<T...>) {
  (
      [] {
        INFO("element size " << sizeof(T) << ", type " << typeid(T).name());
        io::memory_stream m;
        round_trip<T>(m);
        CHECK(m.str() == "abcdefabef");
        std::array<std::byte, 64> storage{};
        io::writable_span_stream w(storage);
        round_trip<T>(w);
        CHECK(io::as_string_view(w.view()) == "abcdefabef");
        io::basic_memory_stream<std::string> owned;
        round_trip<T>(owned);
        CHECK(owned.take() == "abcdefabef");
      }(),
      ...);
}

template <class S, class B>
concept reads_member = requires(S& s, B&& b, std::error_code& ec) {
  s.read(std::forward<B>(b));
  s.read(std::forward<B>(b), ec);
};
template <class S, class B>
concept writes_member = requires(S& s, B&& b, std::error_code& ec) {
  s.write(std::forward<B>(b));
  s.write(std::forward<B>(b), ec);
};
template <class S, class B>
concept reads_free = requires(S& s, B&& b, std::error_code& ec) {
  io::read(s, std::forward<B>(b));
  io::read(s, std::forward<B>(b), ec);
};

} // namespace

static_assert(io::bytes_like<std::string>);
static_assert(io::bytes_like<const char*>);
static_assert(io::bytes_like<const char (&)[6]>);
static_assert(io::bytes_like<std::vector<char>&>);
static_assert(io::bytes_like<std::array<unsigned char, 4>>);
static_assert(io::bytes_like<std::span<std::byte>>);
static_assert(io::bytes_like<std::u8string_view>);
static_assert(!io::bytes_like<std::vector<int>>);
static_assert(!io::bytes_like<std::vector<bool>>);
static_assert(!io::bytes_like<bool[4]>);
static_assert(!io::bytes_like<std::u16string>);
static_assert(io::writable_bytes_like<std::vector<char>&>);
static_assert(io::writable_bytes_like<char (&)[100]>);
static_assert(io::writable_bytes_like<std::array<unsigned char, 4>&>);
static_assert(io::writable_bytes_like<std::span<std::byte>>);
static_assert(io::writable_bytes_like<std::string&>);
static_assert(!io::writable_bytes_like<std::string_view>);
static_assert(!io::writable_bytes_like<const std::vector<char>&>);
static_assert(!io::writable_bytes_like<std::span<const std::byte>>);
static_assert(!io::writable_bytes_like<bool (&)[4]>);
// The concepts are unchanged: a stream is what has the span members.
static_assert(io::readable<io::memory_stream> && io::writable<io::memory_stream>);
static_assert(io::readable<io::span_stream> && !io::writable<io::span_stream>);
// A read-only span stream reads any buffer and writes nothing, whatever the argument.
static_assert(reads_member<io::span_stream, std::vector<char>&>);
static_assert(!writes_member<io::span_stream, const char (&)[5]>);
static_assert(!writes_member<io::span_stream, std::vector<char>&>);
static_assert(writes_member<io::writable_span_stream, const char (&)[5]>);
// Reading into bytes that cannot change does not compile.
static_assert(!reads_member<io::memory_stream, const std::vector<char>&>);
static_assert(!reads_free<io::memory_stream, std::string_view>);
static_assert(reads_free<io::memory_stream, std::string&>);

TEST_CASE("every byte element type goes in and out of memory streams through members and io::read/io::write, both ways") {
  round_trip_each(element_types{});
}

TEST_CASE("a string literal is written without its '\\0', strings, views and pointers whole") {
  io::memory_stream m;
  m.write("hello\n");
  io::write(m, "a\0b"); // the '\0's inside stay: only the terminator goes
  m.write(u8"é");
  const std::string text = "str";
  m.write(text);
  io::write(m, std::string_view("view"));
  const char* pointer = "ptr";
  m.write(pointer);
  std::error_code ec;
  m.write("!", ec);
  CHECK_FALSE(ec);
  io::write(m, "?", ec);
  CHECK_FALSE(ec);
  CHECK(m.str() == "hello\n" + std::string("a\0b", 3) + "\xc3\xa9strviewptr!?");
  const std::byte raw[2] = {std::byte{0x01}, std::byte{0x00}}; // a const byte array is data, not text
  io::memory_stream bytes;
  bytes.write(raw);
  CHECK(bytes.size() == 2);
}

TEST_CASE("a mutable char array is a buffer: written whole, '\\0' included") {
  char buffer[] = "hi";
  io::memory_stream m;
  m.write(buffer);
  CHECK(m.str() == std::string("hi\0", 3));
}

TEST_CASE("write errors reach the caller both ways, whatever the argument") {
  std::array<std::byte, 4> storage{};
  io::writable_span_stream w(storage);
  const std::vector<unsigned char> five{1, 2, 3, 4, 5};
  CHECK_THROWS_AS(w.write(five), io::io_error);
  CHECK_THROWS_AS(io::write(w, "12345"), io::io_error);
  std::error_code ec;
  w.write(five, ec);
  CHECK(ec == io::errc::no_buffer_space);
  io::write(w, std::string("12345"), ec);
  CHECK(ec == io::errc::no_buffer_space);
  w.close();
  std::vector<char> into(2);
  CHECK_THROWS_AS(w.read(into), io::io_error);
  CHECK(io::read(w, into, ec) == 0);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("read_full tells a clean end from a torn record over memory, both ways") {
  std::string data(42, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i);
  io::span_stream s(data);
  std::array<std::byte, 8> record{};
  int records = 0;
  try {
    while (io::read_full(s, record)) {
      CHECK(std::to_integer<int>(record[0]) == 8 * records);
      ++records;
    }
    FAIL("a torn record was not reported");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::unexpected_eof);
    CHECK(std::string(e.what()) == "cannot read: expected 8 bytes at offset 40, got 2: unexpected end of stream");
  }
  CHECK(records == 5);

  io::span_stream exact(std::string_view(data).substr(0, 40));
  std::error_code ec;
  records = 0;
  while (io::read_full(exact, record, ec)) ++records;
  CHECK_FALSE(ec); // a clean end
  CHECK(records == 5);
  CHECK_FALSE(io::read_full(exact, record)); // and again

  io::span_stream torn(data);
  torn.seek(36);
  std::vector<char> seven(7);
  CHECK_FALSE(io::read_full(torn, seven, ec));
  CHECK(ec == io::errc::unexpected_eof);
  CHECK(std::vector<char>(seven.begin(), seven.begin() + 6) == std::vector<char>{36, 37, 38, 39, 40, 41});

  std::array<unsigned char, 0> nothing{};
  CHECK(io::read_full(torn, nothing)); // an empty buffer is always full
}

TEST_CASE("read_exact names the offset and both counts") {
  io::span_stream s(std::string_view("0123456789"));
  s.seek(9);
  char two[2];
  try {
    io::read_exact(s, two);
    FAIL("read_exact past the end did not throw");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot read: expected 2 bytes at offset 9, got 1: unexpected end of stream");
  }
  unsigned char one[1];
  try {
    io::read_exact(s, one);
    FAIL("read_exact at the end did not throw");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot read: expected 1 byte at offset 10, got 0: unexpected end of stream");
  }
}

TEST_CASE("seek(offset, ec) takes whence::begin as seek(offset) does") {
  io::memory_stream m("abcdef");
  std::error_code ec;
  CHECK(m.seek(4, ec) == 4);
  CHECK_FALSE(ec);
  m.seek(-1, ec);
  CHECK(ec == io::errc::invalid_argument);
  io::span_stream s(std::string_view("xyz"));
  CHECK(s.seek(2, ec) == 2);
  CHECK_FALSE(ec);
}
