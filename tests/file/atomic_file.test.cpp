// Tests of io::atomic_file: the target holds the whole old or the whole new contents, never a mix.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <csignal>
#include <cstdlib>
#include <random>
#include <filesystem>
#include <string>
#include <system_error>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

import io.core;
import io.file;

using io_test::read_text;
using io_test::temp_dir;
using io_test::write_text;

static_assert(io::writable<io::atomic_file>);

namespace {

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
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

TEST_CASE("a target in a missing directory is reported at once, both ways") {
  temp_dir dir;
  CHECK_THROWS_AS(io::atomic_file(dir / "no" / "file"), io::io_error);
  std::error_code ec;
  io::atomic_file f(dir / "no" / "file", ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  f.commit(ec);
  CHECK(ec == io::errc::closed);
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
