// io.text's options: Python's defaults for open(p, "r") under a UTF-8 locale.
#include <doctest/doctest.h>

#include <string>
import io;

TEST_CASE("text_options default to Python's open(p) under a UTF-8 locale") {
  const io::text_options options;
  CHECK(options.encoding == "utf-8");
  CHECK(options.errors == io::text_errors::strict);
  CHECK(options.newline == io::newline_mode::universal);
  const io::text_options lossy{.errors = io::text_errors::replace, .newline = io::newline_mode::recognize};
  CHECK(lossy.encoding == "utf-8");
  CHECK(lossy.errors == io::text_errors::replace);
}
