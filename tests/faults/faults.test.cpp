// io under injected system call faults, SQLite style: each scenario runs once per system call it
// makes, the k-th call failing (k = 1, 2, ...), until a run gets through all its calls. After
// every run, io either did the whole job — the data read back is identical — or reported an
// io_error (or error_code) with the injected errno, naming the path and the operation; never a
// silent loss. EINTR and short counts must never surface: io retries them.
#include <doctest/doctest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "../support.hpp"
#include "injector.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

import io;

namespace {

using io_test::armed_faults;
using io_test::fault_plan;

// Bytes of every value, in a reproducible order.
std::string payload(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string s(size, '\0');
  for (char& c : s) c = static_cast<char>(random());
  return s;
}

// Text lines of varied lengths.
std::string text_lines(std::size_t count) {
  std::string s;
  for (std::size_t i = 0; i < count; ++i) s += std::string(i * 37 % 301, static_cast<char>('a' + i % 26)) + "\n";
  return s;
}

// What one run of a scenario ended with: nothing, or the error it reported.
struct outcome {
  std::error_code code;
  std::string message; // empty for an error_code
};

// Runs `scenario`, turning an io_error into the outcome.
outcome run(const std::function<std::optional<std::error_code>()>& scenario) {
  try {
    if (const auto ec = scenario()) return {*ec, ""};
    return {};
  } catch (const io::io_error& e) {
    return {e.code(), e.what()};
  }
}

// Calls `call` through an error_code overload (`call(ec)`) or the throwing one (`call()`), and
// returns the error either way.
template <class Call>
outcome either_way(bool use_error_code, Call&& call) {
  outcome result;
  if (use_error_code) {
    call(result.code);
    return result;
  }
  try {
    call();
  } catch (const io::io_error& e) {
    result = {e.code(), e.what()};
  }
  return result;
}

// As either_way, while the calls at `points` fail as `plan` says.
template <class Call>
outcome either_way_failing(const std::vector<std::string>& points, fault_plan& plan, bool use_error_code, Call&& call) {
  const armed_faults armed(points, plan);
  return either_way(use_error_code, std::forward<Call>(call));
}

// The report of one sweep.
struct sweep_report {
  std::uint64_t runs = 0, faults = 0, errors = 0;
};

// Runs `scenario` with the k-th call at `points` failing with `error`, `count` calls in a row, for
// k = 1, 2, ... until a run makes fewer than k calls; `check(outcome, plan)` judges each run, and
// `setup` prepares each, with no fault armed.
sweep_report sweep(const std::vector<std::string>& points, int error, std::uint64_t count,
                   const std::function<std::optional<std::error_code>()>& scenario,
                   const std::function<void(const outcome&, const fault_plan&)>& check,
                   const std::function<void()>& setup = [] {}) {
  sweep_report report;
  for (std::uint64_t k = 1; k < 100000; ++k) {
    setup();
    fault_plan plan{.error = error, .first = k, .count = count};
    outcome result;
    {
      const armed_faults armed(points, plan);
      result = run(scenario);
    }
    ++report.runs;
    report.faults += plan.injected;
    report.errors += result.code ? 1 : 0;
    check(result, plan);
    if (plan.injected == 0) break; // this run got through every call
  }
  return report;
}

// An error io reports for an injected fault carries the errno injected and, when thrown, names
// the operation and one of `paths` (or, with `temporaries_of`, a temporary file beside it).
void check_reported(const outcome& result, const fault_plan& plan, const std::vector<std::filesystem::path>& paths,
                    bool temporaries_of = false) {
  INFO("fault at call ", plan.first, " (", plan.last_point, "): ", result.message);
  CHECK(result.code == std::error_code(plan.error, std::system_category()));
  if (result.message.empty()) return;
  CHECK(result.message.starts_with("cannot "));
  bool names_a_path = false;
  for (const auto& path : paths) {
    names_a_path |= result.message.find("'" + path.string() + "'") != std::string::npos;
    // atomic_file writes to ".NAME.RANDOM.tmp" in the target's directory
    const auto temporary = path.parent_path() / ("." + path.filename().string() + ".");
    names_a_path |= temporaries_of && result.message.find("'" + temporary.string()) != std::string::npos;
  }
  CHECK(names_a_path);
  CHECK(result.message.ends_with(std::error_code(plan.error, std::system_category()).message()));
}

// What a file holds after a run that replaces its contents.
enum class replaced { old_contents, new_contents, neither };

// Which of `old_contents` and `new_contents` a file holding `now` holds.
replaced which(const std::string& now, const std::string& old_contents, const std::string& new_contents) {
  return now == old_contents ? replaced::old_contents : now == new_contents ? replaced::new_contents : replaced::neither;
}

// The counts of a sweep over a scenario that replaces a file's contents.
struct replacement_report {
  sweep_report sweep;
  std::uint64_t kept_old = 0, got_new = 0;
};

// Sweeps `scenario`, which replaces the contents of `target`, with the k-th call at
// io_test::error_points failing with `error` (see sweep). Before each run `target` holds
// `old_contents`; after it, `judge(outcome, plan)` makes the scenario's own checks and says what
// `target` holds, which must be the old contents or the new ones, whole. Then the entries beside
// `target` that `leftover` picks are removed. At least 3 runs must keep the old contents and 1 must
// give the new ones.
replacement_report sweep_replacement(int error, const std::filesystem::path& target, const std::string& old_contents,
                                     const std::function<std::optional<std::error_code>()>& scenario,
                                     const std::function<replaced(const outcome&, const fault_plan&)>& judge,
                                     const std::function<bool(const std::filesystem::path&)>& leftover) {
  replacement_report report;
  report.sweep = sweep(
      io_test::error_points, error, 1, scenario,
      [&](const outcome& result, const fault_plan& plan) {
        INFO("fault at call ", plan.first, " (", plan.last_point, "): ", result.message);
        const replaced now = judge(result, plan);
        CHECK(now != replaced::neither);
        report.kept_old += now == replaced::old_contents;
        report.got_new += now == replaced::new_contents;
        for (const auto& entry : std::filesystem::directory_iterator(target.parent_path()))
          if (leftover(entry.path())) std::filesystem::remove(entry.path());
      },
      [&] { io_test::write_text(target, old_contents); });
  CHECK(report.kept_old >= 3);
  CHECK(report.got_new >= 1);
  return report;
}

// Writes `contents` through a buffered_file in uneven pieces, syncs and closes it, then reads it
// back line by line: io::open, write, flush, sync, close, fill/consume, lines.
std::optional<std::error_code> buffered_round_trip(const std::filesystem::path& path, const std::string& contents,
                                                   std::string& read_back) {
  read_back.clear();
  {
    io::buffered_file out = io::open(path, "w", 4096);
    for (std::size_t at = 0, step = 1; at < contents.size(); at += step, step = step * 7 % 5000 + 1)
      io::write(out, std::string_view(contents).substr(at, step));
    io::write(out, "bytes that truncate cuts off");
    out.truncate(static_cast<std::int64_t>(contents.size()));
    out.seek(0, io::whence::end);
    out.flush();
    out.inner().sync();
    out.close();
  }
  io::buffered_file in = io::open(path, "r", 4096);
  for (const std::string_view line : in | io::views::lines) (read_back += line) += '\n';
  in.close();
  // Once more through a file_reader (buffered_reader<file>) and read_all.
  io::file_reader reader(io::file(path), 4096);
  if (io::read_all<std::string>(reader) != read_back) read_back = "file_reader disagrees";
  reader.inner().close();
  return std::nullopt;
}

// The same file work through io::file's unbuffered, positional and vectored calls, with
// error_codes: write_vector, write_at, truncate, sync, read_at, seek, read_vector, read, close.
std::optional<std::error_code> positional_round_trip(const std::filesystem::path& path, const std::string& contents,
                                                     std::string& read_back) {
  std::error_code ec;
  read_back.clear();
  io::file f(path, "w+", ec);
  if (ec) return ec;
  const std::size_t third = contents.size() / 3;
  const auto bytes = io::as_bytes(contents);
  const std::span<const std::byte> parts[] = {bytes.subspan(0, third), bytes.subspan(third, third)};
  f.write_vector(parts, ec);
  if (ec) return ec;
  f.write_at(2 * third, bytes.subspan(2 * third), ec);
  if (ec) return ec;
  f.write_at(contents.size(), io::as_bytes("tail to cut"), ec);
  if (ec) return ec;
  f.truncate(static_cast<std::int64_t>(contents.size()), ec);
  if (ec) return ec;
  f.sync(ec);
  if (ec) return ec;
  if (f.size(ec) != contents.size() && !ec) return std::make_error_code(std::errc::bad_message);
  if (ec) return ec;

  std::string back(contents.size(), '\0');
  auto out = io::as_writable_bytes(std::span(back));
  // The first half with read_at, then seek and read_vector, the rest with read.
  for (std::size_t done = 0; done < contents.size() / 2;) {
    const std::size_t n = f.read_at(done, out.subspan(done, contents.size() / 2 - done), ec);
    if (ec) return ec;
    if (n == 0) break;
    done += n;
  }
  f.seek(static_cast<std::int64_t>(contents.size() / 2), io::whence::begin, ec);
  if (ec) return ec;
  std::size_t done = contents.size() / 2;
  {
    const std::span<std::byte> halves[] = {out.subspan(done, 100), out.subspan(done + 100, 100)};
    const std::size_t n = f.read_vector(halves, ec);
    if (ec) return ec;
    done += n;
  }
  while (done < contents.size()) {
    const std::size_t n = f.read(out.subspan(done), ec);
    if (ec) return ec;
    if (n == 0) break;
    done += n;
  }
  back.resize(done);
  if (f.tell(ec) != done && !ec) return std::make_error_code(std::errc::bad_message);
  if (ec) return ec;
  f.close(ec);
  if (ec) return ec;
  read_back = back;
  return std::nullopt;
}

} // namespace

