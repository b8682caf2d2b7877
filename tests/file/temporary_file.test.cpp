// Tests of io::temporary_file and io::named_temporary_file: no name or an unpredictable one,
// 0600, closed on exec, removed unless persisted, errors both ways.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

import io.core;
import io.file;

using io_test::in_child;
using io_test::read_text;
using io_test::temp_dir;

namespace {

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

// What /proc/self/fd says the descriptor is.
std::string fd_target(int fd) {
  return std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd)).string();
}

mode_t mode_of(int fd) {
  struct stat info {};
  REQUIRE(::fstat(fd, &info) == 0);
  return info.st_mode & 07777;
}

bool closes_on_exec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

std::string contents(io::file& f) {
  f.seek(0);
  std::string out(static_cast<std::size_t>(f.size()), '\0');
  f.read(std::as_writable_bytes(std::span(out)));
  return out;
}

// Sets $TMPDIR for its lifetime.
class tmpdir_set_to {
public:
  explicit tmpdir_set_to(const std::filesystem::path& path) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", path.c_str(), 1);
  }
  ~tmpdir_set_to() {
    if (old_) ::setenv("TMPDIR", old_->c_str(), 1);
    else ::unsetenv("TMPDIR");
  }

private:
  std::optional<std::string> old_;
};

} // namespace

TEST_CASE("temporary_file has no name, is its owner's alone (0600), closes on exec and reads back what was written") {
  temp_dir dir;
  io::file f = io::temporary_file(dir.path());
  REQUIRE(f.is_open());
  CHECK(f.readable());
  CHECK(f.writable());
  CHECK(entries(dir.path()) == 0);
  const std::string target = fd_target(f.native_handle());
  CHECK(target.starts_with(dir.path().string() + "/"));
  CHECK(target.ends_with(" (deleted)"));
  struct stat info {};
  REQUIRE(::fstat(f.native_handle(), &info) == 0);
  CHECK(info.st_nlink == 0);
  CHECK(mode_of(f.native_handle()) == 0600);
  CHECK(closes_on_exec(f.native_handle()));
  io::write(f, "scratch data");
  CHECK(contents(f) == "scratch data");
  CHECK(f.path() == (dir.path() / "(unnamed temporary file)").string());
}

TEST_CASE("temporary files go to TMPDIR, or to /tmp when it is unset or empty") {
  temp_dir dir;
  {
    const tmpdir_set_to set(dir.path());
    io::file unnamed = io::temporary_file();
    CHECK(fd_target(unnamed.native_handle()).starts_with(dir.path().string() + "/"));
    std::error_code ec;
    io::file unnamed2 = io::temporary_file(ec);
    CHECK(!ec);
    CHECK(fd_target(unnamed2.native_handle()).starts_with(dir.path().string() + "/"));
    io::named_temporary_file named;
    CHECK(named.path().parent_path() == dir.path());
    io::named_temporary_file named2(ec);
    CHECK(!ec);
    CHECK(named2.path().parent_path() == dir.path());
    CHECK(entries(dir.path()) == 2);
  }
  const tmpdir_set_to set("");
  io::named_temporary_file named;
  CHECK(named.path().parent_path() == "/tmp");
  CHECK(io::temporary_file().path() == "/tmp/(unnamed temporary file)");
}

