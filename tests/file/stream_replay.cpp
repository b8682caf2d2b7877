// Replays operations read from stdin on io::mapped_stream or io::spooled_stream and prints each
// result, for tests/memory/bytesio_parity.py to compare with CPython's io.BytesIO; the operations
// and results are those of tests/memory/bytesio_replay.cpp.
//   stream_replay mapped DIRECTORY              each "new" opens a new file in DIRECTORY with "w+"
//   stream_replay spooled THRESHOLD DIRECTORY   each "new" is a spooled_stream(THRESHOLD)
//   stream_replay spooled random SEED DIRECTORY each "new" draws its threshold from 0 to 300
// Besides the results it checks, and prints "broken: ..." when they fail, that a spooled stream
// has moved to its file exactly when its size first exceeded the threshold, and that a closed
// mapped stream's file holds exactly the last contents.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

import io;

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
  if (ec == io::errc::closed) return "error closed";
  if (ec == io::errc::invalid_argument) return "error invalid";
  return "error " + ec.message();
}

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

// take() into a `Container`, as hex.
template <class Container, class Stream>
std::string take_as(Stream& s, bool use_ec) {
  const auto hex_of = [](const Container& c) { return hex(std::as_bytes(std::span(c.data(), c.size()))); };
  return run(
      use_ec, [&] { return hex_of(s.template take<Container>()); },
      [&](std::error_code& ec) { return hex_of(s.template take<Container>(ec)); });
}

template <class Stream, class Make, class Check>
int replay(Make make, Check check) {
  Stream s = make();
  std::size_t takes = 0;
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
      s = make();
      if (words.size() > 1) {
        s.write(std::span<const std::byte>(unhex(words[1])));
        s.seek(0);
      }
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
      // Each take names the next of the containers a user may ask for.
      switch (takes++ % 5) {
      case 0: result = take_as<std::vector<std::byte>>(s, use_ec); break;
      case 1: result = take_as<io::byte_array>(s, use_ec); break;
      case 2: result = take_as<std::string>(s, use_ec); break;
      case 3: result = take_as<std::vector<char>>(s, use_ec); break;
      default: result = take_as<std::vector<unsigned char>>(s, use_ec); break;
      }
      // Python's take: the stream is empty at 0 (the next operations check it against BytesIO).
    } else if (op == "close") {
      const std::string last = s.closed() ? "" : hex(s.view());
      const bool was_open = !s.closed();
      result = run(
          use_ec, [&] { s.close(); return std::string("ok"); },
          [&](std::error_code& ec) { s.close(ec); return std::string("ok"); });
      if (was_open) check(s, last, true);
    } else {
      std::cerr << "unknown operation: " << line << '\n';
      return 2;
    }
    if (op != "close" && !s.closed()) check(s, std::string(), false);
    std::cout << result << '\n';
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "mapped") {
    const std::filesystem::path directory = args[1];
    std::uint64_t files = 0;
    std::filesystem::path current;
    return replay<io::mapped_stream>(
        [&] {
          current = directory / ("stream" + std::to_string(files++));
          return io::mapped_stream(current, "w+");
        },
        [&](io::mapped_stream&, const std::string& last, bool closed) {
          if (!closed) return;
          const std::string back = hex(io::as_bytes(io::read_file(current)));
          if (back != last) std::cout << "broken: the closed file holds " << back << '\n';
        });
  }
  if ((args.size() == 3 || args.size() == 4) && args[0] == "spooled") {
    const bool random = args[1] == "random";
    const std::filesystem::path directory = args.back();
    std::mt19937 rng(random ? std::stoul(args[2]) : 0);
    std::size_t threshold = 0;
    std::size_t largest = 0; // the largest size the current stream has had
    return replay<io::spooled_stream>(
        [&] {
          threshold = random ? std::uniform_int_distribution<std::size_t>(0, 300)(rng) : std::stoul(args[1]);
          largest = 0;
          return io::spooled_stream(threshold, directory);
        },
        [&](io::spooled_stream& s, const std::string&, bool closed) {
          if (closed) return;
          largest = std::max<std::size_t>(largest, s.view().size());
          if (s.rolled_over() != (largest > threshold))
            std::cout << "broken: rolled_over() is " << s.rolled_over() << " at size " << s.view().size()
                      << ", largest " << largest << ", threshold " << threshold << '\n';
        });
  }
  std::cerr << "usage: stream_replay mapped DIRECTORY | spooled (THRESHOLD | random SEED) DIRECTORY\n";
  return 2;
}