TEST_CASE("the fault injector is in place: an armed read fails") {
  REQUIRE_MESSAGE(io_test::fault_injection_works(),
                  "libfiu's fiu_posix_preload.so is not preloaded: run through ctest, or with LD_PRELOAD");
}

TEST_CASE("buffered files: each failing call is reported with its errno, path and operation, or the data is whole") {
  io_test::temp_dir dir;
  const auto path = dir / "data.txt";
  const std::string contents = text_lines(400);
  for (const int error : {EIO, ENOSPC}) {
    CAPTURE(error);
    std::string back;
    const auto report = sweep(io_test::error_points, error, 1, [&] { return buffered_round_trip(path, contents, back); },
                              [&](const outcome& result, const fault_plan& plan) {
                                if (result.code) check_reported(result, plan, {path});
                                else CHECK(back == contents);
                              });
    MESSAGE(report.runs, " runs, ", report.faults, " faults, ", report.errors, " reported");
    CHECK(report.errors == report.faults); // every fault surfaced
    CHECK(report.faults >= 10);
  }
}

TEST_CASE("buffered files: interrupted calls and short counts are retried and the data comes out identical") {
  io_test::temp_dir dir;
  const auto path = dir / "data.txt";
  const std::string contents = text_lines(400);
  std::string back;
  // Every call interrupted three times in a row, from each call in turn.
  const auto report = sweep(io_test::interruptible_points, EINTR, 3, [&] { return buffered_round_trip(path, contents, back); },
                            [&](const outcome& result, const fault_plan& plan) {
                              INFO("EINTR from call ", plan.first, " (", plan.last_point, "): ", result.message);
                              CHECK(!result.code);
                              CHECK(back == contents);
                            });
  CHECK(report.errors == 0);
  CHECK(report.faults >= 30);

  // Every read and write cut short.
  fault_plan shorten{.error = 0};
  outcome result;
  {
    const armed_faults armed(io_test::shorten_points, shorten);
    result = run([&] { return buffered_round_trip(path, contents, back); });
  }
  CHECK(!result.code);
  CHECK(back == contents);
  CHECK(shorten.injected >= 2);
}

