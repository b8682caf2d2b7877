// io::text_writer and io.text's codecs: straight-through writing, buffering, BOMs, errors both
// ways, /dev/full. Their agreement with CPython over random text is encodings_parity.py's.
#include <doctest/doctest.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "../support.hpp"
import io;

using io_test::thrown;

namespace {

// A stream that records where each write's bytes were, to tell a copy from the caller's bytes.
struct recording_sink {
  struct piece {
    const std::byte* data;
    std::size_t size;
  };
  std::vector<piece> writes;
  std::string bytes;
  int flushes = 0;

  void write(std::span<const std::byte> b) {
    writes.push_back({b.data(), b.size()});
    bytes.append(io::as_string_view(b));
  }
  void flush() { ++flushes; }
};

std::span<const std::byte> bytes_of(std::string_view s) { return io::as_bytes(s); }

// What a text_writer writes of `text` in `encoding` with `errors`, given in one piece and finished.
std::string written(const std::string& encoding, io::text_errors errors, std::string_view text) {
  io::memory_stream m;
  io::text_writer writer(m, {.encoding = encoding, .errors = errors});
  writer.write(text);
  writer.finish();
  return m.str();
}

} // namespace

TEST_CASE("text_writer owns an rvalue stream and refers to an lvalue one") {
  io::memory_stream m;
  static_assert(std::is_same_v<decltype(io::text_writer(m)), io::text_writer<io::memory_stream&>>);
  static_assert(std::is_same_v<decltype(io::text_writer(io::memory_stream())), io::text_writer<io::memory_stream>>);
  static_assert(io::writable<io::text_writer<io::memory_stream&>>);
  io::text_writer owned(io::memory_stream(), {.encoding = "latin-1"});
  owned.write("caf\xC3\xA9");
  owned.finish();
  CHECK(owned.inner().str() == "caf\xE9");
}

TEST_CASE("valid UTF-8 written as UTF-8 goes straight to the stream: the caller's bytes, not a copy") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line \xE2\x82\xAC " + std::to_string(i) + "\n";
  recording_sink sink;
  io::text_writer writer(sink);
  writer.write(text);
  REQUIRE(sink.writes.size() == 1);
  CHECK(sink.writes[0].data == reinterpret_cast<const std::byte*>(text.data()));
  CHECK(sink.writes[0].size == text.size());

  // An invalid byte under errors=replace: the bytes around it still go straight through.
  recording_sink lossy;
  io::text_writer repairing(lossy, {.errors = io::text_errors::replace});
  const std::string broken = "abcdefgh\xFFijklmnopqrstuvwxyz";
  repairing.write(broken);
  repairing.flush();
  CHECK(lossy.bytes == "abcdefgh\xEF\xBF\xBDijklmnopqrstuvwxyz");
  REQUIRE(!lossy.writes.empty());
  CHECK(lossy.writes.front().data == reinterpret_cast<const std::byte*>(broken.data()));
  CHECK(lossy.writes.back().data + lossy.writes.back().size ==
        reinterpret_cast<const std::byte*>(broken.data() + broken.size()));
}

TEST_CASE("encoded or translated text is buffered and reaches the stream at flush") {
  recording_sink sink;
  io::text_writer writer(sink, {.encoding = "cp1252", .newline = io::newline_mode::crlf});
  writer.write("\xE2\x82\xAC 5\n");
  CHECK(sink.bytes.empty());
  writer.flush();
  CHECK(sink.bytes == "\x80 5\r\n");
  CHECK(sink.flushes == 1);
}

TEST_CASE("newline modes on writing: universal, recognize and lf write '\\n' as is, cr and crlf translate it") {
  const std::pair<io::newline_mode, std::string_view> modes[] = {
      {io::newline_mode::universal, "a\nb\r\nc\r"}, {io::newline_mode::recognize, "a\nb\r\nc\r"},
      {io::newline_mode::lf, "a\nb\r\nc\r"},        {io::newline_mode::cr, "a\rb\r\rc\r"},
      {io::newline_mode::crlf, "a\r\nb\r\r\nc\r"},
  };
  for (const auto& [mode, expected] : modes) {
    io::memory_stream m;
    io::text_writer writer(m, {.newline = mode});
    writer.write("a\nb\r\nc\r");
    writer.finish();
    CHECK(m.str() == expected);
  }
}

