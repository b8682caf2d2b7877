// Tests of io::atomic_file: the target holds the whole old or the whole new contents, never a mix.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <csignal>
#include <cstdlib>
#include <random>
#include <filesystem>
#include <string>
#include <system_error>

#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

import io.core;
import io.file;

using io_test::in_child;
using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

static_assert(io::writable<io::atomic_file>);

namespace {

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

struct stat stat_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info;
}

} // namespace

TEST_CASE("commit replaces the target with the new contents") {
  temp_dir dir;
  write_text(dir / "config", "old");
  {
    io::atomic_file f(dir / "config");
    CHECK(f.temporary_path().parent_path() == dir.path());
    CHECK(std::filesystem::exists(f.temporary_path()));
    io::write(f, "new contents");
    f.flush();
    CHECK(read_text(dir / "config") == "old"); // nothing visible before commit
    f.commit();
    CHECK(f.committed());
    CHECK(!std::filesystem::exists(f.temporary_path()));
  }
  CHECK(read_text(dir / "config") == "new contents");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("commit creates a target that did not exist") {
  temp_dir dir;
  io::atomic_file f(dir / "fresh");
  io::write(f, "created");
  std::error_code ec;
  f.commit(ec);
  CHECK(!ec);
  CHECK(read_text(dir / "fresh") == "created");
}

TEST_CASE("without commit the target is untouched and the temporary removed") {
  temp_dir dir;
  write_text(dir / "config", "old");
  {
    io::atomic_file f(dir / "config");
    io::write(f, std::string(200000, 'n')); // more than the buffer: it reached the temporary file
  }
  CHECK(read_text(dir / "config") == "old");
  CHECK(entries(dir.path()) == 1);
  io::atomic_file g(dir / "config");
  io::write(g, "discarded");
  g.discard();
  CHECK(!std::filesystem::exists(g.temporary_path()));
  CHECK(read_text(dir / "config") == "old");
}

TEST_CASE("after commit, writes and a second commit report closed, both ways") {
  temp_dir dir;
  io::atomic_file f(dir / "t");
  f.commit();
  CHECK_THROWS_AS(io::write(f, "late"), io::io_error);
  std::error_code ec;
  io::write(f, "late", ec);
  CHECK(ec == io::errc::closed);
  f.commit(ec);
  CHECK(ec == io::errc::closed);
  CHECK_THROWS_AS(f.commit(), io::io_error);
  CHECK(read_text(dir / "t").empty());
}

TEST_CASE("the new version keeps the old file's permissions") {
  temp_dir dir;
  write_text(dir / "script", "old");
  std::filesystem::permissions(dir / "script", std::filesystem::perms::owner_all | std::filesystem::perms::group_read);
  io::atomic_file f(dir / "script");
  io::write(f, "new");
  f.commit();
  CHECK(std::filesystem::status(dir / "script").permissions() ==
        (std::filesystem::perms::owner_all | std::filesystem::perms::group_read));
}

TEST_CASE("a commit that cannot rename reports it both ways and removes the temporary") {
  temp_dir dir;
  std::filesystem::create_directory(dir / "occupied");
  write_text(dir / "occupied" / "inside", "x"); // a non-empty directory cannot be renamed over
  {
    io::atomic_file f(dir / "occupied");
    io::write(f, "data");
    try {
      f.commit();
      FAIL("commit over a directory did not throw");
    } catch (const io::io_error& e) {
      CHECK(std::string(e.what()).starts_with("cannot commit '" + (dir / "occupied").string() + "': "));
      CHECK(e.code() == std::errc::is_a_directory);
    }
    CHECK(!std::filesystem::exists(f.temporary_path()));
  }
  io::atomic_file g(dir / "occupied");
  std::error_code ec;
  g.commit(ec);
  CHECK(ec == std::errc::is_a_directory);
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a target in a missing directory is reported at once, both ways, and by every later call") {
  temp_dir dir;
  CHECK_THROWS_AS(io::atomic_file(dir / "no" / "file"), io::io_error);
  std::error_code ec;
  io::atomic_file f(dir / "no" / "file", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  io::write(f, "lost", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  try {
    io::write(f, "lost");
    FAIL("a write after a failed construction did not throw");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
    CHECK(std::string(e.what()).find((dir / "no" / "file").string()) != std::string::npos);
  }
  f.flush(ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  f.commit(ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(!std::filesystem::exists(dir / "no"));
}

TEST_CASE("the temporary of a private target is never readable by another user, even for an instant") {
  if (::geteuid() != 0) return; // needs a second user: run as root
  temp_dir dir;
  const auto target = dir / "secret";
  write_text(target, "old secret");
  ::chmod(target.c_str(), 0600);
  // A watcher as nobody opens every file that appears in the directory, as an attacker with
  // inotify would, and counts the opens that succeed; it stops at a file named "done".
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  int result[2];
  REQUIRE(::pipe(result) == 0);
  const pid_t watcher = ::fork();
  REQUIRE(watcher >= 0);
  if (watcher == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    const int watch = ::inotify_init1(IN_CLOEXEC);
    if (watch < 0 || ::inotify_add_watch(watch, dir.path().c_str(), IN_CREATE) < 0) ::_exit(4);
    (void)!::write(ready[1], "r", 1);
    int opened = 0;
    alignas(inotify_event) char events[4096];
    for (bool done = false; !done;) {
      const ssize_t n = ::read(watch, events, sizeof events);
      if (n <= 0) ::_exit(5);
      for (char* at = events; at < events + n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(at);
        const std::string name = event->len != 0 ? event->name : "";
        if (name == "done") done = true;
        const int fd = ::open((dir.path() / name).c_str(), O_RDONLY);
        if (fd >= 0) opened += name != "done", ::close(fd);
        at += sizeof(inotify_event) + event->len;
      }
    }
    (void)!::write(result[1], &opened, sizeof opened);
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(result[1]);
  char byte;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  for (int i = 0; i < 300; ++i) {
    io::atomic_file f(target);
    io::write(f, "new secret " + std::to_string(i));
    f.commit();
  }
  write_text(dir / "done", "");
  ::chmod((dir / "done").c_str(), 0644);
  int opened = -1;
  REQUIRE(::read(result[0], &opened, sizeof opened) == sizeof opened);
  ::close(ready[0]);
  ::close(result[0]);
  ::waitpid(watcher, nullptr, 0);
  CHECK(opened == 0);
  CHECK((stat_of(target).st_mode & 07777) == 0600);
}

TEST_CASE("a commit keeps the target's owner and group, and its permission bits") {
  if (::geteuid() != 0) return; // giving a file away needs root
  temp_dir dir;
  const auto target = dir / "theirs";
  write_text(target, "old");
  REQUIRE(::chown(target.c_str(), 65534, 65534) == 0);
  REQUIRE(::chmod(target.c_str(), 0640) == 0);
  io::atomic_file f(target);
  // Already before the first byte: owner, group and mode are the target's.
  const struct stat early = stat_of(f.temporary_path());
  CHECK(early.st_uid == 65534);
  CHECK(early.st_gid == 65534);
  CHECK((early.st_mode & 07777) == 0640);
  io::write(f, "new");
  f.commit();
  const struct stat after = stat_of(target);
  CHECK(after.st_uid == 65534);
  CHECK(after.st_gid == 65534);
  CHECK((after.st_mode & 07777) == 0640);
  // The owner can still read their own file.
  CHECK(in_child([&] { return read_text(target); }, true) == "new");
}

TEST_CASE("a commit that cannot keep the owner drops the set-user-ID and set-group-ID bits") {
  if (::geteuid() != 0) return; // a file of another user, committed by nobody
  temp_dir dir;
  REQUIRE(::chmod(dir.path().c_str(), 0777) == 0);
  const auto target = dir / "tool";
  write_text(target, "old program");
  REQUIRE(::chmod(target.c_str(), 06775) == 0); // root's, set-user-ID and set-group-ID
  const std::string report = in_child(
      [&]() -> std::string {
        io::atomic_file f(target);
        io::write(f, "new program");
        f.commit();
        return "committed";
      },
      true);
  REQUIRE(report == "committed");
  const struct stat after = stat_of(target);
  CHECK(after.st_uid == 65534);
  CHECK((after.st_mode & (S_ISUID | S_ISGID)) == 0);
  CHECK((after.st_mode & S_IRWXG) == 0); // the group's rights were root's group's, not nobody's
  CHECK((after.st_mode & 0707) == 0705);
  CHECK(read_text(target) == "new program");
}

TEST_CASE("a new target gets the permissions open() would give it") {
  temp_dir dir;
  const mode_t saved = ::umask(027);
  {
    io::atomic_file f(dir / "fresh");
    io::write(f, "x");
    f.commit();
  }
  ::umask(saved);
  CHECK((stat_of(dir / "fresh").st_mode & 07777) == 0640);
}

TEST_CASE("a write that fails midway makes flush and commit refuse, both ways: the target is untouched") {
  // A file size limit makes writes past 100000 bytes of the temporary fail with EFBIG, as a full
  // disk would with ENOSPC, after a partial write.
  temp_dir dir;
  const auto target = dir / "data";
  const std::string old_contents = "old contents";
  for (const bool use_error_code : {true, false}) {
    for (const std::size_t piece : {std::size_t{300000}, std::size_t{1000}}) { // past the buffer, or within it
      CAPTURE(use_error_code);
      CAPTURE(piece);
      write_text(target, old_contents);
      const std::string report = in_child([&]() -> std::string {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{100000, 100000};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        io::atomic_file f(target, 4096);
        std::string log;
        const std::string data(piece, 'n');
        if (use_error_code) {
          std::error_code ec;
          for (int i = 0; i < 300 && !ec; ++i) io::write(f, data, ec);
          log += "write:" + ec.message() + ";";
          f.flush(ec);
          log += "flush:" + ec.message() + ";";
          f.commit(ec);
          log += "commit:" + ec.message() + ";";
        } else {
          try {
            for (int i = 0; i < 300; ++i) io::write(f, data);
          } catch (const io::io_error& e) {
            log += "write:" + e.code().message() + ";";
          }
          for (const char* step : {"flush", "commit"}) {
            try {
              std::string_view(step) == "flush" ? f.flush() : f.commit();
              log += std::string(step) + ":Success;";
            } catch (const io::io_error& e) {
              log += std::string(step) + ":" + e.code().message() + ";";
            }
          }
        }
        return log;
      });
      const std::string too_large = std::make_error_code(std::errc::file_too_large).message();
      CHECK(report == "write:" + too_large + ";flush:" + too_large + ";commit:" + too_large + ";");
      CHECK((read_text(target) == old_contents)); // a boolean: a failure does not print 100 KB
      CHECK(entries(dir.path()) == 1);
    }
  }
}

TEST_CASE("target names up to the file system's limit work") {
  temp_dir dir;
  for (const std::size_t length : {200, 240, 250, 254, 255}) {
    CAPTURE(length);
    const auto target = dir / std::string(length, 'n');
    io::atomic_file f(target);
    CHECK(f.temporary_path().filename().string().size() <= 255);
    io::write(f, "long name");
    std::error_code ec;
    f.commit(ec);
    CHECK(!ec);
    CHECK(read_text(target) == "long name");
  }
  CHECK(entries(dir.path()) == 5);
}

TEST_CASE("a commit through a symbolic link replaces the file it names and keeps the link") {
  temp_dir dir;
  std::filesystem::create_directory(dir / "real");
  write_text(dir / "real" / "config", "old");
  std::filesystem::create_symlink("real/config", dir / "link");  // relative to the link's directory
  std::filesystem::create_symlink(dir / "link", dir / "chain"); // a link to a link
  {
    io::atomic_file f(dir / "chain");
    CHECK(f.temporary_path().parent_path() == dir / "real"); // beside the file, for an atomic rename
    io::write(f, "new");
    f.commit();
  }
  CHECK(std::filesystem::is_symlink(dir / "chain"));
  CHECK(std::filesystem::is_symlink(dir / "link"));
  CHECK(read_text(dir / "real" / "config") == "new");
  // A link to nothing yet: the file it names is created.
  std::filesystem::create_symlink("real/created", dir / "dangling");
  io::atomic_file g(dir / "dangling");
  io::write(g, "made");
  g.commit();
  CHECK(std::filesystem::is_symlink(dir / "dangling"));
  CHECK(read_text(dir / "real" / "created") == "made");
  // A loop of links is an error, both ways.
  std::filesystem::create_symlink("loop_b", dir / "loop_a");
  std::filesystem::create_symlink("loop_a", dir / "loop_b");
  CHECK_THROWS_AS(io::atomic_file(dir / "loop_a"), io::io_error);
  std::error_code ec;
  io::atomic_file h(dir / "loop_a", ec);
  CHECK(ec == std::errc::too_many_symbolic_link_levels);
}

TEST_CASE("other hard links of the target keep the old contents") {
  temp_dir dir;
  write_text(dir / "a", "old");
  std::filesystem::create_hard_link(dir / "a", dir / "b");
  io::atomic_file f(dir / "a");
  io::write(f, "new");
  f.commit();
  CHECK(read_text(dir / "a") == "new");
  CHECK(read_text(dir / "b") == "old");
}

TEST_CASE("a writer killed with SIGKILL before commit leaves the target complete and untouched") {
  temp_dir dir;
  const std::string old_contents(300000, 'o');
  write_text(dir / "data", old_contents);
  for (int trial = 0; trial < 5; ++trial) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      io::atomic_file f(dir / "data", 4096);
      for (int i = 0;; ++i) {
        io::write(f, std::string(1000, 'n'));
        if (i == 50) (void)!::write(ready[1], "w", 1); // well under way: the temporary holds data
      }
    }
    ::close(ready[1]);
    char signal_byte;
    REQUIRE(::read(ready[0], &signal_byte, 1) == 1);
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    CHECK(read_text(dir / "data") == old_contents);
  }
  // The killed writers' temporaries remain (see atomic_file's documentation); a new version still
  // commits cleanly.
  io::atomic_file f(dir / "data");
  io::write(f, "after the crashes");
  f.commit();
  CHECK(read_text(dir / "data") == "after the crashes");
}

TEST_CASE("200 writers killed at random points: the target is always the whole old or the whole new contents") {
  // IO_CRASH_TRIALS=10000 runs the long version.
  const char* env = std::getenv("IO_CRASH_TRIALS");
  const int trials = env != nullptr ? std::atoi(env) : 200;
  temp_dir dir;
  const std::string versions[] = {std::string(300000, 'A'), std::string(250000, 'B')};
  write_text(dir / "data", versions[0]);
  std::mt19937 rng(2026);
  int old_kept = 0, new_committed = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const std::string& before = read_text(dir / "data") == versions[0] ? versions[0] : versions[1];
    const std::string& after = &before == &versions[0] ? versions[1] : versions[0];
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      io::atomic_file f(dir / "data", 1024);
      (void)!::write(ready[1], "w", 1);
      for (std::size_t at = 0; at < after.size(); at += 1000) io::write(f, std::string_view(after).substr(at, 1000));
      f.commit();
      ::_exit(0);
    }
    ::close(ready[1]);
    char signal_byte;
    REQUIRE(::read(ready[0], &signal_byte, 1) == 1);
    ::close(ready[0]);
    ::usleep(static_cast<useconds_t>(rng() % 3000));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    const std::string now = read_text(dir / "data");
    REQUIRE((now == before || now == after));
    (now == before ? old_kept : new_committed) += 1;
  }
  MESSAGE(trials, " crash trials: ", old_kept, " kept the old contents, ", new_committed, " the new");
  // Temporaries of killed writers stay behind (see atomic_file); everything else is the target.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    CHECK((entry.path().filename() == "data" || entry.path().filename().string().ends_with(".tmp")));
}
