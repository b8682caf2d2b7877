// Sizes that cannot be allocated (buffer and chunk sizes near SIZE_MAX) give std::bad_alloc or
// std::errc::not_enough_memory, never a smaller block used as a bigger one. Built and run in the
// Release configuration too (the `sizes` workflow preset): there the C++ library's own allocator
// runs, whereas AddressSanitizer's replacement refuses such sizes even without io's checks.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <new>
#include <span>
#include <string>
#include <system_error>
#include <vector>

import io;

using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

namespace {

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();

// Sizes that no allocation can satisfy; the first ones wrap around when rounded up to a page.
const std::vector<std::size_t> impossible_sizes = {
    size_max, size_max - 1, size_max - 4095, size_max - 4096, size_max / 2 + 1,
};

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

template <class R>
std::size_t count_chunks(R&& range) {
  std::size_t n = 0;
  for (std::span<const std::byte> chunk : range) n += chunk.empty() ? 0 : 1;
  return n;
}

} // namespace

TEST_CASE("buffered adapters refuse a buffer size that cannot be allocated") {
  for (const std::size_t size : impossible_sizes) {
    INFO("buffer size ", size);
    io::memory_stream s("data");
    CHECK_THROWS_AS(io::buffered_reader(s, size), std::bad_alloc);
    CHECK_THROWS_AS(io::buffered_writer(s, size), std::bad_alloc);
    CHECK_THROWS_AS(io::buffered_stream(s, size), std::bad_alloc);
  }
}

TEST_CASE("open, open_reader and open_writer refuse an impossible buffer size and leave the file alone") {
  temp_dir dir;
  const auto path = dir / "keep.txt";
  write_text(path, "old contents");
  for (const std::size_t size : impossible_sizes) {
    INFO("buffer size ", size);
    CHECK_THROWS_AS(io::open_writer(path, "w", size), std::bad_alloc);
    CHECK_THROWS_AS(io::open(path, "w", size), std::bad_alloc);
    CHECK_THROWS_AS(io::open_reader(path, size), std::bad_alloc);
    CHECK_THROWS_AS(io::open_writer(dir / "new.txt", "x", size), std::bad_alloc);
    std::error_code ec;
    io::buffered_file f = io::open(path, "w", size, ec);
    CHECK(ec == std::errc::not_enough_memory);
    CHECK(!f.inner().is_open());
    std::error_code write_ec;
    f.write(io::as_bytes(std::string_view("x")), write_ec);
    CHECK(write_ec);
    CHECK(read_text(path) == "old contents");
    CHECK(!std::filesystem::exists(dir / "new.txt"));
  }
  // A possible size still works after the failures.
  std::error_code ec;
  io::buffered_file f = io::open(path, "w", 4096, ec);
  REQUIRE(!ec);
  f.write(io::as_bytes(std::string_view("new")));
  f.close();
  CHECK(read_text(path) == "new");
}

TEST_CASE("atomic_file refuses an impossible buffer size and creates nothing") {
  temp_dir dir;
  write_text(dir / "config", "old");
  for (const std::size_t size : impossible_sizes) {
    INFO("buffer size ", size);
    CHECK_THROWS_AS(io::atomic_file(dir / "config", size), std::bad_alloc);
    CHECK(entries(dir.path()) == 1);
    CHECK(read_text(dir / "config") == "old");
    // The error_code form reports it (it is noexcept: a bad_alloc escaping would terminate).
    std::error_code ec = io::errc::closed; // a stale value is overwritten
    io::atomic_file f(dir / "config", size, ec);
    CHECK(ec == std::errc::not_enough_memory);
    io::write(f, "lost", ec);
    CHECK(ec == std::errc::not_enough_memory);
    f.commit(ec);
    CHECK(ec == std::errc::not_enough_memory);
    CHECK(entries(dir.path()) == 1);
    CHECK(read_text(dir / "config") == "old");
  }
}

TEST_CASE("chunks of an impossible size over a stream throw std::bad_alloc, or end in not_enough_memory") {
  temp_dir dir;
  write_text(dir / "f", std::string(100000, 'x'));
  for (const std::size_t size : impossible_sizes) {
    INFO("chunk size ", size);
    {
      io::buffered_file f = io::open(dir / "f");
      auto chunks = io::views::chunks(f, size);
      CHECK_THROWS_AS(chunks.begin(), std::bad_alloc);
    }
    {
      io::file f(dir / "f");
      CHECK_THROWS_AS(count_chunks(f | io::views::chunks(size)), std::bad_alloc);
    }
    {
      io::buffered_file f = io::open(dir / "f");
      std::error_code ec;
      CHECK(count_chunks(io::views::chunks(f, size, ec)) == 0);
      CHECK(ec == std::errc::not_enough_memory);
    }
    {
      io::file f(dir / "f");
      std::error_code ec;
      CHECK(count_chunks(f | io::views::chunks(size, ec)) == 0);
      CHECK(ec == std::errc::not_enough_memory);
    }
  }
}

TEST_CASE("chunks of any size over memory are ceil(size / n) subspans, one for a huge n") {
  const std::string text(10000, 'y');
  for (const std::size_t size : impossible_sizes) {
    INFO("chunk size ", size);
    const auto chunks = io::views::chunks(std::string_view(text), size);
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0].size() == text.size());
    CHECK(chunks[0].data() == reinterpret_cast<const std::byte*>(text.data()));
    CHECK(io::views::chunks(std::string_view(), size).size() == 0);
  }
}