TEST_CASE("a UTF-8 sequence cut between writes is held, cut at the end of the text it is invalid") {
  io::memory_stream m;
  io::text_writer writer(m, {.encoding = "latin-1"});
  writer.write("caf\xC3");
  writer.write("\xA9!");
  writer.finish();
  CHECK(m.str() == "caf\xE9!");

  io::memory_stream cut;
  io::text_writer strict(cut, {.encoding = "latin-1"});
  strict.write("ok\xE2\x82");
  std::error_code ec;
  strict.finish(ec);
  CHECK(ec == io::errc::invalid_text);
  CHECK(strict.error_offset() == 2);
  CHECK(cut.str() == "ok");

  io::memory_stream replaced;
  io::text_writer lossy(replaced, {.encoding = "latin-1", .errors = io::text_errors::replace});
  lossy.write("ok\xE2\x82");
  lossy.finish();
  CHECK(replaced.str() == "ok?");
}

TEST_CASE("a BOM for utf-8-sig and utf-16 at the first write, none when nothing is written or the stream is past its start") {
  io::memory_stream m;
  {
    io::text_writer writer(m, {.encoding = "utf-16"});
    writer.write("");
    writer.write("A");
  }
  CHECK(m.str() == std::string("\xFF\xFE" "A\0", 4));

  io::memory_stream nothing;
  { io::text_writer writer(nothing, {.encoding = "utf-8-sig"}); }
  CHECK(nothing.str().empty());

  io::memory_stream appended;
  appended.write("\xEF\xBB\xBF" "a");
  {
    io::text_writer writer(appended, {.encoding = "utf-8-sig"});
    writer.write("b");
  }
  CHECK(appended.str() == "\xEF\xBB\xBF" "ab");

  io::memory_stream big_endian;
  {
    io::text_writer writer(big_endian, {.encoding = "UTF_16BE"});
    writer.write("\xF0\x9F\x98\x80");
  }
  CHECK(big_endian.str() == std::string("\xD8\x3D\xDE\x00", 4));
}

TEST_CASE("strict: a character the encoding lacks is named by its byte offset, both ways, the text before it is kept") {
  io::memory_stream m;
  io::text_writer writer(m, {.encoding = "latin-1"});
  writer.write("abc");
  const auto [code, message] = thrown([&] { writer.write("d\xC3\xA9\xE2\x82\xACx"); });
  CHECK(code == io::errc::unencodable);
  CHECK(message.find("cannot encode the character at byte 6 of the text as 'latin-1'") == 0);
  CHECK(writer.error_offset() == 6);
  // Every later call reports it again; flush and finish pass on the text before it first.
  CHECK(thrown([&] { writer.write("more"); }).first == io::errc::unencodable);
  CHECK(thrown([&] { writer.flush(); }).first == io::errc::unencodable);
  CHECK(m.str() == "abcd\xE9");
  CHECK(thrown([&] { writer.finish(); }).first == io::errc::unencodable);

  io::memory_stream n;
  io::text_writer quiet(n, {.encoding = "ascii"});
  std::error_code ec;
  quiet.write("ab\nc\xC3\xA9", ec);
  CHECK(ec == io::errc::unencodable);
  CHECK(quiet.error_offset() == 4);
  quiet.write("x", ec);
  CHECK(ec == io::errc::unencodable);
  quiet.finish(ec);
  CHECK(ec == io::errc::unencodable);
  CHECK(n.str() == "ab\nc");
}

