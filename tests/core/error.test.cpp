// Tests of io's error model: errc, its category and io_error's messages.
#include <doctest/doctest.h>

#include <string>
#include <system_error>
#include <type_traits>

import io.core;

static_assert(std::is_base_of_v<std::system_error, io::io_error>);
static_assert(std::is_error_code_enum_v<io::errc>);

TEST_CASE("io_error names the operation and the path around the verb") {
  const io::io_error e(std::make_error_code(std::errc::no_such_file_or_directory),
                       "open for reading", "x.bin");
  CHECK(std::string(e.what()) == "cannot open 'x.bin' for reading: No such file or directory");
  CHECK(e.operation() == "open for reading");
  CHECK(e.path() == "x.bin");
  CHECK(e.code() == std::errc::no_such_file_or_directory);
}

TEST_CASE("io_error without a path names the operation only") {
  const io::io_error e(io::errc::closed, "read");
  CHECK(std::string(e.what()) == "cannot read: I/O operation on closed stream");
  CHECK(e.path().empty());
  CHECK(e.code() == io::errc::closed);
}

TEST_CASE("io_error with a one-word operation puts the path last") {
  const io::io_error e(std::make_error_code(std::errc::io_error), "write", "out.txt");
  CHECK(std::string(e.what()) == "cannot write 'out.txt': Input/output error");
}

TEST_CASE("io_error puts the path where the operation says {}") {
  const io::io_error e(std::make_error_code(std::errc::no_space_on_device), "copy 'a.bin' to {}", "b.bin");
  CHECK(std::string(e.what()) == "cannot copy 'a.bin' to 'b.bin': No space left on device");
  CHECK(e.path() == "b.bin");
  const io::io_error without_path(io::errc::closed, "copy to {}");
  CHECK(std::string(without_path.what()) == "cannot copy to: I/O operation on closed stream");
}

TEST_CASE("every io::errc has its own message in the io category") {
  const io::errc all[] = {io::errc::closed,       io::errc::unexpected_eof,  io::errc::not_readable,
                          io::errc::not_writable, io::errc::not_seekable,    io::errc::invalid_argument,
                          io::errc::no_buffer_space, io::errc::not_durable, io::errc::line_too_long,
                          io::errc::not_mappable, io::errc::misaligned, io::errc::corrupt_data,
                          io::errc::trailing_garbage, io::errc::invalid_text, io::errc::unknown_encoding,
                          io::errc::unencodable};
  std::string previous;
  for (const io::errc e : all) {
    const std::error_code ec = e;
    CHECK(&ec.category() == &io::io_category());
    CHECK(std::string(ec.category().name()) == "io");
    CHECK(!ec.message().empty());
    CHECK(ec.message() != previous);
    CHECK(ec.message() != "unknown io error");
    previous = ec.message();
  }
  CHECK(std::error_code(99, io::io_category()).message() == "unknown io error");
}

TEST_CASE("io errors compare equal to the portable conditions they mean") {
  CHECK(std::error_code(io::errc::invalid_argument) == std::errc::invalid_argument);
  CHECK(std::error_code(io::errc::no_buffer_space) == std::errc::no_buffer_space);
  CHECK(std::error_code(io::errc::not_seekable) == std::errc::invalid_seek);
  CHECK(std::error_code(io::errc::closed) != std::errc::invalid_argument);
}

TEST_CASE("throw_if_error throws only for an error") {
  io::throw_if_error({}, "read");
  CHECK_THROWS_AS(io::throw_if_error(io::errc::closed, "read"), io::io_error);
}

TEST_CASE("a file that cannot be mapped says why, naming the path") {
  const io::io_error e(io::errc::not_mappable, "map", "/proc/self/status");
  CHECK(std::string(e.what()) == "cannot map '/proc/self/status': not a regular file of known size");
}
