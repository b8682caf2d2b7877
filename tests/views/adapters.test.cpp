// Tests of io::concat, io::tee and io::take: streams made of streams.
#include <doctest/doctest.h>

#include "sources.hpp"

#include <array>
#include <string>
#include <system_error>
#include <vector>

import io;

using io_test::limited_writer;
using io_test::trickle_reader;

static_assert(io::readable<io::concat_reader<io::memory_stream&, trickle_reader&>>);
static_assert(!io::buffered_readable<io::concat_reader<io::memory_stream&>>);
static_assert(io::readable<io::tee_reader<io::memory_stream&, limited_writer&>>);
static_assert(io::buffered_readable<io::take_reader<io::memory_stream&>>);
static_assert(!io::buffered_readable<io::take_reader<trickle_reader&>>);

TEST_CASE("concat reads each stream to its end in order") {
  io::memory_stream a("first|");
  trickle_reader b{.data = "second|", .step = 2};
  io::span_stream c("third");
  auto all = io::concat(a, b, c);
  CHECK(io::read_all<std::string>(all) == "first|second|third");
  std::array<std::byte, 4> buffer{};
  CHECK(all.read(buffer) == 0);
}

TEST_CASE("concat owns rvalue streams and skips empty ones") {
  auto all = io::concat(io::memory_stream(""), io::memory_stream("x"), io::memory_stream(""), io::memory_stream("y"));
  CHECK(io::read_all<std::string>(all) == "xy");
}

TEST_CASE("concat in a lines pipeline: a line may cross from one stream to the next") {
  io::memory_stream a("one\ntw");
  io::memory_stream b("o\nthree\n");
  auto all = io::concat(a, b);
  std::vector<std::string> lines;
  for (std::string_view l : io::views::lines(all)) lines.emplace_back(l);
  CHECK(lines == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("concat reports a failing stream both ways") {
  io::memory_stream a("ok");
  trickle_reader bad{.data = "xx", .fail_after = 0};
  auto thrower = io::concat(a, bad);
  CHECK_THROWS_AS(io::read_all<std::string>(thrower), std::system_error);
  io::memory_stream a2("ok");
  trickle_reader bad2{.data = "xx", .fail_after = 0};
  auto all = io::concat(a2, bad2);
  std::string out;
  std::error_code ec;
  io::read_all(all, out, ec);
  CHECK(ec == std::errc::io_error);
  CHECK(out == "ok");
}

TEST_CASE("tee copies everything read into the writer") {
  io::memory_stream in("mirrored bytes");
  io::memory_stream copy;
  auto t = io::tee(in, copy);
  CHECK(io::read_all<std::string>(t) == "mirrored bytes");
  CHECK(copy.str() == "mirrored bytes");
}

TEST_CASE("tee reports a failing writer as the read's error, both ways") {
  io::memory_stream in("too long for the writer");
  limited_writer small{.limit = 3};
  auto t = io::tee(in, small);
  std::array<std::byte, 8> buffer{};
  CHECK_THROWS_AS(t.read(buffer), std::system_error);
  std::error_code ec;
  CHECK(t.read(buffer, ec) == 0);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("take stops at the limit, through read and through fill") {
  trickle_reader r{.data = "0123456789", .step = 3};
  auto first = io::take(r, 5);
  CHECK(io::read_all<std::string>(first) == "01234");
  CHECK(first.remaining() == 0);
  CHECK(io::read_all<std::string>(r) == "56789");

  io::memory_stream m("abcdefgh");
  auto head = io::take(m, 3);
  CHECK(io::as_string_view(head.fill()) == "abc");
  head.consume(2);
  CHECK(io::as_string_view(head.fill()) == "c");
  head.consume(10);
  CHECK(head.fill().empty());
  CHECK(m.tell() == 3);

  io::memory_stream lines("a\nb\nc\n");
  auto two_lines = io::take(lines, 4);
  std::vector<std::string> got;
  for (std::string_view l : io::views::lines(two_lines)) got.emplace_back(l);
  CHECK(got == std::vector<std::string>{"a", "b"});
}

TEST_CASE("take reports a failing stream both ways") {
  trickle_reader bad{.data = "abc", .fail_after = 0};
  auto t = io::take(bad, 2);
  std::array<std::byte, 2> buffer{};
  CHECK_THROWS_AS(t.read(buffer), std::system_error);
  std::error_code ec;
  t.read(buffer, ec);
  CHECK(ec == std::errc::io_error);
  CHECK(t.remaining() == 2);
}
