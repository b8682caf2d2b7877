// Replays operations read from stdin on io::open's buffered files and on io::file, and prints each
// result, for open_parity.py to compare with CPython's open(). One operation per line:
//   new PATH HEX|-|absent | open MODE unbuffered|default|SIZE|reader SIZE|writer SIZE
//   | write HEX | read N | readall
//   | seek OFFSET WHENCE | tell | truncate [N] | flush | close | contents
// "new" gives PATH those contents (or removes it); "open" opens it with io::file ("unbuffered")
// or io::open (a buffer of SIZE bytes, or the default), or io::open_reader / io::open_writer
// with a buffer of SIZE bytes; "truncate" without N truncates at tell();
// "contents" closes the stream and prints the file. On a buffered file "read N" calls read until
// N bytes or 0, as Python's BufferedReader.read(N) does; on io::file it calls read once, as FileIO. A trailing "e" selects the std::error_code
// overloads. Results: a number, bytes in hex ("-" when empty), "ok", "absent", or "error CLASS"
// with CLASS one of closed, unsupported, invalid, oserror NAME.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "../replay.hpp"

import io.core;
import io.file;

// The class of an error, in the words open_parity.py gives Python's exceptions.
std::string io_test::describe(const std::error_code& ec) {
  if (ec == io::errc::closed) return "error closed";
  if (ec == io::errc::not_readable || ec == io::errc::not_writable || ec == io::errc::not_seekable)
    return "error unsupported";
  if (ec == io::errc::invalid_argument || ec == std::errc::invalid_argument) return "error invalid";
  if (ec.category() == std::system_category()) {
    switch (ec.value()) {
    case ENOENT: return "error oserror ENOENT";
    case EEXIST: return "error oserror EEXIST";
    case EISDIR: return "error oserror EISDIR";
    case EBADF: return "error oserror EBADF";
    default: return "error oserror " + std::to_string(ec.value());
    }
  }
  return std::string("error ") + ec.category().name() + " " + std::to_string(ec.value());
}

namespace {

using io_test::hex;
using io_test::run;
using io_test::unhex;

// One operation on an open stream: io::file, io::buffered_file, io::file_reader or io::file_writer.
// An operation the stream's type lacks (a write to a file_reader) is "absent".
template <class Stream>
std::string apply(Stream& s, const std::vector<std::string>& words, bool use_ec, bool until_full) {
  const std::string& op = words[0];
  constexpr bool can_write = io::writable<Stream>;
  constexpr bool can_read = io::readable<Stream>;
  constexpr bool can_truncate = requires(std::int64_t n) { s.truncate(n); };
  constexpr bool can_flush = requires { s.flush(); };
  if ((op == "write" && !can_write) || ((op == "read" || op == "readall") && !can_read) ||
      (op == "truncate" && !can_truncate) || (op == "flush" && !can_flush))
    return "absent";
  if constexpr (can_write) {
    if (op == "write") {
      const auto bytes = unhex(words[1]);
      const std::string count = std::to_string(bytes.size());
      return run(
          use_ec, [&] { s.write(bytes); return count; },
          [&](std::error_code& ec) { s.write(bytes, ec); return count; });
    }
  }
  if constexpr (can_read) {
    if (op == "read") {
      std::vector<std::byte> buffer(std::stoul(words[1]));
      return run(
          use_ec,
          [&] {
            std::size_t done = s.read(buffer);
            for (std::size_t n = done; until_full && n != 0 && done < buffer.size(); done += n)
              n = s.read(std::span(buffer).subspan(done));
            return hex(std::span(buffer).first(done));
          },
          [&](std::error_code& ec) {
            std::size_t done = s.read(buffer, ec);
            for (std::size_t n = done; until_full && n != 0 && !ec && done < buffer.size(); done += n)
              n = s.read(std::span(buffer).subspan(done), ec);
            return hex(std::span(buffer).first(done));
          });
    }
    if (op == "readall") {
      return run(
          use_ec, [&] { return hex(io::read_all(s)); },
          [&](std::error_code& ec) {
            std::vector<std::byte> out;
            io::read_all(s, out, ec);
            return hex(out);
          });
    }
  }
  if (op == "seek") {
    const std::int64_t offset = std::stoll(words[1]);
    const auto from = static_cast<io::whence>(std::stoi(words[2]));
    return run(
        use_ec, [&] { return std::to_string(s.seek(offset, from)); },
        [&](std::error_code& ec) { return std::to_string(s.seek(offset, from, ec)); });
  }
  if (op == "tell") {
    return run(
        use_ec, [&] { return std::to_string(s.tell()); },
        [&](std::error_code& ec) { return std::to_string(s.tell(ec)); });
  }
  if constexpr (can_truncate) {
    if (op == "truncate" && words.size() > 1) {
      const std::int64_t size = std::stoll(words[1]);
      return run(
          use_ec, [&] { return std::to_string(s.truncate(size)); },
          [&](std::error_code& ec) { return std::to_string(s.truncate(size, ec)); });
    }
    if (op == "truncate") { // Python's truncate(): at the position
      return run(
          use_ec, [&] { return std::to_string(s.truncate(static_cast<std::int64_t>(s.tell()))); },
          [&](std::error_code& ec) {
            const std::uint64_t position = s.tell(ec);
            return ec ? std::string() : std::to_string(s.truncate(static_cast<std::int64_t>(position), ec));
          });
    }
  }
  if constexpr (can_flush) {
    if (op == "flush") {
      return run(
          use_ec, [&] { s.flush(); return std::string("ok"); },
          [&](std::error_code& ec) { s.flush(ec); return std::string("ok"); });
    }
  }
  if (op == "close") {
    return run(
        use_ec, [&] { s.close(); return std::string("ok"); },
        [&](std::error_code& ec) { s.close(ec); return std::string("ok"); });
  }
  return {};
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "absent";
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return hex(std::as_bytes(std::span(text)));
}

} // namespace