TEST_CASE("a missing directory is reported for temporary_file and named_temporary_file, both ways") {
  temp_dir dir;
  const auto missing = dir / "missing";
  try {
    (void)io::temporary_file(missing);
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
    CHECK(e.path() == missing.string());
    CHECK(std::string(e.what()) == "cannot create a temporary file in '" + missing.string() + "': No such file or directory");
  }
  std::error_code ec;
  CHECK(!io::temporary_file(missing, ec).is_open());
  CHECK(ec == std::errc::no_such_file_or_directory);
  try {
    io::named_temporary_file t(missing);
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
    CHECK(e.path() == missing.string());
  }
  ec.clear();
  io::named_temporary_file t(missing, ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(!t.file().is_open());
}

TEST_CASE("a directory the user cannot write to is reported, both ways") {
  temp_dir dir;
  REQUIRE(::chmod(dir.path().c_str(), 0555) == 0);
  const std::string report = in_child(
      [&]() -> std::string {
        std::string log;
        try {
          (void)io::temporary_file(dir.path());
          log += "unnamed created;";
        } catch (const io::io_error& e) {
          log += std::string(e.what()) + ";";
        }
        std::error_code ec;
        (void)io::temporary_file(dir.path(), ec);
        log += ec.message() + ";";
        try {
          io::named_temporary_file t(dir.path());
          log += "named created;";
        } catch (const io::io_error& e) {
          log += std::string(e.what()) + ";";
        }
        io::named_temporary_file t(dir.path(), ec);
        log += ec.message() + ";";
        return log;
      },
      true);
  const std::string denied = "cannot create a temporary file in '" + dir.path().string() + "': Permission denied;";
  CHECK(report == denied + "Permission denied;" + denied + "Permission denied;");
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("named_temporary_file: an unpredictable name, 0600, closes on exec, removed on destruction") {
  temp_dir dir;
  std::set<std::string> names;
  {
    io::named_temporary_file a(dir.path());
    io::named_temporary_file b(dir.path());
    for (io::named_temporary_file* t : {&a, &b}) {
      const std::string name = t->path().filename().string();
      CHECK(name.size() == 19);
      CHECK(name.starts_with("tmp"));
      CHECK(name.find_first_not_of("0123456789abcdef", 3) == std::string::npos);
      names.insert(name);
      CHECK(t->path().parent_path() == dir.path());
      CHECK(std::filesystem::exists(t->path()));
      CHECK(mode_of(t->file().native_handle()) == 0600);
      CHECK(closes_on_exec(t->file().native_handle()));
      CHECK(t->file().path() == t->path().string());
      CHECK(!t->persisted());
    }
    CHECK(names.size() == 2);
    io::write(a.file(), "visible by name");
    CHECK(read_text(a.path()) == "visible by name");
    CHECK(entries(dir.path()) == 2);
  }
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("named_temporary_file: close removes the file and reports, later calls do nothing") {
  temp_dir dir;
  io::named_temporary_file t(dir.path());
  const auto path = t.path();
  t.close();
  CHECK(!std::filesystem::exists(path));
  CHECK(!t.file().is_open());
  t.close();
  std::error_code ec;
  t.close(ec);
  CHECK(!ec);
  // A file removed behind its back is reported by close().
  io::named_temporary_file u(dir.path());
  std::filesystem::remove(u.path());
  try {
    u.close();
    FAIL("no exception");
  } catch (const io::io_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
    CHECK(std::string(e.what()) == "cannot close and remove '" + u.path().string() + "': No such file or directory");
  }
  io::named_temporary_file v(dir.path());
  std::filesystem::remove(v.path());
  v.close(ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("persist renames the file into place, keeps its contents and keeps it open") {
  temp_dir dir;
  const auto target = dir / "result.bin";
  io_test::write_text(target, "old contents, replaced");
  for (const bool use_error_code : {false, true}) {
    CAPTURE(use_error_code);
    {
      io::named_temporary_file t(dir.path());
      const auto temporary = t.path();
      io::write(t.file(), "first part, ");
      if (use_error_code) {
        std::error_code ec;
        t.persist(target, ec);
        CHECK(!ec);
      } else {
        t.persist(target);
      }
      CHECK(t.persisted());
      CHECK(t.path() == target);
      CHECK(!std::filesystem::exists(temporary));
      io::write(t.file(), "second part");
    }
    CHECK(read_text(target) == "first part, second part");
    CHECK(entries(dir.path()) == 1);
    CHECK(mode_of(io::file(target).native_handle()) == 0600);
  }
}

TEST_CASE("a persist that fails is reported both ways, and the temporary is still removed") {
  temp_dir dir;
  const auto target = dir / "no such directory" / "result.bin";
  {
    io::named_temporary_file t(dir.path());
    try {
      t.persist(target);
      FAIL("no exception");
    } catch (const io::io_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
      CHECK(e.path() == t.path().string());
      CHECK(std::string(e.what()) == "cannot persist '" + t.path().string() + "' as '" + target.string() +
                                         "': No such file or directory");
    }
    std::error_code ec;
    t.persist(target, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!t.persisted());
    CHECK(t.path().parent_path() == dir.path());
    t.close();
    t.persist(dir / "late", ec);
    CHECK(ec == io::errc::closed);
  }
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("a moved named_temporary_file is removed once, by its last owner") {
  temp_dir dir;
  std::filesystem::path first;
  {
    io::named_temporary_file a(dir.path());
    first = a.path();
    io::named_temporary_file b(std::move(a));
    CHECK(b.path() == first);
    io::named_temporary_file c(dir.path());
    const auto second = c.path();
    c = std::move(b);
    CHECK(!std::filesystem::exists(second)); // assigning over c removed c's own file
    CHECK(std::filesystem::exists(first));
    CHECK(entries(dir.path()) == 1);
  }
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("named_temporary_file's file can be buffered by reference, and flushed before persist") {
  temp_dir dir;
  io::named_temporary_file t(dir.path());
  {
    io::buffered_stream<io::file&> buffered(t.file());
    io::write(buffered, "buffered ");
    io::write(buffered, "writes");
    buffered.flush();
  }
  t.persist(dir / "kept");
  CHECK(read_text(dir / "kept") == "buffered writes");
}