TEST_CASE("io::file positional and vectored calls with error_codes: reported, retried, or whole") {
  io_test::temp_dir dir;
  const auto path = dir / "data.bin";
  const std::string contents = payload(300000, 7);
  std::string back;
  auto scenario = [&] { return positional_round_trip(path, contents, back); };
  for (const int error : {EIO, ENOSPC}) {
    CAPTURE(error);
    const auto report = sweep(io_test::error_points, error, 1, scenario, [&](const outcome& result, const fault_plan& plan) {
      if (result.code) check_reported(result, plan, {path});
      else CHECK(back == contents);
    });
    CHECK(report.errors == report.faults);
    CHECK(report.faults >= 10);
  }
  const auto report = sweep(io_test::interruptible_points, EINTR, 3, scenario, [&](const outcome& result, const fault_plan& plan) {
    INFO("EINTR from call ", plan.first, " (", plan.last_point, ")");
    CHECK(!result.code);
    CHECK(back == contents);
  });
  CHECK(report.errors == 0);

  fault_plan shorten{.error = 0};
  std::optional<std::error_code> ec;
  {
    const armed_faults armed(io_test::shorten_points, shorten);
    ec = scenario();
  }
  CHECK(!ec);
  CHECK(back == contents);
  CHECK(shorten.injected >= 4);
}

TEST_CASE("mapped files: a failing open, mmap or close is reported, otherwise every line is there") {
  io_test::temp_dir dir;
  const auto path = dir / "mapped.txt";
  const std::string contents = text_lines(300);
  io_test::write_text(path, contents);
  std::string back;
  auto scenario = [&]() -> std::optional<std::error_code> {
    back.clear();
    io::mapped_file mapped(path);
    mapped.advise(io::access_pattern::sequential);
    for (const std::string_view line : mapped | io::views::lines) (back += line) += '\n';
    return std::nullopt;
  };
  for (const int error : {EIO, ENOMEM}) {
    const auto report = sweep(io_test::error_points, error, 1, scenario, [&](const outcome& result, const fault_plan& plan) {
      if (result.code) check_reported(result, plan, {path});
      else CHECK(back == contents);
    });
    // A failing close after mmap loses nothing: the mapping stays valid, so only open and mmap
    // faults can surface.
    CHECK(report.faults >= 2);
    CHECK(report.errors >= 2);
  }
}