TEST_CASE("text that is not UTF-8: strict fails at the first invalid byte, the other modes repair it as Python's decode") {
  io::memory_stream m;
  io::text_writer writer(m, {.encoding = "utf-16-le"});
  const auto [code, message] = thrown([&] { writer.write("a\xFF" "b"); });
  CHECK(code == io::errc::invalid_text);
  CHECK(message.find("at byte 1 of the text") != std::string::npos);

  const std::pair<io::text_errors, std::string_view> modes[] = {
      {io::text_errors::replace, "a?b???c"},
      {io::text_errors::ignore, "abc"},
      {io::text_errors::backslash_replace, "a\\xffb\\xed\\xa0\\x80c"},
  };
  for (const auto& [errors, expected] : modes) // a surrogate encoded in UTF-8 is no UTF-8 either
    CHECK(written("ascii", errors, "a\xFF" "b\xED\xA0\x80" "c") == expected);
}

TEST_CASE("errors=replace, ignore and backslash_replace on characters the encoding lacks, as str.encode") {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xC4\x80";
  const std::pair<io::text_errors, std::string_view> modes[] = {
      {io::text_errors::replace, "a\xE9??\?"},
      {io::text_errors::ignore, "a\xE9"},
      {io::text_errors::backslash_replace, "a\xE9\\u20ac\\U0001f600\\u0100"},
  };
  for (const auto& [errors, expected] : modes) CHECK(written("latin-1", errors, text) == expected);
}

TEST_CASE("an unknown encoding: thrown by the constructor, or reported by every call, naming the encoding") {
  io::memory_stream m;
  const auto [code, message] = thrown([&] { io::text_writer writer(m, {.encoding = "no-such-encoding"}); });
  CHECK(code == io::errc::unknown_encoding);
  CHECK(message.find("'no-such-encoding'") != std::string::npos);

  std::error_code ec;
  io::text_writer writer(m, {.encoding = "no-such-encoding"}, ec);
  CHECK(ec == io::errc::unknown_encoding);
  writer.write("x", ec);
  CHECK(ec == io::errc::unknown_encoding);
  const auto again = thrown([&] { writer.write("x"); });
  CHECK(again.first == io::errc::unknown_encoding);
  CHECK(again.second.find("'no-such-encoding'") != std::string::npos);
  writer.finish(ec);
  CHECK(ec == io::errc::unknown_encoding);
  CHECK(m.str().empty());
}

TEST_CASE("writing into /dev/full fails at flush and close, both ways, the destructor does not throw") {
  {
    io::text_writer writer(io::open("/dev/full", "w"), {.encoding = "utf-16"});
    writer.write("text\n");
    const auto [code, message] = thrown([&] { writer.flush(); });
    CHECK(code == std::errc::no_space_on_device);
    CHECK(message.find("'/dev/full'") != std::string::npos);
    CHECK(thrown([&] { writer.write("more"); }).first == std::errc::no_space_on_device);
    CHECK(thrown([&] { writer.close(); }).first == std::errc::no_space_on_device);
  }
  {
    std::error_code ec;
    io::text_writer writer(io::open("/dev/full", "w"), {.encoding = "latin-1", .newline = io::newline_mode::crlf}, ec);
    REQUIRE(!ec);
    writer.write("caf\xC3\xA9\n", ec);
    CHECK(!ec);
    writer.close(ec);
    CHECK(ec == std::errc::no_space_on_device);
    writer.close(ec);
    CHECK(ec == std::errc::no_space_on_device);
  }
  CHECK_NOTHROW([] {
    io::text_writer writer(io::open("/dev/full", "w"));
    writer.write("lost, and the destructor says nothing: close() would have");
  }());
}

TEST_CASE("after finish, writes report errc::closed, both ways, a moved-from writer writes nothing") {
  io::memory_stream m;
  io::text_writer writer(m, {.encoding = "utf-16"});
  writer.write("a");
  io::text_writer moved(std::move(writer));
  moved.write("b");
  moved.finish();
  CHECK(m.str() == std::string("\xFF\xFE" "a\0b\0", 6));
  CHECK(thrown([&] { moved.write("c"); }).first == io::errc::closed);
  std::error_code ec;
  moved.write("c", ec);
  CHECK(ec == io::errc::closed);
  moved.finish(ec);
  CHECK(!ec);
}

TEST_CASE("a stateful encoding returns to its initial state when the text ends") {
  io::memory_stream m;
  {
    io::text_writer writer(m, {.encoding = "iso2022_jp"});
    writer.write("\xE6\x97\xA5"); // 日
    writer.flush();
    CHECK(m.str() == "\x1B$BF|");
  }
  CHECK(m.str() == "\x1B$BF|\x1B(B");
}

