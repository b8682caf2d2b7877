// Tests of io::file_lock: exclusive and shared locks and byte ranges contended by two processes,
// open-file-description semantics, timed tries, the standard lock wrappers, errors both ways.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <system_error>
#include <type_traits>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

import io.core;
import io.file;

using io_test::in_child;
using io_test::temp_dir;
using io_test::write_text;

namespace {

// What another process, through its own open file, can take of [offset, offset + length) of
// `path`: "exclusive shared", "shared", or "none".
std::string what_others_can_take(const std::filesystem::path& path, std::uint64_t offset = 0, std::uint64_t length = 0) {
  return in_child([&]() -> std::string {
    io::file f(path, "r+b");
    io::file_lock lock(f, offset, length);
    std::string result;
    if (lock.try_lock()) {
      result += "exclusive ";
      lock.unlock();
    }
    if (lock.try_lock_shared()) {
      result += "shared";
      lock.unlock_shared();
    }
    return result.empty() ? "none" : result;
  });
}

constexpr const char* everything = "exclusive shared";

// Whether /proc/locks shows someone waiting for a lock on `path` (a line "N: -> OFDLCK ADVISORY
// WRITE -1 08:01:<inode> 0 EOF"; open-file-description locks show no process, so the file tells).
bool someone_waits(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  const std::string inode = ":" + std::to_string(info.st_ino) + " ";
  std::ifstream locks("/proc/locks");
  for (std::string line; std::getline(locks, line);)
    if (line.find("-> ") != std::string::npos && line.find(inode) != std::string::npos) return true;
  return false;
}

// Waits until `child` is blocked waiting for a lock on `path`; false when it exited instead.
bool blocked_in_lock(const std::filesystem::path& path, pid_t child) {
  REQUIRE(std::ifstream("/proc/locks").is_open());
  while (!someone_waits(path)) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) return false;
    ::usleep(1000);
  }
  return true;
}

} // namespace

TEST_CASE("an exclusive lock keeps other processes from every lock until it is released") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "0123456789");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  CHECK(what_others_can_take(path) == everything);
  lock.lock();
  CHECK(lock.owns_lock());
  CHECK(!lock.owns_shared_lock());
  CHECK(what_others_can_take(path) == "none");
  lock.unlock();
  CHECK(!lock.owns_lock());
  CHECK(what_others_can_take(path) == everything);
  CHECK(lock.try_lock());
  CHECK(what_others_can_take(path) == "none");
}

TEST_CASE("shared locks are shared between processes, and keep out an exclusive one") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "0123456789");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock_shared();
  CHECK(lock.owns_shared_lock());
  CHECK(what_others_can_take(path) == "shared");
  lock.unlock_shared();
  CHECK(what_others_can_take(path) == everything);
  CHECK(lock.try_lock_shared());
  CHECK(what_others_can_take(path) == "shared");
  // lock() converts the shared lock into an exclusive one.
  lock.lock();
  CHECK(lock.owns_lock());
  CHECK(what_others_can_take(path) == "none");
}

TEST_CASE("byte ranges: overlapping ranges contend, separate ones do not") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, std::string(100, 'x'));
  io::file f(path, "r+b");
  io::file_lock first_ten(f, 0, 10);
  first_ten.lock();
  CHECK(first_ten.offset() == 0);
  CHECK(first_ten.length() == 10);
  CHECK(what_others_can_take(path, 10, 10) == everything);
  CHECK(what_others_can_take(path, 5, 10) == "none");
  CHECK(what_others_can_take(path, 9, 1) == "none");
  CHECK(what_others_can_take(path, 0, 0) == "none"); // the whole file overlaps
  // A length of 0 reaches past the end, however far.
  io::file_lock from_fifty(f, 50, 0);
  from_fifty.lock_shared();
  CHECK(what_others_can_take(path, 1000000, 10) == "shared");
  CHECK(what_others_can_take(path, 20, 30) == everything);
  CHECK(what_others_can_take(path, 20, 31) == "shared");
  first_ten.unlock();
  CHECK(what_others_can_take(path, 0, 50) == everything);
}

TEST_CASE("lock() waits until the other process unlocks") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    io::file g(path, "r+b");
    io::file_lock other(g);
    other.lock();
    (void)!::write(fds[1], "L", 1);
    ::_exit(0);
  }
  ::close(fds[1]);
  REQUIRE(blocked_in_lock(path, child));
  lock.unlock();
  char got = 0;
  CHECK(::read(fds[0], &got, 1) == 1);
  CHECK(got == 'L');
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
}