TEST_CASE("io::copy: copy_file_range, sendfile, read and write faults are reported or the copy is whole") {
  io_test::temp_dir dir;
  const auto from = dir / "from.bin";
  const auto to = dir / "to.bin";
  const std::string contents = payload(1 << 20, 3);
  io_test::write_text(from, contents);
  auto scenario = [&](std::string_view mode) {
    return [&, mode]() -> std::optional<std::error_code> {
      if (mode == "buffered") { // copy(buffered_file&, buffered_file&), each with bytes buffered
        io::buffered_file in = io::open(from, "r");
        io::buffered_file out = io::open(to, "w");
        std::byte first[10];
        io::read_exact(in, first);
        out.write(first);
        io::copy(in, out);
        out.close();
        in.close();
        return std::nullopt;
      }
      io::file in(from);
      io::file out(to, mode);
      io::copy(in, out);
      out.close();
      in.close();
      return std::nullopt;
    };
  };
  // "a": copy_file_range refuses a file opened for appending, sendfile takes it.
  for (const std::string_view mode : {"w", "a", "buffered"}) {
    std::filesystem::remove(to);
    for (const int error : {EIO, ENOSPC}) {
      INFO("mode ", std::string(mode));
      CAPTURE(error);
      const auto report = sweep(io_test::error_points, error, 1, scenario(mode), [&](const outcome& result, const fault_plan& plan) {
        if (result.code) check_reported(result, plan, {from, to});
        else CHECK(io_test::read_text(to) == contents);
        std::filesystem::remove(to);
      });
      CHECK(report.errors == report.faults);
    }
    const auto report = sweep(io_test::interruptible_points, EINTR, 3, scenario(mode), [&](const outcome& result, const fault_plan& plan) {
      INFO("EINTR from call ", plan.first, " (", plan.last_point, ")");
      CHECK(!result.code);
      CHECK(io_test::read_text(to) == contents);
      std::filesystem::remove(to);
    });
    CHECK(report.errors == 0);
    fault_plan shorten{.error = 0};
    outcome result;
    {
      const armed_faults armed(io_test::shorten_points, shorten);
      result = run(scenario(mode));
    }
    CHECK(!result.code);
    CHECK(io_test::read_text(to) == contents);
    CHECK(shorten.injected >= 1);
  }

  // The message names both files, the error_code is the errno.
  {
    fault_plan full{.error = ENOSPC};
    const armed_faults armed({"linux/io/copy_file_range"}, full);
    io::file in(from);
    io::file out(to, "w");
    for (const bool use_error_code : {false, true}) {
      std::uint64_t copied = 1;
      const outcome result = either_way(use_error_code, [&](auto&... ec) { copied = io::copy(in, out, ec...); });
      CHECK(result.code == std::errc::no_space_on_device);
      CHECK(result.message == (use_error_code ? "" : "cannot copy '" + from.string() + "' to '" + to.string() +
                                                        "': No space left on device"));
      if (use_error_code) CHECK(copied == 0);
    }
    CHECK(full.injected == 2);
  }

  // A kernel that cannot copy between these files (EXDEV, ENOSYS...) sends io to the next method.
  for (const int unsupported : {EXDEV, ENOSYS, EINVAL}) {
    fault_plan plan{.error = unsupported};
    outcome result;
    {
      const armed_faults armed({"linux/io/copy_file_range", "linux/io/sendfile"}, plan);
      result = run(scenario("w"));
    }
    CHECK(!result.code);
    CHECK(io_test::read_text(to) == contents);
    CHECK(plan.injected == 2); // one each, then read/write
  }
}

TEST_CASE("atomic_file: under any failing call the target holds the old or the new contents, whole") {
  io_test::temp_dir dir;
  const auto target = dir / "config.json";
  const std::string old_contents = payload(5000, 1);
  const std::string new_contents = payload(200000, 2);
  auto temporaries = [&] {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) n += entry.path().extension() == ".tmp";
    return n;
  };
  for (const int error : {EIO, ENOSPC}) {
    CAPTURE(error);
    std::uint64_t not_durable = 0;
    const auto report = sweep_replacement(
        error, target, old_contents,
        [&]() -> std::optional<std::error_code> {
          io::atomic_file out(target, 4096);
          io::write(out, new_contents);
          out.commit();
          return std::nullopt;
        },
        [&](const outcome& result, const fault_plan& plan) {
          const std::string now = io_test::read_text(target);
          if (!result.code) {
            CHECK(now == new_contents);
          } else if (result.code == io::errc::not_durable) {
            // The rename succeeded and the directory's fsync failed: in place, but not durable.
            CHECK(now == new_contents);
            CHECK(result.message.find(std::error_code(plan.error, std::system_category()).message()) !=
                  std::string::npos);
            ++not_durable;
          } else {
            CHECK(now == old_contents);
            check_reported(result, plan, {target}, true);
          }
          // A temporary stays behind only when removing it was the call that failed.
          if (plan.last_point != "posix/io/dir/unlink") CHECK(temporaries() == 0);
          return which(now, old_contents, new_contents);
        },
        [](const std::filesystem::path& path) { return path.extension() == ".tmp"; });
    // All but a failing close of the directory after a commit.
    CHECK(report.sweep.errors >= report.sweep.faults - 1);
    CHECK(not_durable >= 1); // opening or syncing the directory after the rename
  }
}

// Flushes `out` with a fault plan where the first write is cut short and the second fails with
// ENOSPC; returns the error, thrown or stored.
template <class Writer>
std::error_code flush_with_short_then_failing_write(Writer& out, bool use_error_code, const std::filesystem::path& path) {
  fault_plan shorten{.error = 0, .first = 1, .count = 1};
  fault_plan fail{.error = ENOSPC, .first = 2, .count = 1};
  const armed_faults cut({"posix/io/rw/write/reduce"}, shorten);
  const armed_faults stop({"posix/io/rw/write"}, fail);
  const outcome result = either_way(use_error_code, [&](auto&... ec) { out.flush(ec...); });
  CHECK(result.message == (use_error_code ? "" : "cannot write '" + path.string() + "': No space left on device"));
  CHECK(shorten.injected == 1);
  CHECK(fail.injected == 1);
  return result.code;
}

TEST_CASE("atomic_file: a temporary that cannot be created is reported for the target, both ways") {
  io_test::temp_dir dir;
  const auto target = dir / "settings.ini";
  fault_plan denied{.error = EACCES};
  const armed_faults armed({"posix/io/oc/open"}, denied);
  for (const bool use_error_code : {false, true}) {
    const outcome result = either_way(use_error_code, [&](auto&... ec) { io::atomic_file out(target, ec...); });
    CHECK(result.code == std::errc::permission_denied);
    CHECK(result.message ==
          (use_error_code ? "" : "cannot create a temporary file for '" + target.string() + "': Permission denied"));
  }
  CHECK(denied.injected == 2);
}

