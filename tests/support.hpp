// Test doubles shared by io's tests: streams that misbehave on purpose.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace io_test {

// A readable stream over `data` that returns at most `step` bytes per read and, when
// `fail_after` is reached, fails with EIO — to exercise loops over short reads and errors.
struct trickle_reader {
  std::string_view data;
  std::size_t step = 1;
  std::size_t fail_after = std::string_view::npos;
  std::size_t pos = 0;
  std::size_t reads = 0;

  std::size_t read(std::span<std::byte> buffer) {
    ++reads;
    if (pos >= fail_after) throw std::system_error(std::make_error_code(std::errc::io_error), "trickle");
    std::size_t n = std::min({buffer.size(), step, data.size() - pos});
    if (fail_after != std::string_view::npos) n = std::min(n, fail_after - pos);
    std::memcpy(buffer.data(), data.data() + pos, n);
    pos += n;
    return n;
  }
};

// Up to n bytes from one read() of any readable stream, as a string.
template <class Stream>
std::string read_string(Stream& s, std::size_t n) {
  std::string out(n, '\0');
  out.resize(s.read(std::as_writable_bytes(std::span(out))));
  return out;
}

// A writable stream that appends to a string and fails with ENOSPC once it holds `limit` bytes.
struct limited_writer {
  std::string data;
  std::size_t limit = std::string::npos;
  std::size_t writes = 0;
  std::size_t flushes = 0;

  void write(std::span<const std::byte> bytes) {
    ++writes;
    if (data.size() + bytes.size() > limit)
      throw std::system_error(std::make_error_code(std::errc::no_space_on_device), "limited");
    data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  void flush() { ++flushes; }
};

} // namespace io_test

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

namespace io_test {

// A fresh directory under the system's temporary directory, removed with its contents at the end.
class temp_dir {
public:
  temp_dir() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() / ("io-test-" + std::to_string(entropy()) + std::to_string(entropy()));
    std::filesystem::create_directory(path_);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

// Writes `text` to `path` with the standard library, as an oracle independent of io.
inline void write_text(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Reads all of `path` with the standard library, as an oracle independent of io.
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `f` (returning a std::string) in a child process, as nobody when `as_nobody` and the tests
// run as root, and returns what it returned (an exception's what() prefixed "exception: "): for
// process-wide settings a test must not change (limits, identities), and for permission checks,
// which do not apply to root. A failure of the child itself throws std::runtime_error.
template <class F>
std::string in_child(F&& f, bool as_nobody = false) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("in_child: pipe failed");
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("in_child: fork failed");
  if (child == 0) {
    ::close(fds[0]);
    if (as_nobody && ::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    std::string message;
    try {
      message = f();
    } catch (const std::exception& e) {
      message = std::string("exception: ") + e.what();
    }
    (void)!::write(fds[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("in_child: the child failed");
  return out;
}

} // namespace io_test

#include <utility>

import io.core;

namespace io_test {

// The error code and the message of the io_error that running `f` throws ("nothing thrown" when
// it throws none).
template <class F>
std::pair<std::error_code, std::string> thrown(F&& f) {
  try {
    f();
  } catch (const io::io_error& e) {
    return {e.code(), e.what()};
  }
  return {{}, "nothing thrown"};
}

} // namespace io_test