TEST_CASE("a waiting lock() interrupted by a signal goes on waiting") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    struct sigaction action {};
    action.sa_handler = [](int) {};
    action.sa_flags = 0; // no SA_RESTART: fcntl fails with EINTR
    ::sigaction(SIGUSR1, &action, nullptr);
    std::string report;
    try {
      io::file g(path, "r+b");
      io::file_lock other(g);
      other.lock();
      report = "locked";
    } catch (const std::exception& e) {
      report = e.what();
    }
    (void)!::write(fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  REQUIRE(blocked_in_lock(path, child));
  REQUIRE(::kill(child, SIGUSR1) == 0);
  // A few more while it waits: each makes fcntl fail with EINTR, which lock() must retry.
  for (int i = 0; i < 5; ++i) {
    ::usleep(2000);
    ::kill(child, SIGUSR1);
  }
  lock.unlock();
  std::string report;
  char buffer[256];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(report == "locked");
}

TEST_CASE("a lock survives another descriptor of the same file being opened and closed, unlike a POSIX F_SETLK lock") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  // The trap: a classic POSIX record lock is released when the process closes any descriptor
  // of the file, here one that some other part of the program opened for a moment.
  {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    struct flock request {};
    request.l_type = F_WRLCK;
    request.l_whence = SEEK_SET;
    REQUIRE(::fcntl(fd, F_SETLK, &request) == 0);
    CHECK(what_others_can_take(path) == "none");
    { io::file other(path, "rb"); }
    CHECK(what_others_can_take(path) == everything); // the lock is gone
    ::close(fd);
  }
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock();
  { io::file other(path, "rb"); }
  CHECK(what_others_can_take(path) == "none"); // still held
  CHECK(lock.owns_lock());
}

TEST_CASE("two io::files of one path exclude each other within one process, while locks through one file are one owner's") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file a(path, "r+b");
  io::file b(path, "r+b");
  io::file_lock lock_a(a);
  io::file_lock lock_b(b);
  lock_a.lock();
  CHECK(!lock_b.try_lock());
  CHECK(!lock_b.try_lock_shared());
  lock_a.unlock();
  CHECK(lock_b.try_lock_shared());
  CHECK(lock_a.try_lock_shared());
  CHECK(!lock_a.try_lock());
  lock_b.unlock();
  CHECK(lock_a.try_lock()); // converts
  // A second lock through the same io::file is the same owner: it does not contend.
  io::file_lock again_a(a);
  CHECK(again_a.try_lock());
}

TEST_CASE("try_lock_for and try_lock_until give up after the time asked for, and take a free lock at once") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock();
  const std::string report = in_child([&]() -> std::string {
    using namespace std::chrono;
    io::file g(path, "r+b");
    io::file_lock other(g);
    std::string log;
    auto start = steady_clock::now();
    log += other.try_lock_for(milliseconds(30)) ? "taken " : "timed out ";
    log += steady_clock::now() - start >= milliseconds(30) ? "late enough;" : "too early;";
    start = steady_clock::now();
    log += other.try_lock_shared_for(milliseconds(20)) ? "taken " : "timed out ";
    log += steady_clock::now() - start >= milliseconds(20) ? "late enough;" : "too early;";
    const auto deadline = steady_clock::now() + milliseconds(20);
    log += other.try_lock_until(deadline) ? "taken " : "timed out ";
    log += steady_clock::now() >= deadline ? "late enough;" : "too early;";
    log += other.try_lock_shared_until(system_clock::now() + milliseconds(5)) ? "taken;" : "timed out;";
    std::error_code ec;
    log += other.try_lock_for(milliseconds(5), ec) ? "taken " : "timed out ";
    log += ec ? ec.message() + ";" : "no error;";
    log += other.try_lock_for(milliseconds(-5)) ? "taken;" : "timed out;";
    return log;
  });
  CHECK(report == "timed out late enough;timed out late enough;timed out late enough;timed out;timed out no error;timed out;");
  lock.unlock();
  const std::string free = in_child([&]() -> std::string {
    io::file g(path, "r+b");
    io::file_lock other(g);
    std::string log = other.try_lock_for(std::chrono::hours(1)) ? "taken;" : "timed out;";
    other.unlock();
    log += other.try_lock_shared_for(std::chrono::nanoseconds::max()) ? "taken;" : "timed out;";
    return log;
  });
  CHECK(free == "taken;taken;");
}

TEST_CASE("std::scoped_lock over a file_lock and a std::mutex takes and releases both") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  std::mutex mutex;
  {
    const std::scoped_lock both(lock, mutex);
    CHECK(lock.owns_lock());
    CHECK(!mutex.try_lock());
    CHECK(what_others_can_take(path) == "none");
  }
  CHECK(!lock.owns_lock());
  CHECK(mutex.try_lock());
  mutex.unlock();
  CHECK(what_others_can_take(path) == everything);
}

