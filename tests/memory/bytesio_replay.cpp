// Replays operations read from stdin on io::memory_stream and prints each result, for
// bytesio_parity.py to compare with CPython's io.BytesIO. One operation per line:
//   new [HEX] | write HEX | read N | readall | seek OFFSET WHENCE | tell | truncate [N] | view | take | close
// A trailing "e" selects the std::error_code overload. Results: a number, bytes in hex ("-" when
// empty), "ok", or "error closed" / "error invalid".
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
import io.memory;

namespace {

std::string hex(std::span<const std::byte> bytes) {
  if (bytes.empty()) return "-";
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

std::vector<std::byte> unhex(const std::string& text) {
  std::vector<std::byte> out;
  if (text == "-") return out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::byte>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return out;
}

std::string describe(const std::error_code& ec) {
  return ec == io::errc::closed ? "error closed" : "error invalid";
}

// Runs `op` with the throwing overloads or, when `use_ec`, with the error_code ones.
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

} // namespace

int main() {
  io::memory_stream s;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) continue;
    const bool use_ec = words.back() == "e";
    if (use_ec) words.pop_back();
    const std::string& op = words[0];
    std::string result;
    if (op == "new") {
      s = words.size() > 1 ? io::memory_stream(std::span<const std::byte>(unhex(words[1])))
                           : io::memory_stream();
      result = "ok";
    } else if (op == "write") {
      const auto bytes = unhex(words[1]);
      result = run(
          use_ec, [&] { s.write(bytes); return std::string("ok"); },
          [&](std::error_code& ec) { s.write(bytes, ec); return std::string("ok"); });
    } else if (op == "read") {
      std::vector<std::byte> buffer(std::stoul(words[1]));
      result = run(
          use_ec, [&] { return hex(std::span(buffer).first(s.read(buffer))); },
          [&](std::error_code& ec) { return hex(std::span(buffer).first(s.read(buffer, ec))); });
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
      // take() has no error_code overload: memory cannot fail it but for a closed stream.
      result = run(false, [&] { return hex(s.take().bytes()); }, [&](std::error_code&) { return std::string(); });
    } else if (op == "close") {
      s.close();
      result = "ok";
    } else {
      std::cerr << "unknown operation: " << line << '\n';
      return 2;
    }
    std::cout << result << '\n';
  }
}
