#include <doctest/doctest.h>

#include <range/v3/algorithm/equal.hpp>
#include <range/v3/range/concepts.hpp>
#include <algorithm>
#include <cstddef>
#include <limits>
#include <new>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

import io.memory;

static_assert(std::ranges::contiguous_range<io::byte_array>);
static_assert(std::ranges::sized_range<io::byte_array>);
static_assert(ranges::contiguous_range<io::byte_array>);
static_assert(io::byte_storage<io::byte_array>);
static_assert(std::is_nothrow_move_constructible_v<io::byte_array>);

TEST_CASE("byte_array: empty, from text, from bytes") {
  const io::byte_array empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(empty.capacity() == 0);
  CHECK(empty.data() == nullptr);
  CHECK(empty.str().empty());

  const io::byte_array text(std::string_view("hello"));
  CHECK(text.size() == 5);
  CHECK(text.str() == "hello");
  CHECK(text[1] == std::byte{'e'});

  const std::byte raw[] = {std::byte{0}, std::byte{255}};
  const io::byte_array bytes{std::span<const std::byte>(raw)};
  CHECK(std::ranges::equal(bytes, raw));
  CHECK(ranges::equal(bytes, raw));
}

TEST_CASE("byte_array: copies are deep, moves take the allocation and leave an empty array") {
  io::byte_array a(std::string_view("abc"));
  io::byte_array copy = a;
  CHECK(copy == a);
  CHECK(copy.data() != a.data());
  copy[0] = std::byte{'x'};
  CHECK(a.str() == "abc");
  CHECK(copy != a);

  const std::byte* data = a.data();
  io::byte_array moved = std::move(a);
  CHECK(moved.data() == data);
  CHECK(a.empty()); // NOLINT(bugprone-use-after-move): a moved-from array is empty
  CHECK(a.capacity() == 0);

  copy = moved;
  CHECK(copy.str() == "abc");
  copy = std::as_const(copy); // self-assignment keeps the contents
  CHECK(copy.str() == "abc");
  moved = io::byte_array(std::string_view("z"));
  CHECK(moved.str() == "z");
}

TEST_CASE("byte_array: resize zero-fills, resize_for_overwrite keeps the prefix, growth doubles") {
  io::byte_array a(std::string_view("ab"));
  a.resize(5);
  CHECK(a.str() == std::string_view("ab\0\0\0", 5));
  a.resize(1);
  CHECK(a.str() == "a");
  a.resize(3); // bytes that a shrink dropped come back as zeros
  CHECK(a.str() == std::string_view("a\0\0", 3));

  const std::size_t before = a.capacity();
  a.resize_for_overwrite(before + 1);
  CHECK(a.size() == before + 1);
  CHECK(a.capacity() >= 2 * before);
  CHECK(a[0] == std::byte{'a'});

  a.reserve(1000);
  CHECK(a.capacity() >= 1000);
  CHECK(a.size() == before + 1);
  const std::size_t capacity = a.capacity();
  a.clear();
  CHECK(a.empty());
  CHECK(a.capacity() == capacity);
}

TEST_CASE("byte_array: append keeps everything at any size") {
  io::byte_array a;
  std::string expected;
  for (int i = 0; i < 20000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    a.append(io::as_bytes(piece));
    expected += piece;
  }
  CHECK(a.str() == expected);
  a.append({});
  CHECK(a.size() == expected.size());
}

TEST_CASE("byte_array: an allocation that cannot succeed throws std::bad_alloc and changes nothing") {
  io::byte_array a(std::string_view("keep"));
  CHECK_THROWS_AS(a.reserve(std::numeric_limits<std::size_t>::max() / 2), std::bad_alloc);
  CHECK(a.str() == "keep");
}

TEST_CASE("byte_array: read_all appends to one, and memory_stream hands one back") {
  io::memory_stream source("line one\nline two\n");
  io::byte_array all;
  CHECK(io::read_all(source, all) == 18);
  CHECK(all.str() == "line one\nline two\n");

  io::memory_stream s;
  for (int i = 0; i < 100000; ++i) io::write(s, "0123456789");
  const io::byte_array taken = s.take();
  CHECK(taken.size() == 1000000);
  CHECK(std::ranges::count(taken, std::byte{'7'}) == 100000);
}