TEST_CASE("std::unique_lock and std::shared_lock work with a file_lock") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  {
    std::unique_lock exclusive(lock);
    CHECK(exclusive.owns_lock());
    CHECK(what_others_can_take(path) == "none");
    exclusive.unlock();
    CHECK(what_others_can_take(path) == everything);
    CHECK(exclusive.try_lock_for(std::chrono::milliseconds(1)));
  }
  CHECK(what_others_can_take(path) == everything);
  {
    std::shared_lock shared(lock);
    CHECK(shared.owns_lock());
    CHECK(lock.owns_shared_lock());
    CHECK(what_others_can_take(path) == "shared");
  }
  CHECK(what_others_can_take(path) == everything);
  {
    std::unique_lock tried(lock, std::try_to_lock);
    CHECK(tried.owns_lock());
    std::shared_lock<io::file_lock> timed(lock, std::defer_lock);
    CHECK(!timed.owns_lock());
  }
  CHECK(what_others_can_take(path) == everything);
}

TEST_CASE("the destructor unlocks, and a buffered file from io::open can be locked") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::buffered_file f = io::open(path, "r+b");
  {
    io::file_lock lock(f);
    lock.lock();
    CHECK(what_others_can_take(path) == "none");
  }
  CHECK(what_others_can_take(path) == everything);
  io::file_writer w = io::open_writer(path, "ab");
  io::file_lock range(w, 0, 1);
  range.lock();
  CHECK(what_others_can_take(path, 0, 1) == "none");
  CHECK(what_others_can_take(path, 1, 1) == everything);
  io::file_lock moved(std::move(range));
  CHECK(moved.owns_lock());
  CHECK(!range.owns_lock());
  CHECK(what_others_can_take(path, 0, 1) == "none");
}

TEST_CASE("closing the file releases its lock: unlock then does nothing") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::file f(path, "r+b");
  io::file_lock lock(f);
  lock.lock();
  f.close();
  CHECK(what_others_can_take(path) == everything);
  lock.unlock();
  CHECK(!lock.owns_lock());
}

TEST_CASE("lock errors name the path and the operation, both ways") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  // An exclusive lock needs a file open for writing, a shared one a file open for reading.
  io::file read_only(path, "rb");
  io::file_lock lock(read_only);
  try {
    lock.lock();
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::bad_file_descriptor);
    CHECK(e.path() == path.string());
    CHECK(std::string(e.what()) == "cannot lock exclusively '" + path.string() + "': Bad file descriptor");
  }
  std::error_code ec;
  lock.lock(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(!lock.try_lock(ec));
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(!lock.try_lock_for(std::chrono::milliseconds(1), ec));
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_AS(lock.try_lock(), io::io_error);
  CHECK_THROWS_AS((void)lock.try_lock_for(std::chrono::milliseconds(1)), io::io_error);
  CHECK(!lock.owns_lock());
  CHECK(lock.try_lock_shared()); // reading is allowed
  lock.unlock();

  io::file write_only(path, "ab");
  io::file_lock range(write_only, 10, 5);
  try {
    range.lock_shared();
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::bad_file_descriptor);
    CHECK(std::string(e.what()) == "cannot lock shared bytes 10 to 15 of '" + path.string() + "': Bad file descriptor");
  }
  range.lock_shared(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(!range.try_lock_shared(ec));
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(!range.try_lock_shared_for(std::chrono::milliseconds(1), ec));
  CHECK(ec == std::errc::bad_file_descriptor);

  // A range past what off_t can hold.
  io::file rw(path, "r+b");
  io::file_lock beyond(rw, std::uint64_t{1} << 63, 0);
  try {
    beyond.lock();
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::invalid_argument);
    CHECK(std::string(e.what()).starts_with("cannot lock exclusively bytes 9223372036854775808 to the end of '"));
  }
  io::file_lock too_long(rw, 10, (std::uint64_t{1} << 63) - 10);
  CHECK(!too_long.try_lock(ec));
  CHECK(ec == io::errc::invalid_argument);

  // A closed file.
  rw.close();
  io::file_lock closed(rw);
  try {
    closed.lock();
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::closed);
    CHECK(e.path() == path.string());
  }
  closed.lock_shared(ec);
  CHECK(ec == io::errc::closed);
}

