// io::file's positional calls from several threads at once: read_at and write_at share no
// position, so threads writing and reading their own records of one file never see each other's
// bytes. Checked by the data only, never by timing; runs under AddressSanitizer in the dev build.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

import io.core;
import io.file;

using io_test::temp_dir;

namespace {

constexpr std::size_t threads = 4;
constexpr std::size_t records = 1024;     // per thread and round
constexpr std::size_t record_size = 100;  // not a divisor of a page: records straddle pages
constexpr std::size_t rounds = 20;

// The bytes thread `t` writes as record `i` in round `r`: different for every thread, record, round.
std::array<std::byte, record_size> record(std::size_t t, std::size_t i, std::size_t r) {
  std::array<std::byte, record_size> out{};
  std::uint64_t x = (t + 1) * 0x9e3779b97f4a7c15u ^ (i + 1) * 0xbf58476d1ce4e5b9u ^ (r + 1) * 0x94d049bb133111ebu;
  for (std::byte& b : out) {
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9u;
    b = static_cast<std::byte>(x >> 56);
  }
  return out;
}

// Records interleave: record i of thread t sits at (i * threads + t) * record_size.
std::uint64_t offset_of(std::size_t t, std::size_t i) { return (i * threads + t) * record_size; }

} // namespace

TEST_CASE("read_at and write_at on one io::file from several threads: every record reads back as written") {
  temp_dir dir;
  io::file f(dir / "shared.bin", "w+");
  std::vector<std::size_t> mismatches(threads, 0);
  std::vector<std::error_code> errors(threads);
  for (std::size_t r = 0; r < rounds; ++r) {
    std::vector<std::thread> workers;
    // All threads begin together, so that their calls overlap (a spin: std::latch needs a newer
    // libc++ runtime than the one installed with the headers).
    std::atomic<std::size_t> ready{0};
    for (std::size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t, r] {
        ready.fetch_add(1);
        while (ready.load() < threads) std::this_thread::yield();
        // Half the threads use the error_code overloads, half the throwing ones.
        try {
          for (std::size_t i = 0; i < records; ++i) {
            const auto bytes = record(t, i, r);
            if (t % 2 == 0) f.write_at(offset_of(t, i), bytes, errors[t]);
            else f.write_at(offset_of(t, i), bytes);
            if (errors[t]) return;
          }
          std::array<std::byte, record_size> back{};
          for (std::size_t i = 0; i < records; ++i) {
            const std::size_t n = t % 2 == 0 ? f.read_at(offset_of(t, i), back, errors[t]) : f.read_at(offset_of(t, i), back);
            if (errors[t]) return;
            if (n != record_size || back != record(t, i, r)) ++mismatches[t];
          }
        } catch (const io::io_error& e) {
          errors[t] = e.code();
        }
      });
    }
    for (std::thread& w : workers) w.join();
    for (std::size_t t = 0; t < threads; ++t) {
      INFO("round ", r, ", thread ", t);
      CHECK(!errors[t]);
      CHECK(mismatches[t] == 0);
    }
  }
  // The whole file, read back on one thread after the last round, holds every record of it.
  CHECK(f.size() == threads * records * record_size);
  std::size_t wrong = 0;
  std::array<std::byte, record_size> back{};
  for (std::size_t t = 0; t < threads; ++t)
    for (std::size_t i = 0; i < records; ++i)
      if (f.read_at(offset_of(t, i), back) != record_size || back != record(t, i, rounds - 1)) ++wrong;
  CHECK(wrong == 0);
}