TEST_CASE("a buffered writer keeps exactly the bytes a failed write did not take: flushing again neither loses nor repeats") {
  io_test::temp_dir dir;
  const auto path = dir / "out.bin";
  const std::string contents = payload(100000, 9);
  ::srandom(12345); // libfiu's reduce points cut counts by random(): the same cut on every run
  for (const bool use_error_code : {false, true}) {
    CAPTURE(use_error_code);
    {
      io::buffered_file out = io::open(path, "w", 64 * 1024);
      io::write(out, std::string_view(contents).substr(0, 50000)); // buffered, not written yet
      CHECK(flush_with_short_then_failing_write(out, use_error_code, path) == std::errc::no_space_on_device);
      CHECK(std::filesystem::file_size(path) > 0);     // the short write landed
      CHECK(std::filesystem::file_size(path) < 50000); // the rest did not
      io::write(out, std::string_view(contents).substr(50000));
      out.close(); // writes what the failed flush kept, then the rest
      CHECK(io_test::read_text(path) == contents);
    }
    {
      io::file_writer out(io::file(path, "w"), 64 * 1024);
      io::write(out, std::string_view(contents).substr(0, 60000));
      CHECK(flush_with_short_then_failing_write(out, use_error_code, path) == std::errc::no_space_on_device);
      io::write(out, std::string_view(contents).substr(60000));
      out.close();
      CHECK(io_test::read_text(path) == contents);
    }
  }
}

// Closes `s` while `point` fails as `plan` says, through the error_code or the throwing overload.
template <class Stream>
outcome close_with_fault(Stream& s, const std::string& point, fault_plan& plan, bool use_error_code) {
  return either_way_failing({point}, plan, use_error_code, [&](auto&... ec) { s.close(ec...); });
}

TEST_CASE("flush and close errors always surface, and a destructor that cannot write does not throw") {
  io_test::temp_dir dir;
  const auto path = dir / "out.txt";
  const std::string expected_message = "cannot close '" + path.string() + "': Input/output error";
  for (const bool use_error_code : {false, true}) {
    CAPTURE(use_error_code);
    // The buffered bytes cannot be written.
    io::buffered_file out = io::open(path, "w");
    io::write(out, "pending bytes");
    fault_plan fail_write{.error = EIO};
    outcome result = close_with_fault(out, "posix/io/rw/write", fail_write, use_error_code);
    CHECK(result.code == std::errc::io_error);
    CHECK(result.message == (use_error_code ? "" : expected_message));
    CHECK(fail_write.injected == 1);
    CHECK(out.closed());
    CHECK(!out.inner().is_open()); // the descriptor is released all the same

    // close() itself fails (EIO from close, as NFS reports a failed write-back).
    io::file f(path, "w");
    io::write(f, "x");
    fault_plan fail_close{.error = EIO};
    result = close_with_fault(f, "posix/io/oc/close", fail_close, use_error_code);
    CHECK(result.code == std::errc::io_error);
    CHECK(result.message == (use_error_code ? "" : expected_message));
    CHECK(fail_close.injected == 1);
    CHECK(!f.is_open());
  }
  // A destructor cannot report: it must not throw either (close() is how to hear of errors).
  fault_plan fail{.error = ENOSPC};
  {
    const armed_faults armed({"posix/io/rw/write"}, fail);
    {
      io::buffered_file out = io::open(path, "w");
      io::write(out, "lost, and only close() would have said so");
    }
    {
      io::file_writer out(io::file(path, "w"));
      io::write(out, "the same for a file_writer");
    }
  }
  CHECK(fail.injected == 2);
}

TEST_CASE("reading through views: a failing read ends lines with the error, thrown or stored") {
  io_test::temp_dir dir;
  const auto path = dir / "lines.txt";
  const std::string contents = text_lines(2000);
  io_test::write_text(path, contents);
  fault_plan fail{.error = EIO, .first = 3, .count = 1}; // two buffers' worth of lines, then EIO
  const armed_faults armed({"posix/io/rw/read"}, fail);

  io::buffered_file in = io::open(path, "r", 4096);
  std::string seen;
  try {
    for (const std::string_view line : in | io::views::lines) (seen += line) += '\n';
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(std::string(e.what()) == "cannot read '" + path.string() + "': Input/output error");
  }
  CHECK(!seen.empty());
  CHECK(contents.starts_with(seen)); // what came before the error is right

  io::buffered_file second = io::open(path, "r", 4096);
  fail.first = fail.calls + 3;
  std::error_code ec;
  seen.clear();
  for (const std::string_view line : second | io::views::lines(ec)) (seen += line) += '\n';
  CHECK(ec == std::errc::io_error);
  CHECK(!seen.empty());
  CHECK(contents.starts_with(seen));
  CHECK(fail.injected == 2);
}

