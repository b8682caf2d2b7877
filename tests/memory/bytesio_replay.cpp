// Replays operations read from stdin on io::memory_stream and prints each result, for
// bytesio_parity.py to compare with CPython's io.BytesIO; the operations and results are
// io_test::replay_bytesio's (tests/replay.hpp).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <system_error>

#include "../replay.hpp"

import io.core;
import io.memory;

std::string io_test::describe(const std::error_code& ec) {
  return ec == io::errc::closed ? "error closed" : "error invalid";
}

int main() {
  return io_test::replay_bytesio<io::memory_stream>(
      [](std::optional<std::span<const std::byte>> initial) {
        return initial ? io::memory_stream(*initial) : io::memory_stream();
      },
      [](io::memory_stream&, const std::string&, bool) {},
      [](io::memory_stream& s, bool) {
        // take() has no error_code overload: memory cannot fail it but for a closed stream.
        return io_test::run(
            false, [&] { return io_test::hex(s.take().bytes()); }, [](std::error_code&) { return std::string(); });
      });
}