TEST_CASE("encoding names as Python spells them, and iconv's") {
  std::error_code ec;
  using kind = io::detail::encoding_kind;
  const std::pair<std::string_view, kind> names[] = {
      {"UTF-8", kind::utf8},         {"utf8", kind::utf8},         {"U8", kind::utf8},
      {"utf_8_sig", kind::utf8_sig}, {"Latin-1", kind::latin1},    {"l1", kind::latin1},
      {"ISO-8859-1", kind::latin1},  {"iso8859_1", kind::latin1},  {"windows-1252", kind::cp1252},
      {"us-ascii", kind::ascii},     {"utf-16", kind::utf16},      {"UTF-16LE", kind::utf16_le},
      {"utf_16_be", kind::utf16_be}, {"koi8-r", kind::charmap},      {"shift_jis", kind::iconv},
      {"euc_jp", kind::iconv},       {"iso8859_3", kind::charmap}, {"cp037", kind::charmap},
      {"iso2022_jp", kind::iconv},   {"cp1255", kind::charmap},    {"utf-7", kind::iconv},
  };
  for (const auto& [name, expected] : names) {
    CAPTURE(name);
    CHECK(io::detail::find_encoding(name, ec).kind == expected);
    CHECK(!ec);
  }
  io::detail::find_encoding("no-such-encoding", ec);
  CHECK(ec == io::errc::unknown_encoding);
  io::detail::find_encoding("ASCII//TRANSLIT", ec);
  CHECK(ec == io::errc::unknown_encoding);
  io::detail::text_decoder decoder("no-such-encoding", io::text_errors::strict, ec);
  CHECK(ec == io::errc::unknown_encoding);
}

TEST_CASE("text_decoder: a unit cut between pieces is held, and strict names the offset over the whole stream") {
  std::error_code ec;
  io::detail::text_decoder decoder("utf-16", io::text_errors::strict, ec);
  REQUIRE(!ec);
  std::string text;
  CHECK(decoder.decode(bytes_of(std::string_view("\xFE", 1)), false, text, ec) == 1);
  CHECK(decoder.holding());
  CHECK(decoder.decode(bytes_of(std::string_view("\xFF\x00" "A\xD8", 4)), false, text, ec) == 4);
  CHECK(text == "A");
  // The high surrogate D8 00 at offset 4 meets no low surrogate.
  decoder.decode(bytes_of(std::string_view("\x00\x00" "B", 3)), true, text, ec);
  CHECK(ec == io::errc::invalid_text);
  CHECK(decoder.error_offset() == 4);
  decoder.decode({}, true, text, ec);
  CHECK(ec == io::errc::invalid_text);
}

TEST_CASE("a file appended to in utf-16 gets no second BOM, as Python's open(p, 'a', encoding='utf-16')") {
  io_test::temp_dir dir;
  const auto path = dir / "text.txt";
  {
    io::text_writer writer(io::open(path, "w"), {.encoding = "utf-16"});
    writer.write("a\n");
    writer.close();
  }
  {
    io::text_writer writer(io::open(path, "a"), {.encoding = "utf-16"});
    writer.write("b\n");
    writer.close();
  }
  CHECK(io_test::read_text(path) == std::string("\xFF\xFE" "a\0\n\0" "b\0\n\0", 10));
}

TEST_CASE("errors name the file's path") {
  io_test::temp_dir dir;
  const auto path = dir / "out.txt";
  io::text_writer writer(io::open(path, "w"), {.encoding = "cp1252"});
  const auto [code, message] = thrown([&] { writer.write("\xE2\x82\xAC \xC5\x81"); });
  CHECK(code == io::errc::unencodable);
  CHECK(message == "cannot encode the character at byte 4 of the text as 'cp1252' for '" + path.string() +
                       "': character not representable in the encoding");
  // close() passes on the text before the character, then reports the error again.
  CHECK(thrown([&] { writer.close(); }).second == message);
  CHECK(io_test::read_text(path) == "\x80 ");
}
