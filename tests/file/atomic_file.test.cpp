// Tests of io::atomic_file: the target holds the whole old or the whole new contents, never a mix.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <csignal>
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
