// Replays operations read from stdin on io::mapped_stream or io::spooled_stream and prints each
// result, for tests/memory/bytesio_parity.py to compare with CPython's io.BytesIO; the operations
// and results are io_test::replay_bytesio's (tests/replay.hpp), as for tests/memory/bytesio_replay.cpp.
//   stream_replay mapped DIRECTORY              each "new" opens a new file in DIRECTORY with "w+"
//   stream_replay spooled THRESHOLD DIRECTORY   each "new" is a spooled_stream(THRESHOLD)
//   stream_replay spooled random SEED DIRECTORY each "new" draws its threshold from 0 to 300
// Besides the results it checks, and prints "broken: ..." when they fail, that a spooled stream
// has moved to its file exactly when its size first exceeded the threshold, and that a closed
// mapped stream's file holds exactly the last contents.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "../replay.hpp"

import io;

namespace {

// A "new" with contents: written into the new stream, which then starts at position 0, as BytesIO(HEX).
template <class Stream>
Stream filled(Stream s, std::optional<std::span<const std::byte>> initial) {
  if (initial) {
    s.write(*initial);
    s.seek(0);
  }
  return s;
}

// take() into a `Container`, as hex.
template <class Container, class Stream>
std::string take_as(Stream& s, bool use_ec) {
  const auto hex_of = [](const Container& c) { return io_test::hex(std::as_bytes(std::span(c.data(), c.size()))); };
  return io_test::run(
      use_ec, [&] { return hex_of(s.template take<Container>()); },
      [&](std::error_code& ec) { return hex_of(s.template take<Container>(ec)); });
}

// take() into the next of the containers a user may ask for, in turn.
template <class Stream>
std::string take_next(Stream& s, bool use_ec, std::size_t& takes) {
  switch (takes++ % 5) {
  case 0: return take_as<std::vector<std::byte>>(s, use_ec);
  case 1: return take_as<io::byte_array>(s, use_ec);
  case 2: return take_as<std::string>(s, use_ec);
  case 3: return take_as<std::vector<char>>(s, use_ec);
  default: return take_as<std::vector<unsigned char>>(s, use_ec);
  }
}

} // namespace

std::string io_test::describe(const std::error_code& ec) {
  if (ec == io::errc::closed) return "error closed";
  if (ec == io::errc::invalid_argument) return "error invalid";
  return "error " + ec.message();
}

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::size_t takes = 0;
  if (args.size() == 2 && args[0] == "mapped") {
    const std::filesystem::path directory = args[1];
    std::uint64_t files = 0;
    std::filesystem::path current;
    return io_test::replay_bytesio<io::mapped_stream>(
        [&](std::optional<std::span<const std::byte>> initial) {
          current = directory / ("stream" + std::to_string(files++));
          return filled(io::mapped_stream(current, "w+"), initial);
        },
        [&](io::mapped_stream&, const std::string& last, bool closed) {
          if (!closed) return;
          const std::string back = io_test::hex(io::as_bytes(io::read_file(current)));
          if (back != last) std::cout << "broken: the closed file holds " << back << '\n';
        },
        [&](auto& s, bool use_ec) { return take_next(s, use_ec, takes); });
  }
  if ((args.size() == 3 || args.size() == 4) && args[0] == "spooled") {
    const bool random = args[1] == "random";
    const std::filesystem::path directory = args.back();
    std::mt19937 rng(random ? std::stoul(args[2]) : 0);
    std::size_t threshold = 0;
    std::size_t largest = 0; // the largest size the current stream has had
    return io_test::replay_bytesio<io::spooled_stream>(
        [&](std::optional<std::span<const std::byte>> initial) {
          threshold = random ? std::uniform_int_distribution<std::size_t>(0, 300)(rng) : std::stoul(args[1]);
          largest = 0;
          return filled(io::spooled_stream(threshold, directory), initial);
        },
        [&](io::spooled_stream& s, const std::string&, bool closed) {
          if (closed) return;
          largest = std::max<std::size_t>(largest, s.view().size());
          if (s.rolled_over() != (largest > threshold))
            std::cout << "broken: rolled_over() is " << s.rolled_over() << " at size " << s.view().size()
                      << ", largest " << largest << ", threshold " << threshold << '\n';
        },
        [&](auto& s, bool use_ec) { return take_next(s, use_ec, takes); });
  }
  std::cerr << "usage: stream_replay mapped DIRECTORY | spooled (THRESHOLD | random SEED) DIRECTORY\n";
  return 2;
}
