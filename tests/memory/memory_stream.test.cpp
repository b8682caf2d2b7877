// Tests of io::memory_stream against the behaviour of Python's io.BytesIO.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io.core;
import io.memory;

using io_test::read_string;

namespace {

template <class F>
std::error_code thrown_code(F&& f) {
  try {
    f();
  } catch (const io::io_error& e) {
    return e.code();
  }
  return {};
}

} // namespace

static_assert(io::readable<io::memory_stream>);
static_assert(io::writable<io::memory_stream>);
static_assert(io::seekable<io::memory_stream>);
static_assert(io::buffered_readable<io::memory_stream>);
static_assert(io::contiguous_source<io::memory_stream>);
static_assert(io::readable<io::basic_memory_stream<std::string>>);
static_assert(io::writable<io::basic_memory_stream<std::string>>);

TEST_CASE("a new memory stream is empty at position 0") {
  io::memory_stream s;
  CHECK(s.tell() == 0);
  CHECK(s.size() == 0);
  CHECK(s.view().empty());
  CHECK(s.str().empty());
  std::byte b[4];
  CHECK(s.read(b) == 0);
}

TEST_CASE("initial bytes are copied and the position starts at 0") {
  std::string text = "hello";
  io::memory_stream s(text);
  text[0] = 'j';
  CHECK(s.tell() == 0);
  CHECK(s.str() == "hello");
  CHECK(read_string(s, 3) == "hel");
  CHECK(s.tell() == 3);

  const std::byte raw[] = {std::byte{1}, std::byte{2}};
  io::memory_stream from_bytes{std::span<const std::byte>(raw)};
  CHECK(from_bytes.size() == 2);
  CHECK(from_bytes.view()[1] == std::byte{2});
}

TEST_CASE("adopting a byte_array, a vector or a string does not copy, and take hands the same buffer back") {
  io::byte_array array(std::string_view("abc"));
  const std::byte* array_data = array.data();
  io::memory_stream m(std::move(array));
  CHECK(m.view().data() == array_data);
  m.seek(0, io::whence::end);
  io::write(m, "d");
  const io::byte_array taken = m.take();
  CHECK(taken.str() == "abcd");
  CHECK(m.size() == 0);

  std::vector<std::byte> bytes(1000, std::byte{7});
  const std::byte* data = bytes.data();
  io::basic_memory_stream s(std::move(bytes)); // deduces basic_memory_stream<std::vector<std::byte>>
  static_assert(std::is_same_v<decltype(s), io::basic_memory_stream<std::vector<std::byte>>>);
  CHECK(s.view().data() == data);
  CHECK(s.tell() == 0);
  std::vector<std::byte> back = s.take();
  CHECK(back.data() == data);
  CHECK(s.size() == 0);
  CHECK(s.tell() == 0);

  std::string text(1000, 'x');
  const char* chars = text.data();
  io::basic_memory_stream t(std::move(text)); // deduces basic_memory_stream<std::string>
  static_assert(std::is_same_v<decltype(t), io::basic_memory_stream<std::string>>);
  CHECK(reinterpret_cast<const char*>(t.view().data()) == chars);
  t.seek(0, io::whence::end);
  io::write(t, "yz");
  std::string out = t.take();
  CHECK(out.size() == 1002);
  CHECK(out.ends_with("xyz"));
}

TEST_CASE("take leaves a usable empty stream") {
  io::memory_stream s("abc");
  s.seek(2);
  CHECK(s.take().size() == 3);
  CHECK(s.tell() == 0);
  io::write(s, "de");
  CHECK(s.str() == "de");
}

TEST_CASE("write overwrites at the position and extends past the end") {
  io::memory_stream s("abcdef");
  s.seek(2);
  io::write(s, "XY");
  CHECK(s.tell() == 4);
  CHECK(s.str() == "abXYef");
  s.seek(5);
  io::write(s, "1234");
  CHECK(s.str() == "abXYe1234");
  CHECK(s.tell() == 9);
}

TEST_CASE("write after seeking past the end fills the gap with zeros") {
  io::memory_stream s("ab");
  CHECK(s.seek(5) == 5);
  CHECK(s.size() == 2); // seeking alone does not extend
  io::write(s, "c");
  CHECK(s.str() == std::string("ab\0\0\0c", 6));
  CHECK(s.tell() == 6);
}

TEST_CASE("an empty write past the end does not extend the stream") {
  io::memory_stream s("ab");
  s.seek(10);
  s.write({});
  CHECK(s.size() == 2);
  CHECK(s.tell() == 10);
}

