// Fuzz target: io::memory_stream driven by random operations, checked against a plain model of
// CPython's io.BytesIO (a string and a position).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <system_error>
#include <vector>

import io;

namespace {

void expect(bool same) {
  if (!same) std::abort();
}

// BytesIO, written the obvious way.
struct model {
  std::string bytes;
  std::int64_t pos = 0;
  bool closed = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  io::memory_stream s;
  model m;
  std::size_t i = 0;
  auto next = [&]() -> std::uint8_t { return i < size ? data[i++] : 0; };
  while (i < size) {
    const std::uint8_t op = next() % 9;
    std::error_code ec;
    switch (op) {
    case 0: { // write
      const std::size_t n = next() % 24;
      std::string piece;
      for (std::size_t k = 0; k < n; ++k) piece += static_cast<char>(next());
      s.write(io::as_bytes(piece), ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      expect(!ec);
      if (!piece.empty()) {
        if (static_cast<std::size_t>(m.pos) > m.bytes.size()) m.bytes.resize(static_cast<std::size_t>(m.pos), '\0');
        m.bytes.replace(static_cast<std::size_t>(m.pos), piece.size(), piece);
        m.pos += static_cast<std::int64_t>(piece.size());
      }
      break;
    }
    case 1: { // read
      std::vector<std::byte> buffer(next() % 32);
      const std::size_t n = s.read(buffer, ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      const std::size_t from = std::min(static_cast<std::size_t>(m.pos), m.bytes.size());
      const std::string want = m.bytes.substr(from, buffer.size());
      expect(!ec && io::as_string_view(std::span(buffer).first(n)) == want);
      m.pos += static_cast<std::int64_t>(want.size());
      break;
    }
    case 2: { // seek
      const auto offset = static_cast<std::int64_t>(static_cast<std::int8_t>(next()));
      const auto from = static_cast<io::whence>(next() % 3);
      const std::uint64_t got = s.seek(offset, from, ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      if (from == io::whence::begin && offset < 0) { expect(ec == io::errc::invalid_argument); break; }
      const std::int64_t base = from == io::whence::begin ? 0 : from == io::whence::current ? m.pos : static_cast<std::int64_t>(m.bytes.size());
      m.pos = std::max<std::int64_t>(base + offset, 0);
      expect(!ec && got == static_cast<std::uint64_t>(m.pos));
      break;
    }
    case 3: { // tell
      const std::uint64_t got = s.tell(ec);
      expect(m.closed ? ec == io::errc::closed : (!ec && got == static_cast<std::uint64_t>(m.pos)));
      break;
    }
    case 4: { // truncate to a size (negative is an error)
      const auto to = static_cast<std::int64_t>(static_cast<std::int8_t>(next()));
      const std::uint64_t got = s.truncate(to, ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      if (to < 0) { expect(ec == io::errc::invalid_argument); break; }
      if (static_cast<std::size_t>(to) < m.bytes.size()) m.bytes.resize(static_cast<std::size_t>(to));
      expect(!ec && got == static_cast<std::uint64_t>(to));
      break;
    }
    case 5: { // truncate at the position
      s.truncate(ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      if (static_cast<std::size_t>(m.pos) < m.bytes.size()) m.bytes.resize(static_cast<std::size_t>(m.pos));
      expect(!ec);
      break;
    }
    case 6: { // view
      const auto v = s.view(ec);
      expect(m.closed ? ec == io::errc::closed : (!ec && io::as_string_view(v) == m.bytes));
      break;
    }
    case 7: // take, rarely close
      if (next() % 8 == 0) {
        s.close();
        m = model{.closed = true};
      } else if (!m.closed) {
        const auto taken = s.take();
        expect(io::as_string_view(taken) == m.bytes);
        m = model{};
      }
      break;
    case 8: { // fill and consume
      const auto rest = s.fill(ec);
      if (m.closed) { expect(ec == io::errc::closed); break; }
      const std::size_t from = std::min(static_cast<std::size_t>(m.pos), m.bytes.size());
      expect(!ec && io::as_string_view(rest) == std::string_view(m.bytes).substr(from));
      const std::size_t n = rest.empty() ? 0 : next() % (rest.size() + 1);
      s.consume(n);
      m.pos += static_cast<std::int64_t>(n);
      break;
    }
    }
  }
  return 0;
}