TEST_CASE("io::copy: after a write that fails midway the count is exactly what reached the target, on every path") {
  io_test::temp_dir dir;
  const auto from_path = dir / "from.bin";
  const auto to_path = dir / "to.bin";
  const std::string contents = payload(300000, 11);
  io_test::write_text(from_path, contents);
  ::srandom(2024); // the same cuts on every run
  std::srand(2024);

  struct route {
    const char* name;
    std::string mode;                      // the target's mode
    std::vector<std::string> unsupported;  // kernel calls that say they cannot serve these files
    std::string point;                     // the call cut short once, then failing with ENOSPC
    bool generic;                          // the generic io::copy template instead of copy(file&, file&)
  };
  const route routes[] = {
      {"copy_file_range", "w", {}, "linux/io/copy_file_range", false},
      {"sendfile", "w", {"linux/io/copy_file_range"}, "linux/io/sendfile", false},
      {"read and write", "w", {"linux/io/copy_file_range", "linux/io/sendfile"}, "posix/io/rw/write", false},
      {"read and write (appending: the kernel calls refuse it)", "a", {}, "posix/io/rw/write", false},
      {"generic io::copy", "w", {}, "posix/io/rw/write", true},
  };
  for (const route& r : routes) {
    for (const bool use_error_code : {false, true}) {
      const std::string what = std::string(r.name) + (use_error_code ? " with an error_code" : " throwing");
      INFO(what);
      std::filesystem::remove(to_path);
      io::file from(from_path);
      io::file to(to_path, r.mode);
      std::uint64_t copied = 0;
      outcome result;
      {
        fault_plan cannot{.error = EXDEV};
        fault_plan cut{.error = 0, .first = 1, .count = 1};
        fault_plan full{.error = ENOSPC, .first = 2, .count = 1};
        const armed_faults no_kernel_copy(r.unsupported, cannot);
        const armed_faults cut_short({r.point + "/reduce"}, cut);
        const armed_faults fail({r.point}, full);
        result = either_way(use_error_code, [&](auto&... ec) {
          copied = r.generic ? io::copy<io::file, io::file>(from, to, ec...) : io::copy(from, to, ec...);
        });
        CHECK(cut.injected == 1);
        CHECK(full.injected == 1);
      }
      CHECK(result.code == std::errc::no_space_on_device);
      const std::uint64_t reached = std::filesystem::file_size(to_path);
      CHECK(reached > 0);
      // A kernel call cut short from 1 GiB most likely still copies everything, and the next fails.
      CHECK(reached <= contents.size());
      if (r.point == "posix/io/rw/write") CHECK(reached < contents.size());
      CHECK(io_test::read_text(to_path) == contents.substr(0, reached));
      if (use_error_code) CHECK(copied == reached);
      // The source stands right after the bytes copied (but for the generic copy, which cannot
      // give back what it read): copying again completes the target.
      if (!r.generic) {
        CHECK(from.tell() == reached);
        CHECK(io::copy(from, to) == contents.size() - reached);
        to.close();
        CHECK(io_test::read_text(to_path) == contents);
      }
    }
  }
}

TEST_CASE("io::copy between buffered files from a pipe: after a write that fails midway the count is what reached the target") {
  io_test::temp_dir dir;
  const auto to_path = dir / "to.bin";
  const std::string contents = payload(60000, 12); // fits in a pipe's buffer
  ::srandom(77);
  for (const bool use_error_code : {false, true}) {
    CAPTURE(use_error_code);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    {
      io::file writer = io::file::from_native(fds[1], io::open_flags::write, "<pipe>");
      io::write(writer, contents);
    }
    io::buffered_file in(io::file::from_native(fds[0], io::open_flags::read, "<pipe>"), 64 * 1024);
    io::buffered_file out = io::open(to_path, "w", 4096); // smaller than a chunk of the reader
    std::uint64_t copied = 0;
    outcome result;
    {
      fault_plan cut{.error = 0, .first = 1, .count = 1};
      fault_plan full{.error = ENOSPC, .first = 2, .count = 1};
      const armed_faults cut_short({"posix/io/rw/write/reduce"}, cut);
      const armed_faults fail({"posix/io/rw/write"}, full);
      result = either_way(use_error_code, [&](auto&... ec) { copied = io::copy(in, out, ec...); });
      CHECK(cut.injected == 1);
      CHECK(full.injected == 1);
    }
    CHECK(result.code == std::errc::no_space_on_device);
    out.close(); // writes whatever the target buffered
    const std::uint64_t reached = std::filesystem::file_size(to_path);
    CHECK(reached > 0);
    CHECK(reached < contents.size());
    if (use_error_code) CHECK(copied == reached);
    // What the target did not take is still in the reader.
    CHECK(io_test::read_text(to_path) + io::read_all<std::string>(in) == contents);
  }
}

TEST_CASE("compressed writers: a write that fails at finish is reported with the path, both ways, and kept") {
  io_test::temp_dir dir;
  const auto path = dir / "out.gz";
  for (const io::codec format : {io::codec::gzip, io::codec::zstd, io::codec::xz, io::codec::bzip2}) {
    for (const bool use_error_code : {false, true}) {
      CAPTURE(static_cast<int>(format));
      CAPTURE(use_error_code);
      // Small enough that nothing reaches the file before finish writes the trailer.
      auto z = io::compress(io::open_writer(path, "w", 4096), format);
      io::write(z, text_lines(20));
      fault_plan full{.error = ENOSPC, .first = 1, .count = 1};
      outcome result = either_way_failing({"posix/io/rw/write"}, full, use_error_code,
          [&](auto&... ec) { z.finish(ec...); });
      CHECK(full.injected == 1);
      CHECK(result.code == std::errc::no_space_on_device);
      if (!use_error_code) CHECK(result.message == "cannot write '" + path.string() + "': No space left on device");
      // The failure stays: finishing again reports it, with no fault armed.
      const outcome again = either_way(use_error_code, [&](auto&... ec) { z.finish(ec...); });
      CHECK(again.code == std::errc::no_space_on_device);
    }
  }
}