int main() {
  std::filesystem::path path;
  std::optional<io::file> unbuffered;
  std::optional<io::buffered_file> buffered;
  std::optional<io::file_reader> reader;
  std::optional<io::file_writer> writer;
  return io_test::replay_lines([&](const std::vector<std::string>& words, bool use_ec) {
    const std::string& op = words[0];
    std::string result;
    if (op == "new") {
      unbuffered.reset();
      buffered.reset();
      reader.reset();
      writer.reset();
      path = words[1];
      std::filesystem::remove(path);
      if (words[2] != "absent") {
        const auto bytes = unhex(words[2]);
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                    static_cast<std::streamsize>(bytes.size()));
      }
      result = "ok";
    } else if (op == "open") {
      const std::string& mode = words[1];
      const std::string& buffering = words[2];
      if (buffering == "reader" || buffering == "writer") {
        // open_reader / open_writer, or (with "e", as they have no error_code overload) the same
        // from a file opened with one.
        const std::size_t size = std::stoul(words[3]);
        const bool reads = buffering == "reader";
        result = run(
            use_ec,
            [&] {
              if (reads) reader.emplace(io::open_reader(path, size));
              else writer.emplace(io::open_writer(path, mode, size));
              return std::string("ok");
            },
            [&](std::error_code& ec) {
              io::file f(path, reads ? "r" : mode, ec);
              if (reads) reader.emplace(std::move(f), size);
              else writer.emplace(std::move(f), size);
              return std::string("ok");
            });
      } else if (buffering == "unbuffered") {
        result = run(
            use_ec, [&] { unbuffered.emplace(path, mode); return std::string("ok"); },
            [&](std::error_code& ec) { unbuffered.emplace(path, mode, ec); return std::string("ok"); });
      } else {
        const std::size_t size = buffering == "default" ? io::default_buffer_size : std::stoul(buffering);
        result = run(
            use_ec, [&] { buffered.emplace(io::open(path, mode, size)); return std::string("ok"); },
            [&](std::error_code& ec) { buffered.emplace(io::open(path, mode, size, ec)); return std::string("ok"); });
      }
    } else if (op == "contents") {
      unbuffered.reset();
      buffered.reset();
      reader.reset();
      writer.reset();
      result = contents(path);
    } else if (unbuffered) {
      result = apply(*unbuffered, words, use_ec, false);
    } else if (buffered) {
      result = apply(*buffered, words, use_ec, true);
    } else if (reader) {
      result = apply(*reader, words, use_ec, true);
    } else if (writer) {
      result = apply(*writer, words, use_ec, true);
    } else {
      result = "no stream";
    }
    return result;
  });
}
