// Tests of io::any_reader and io::any_writer: one non-template signature for every stream.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <system_error>

import io.core;
import io.memory;

using io_test::limited_writer;
using io_test::trickle_reader;

static_assert(io::readable<io::any_reader>);
static_assert(!io::writable<io::any_reader>);
static_assert(io::writable<io::any_writer>);
static_assert(!io::readable<io::any_writer>);
static_assert(sizeof(io::any_reader) == 2 * sizeof(void*));
static_assert(sizeof(io::any_writer) == 2 * sizeof(void*));
// A reference type: it refers to an lvalue stream and never to a temporary.
static_assert(!std::is_constructible_v<io::any_reader, io::memory_stream&&>);
static_assert(std::is_constructible_v<io::any_reader, io::memory_stream&>);

namespace {

// A function compiled once that takes any readable stream.
std::string upper_case_of(io::any_reader in) {
  std::string text = io::read_all<std::string>(in);
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

// A function compiled once that takes any writable stream.
void greet(io::any_writer out, std::string_view name) {
  io::write(out, "hello, ");
  io::write(out, name);
  out.flush();
}

} // namespace

TEST_CASE("any_reader accepts memory, span, buffered and user streams alike") {
  io::memory_stream memory("memory");
  CHECK(upper_case_of(memory) == "MEMORY");
  io::span_stream span("span");
  CHECK(upper_case_of(span) == "SPAN");
  trickle_reader user{.data = "user", .step = 1};
  CHECK(upper_case_of(user) == "USER");
  io::buffered_reader buffered(io::memory_stream("buffered"), 4);
  CHECK(upper_case_of(buffered) == "BUFFERED");
}

TEST_CASE("any_reader reads from where the stream is and moves it on") {
  io::memory_stream s("abcdef");
  s.seek(2);
  io::any_reader r = s;
  std::array<std::byte, 2> b{};
  CHECK(r.read(b) == 2);
  CHECK(io::as_string_view(b) == "cd");
  CHECK(s.tell() == 4);
}

TEST_CASE("any_writer accepts memory, buffered and user streams alike") {
  io::memory_stream memory;
  greet(memory, "memory");
  CHECK(memory.str() == "hello, memory");
  limited_writer user;
  greet(user, "user");
  CHECK(user.data == "hello, user");
  CHECK(user.flushes == 1);
  limited_writer sink;
  {
    io::buffered_writer buffered(sink, 8);
    greet(buffered, "buffered");
    CHECK(sink.data == "hello, buffered"); // flush() reached the sink
  }
}

TEST_CASE("any_reader reports a stream's failure both ways, from throwing and error_code streams") {
  trickle_reader thrower{.data = "abc", .step = 1, .fail_after = 0};
  io::any_reader r = thrower;
  std::array<std::byte, 2> b{};
  CHECK_THROWS_AS(r.read(b), std::system_error);
  std::error_code ec;
  CHECK(r.read(b, ec) == 0);
  CHECK(ec == std::errc::io_error);

  io::memory_stream closed;
  closed.close();
  io::any_reader c = closed;
  CHECK_THROWS_AS(c.read(b), io::io_error);
  c.read(b, ec);
  CHECK(ec == io::errc::closed);
}

TEST_CASE("any_writer reports a stream's failure both ways") {
  limited_writer full{.limit = 1};
  io::any_writer w = full;
  CHECK_THROWS_AS(io::write(w, "ab"), std::system_error);
  std::error_code ec;
  w.write(io::as_bytes("ab"), ec);
  CHECK(ec == std::errc::no_space_on_device);
  w.flush(ec);
  CHECK(!ec);

  io::memory_stream closed;
  closed.close();
  io::any_writer c = closed;
  CHECK_THROWS_AS(c.flush(), io::io_error);
  c.flush(ec);
  CHECK(ec == io::errc::closed);
  c.write(io::as_bytes("x"), ec);
  CHECK(ec == io::errc::closed);
}
