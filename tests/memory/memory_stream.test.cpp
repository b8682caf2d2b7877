#include <doctest/doctest.h>
#include <string>
import io.memory;

TEST_CASE("smoke") {
  io::memory_stream s;
  io::write(s, "hello");
  CHECK(s.str() == "hello");
}