namespace {

// How many of this process's descriptors are open on `path` (on the file there now).
int descriptors_on(const std::filesystem::path& path) {
  struct stat wanted {};
  REQUIRE(::stat(path.c_str(), &wanted) == 0);
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    struct stat info {};
    if (::stat(entry.path().c_str(), &info) == 0 && info.st_dev == wanted.st_dev && info.st_ino == wanted.st_ino) ++count;
  }
  return count;
}

// Adds 1 to the number in `counter` `times` times, each a locked read, atomic_file write and commit.
void count_up(const std::filesystem::path& counter, int times) {
  for (int i = 0; i < times; ++i) {
    io::atomic_file out(counter);
    io::file_lock lock(out);
    std::unique_lock guard(lock);
    const int value = std::stoi(io_test::read_text(counter));
    io::write(out, std::to_string(value + 1));
    out.commit();
  }
}

} // namespace

TEST_CASE("two processes that lock an atomic_file's target, read, write and commit in turns lose no update") {
  temp_dir dir;
  const auto counter = dir / "counter";
  write_text(counter, "0");
  constexpr int times = 200;
  pid_t children[2];
  for (pid_t& child : children) {
    child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int code = 0;
      try {
        count_up(counter, times);
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
  }
  for (const pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(io_test::read_text(counter) == std::to_string(2 * times));
}

TEST_CASE("a lock over an atomic_file holds the target itself: other processes can take nothing until unlock") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "old");
  io::atomic_file out(path);
  io::file_lock lock(out);
  CHECK(descriptors_on(path) == 0);
  lock.lock();
  CHECK(lock.owns_lock());
  CHECK(descriptors_on(path) == 1); // the atomic_file keeps the target open while it is locked
  CHECK(what_others_can_take(path) == "none");
  CHECK(in_child([&] {
          io::atomic_file theirs(path);
          io::file_lock their_lock(theirs);
          const bool exclusive = their_lock.try_lock();
          const bool shared = their_lock.try_lock_shared_for(std::chrono::milliseconds(5));
          return std::string(exclusive || shared ? "taken" : "refused");
        }) == "refused");
  CHECK(std::filesystem::exists(path));
  CHECK(io_test::read_text(path) == "old"); // locking changed nothing on disk
  lock.unlock();
  CHECK(descriptors_on(path) == 0);
  CHECK(what_others_can_take(path) == everything);

  // Shared locks through atomic_files of two processes share the target and keep out an exclusive one.
  lock.lock_shared();
  CHECK(lock.owns_shared_lock());
  CHECK(what_others_can_take(path) == "shared");
  CHECK(in_child([&] {
          io::atomic_file theirs(path);
          io::file_lock their_lock(theirs);
          std::string result = their_lock.try_lock() ? "exclusive " : "";
          std::shared_lock shared(their_lock);
          return result + (shared.owns_lock() ? "shared" : "");
        }) == "shared");
  // lock() converts the shared lock in place.
  lock.lock();
  CHECK(what_others_can_take(path) == "none");
  // The commit replaces the locked file: the file now at the target is not locked, which is why a
  // waiter checks what it got.
  io::write(out, "new");
  out.commit();
  CHECK(what_others_can_take(path) == everything);
  CHECK(lock.owns_lock());
  lock.unlock();
  CHECK(!lock.owns_lock());
}