TEST_CASE("a compressed atomic_file: under any failing call the target holds the old file or all the new data") {
  io_test::temp_dir dir;
  const auto target = dir / "data.zst";
  const std::string old_contents = "old, not even compressed";
  const std::string new_contents = text_lines(3000);
  const auto decoded = [&]() -> std::optional<std::string> {
    std::error_code ec;
    auto z = io::decompress(io::open_reader(target, ec));
    std::string out;
    for (;;) {
      const auto bytes = z.fill(ec);
      if (ec) return std::nullopt;
      if (bytes.empty()) return out;
      out.append(io::as_string_view(bytes));
      z.consume(bytes.size());
    }
  };
  for (const int error : {EIO, ENOSPC}) {
    CAPTURE(error);
    const auto report = sweep_replacement(
        error, target, old_contents,
        [&]() -> std::optional<std::error_code> {
          auto z = io::compress(io::atomic_file(target, 4096), io::codec::zstd);
          io::write(z, new_contents);
          z.finish();
          z.inner().commit();
          return std::nullopt;
        },
        [&](const outcome& result, const fault_plan&) {
          const bool old = io_test::read_text(target) == old_contents;
          const bool whole_new = !old && decoded() == new_contents;
          if (!result.code) CHECK(whole_new);
          else if (result.code != io::errc::not_durable) CHECK(old);
          return old ? replaced::old_contents : whole_new ? replaced::new_contents : replaced::neither;
        },
        [](const std::filesystem::path& path) { return path.extension() == ".tmp"; });
    CHECK(report.sweep.errors >= 1);
  }
}

