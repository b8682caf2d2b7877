// Decodes and encodes text read from stdin with io's codecs, for encodings_parity.py to compare
// with CPython. One case per line:
//   decode ENCODING ERRORS CHUNK SEED HEX
//     decodes the bytes HEX with io::detail::text_decoder, fed in pieces of 1..CHUNK bytes
//     (random sizes from SEED; CHUNK 0: all at once, then an empty last piece); prints
//     "ok HEX" (the UTF-8 text) or "error CODE OFFSET HEX" (the text before the error).
//   encode ENCODING ERRORS NEWLINE CHUNK SEED MODE HEX
//     writes the UTF-8 text HEX through io::text_writer into an io::memory_stream in pieces cut
//     anywhere (as above), then finishes; MODE t uses the throwing calls, e the std::error_code
//     ones; prints "ok HEX" (the stream's bytes) or "error CODE OFFSET HEX" (the bytes the
//     stream got). In mode t the offset in the exception's message must match error_offset().
// ERRORS is strict, replace, ignore or backslash_replace; NEWLINE universal, recognize, lf, cr or
// crlf; HEX is "-" when empty; CODE is invalid_text, unencodable, unknown_encoding or the message.
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

import io;

namespace {

std::vector<std::byte> from_hex(std::string_view hex) {
  std::vector<std::byte> out;
  if (hex == "-") return out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::byte>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string to_hex(std::string_view bytes) {
  if (bytes.empty()) return "-";
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += digits[static_cast<unsigned char>(c) >> 4];
    out += digits[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

io::text_errors errors_of(const std::string& s) {
  if (s == "strict") return io::text_errors::strict;
  if (s == "replace") return io::text_errors::replace;
  if (s == "ignore") return io::text_errors::ignore;
  if (s == "backslash_replace") return io::text_errors::backslash_replace;
  throw std::runtime_error("bad errors " + s);
}

io::newline_mode newline_of(const std::string& s) {
  if (s == "universal") return io::newline_mode::universal;
  if (s == "recognize") return io::newline_mode::recognize;
  if (s == "lf") return io::newline_mode::lf;
  if (s == "cr") return io::newline_mode::cr;
  if (s == "crlf") return io::newline_mode::crlf;
  throw std::runtime_error("bad newline " + s);
}

std::string code_name(const std::error_code& ec) {
  if (ec == io::errc::invalid_text) return "invalid_text";
  if (ec == io::errc::unencodable) return "unencodable";
  if (ec == io::errc::unknown_encoding) return "unknown_encoding";
  std::string message = ec.message();
  for (char& c : message)
    if (c == ' ') c = '_';
  return message;
}

// The pieces `data` is given in: sizes 1..chunk at random, or all of it for chunk 0.
std::vector<std::span<const std::byte>> pieces(std::span<const std::byte> data, unsigned chunk, unsigned seed) {
  std::vector<std::span<const std::byte>> out;
  if (chunk == 0) {
    out.push_back(data);
    return out;
  }
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> size(1, chunk);
  while (!data.empty()) {
    const std::size_t n = std::min(size(rng), data.size());
    out.push_back(data.first(n));
    data = data.subspan(n);
  }
  return out;
}

std::string decode(std::istringstream& line) {
  std::string encoding, errors, hex;
  unsigned chunk = 0, seed = 0;
  line >> encoding >> errors >> chunk >> seed >> hex;
  const std::vector<std::byte> data = from_hex(hex);
  std::error_code ec;
  io::detail::text_decoder decoder(encoding, errors_of(errors), ec);
  if (ec) return "error " + code_name(ec) + " 0 -";
  std::string text;
  std::uint64_t given = 0;
  auto parts = pieces(data, chunk, seed);
  parts.emplace_back(); // the last call, empty: whatever is held is decoded then
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t taken = decoder.decode(parts[i], i + 1 == parts.size(), text, ec);
    if (ec) {
      // The offset lies in what was given, at or after the bytes the decoder held.
      if (decoder.error_offset() > given + taken) return "error offset-beyond-taken";
      return "error " + code_name(ec) + " " + std::to_string(decoder.error_offset()) + " " + to_hex(text);
    }
    if (taken != parts[i].size()) return "error short-take";
    given += taken;
    if (decoder.position() != given) return "error position";
  }
  if (decoder.holding()) return "error held-after-last";
  return "ok " + to_hex(text);
}

// The byte offset an io_error's message names ("... at byte N of the text ...").
std::uint64_t offset_in_message(const std::string& what) {
  const auto at = what.find("at byte ");
  if (at == std::string::npos) return UINT64_MAX;
  return std::stoull(what.substr(at + 8));
}

std::string encode(std::istringstream& line) {
  std::string encoding, errors, newline, mode, hex;
  unsigned chunk = 0, seed = 0;
  line >> encoding >> errors >> newline >> chunk >> seed >> mode >> hex;
  const std::vector<std::byte> data = from_hex(hex);
  const io::text_options options{.encoding = encoding, .errors = errors_of(errors), .newline = newline_of(newline)};
  io::memory_stream out;
  auto parts = pieces(data, chunk, seed);
  if (parts.empty()) parts.emplace_back(); // one write, empty: Python's write("") writes the BOM
  if (mode == "e") {
    std::error_code ec;
    io::text_writer writer(out, options, ec);
    if (ec) return "error " + code_name(ec) + " 0 -";
    for (const auto part : parts) {
      writer.write(part, ec);
      if (ec) break;
    }
    if (!ec) {
      writer.finish(ec);
    } else {
      std::error_code again;
      writer.finish(again);
      if (again != ec) return "error finish-differs";
    }
    if (ec) return "error " + code_name(ec) + " " + std::to_string(writer.error_offset()) + " " + to_hex(out.str());
    return "ok " + to_hex(out.str());
  }
  try {
    io::text_writer writer(out, options);
    try {
      for (const auto part : parts) writer.write(part);
      writer.finish();
    } catch (const io::io_error& e) {
      const std::uint64_t named = offset_in_message(e.what());
      if (named != writer.error_offset()) return std::string("error message-offset ") + e.what();
      try {
        writer.finish();
        return "error finish-succeeded";
      } catch (const io::io_error& again) {
        if (again.code() != e.code()) return "error finish-differs";
      }
      return "error " + code_name(e.code()) + " " + std::to_string(writer.error_offset()) + " " + to_hex(out.str());
    }
    return "ok " + to_hex(out.str());
  } catch (const io::io_error& e) {
    return "error " + code_name(e.code()) + " 0 -";
  }
}

} // namespace

int main() {
  std::string text;
  while (std::getline(std::cin, text)) {
    std::istringstream line(text);
    std::string verb;
    line >> verb;
    if (verb == "decode") std::cout << decode(line) << '\n';
    else if (verb == "encode") std::cout << encode(line) << '\n';
    else std::cout << "error bad-verb\n";
  }
}