TEST_CASE("a process that waited for the lock while the target was replaced ends up locking the new file") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "old");
  io::atomic_file out(path);
  io::file_lock lock(out);
  lock.lock();
  int report[2];
  int release[2];
  REQUIRE(::pipe(report) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(report[0]);
    ::close(release[1]);
    io::atomic_file theirs(path);
    io::file_lock their_lock(theirs);
    std::string got;
    try {
      their_lock.lock();
      got = io_test::read_text(path);
    } catch (const std::exception& e) {
      got = e.what();
    }
    (void)!::write(report[1], got.data(), got.size());
    ::close(report[1]);
    char byte;
    (void)!::read(release[0], &byte, 1); // hold the lock until the parent has looked
    ::_exit(0);
  }
  ::close(report[1]);
  ::close(release[0]);
  REQUIRE(blocked_in_lock(path, child));
  io::write(out, "new");
  out.commit();
  lock.unlock();
  std::string got;
  char buffer[256];
  for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) > 0;) got.append(buffer, static_cast<std::size_t>(n));
  ::close(report[0]);
  CHECK(got == "new");
  // The waiter holds the file at the target now, not the one replaced under it.
  CHECK(what_others_can_take(path) == "none");
  ::close(release[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(what_others_can_take(path) == everything);
}

TEST_CASE("a lock over an atomic_file follows a symbolic link to the file commit() replaces") {
  temp_dir dir;
  const auto real = dir / "real";
  const auto link = dir / "link";
  write_text(real, "contents");
  std::filesystem::create_symlink("real", link);
  io::atomic_file out(link);
  io::file_lock lock(out);
  std::scoped_lock both(lock);
  CHECK(what_others_can_take(real) == "none");
}

TEST_CASE("std::scoped_lock takes a file_lock over an atomic_file with a std::mutex, and try_lock_for/until work through it") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "x");
  io::atomic_file out(path);
  io::file_lock lock(out);
  std::mutex m;
  {
    std::scoped_lock both(lock, m);
    CHECK(lock.owns_lock());
    CHECK(what_others_can_take(path) == "none");
    CHECK(in_child([&] {
            io::atomic_file theirs(path);
            io::file_lock their_lock(theirs);
            const bool a = their_lock.try_lock_for(std::chrono::milliseconds(5));
            const bool b = their_lock.try_lock_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(5));
            const bool c = their_lock.try_lock_shared_until(std::chrono::system_clock::now() + std::chrono::milliseconds(5));
            return std::string(a || b || c ? "taken" : "timed out");
          }) == "timed out");
  }
  CHECK(!lock.owns_lock());
  CHECK(what_others_can_take(path) == everything);
  CHECK(lock.try_lock_for(std::chrono::milliseconds(5)));
  lock.unlock();
  CHECK(lock.try_lock_shared_for(std::chrono::milliseconds(5)));
  lock.unlock_shared();
  CHECK(descriptors_on(path) == 0);
}

TEST_CASE("locking an atomic_file whose target does not exist reports it with the path, both ways, and creates nothing") {
  temp_dir dir;
  const auto path = dir / "missing";
  {
    io::atomic_file out(path);
    io::file_lock lock(out);
    try {
      lock.lock();
      FAIL("no exception");
    } catch (const io::io_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
      CHECK(e.path() == path.string());
      CHECK(std::string(e.what()) == "cannot lock exclusively '" + path.string() +
                                         "' (it does not exist yet: serialise the writers that create it with a "
                                         "separate lock file): No such file or directory");
    }
    try {
      lock.lock_shared();
      FAIL("no exception");
    } catch (const io::io_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
      CHECK(std::string(e.what()).starts_with("cannot lock shared '" + path.string() + "'"));
    }
    CHECK_THROWS_AS(lock.try_lock(), io::io_error);
    CHECK_THROWS_AS((void)lock.try_lock_for(std::chrono::milliseconds(1)), io::io_error);
    CHECK_THROWS_AS(lock.try_lock_shared(), io::io_error);
    std::error_code ec;
    lock.lock(ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!lock.try_lock(ec));
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!lock.try_lock_for(std::chrono::milliseconds(1), ec));
    CHECK(ec == std::errc::no_such_file_or_directory);
    lock.lock_shared(ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!lock.try_lock_shared(ec));
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!lock.try_lock_shared_for(std::chrono::milliseconds(1), ec));
    CHECK(ec == std::errc::no_such_file_or_directory);
    lock.unlock(ec); // nothing held: nothing to do
    CHECK(!ec);
    CHECK(!lock.owns_lock());
    CHECK(!std::filesystem::exists(path));
    // The writer that creates it is not hindered.
    io::write(out, "first");
    out.commit();
    lock.lock(ec);
    CHECK(!ec);
    CHECK(lock.owns_lock());
    lock.unlock(ec);
    CHECK(!ec);
  }
  CHECK(io_test::read_text(path) == "first");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a shared lock over an atomic_file reads a target its process may not write, an exclusive one reports that with the path") {
  temp_dir dir;
  const auto path = dir / "data";
  write_text(path, "theirs");
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  // As nobody when the tests run as root: the file is not theirs to write (nor the directory, so
  // the atomic_file has no temporary, which locking the target does not need).
  const std::string result = in_child(
      [&] {
        if (::access(path.c_str(), W_OK) == 0) return std::string("skipped: the file is writable");
        std::error_code ec;
        io::atomic_file out(path, ec);
        io::file_lock lock(out);
        std::string report = lock.try_lock_shared() ? "shared" : "no shared";
        lock.unlock();
        try {
          lock.lock();
          report += ", exclusive";
        } catch (const io::io_error& e) {
          report += std::string(", ") + e.what();
        }
        lock.lock(ec);
        return report + (ec == std::errc::permission_denied ? ", denied" : ", not denied");
      },
      true);
  if (result.starts_with("skipped")) return;
  CHECK(result == "shared, cannot lock exclusively '" + path.string() + "': Permission denied, denied");
}