TEST_CASE("temporary_file: without O_TMPFILE support it creates a file under a random name and unlinks it at once") {
  // EOPNOTSUPP is a file system without O_TMPFILE, EISDIR a kernel older than 3.11.
  io_test::temp_dir dir;
  for (const int error : {EOPNOTSUPP, EISDIR}) {
    CAPTURE(error);
    fault_plan unsupported{.error = error, .first = 1, .count = 1};
    std::optional<io::file> f;
    {
      const armed_faults armed({"posix/io/oc/open"}, unsupported);
      f.emplace(io::temporary_file(dir.path()));
    }
    CHECK(unsupported.injected == 1);
    REQUIRE(f->is_open());
    CHECK(std::filesystem::is_empty(dir.path()));
    const std::string target = std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(f->native_handle())).string();
    CHECK(target.starts_with(dir.path().string() + "/tmp"));
    CHECK(target.ends_with(" (deleted)"));
    struct stat info {};
    REQUIRE(::fstat(f->native_handle(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0600);
    CHECK((::fcntl(f->native_handle(), F_GETFD) & FD_CLOEXEC) != 0);
    io::write(*f, "spilled");
    f->seek(0);
    std::string back(7, '\0');
    CHECK(f->read(std::as_writable_bytes(std::span(back))) == 7);
    CHECK(back == "spilled");
  }
}

TEST_CASE("temporary_file: any other failure of O_TMPFILE is reported, both ways, with no fallback") {
  io_test::temp_dir dir;
  for (const bool use_error_code : {false, true}) {
    fault_plan denied{.error = EACCES, .first = 1, .count = 1};
    const armed_faults armed({"posix/io/oc/open"}, denied);
    const outcome result = either_way(use_error_code, [&](auto&... ec) { (void)io::temporary_file(dir.path(), ec...); });
    CHECK(result.code == std::errc::permission_denied);
    CHECK(result.message ==
          (use_error_code ? "" : "cannot create a temporary file in '" + dir.path().string() + "': Permission denied"));
    CHECK(denied.injected == 1);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("temporary_file: an unlink that fails after the fallback's create is reported and leaves nothing behind") {
  io_test::temp_dir dir;
  for (const bool use_error_code : {false, true}) {
    fault_plan unsupported{.error = EOPNOTSUPP, .first = 1, .count = 1};
    fault_plan unlink_fails{.error = EIO, .first = 1, .count = 1};
    const armed_faults armed({"posix/io/oc/open"}, unsupported);
    const armed_faults armed_unlink({"posix/io/dir/unlink"}, unlink_fails);
    const outcome result = either_way(use_error_code, [&](auto&... ec) { (void)io::temporary_file(dir.path(), ec...); });
    CHECK(result.code == std::errc::io_error);
    CHECK(unlink_fails.injected == 1);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("spooled_stream: under any failing call persist leaves the target whole, old or new, and no temporary name") {
  io_test::temp_dir dir;
  const auto target = dir / "spooled.bin";
  const auto unnamed = dir / "(unnamed temporary file)"; // temporary_file's path in messages
  const std::string old_contents = payload(3000, 3);
  const std::string new_contents = payload(70000, 4);
  auto others = [&] {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) n += entry.path() != target;
    return n;
  };
  // 0: the file is linked and renamed; 1 << 30: the contents are written out by atomic_file.
  for (const std::size_t threshold : {std::size_t{0}, std::size_t{1} << 30}) {
    for (const bool use_error_code : {false, true}) {
      CAPTURE(threshold);
      CAPTURE(use_error_code);
      const auto report = sweep_replacement(
          EIO, target, old_contents,
          [&]() -> std::optional<std::error_code> {
            io::spooled_stream s(threshold, dir.path());
            for (std::size_t at = 0; at < new_contents.size(); at += 7000)
              io::write(s, std::string_view(new_contents).substr(at, 7000));
            if (!use_error_code) {
              s.persist(target);
              return std::nullopt;
            }
            std::error_code ec;
            s.persist(target, ec);
            if (ec) return ec;
            return std::nullopt;
          },
          [&](const outcome& result, const fault_plan& plan) {
            const std::string now = io_test::read_text(target);
            if (!result.code) CHECK(now == new_contents);
            else if (result.code == io::errc::not_durable) CHECK(now == new_contents);
            else {
              CHECK(now == old_contents);
              check_reported(result, plan, {target, unnamed, dir.path()}, true);
            }
            // A temporary name stays behind only when removing it was the call that failed.
            if (plan.last_point != "posix/io/dir/unlink") CHECK(others() == 0);
            return which(now, old_contents, new_contents);
          },
          [&](const std::filesystem::path& path) { return path != target; });
      CHECK(report.sweep.faults >= 5);
    }
  }
}

TEST_CASE("spooled_stream: a failing write of appends to its file is reported both ways at flush and close, naming the file, and loses no byte before") {
  io_test::temp_dir dir;
  const std::string unnamed = (dir / "(unnamed temporary file)").string(); // temporary_file's path in messages
  const std::string text = payload(300000, 5);
  for (const bool use_error_code : {false, true}) {
    for (const int error : {EIO, ENOSPC}) {
      CAPTURE(use_error_code);
      CAPTURE(error);
      io::spooled_stream s(0, dir.path());
      for (std::size_t at = 0; at < text.size(); at += 10) io::write(s, std::string_view(text).substr(at, 10));
      fault_plan once{.error = error, .first = 1, .count = 1};
      outcome result = either_way_failing({"posix/io/rw/pwrite"}, once, use_error_code,
          [&](auto&... ec) { s.flush(ec...); });
      CHECK(once.injected == 1);
      CHECK(result.code == std::error_condition(error, std::generic_category()));
      if (!use_error_code) CHECK(result.message.find(unnamed) != std::string::npos);
      // The bytes the failed write held are written by the next call that needs them.
      CHECK(s.str() == text);
      io::write(s, "tail");
      fault_plan always{.error = error};
      result = either_way_failing({"posix/io/rw/pwrite"}, always, use_error_code, [&](auto&... ec) { s.close(ec...); });
      CHECK(always.injected >= 1);
      CHECK(result.code == std::error_condition(error, std::generic_category()));
      if (!use_error_code) CHECK(result.message.find(unnamed) != std::string::npos);
      CHECK(s.closed());
    }
  }
}

TEST_CASE("mapped files: a failing msync is reported both ways with the path, a failing grow keeps the map and the file") {
  io_test::temp_dir dir;
  const auto path = dir / "map.bin";
  io_test::write_text(path, std::string(10000, 's'));
  io::mapped_file m(path, "r+");
  m.writable_bytes()[0] = std::byte{'S'};
  for (const bool use_error_code : {false, true}) {
    fault_plan fail{.error = EIO};
    const armed_faults armed({"posix/mm/msync"}, fail);
    outcome result = either_way(use_error_code, [&](auto&... ec) { m.sync(ec...); });
    CHECK(result.code == std::errc::io_error);
    CHECK(result.message == (use_error_code ? "" : "cannot sync the map of '" + path.string() + "': Input/output error"));
    result = either_way(use_error_code, [&](auto&... ec) { m.sync(100, 10, ec...); });
    CHECK(result.code == std::errc::io_error);
    CHECK(fail.injected == 2);
  }
  for (const char* point : {"posix/io/rw/ftruncate", "linux/mm/mremap"}) {
    for (const bool use_error_code : {false, true}) {
      CAPTURE(point);
      fault_plan fail{.error = ENOSPC};
      outcome result = either_way_failing({point}, fail, use_error_code, [&](auto&... ec) { m.resize(50000, ec...); });
      CHECK(result.code == std::errc::no_space_on_device);
      CHECK(result.message ==
            (use_error_code ? "" : "cannot resize the map of '" + path.string() + "': No space left on device"));
      CHECK(m.size() == 10000);
      CHECK(std::filesystem::file_size(path) == 10000);
      CHECK(m.text().front() == 'S');
    }
  }
}

TEST_CASE("mapped_stream: a write whose growth fails is reported with the path, both ways, and changes nothing") {
  io_test::temp_dir dir;
  const auto path = dir / "stream.bin";
  io::mapped_stream s(path, "w+");
  io::write(s, "before");
  s.truncate(); // the file holds exactly "before": the next write must grow it
  for (const char* point : {"posix/io/rw/ftruncate", "linux/mm/mremap"}) {
    for (const bool use_error_code : {false, true}) {
      CAPTURE(point);
      fault_plan fail{.error = ENOSPC};
      outcome result = either_way_failing({point}, fail, use_error_code,
          [&](auto&... ec) { s.write(io::as_bytes(std::string_view("after")), ec...); });
      CHECK(result.code == std::errc::no_space_on_device);
      CHECK(result.message == (use_error_code ? "" : "cannot write '" + path.string() + "': No space left on device"));
      CHECK(s.str() == "before");
      CHECK(s.tell() == 6);
      CHECK(std::filesystem::file_size(path) == 6);
    }
  }
  io::write(s, "after");
  s.close();
  CHECK(io_test::read_text(path) == "beforeafter");
}
