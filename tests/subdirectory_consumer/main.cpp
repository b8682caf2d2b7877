// Uses io.memory from a project that added io with add_subdirectory.
#include <cstdio>
#include <string>

import io.memory;

int main() {
  io::memory_stream s("hello");
  s.seek(0, io::whence::end);
  io::write(s, ", world");
  s.seek(-5, io::whence::current);
  const std::string tail = io::read_all<std::string>(s);
  std::printf("%s|%s\n", s.str().c_str(), tail.c_str());
  return s.str() == "hello, world" && tail == "world" ? 0 : 1;
}
