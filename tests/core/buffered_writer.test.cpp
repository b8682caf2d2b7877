// Tests of io::buffered_writer over memory and user streams.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>

import io.core;
import io.memory;

using io_test::limited_writer;

static_assert(io::writable<io::buffered_writer<limited_writer&>>);
static_assert(!io::readable<io::buffered_writer<limited_writer&>>);
static_assert(!io::seekable<io::buffered_writer<limited_writer&>>);
static_assert(io::seekable<io::buffered_writer<io::memory_stream>>);

TEST_CASE("small writes stay buffered until the buffer fills or is flushed") {
  limited_writer sink;
  io::buffered_writer w(sink, 8);
  io::write(w, "abc");
  io::write(w, "def");
  CHECK(sink.data.empty());
  CHECK(io::as_string_view(w.buffered()) == "abcdef");
  io::write(w, "gh"); // exactly fills the buffer
  CHECK(sink.data.empty());
  io::write(w, "i"); // no room: the buffer goes out first
  CHECK(sink.data == "abcdefgh");
  CHECK(sink.writes == 1);
  w.flush();
  CHECK(sink.data == "abcdefghi");
  CHECK(sink.flushes == 1);
}

TEST_CASE("a write at least as large as the buffer bypasses it") {
  limited_writer sink;
  io::buffered_writer w(sink, 4);
  io::write(w, "ab");
  io::write(w, "0123456789");
  CHECK(sink.data == "ab0123456789");
  CHECK(sink.writes == 2);
  CHECK(w.buffered().empty());
}

TEST_CASE("the destructor writes out what is buffered") {
  limited_writer sink;
  {
    io::buffered_writer w(sink);
    io::write(w, "kept");
  }
  CHECK(sink.data == "kept");
}

TEST_CASE("the destructor swallows a failure instead of throwing") {
  limited_writer sink{.limit = 2};
  {
    io::buffered_writer w(sink);
    io::write(w, "too long");
  }
  CHECK(sink.data.empty());
  CHECK(sink.writes == 1);
}

TEST_CASE("a failed flush is reported both ways and keeps the bytes buffered") {
  limited_writer sink{.limit = 3};
  io::buffered_writer w(sink, 16);
  io::write(w, "abcdef");
  CHECK_THROWS_AS(w.flush(), std::system_error);
  CHECK(io::as_string_view(w.buffered()) == "abcdef");
  std::error_code ec;
  w.flush(ec);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(io::as_string_view(w.buffered()) == "abcdef");
  sink.limit = 100; // room again: nothing was lost
  w.flush(ec);
  CHECK(!ec);
  CHECK(sink.data == "abcdef");
}

TEST_CASE("a write that cannot make room is reported both ways and takes nothing") {
  limited_writer sink{.limit = 2};
  io::buffered_writer w(sink, 4);
  io::write(w, "abc");
  std::error_code ec;
  io::write(w, "de", ec); // no room, and writing out "abc" fails
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(io::as_string_view(w.buffered()) == "abc");
  CHECK_THROWS_AS(io::write(w, "de"), std::system_error);
  CHECK(io::as_string_view(w.buffered()) == "abc");
  CHECK(sink.data.empty());
}

TEST_CASE("close writes out, flushes, closes the stream and reports the first error") {
  io::memory_stream s;
  io::buffered_writer w(s, 16);
  io::write(w, "data");
  w.close();
  CHECK(s.closed());
  CHECK_THROWS_AS(io::write(w, "x"), io::io_error);
  std::error_code ec;
  io::write(w, "x", ec);
  CHECK(ec == io::errc::closed);
  w.flush(ec);
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS(w.flush(), io::io_error);
  w.close(ec); // closing again does nothing
  CHECK(!ec);

  limited_writer full{.limit = 1};
  io::buffered_writer failing(full, 16);
  io::write(failing, "abc");
  try {
    failing.close();
    FAIL("close did not report the failed write-out");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_space_on_device);
    CHECK(e.operation() == "close");
  }
}

TEST_CASE("close through error_code reports a failed write-out") {
  limited_writer full{.limit = 1};
  io::buffered_writer w(full, 16);
  io::write(w, "abc");
  std::error_code ec;
  w.close(ec);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("seek writes out the buffer first and tell counts what is buffered") {
  io::memory_stream s;
  io::buffered_writer w(s, 16);
  io::write(w, "hello");
  CHECK(w.tell() == 5);
  CHECK(s.size() == 0);
  CHECK(w.seek(1) == 1);
  CHECK(s.str() == "hello");
  io::write(w, "EL");
  w.flush();
  CHECK(s.str() == "hELlo");
  std::error_code ec;
  w.seek(-1, io::whence::begin, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(w.tell(ec) == 3);
  CHECK(!ec);
}

namespace {

// A writable stream whose write_some takes half of what it is given (at least one byte).
struct halving_writer {
  std::string data;
  std::size_t write_some(std::span<const std::byte> bytes) {
    const std::size_t n = bytes.empty() ? 0 : std::max<std::size_t>(1, bytes.size() / 2);
    data += io::as_string_view(bytes.first(n));
    return n;
  }
  std::size_t write_some(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
    ec.clear();
    return write_some(bytes);
  }
  void write(std::span<const std::byte> bytes) {
    while (!bytes.empty()) bytes = bytes.subspan(write_some(bytes));
  }
  void flush() {}
};

} // namespace

TEST_CASE("write_some buffers what fits and passes a large write to the stream's own write_some, both ways") {
  halving_writer inner;
  io::buffered_writer w(inner, 8);
  CHECK(w.write_some(io::as_bytes("abc")) == 3);
  CHECK(inner.data.empty());
  std::error_code ec;
  // The buffer goes out whole first; then the stream takes half of the 16 bytes.
  CHECK(w.write_some(io::as_bytes("0123456789abcdef"), ec) == 8);
  CHECK(!ec);
  CHECK(inner.data == "abc01234567");
  CHECK(w.buffered().empty());
  w.close();
  CHECK_THROWS_AS(w.write_some(io::as_bytes("x")), io::io_error);
  CHECK(w.write_some(io::as_bytes("x"), ec) == 0);
  CHECK(ec == io::errc::closed);

  // A stream without write_some takes all or nothing.
  limited_writer sink{.limit = 20};
  io::buffered_stream<io::memory_stream> s(io::memory_stream(), 4);
  CHECK(s.write_some(io::as_bytes("0123456789")) == 10);
  CHECK(s.write_some(io::as_bytes("ab")) == 2);
  s.flush();
  CHECK(s.inner().str() == "0123456789ab");
  io::buffered_writer limited(sink, 4);
  CHECK(limited.write_some(io::as_bytes("0123456789"), ec) == 10);
  CHECK(limited.write_some(io::as_bytes("0123456789abcdef"), ec) == 0);
  CHECK(ec == std::errc::no_space_on_device);
  CHECK(sink.data == "0123456789");
}
