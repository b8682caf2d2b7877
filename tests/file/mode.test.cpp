// Tests of Python's mode strings and the flags they mean.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <system_error>

import io.core;
import io.file;

using io::open_flags;

TEST_CASE("each Python mode means Python's flags, with b and t in any order") {
  struct row {
    std::string_view mode;
    open_flags flags;
  };
  const open_flags r = open_flags::read, w = open_flags::write;
  const row rows[] = {
      {"r", r},
      {"rb", r},
      {"rt", r},
      {"br", r},
      {"r+", r | w},
      {"rb+", r | w},
      {"+rb", r | w},
      {"w", w | open_flags::create | open_flags::truncate},
      {"wb", w | open_flags::create | open_flags::truncate},
      {"w+", r | w | open_flags::create | open_flags::truncate},
      {"a", w | open_flags::create | open_flags::append},
      {"ab+", r | w | open_flags::create | open_flags::append},
      {"x", w | open_flags::create | open_flags::exclusive},
      {"x+b", r | w | open_flags::create | open_flags::exclusive},
  };
  for (const row& each : rows) {
    INFO("mode ", std::string(each.mode));
    CHECK(io::parse_mode(each.mode) == each.flags);
    std::error_code ec = io::errc::closed;
    CHECK(io::parse_mode(each.mode, ec) == each.flags);
    CHECK(!ec);
  }
}

TEST_CASE("an invalid mode is invalid_argument both ways, quoting the mode") {
  for (const std::string_view mode : {"", "b", "+", "rw", "rr", "wa", "r++", "rbb", "bt", "rbt", "q", "R", "r ", "xa+"}) {
    INFO("mode '", std::string(mode), "'");
    std::error_code ec;
    CHECK(io::parse_mode(mode, ec) == open_flags::none);
    CHECK(ec == io::errc::invalid_argument);
    try {
      io::parse_mode(mode);
      FAIL("no exception");
    } catch (const io::io_error& e) {
      CHECK(e.code() == io::errc::invalid_argument);
      CHECK(std::string(e.what()).find("'" + std::string(mode) + "'") != std::string::npos);
    }
  }
}

TEST_CASE("flags combine and test with | & and has") {
  const open_flags f = open_flags::read | open_flags::append;
  CHECK(io::has(f, open_flags::read));
  CHECK(io::has(f, open_flags::append));
  CHECK(!io::has(f, open_flags::write));
  CHECK((f & open_flags::read) == open_flags::read);
}