TEST_CASE("read past the end returns 0 and does not move the position") {
  io::memory_stream s("abc");
  s.seek(10);
  std::byte b[4];
  CHECK(s.read(b) == 0);
  CHECK(s.tell() == 10);
}

TEST_CASE("read returns what is left when fewer bytes remain than asked") {
  io::memory_stream s("abcde");
  s.seek(3);
  CHECK(read_string(s, 10) == "de");
  CHECK(s.tell() == 5);
  CHECK(read_string(s, 10).empty());
}

TEST_CASE("seek from the beginning, the current position and the end") {
  io::memory_stream s("0123456789");
  CHECK(s.seek(4) == 4);
  CHECK(s.seek(3, io::whence::current) == 7);
  CHECK(s.seek(-2, io::whence::current) == 5);
  CHECK(s.seek(-3, io::whence::end) == 7);
  CHECK(s.seek(5, io::whence::end) == 15);
  CHECK(s.tell() == 15);
}

TEST_CASE("a relative seek before the start clamps to 0, as BytesIO does") {
  io::memory_stream s("0123456789");
  s.seek(3);
  CHECK(s.seek(-10, io::whence::current) == 0);
  CHECK(s.seek(-100, io::whence::end) == 0);
  CHECK(s.tell() == 0);
}

TEST_CASE("a negative seek from the beginning is an error both ways and keeps the position") {
  io::memory_stream s("abc");
  s.seek(2);
  CHECK(thrown_code([&] { s.seek(-1); }) == io::errc::invalid_argument);
  std::error_code ec;
  s.seek(-1, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(ec == std::errc::invalid_argument);
  CHECK(s.tell() == 2);
}

TEST_CASE("a seek beyond the largest position is an error, not an overflow") {
  io::memory_stream s("abc");
  s.seek(INT64_MAX);
  CHECK(s.tell() == std::uint64_t{INT64_MAX});
  CHECK(thrown_code([&] { s.seek(1, io::whence::current); }) == io::errc::invalid_argument);
  std::error_code ec;
  s.seek(INT64_MAX, io::whence::end, ec);
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("a write that would pass the largest position is an error both ways") {
  io::memory_stream s;
  s.seek(INT64_MAX);
  CHECK_THROWS_AS(io::write(s, "x"), io::io_error);
  std::error_code ec;
  io::write(s, "x", ec);
  CHECK(ec == std::errc::file_too_large);
  CHECK(s.size() == 0);
}

namespace {

// An allocator that refuses more than 1 MiB, to reach the out-of-memory path without
// asking the system (or a sanitizer's allocator) for an impossible block.
template <class T>
struct capped_allocator {
  using value_type = T;
  capped_allocator() = default;
  template <class U>
  capped_allocator(const capped_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > (1u << 20)) throw std::bad_alloc();
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
  bool operator==(const capped_allocator&) const = default;
};

} // namespace

TEST_CASE("a write that cannot be allocated is reported both ways and changes nothing") {
  io::basic_memory_stream<std::vector<std::byte, capped_allocator<std::byte>>> s;
  io::write(s, "abc");
  s.seek(10 << 20);
  CHECK_THROWS_AS(io::write(s, "x"), std::bad_alloc);
  std::error_code ec;
  io::write(s, "x", ec);
  CHECK(ec == std::errc::not_enough_memory);
  CHECK(s.str() == "abc");
  CHECK(s.tell() == (10 << 20));
}

TEST_CASE("truncate shrinks, never extends, keeps the position and returns the size asked") {
  io::memory_stream s("abcdef");
  s.seek(4);
  CHECK(s.truncate(2) == 2);
  CHECK(s.str() == "ab");
  CHECK(s.tell() == 4);
  CHECK(s.truncate(10) == 10);
  CHECK(s.str() == "ab");
  io::write(s, "Z"); // the position was 4: the gap fills with zeros
  CHECK(s.str() == std::string("ab\0\0Z", 5));
}

TEST_CASE("truncate without a size cuts at the position") {
  io::memory_stream s("abcdef");
  s.seek(3);
  CHECK(s.truncate() == 3);
  CHECK(s.str() == "abc");
  s.seek(10);
  CHECK(s.truncate() == 10);
  CHECK(s.str() == "abc");
}

TEST_CASE("truncate to a negative size is an error both ways") {
  io::memory_stream s("abc");
  CHECK(thrown_code([&] { s.truncate(-1); }) == io::errc::invalid_argument);
  std::error_code ec;
  s.truncate(-1, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(s.str() == "abc");
}

TEST_CASE("view shows the whole contents whatever the position, without copying") {
  io::memory_stream s("abc");
  s.seek(2);
  const auto v = s.view();
  CHECK(io::as_string_view(v) == "abc");
  CHECK(v.data() == s.view().data());
  std::error_code ec;
  CHECK(io::as_string_view(s.view(ec)) == "abc");
  CHECK(!ec);
}

TEST_CASE("fill lends the rest of the contents and consume moves past it") {
  io::memory_stream s("hello world");
  s.seek(6);
  auto rest = s.fill();
  CHECK(io::as_string_view(rest) == "world");
  CHECK(rest.data() == s.view().data() + 6);
  s.consume(2);
  CHECK(s.tell() == 8);
  CHECK(io::as_string_view(s.fill()) == "rld");
  s.consume(100);
  CHECK(s.tell() == 11);
  CHECK(s.fill().empty());
}

TEST_CASE("small writes append without reallocating once capacity is there") {
  io::byte_array storage;
  storage.reserve(1024);
  io::memory_stream s(std::move(storage));
  const auto* data = s.view().data();
  for (int i = 0; i < 1024; ++i) io::write(s, "x");
  CHECK(s.size() == 1024);
  CHECK(s.view().data() == data);
  io::write(s, "y"); // grows geometrically from here
  CHECK(s.size() == 1025);
}

TEST_CASE("many small writes build the expected contents") {
  io::memory_stream s;
  std::string expected;
  for (int i = 0; i < 10000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    io::write(s, piece);
    expected += piece;
  }
  CHECK(s.str() == expected);
  CHECK(s.tell() == expected.size());
}

TEST_CASE("flush succeeds on an open stream and reports a closed one") {
  io::memory_stream s("a");
  s.flush();
  std::error_code ec;
  s.flush(ec);
  CHECK(!ec);
  s.close();
  CHECK(thrown_code([&] { s.flush(); }) == io::errc::closed);
  s.flush(ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("every operation after close reports closed, both ways") {
  io::memory_stream s("abc");
  s.close();
  CHECK(s.closed());
  std::byte b[2];
  CHECK(thrown_code([&] { (void)s.read(b); }) == io::errc::closed);
  CHECK(thrown_code([&] { io::write(s, "x"); }) == io::errc::closed);
  CHECK(thrown_code([&] { s.write({}); }) == io::errc::closed);
  CHECK(thrown_code([&] { s.seek(0); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.tell(); }) == io::errc::closed);
  CHECK(thrown_code([&] { s.truncate(0); }) == io::errc::closed);
  CHECK(thrown_code([&] { s.truncate(); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.view(); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.str(); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.fill(); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.take(); }) == io::errc::closed);
  CHECK(thrown_code([&] { (void)s.size(); }) == io::errc::closed);

  std::error_code ec;
  CHECK(s.read(b, ec) == 0);
  CHECK(ec == io::errc::closed);
  s.write(io::as_bytes("x"), ec);
  CHECK(ec == io::errc::closed);
  s.seek(0, io::whence::begin, ec);
  CHECK(ec == io::errc::closed);
  (void)s.tell(ec);
  CHECK(ec == io::errc::closed);
  s.truncate(0, ec);
  CHECK(ec == io::errc::closed);
  s.truncate(ec);
  CHECK(ec == io::errc::closed);
  CHECK(s.view(ec).empty());
  CHECK(ec == io::errc::closed);
  CHECK(s.fill(ec).empty());
  CHECK(ec == io::errc::closed);

  s.close(); // closing again is allowed
  CHECK(s.closed());
}

TEST_CASE("the closed error names the operation") {
  io::memory_stream s;
  s.close();
  try {
    s.seek(1);
    FAIL("seek on a closed stream did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.operation() == "seek");
    CHECK(std::string(e.what()).starts_with("cannot seek: "));
  }
}

TEST_CASE("error_code overloads clear a previous error on success") {
  io::memory_stream s("abc");
  std::error_code ec = io::errc::closed;
  std::byte b[1];
  CHECK(s.read(b, ec) == 1);
  CHECK(!ec);
  ec = io::errc::closed;
  s.write(io::as_bytes("z"), ec);
  CHECK(!ec);
  ec = io::errc::closed;
  CHECK(s.seek(0, io::whence::begin, ec) == 0);
  CHECK(!ec);
  ec = io::errc::closed;
  CHECK(s.truncate(1, ec) == 1);
  CHECK(!ec);
  CHECK(s.str() == "a");
}

TEST_CASE("a memory stream is read and written by the generic algorithms") {
  io::memory_stream s;
  io::write(s, "line one\nline two\n");
  s.seek(0);
  CHECK(io::read_all<std::string>(s) == "line one\nline two\n");
  s.seek(5);
  io::memory_stream copy;
  CHECK(io::copy(s, copy) == 13);
  CHECK(copy.str() == "one\nline two\n");
}
