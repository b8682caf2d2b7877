// What the replay programs share (tests/*/*_replay.cpp): each reads operations from stdin, runs
// them on io and prints one result a line for a Python script to compare with CPython.
#pragma once
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

import io.core;

namespace io_test {

// The class of an error in the words the program's parity script gives Python's exceptions; each
// replay program defines it.
std::string describe(const std::error_code& ec);

// `bytes` in lowercase hex, "-" when empty.
inline std::string hex(std::span<const std::byte> bytes) {
  if (bytes.empty()) return "-";
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

// The bytes `text` spells in hex ("-": none).
inline std::vector<std::byte> unhex(const std::string& text) {
  std::vector<std::byte> out;
  if (text == "-") return out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::byte>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return out;
}

// Reads operations from stdin, one a line, to the end, and prints for each what `apply(words,
// use_ec)` returns: `words` are the line's words but a trailing "e", which sets `use_ec` (the
// std::error_code overload). Blank lines are skipped; an empty result is an unknown operation, which
// ends the program. Returns main()'s exit status.
template <class Apply>
int replay_lines(Apply apply) {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    const bool use_ec = !words.empty() && words.back() == "e";
    if (use_ec) words.pop_back();
    if (words.empty()) continue;
    const std::string result = apply(words, use_ec);
    if (result.empty()) {
      std::cerr << "unknown operation: " << line << '\n';
      return 2;
    }
    std::cout << result << '\n';
  }
  return 0;
}

// Runs an operation with the throwing overloads or, when `use_ec`, with the error_code ones, and
// returns its result or the error described.
template <class Throwing, class WithCode>
std::string run(bool use_ec, Throwing throwing, WithCode with_code) {
  if (use_ec) {
    std::error_code ec;
    std::string result = with_code(ec);
    return ec ? describe(ec) : result;
  }
  try {
    return throwing();
  } catch (const io::io_error& e) {
    return describe(e.code());
  }
}

// Replays the operations of tests/memory/bytesio_parity.py, one a line from stdin, on a stream
// with io.BytesIO's semantics, and prints each result; returns main()'s exit status. Operations:
//   new [HEX] | write HEX | read N | readall | seek OFFSET WHENCE | tell | truncate [N] | view | take | close
// A trailing "e" selects the std::error_code overload. Results: a number, bytes in hex ("-" when
// empty), "ok", or what describe() says of an error. `take(s, use_ec)` runs the stream's take()
// and returns its result as run() does (the streams' take() differ in what they return).
// `make(initial)` returns a new stream holding `initial` (a std::optional<std::span<const
// std::byte>>, empty for a "new" without HEX) at position 0. `check(s, last, closed)` is called
// after every operation that leaves `s` open (`closed` false, `last` empty) and after a "close"
// of an open stream (`closed` true, `last` the contents before it, in hex).
template <class Stream, class Make, class Check, class Take>
int replay_bytesio(Make make, Check check, Take take) {
  using initial_bytes = std::optional<std::span<const std::byte>>;
  Stream s = make(initial_bytes());
  return replay_lines([&](const std::vector<std::string>& words, bool use_ec) {
    const std::string& op = words[0];
    std::string result;
    if (op == "new") {
      const std::vector<std::byte> initial = words.size() > 1 ? unhex(words[1]) : std::vector<std::byte>();
      s = make(words.size() > 1 ? initial_bytes(initial) : initial_bytes());
      result = "ok";
    } else if (op == "write") {
      const auto bytes = unhex(words[1]);
      result = run(
          use_ec, [&] { s.write(std::span<const std::byte>(bytes)); return std::string("ok"); },
          [&](std::error_code& ec) { s.write(std::span<const std::byte>(bytes), ec); return std::string("ok"); });
    } else if (op == "read") {
      std::vector<std::byte> buffer(std::stoul(words[1]));
      result = run(
          use_ec, [&] { return hex(std::span(buffer).first(s.read(std::span(buffer)))); },
          [&](std::error_code& ec) { return hex(std::span(buffer).first(s.read(std::span(buffer), ec))); });
    } else if (op == "readall") {
      result = run(
          use_ec, [&] { return hex(io::read_all(s)); },
          [&](std::error_code& ec) {
            std::vector<std::byte> out;
            io::read_all(s, out, ec);
            return hex(out);
          });
    } else if (op == "seek") {
      const std::int64_t offset = std::stoll(words[1]);
      const auto from = static_cast<io::whence>(std::stoi(words[2]));
      result = run(
          use_ec, [&] { return std::to_string(s.seek(offset, from)); },
          [&](std::error_code& ec) { return std::to_string(s.seek(offset, from, ec)); });
    } else if (op == "tell") {
      result = run(
          use_ec, [&] { return std::to_string(s.tell()); },
          [&](std::error_code& ec) { return std::to_string(s.tell(ec)); });
    } else if (op == "truncate" && words.size() > 1) {
      const std::int64_t size = std::stoll(words[1]);
      result = run(
          use_ec, [&] { return std::to_string(s.truncate(size)); },
          [&](std::error_code& ec) { return std::to_string(s.truncate(size, ec)); });
    } else if (op == "truncate") {
      result = run(
          use_ec, [&] { return std::to_string(s.truncate()); },
          [&](std::error_code& ec) { return std::to_string(s.truncate(ec)); });
    } else if (op == "view") {
      result = run(
          use_ec, [&] { return hex(s.view()); }, [&](std::error_code& ec) { return hex(s.view(ec)); });
    } else if (op == "take") {
      // BytesIO's getvalue(), then seek(0) and truncate(0): the next operations check the rest.
      result = take(s, use_ec);
    } else if (op == "close") {
      const std::string last = s.closed() ? "" : hex(s.view());
      const bool was_open = !s.closed();
      // memory_stream's close() cannot fail and has no error_code overload.
      result = run(
          use_ec, [&] { s.close(); return std::string("ok"); },
          [&](std::error_code& ec) {
            if constexpr (requires { s.close(ec); }) s.close(ec);
            else s.close();
            return std::string("ok");
          });
      if (was_open) check(s, last, true);
    } else {
      return std::string(); // unknown
    }
    if (op != "close" && !s.closed()) check(s, std::string(), false);
    return result;
  });
}

} // namespace io_test
