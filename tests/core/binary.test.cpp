// Tests of binary values and varints: io::load/store (at compile time too), read_value/write_value,
// read_values/write_values and read_varint/write_varint over streams, both byte orders, both ways.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

import io.core;
import io.memory;
import io.file;

namespace {

enum class color : std::uint16_t { red = 1, green = 0x0203 };

constexpr std::array<std::byte, 8> bytes8(unsigned a, unsigned b, unsigned c, unsigned d, unsigned e, unsigned f,
                                          unsigned g, unsigned h) {
  return {std::byte(a), std::byte(b), std::byte(c), std::byte(d), std::byte(e), std::byte(f), std::byte(g), std::byte(h)};
}
constexpr auto sample = bytes8(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);

// The constexpr cores, evaluated by the compiler.
static_assert(io::byteswap(std::uint32_t{0x01020304}) == 0x04030201);
static_assert(io::byteswap(std::int16_t{0x0102}) == 0x0201);
static_assert(io::load<std::uint32_t>(sample) == 0x04030201);
static_assert(io::load<std::uint32_t>(sample, std::endian::big) == 0x01020304);
static_assert(io::load<std::uint64_t>(sample, std::endian::big) == 0x0102030405060708);
static_assert(io::load<std::int16_t>(sample, std::endian::little) == 0x0201);
static_assert(io::load<color>(std::span(sample).subspan(1), std::endian::big) == color::green);
static_assert(io::load<double>(bytes8(0, 0, 0, 0, 0, 0, 0xf0, 0x3f)) == 1.0);
static_assert(io::load<float>(bytes8(0xc0, 0x00, 0, 0, 0, 0, 0, 0), std::endian::big) == -2.0f);
constexpr auto stored(double v, std::endian order) {
  std::array<std::byte, 8> out{};
  io::store(out, v, order);
  return out;
}
static_assert(stored(1.0, std::endian::big) == bytes8(0x3f, 0xf0, 0, 0, 0, 0, 0, 0));
static_assert(io::load<double>(stored(-0.15625, std::endian::big), std::endian::big) == -0.15625);

// Protobuf's published examples (https://protobuf.dev/programming-guides/encoding/).
template <class T, std::size_t N>
constexpr bool encodes(T value, std::array<unsigned, N> expected) {
  std::array<std::byte, 10> out{};
  const std::size_t n = io::store_varint(out, value);
  if (n != N || io::varint_size(value) != N) return false;
  for (std::size_t i = 0; i < N; ++i)
    if (out[i] != std::byte(expected[i])) return false;
  const auto back = io::load_varint<T>(std::span(out).first(n));
  return back.value == value && back.size == N;
}
static_assert(encodes(std::uint32_t{1}, std::array{0x01u}));
static_assert(encodes(std::uint32_t{150}, std::array{0x96u, 0x01u}));
static_assert(encodes(std::uint64_t{300}, std::array{0xacu, 0x02u}));
static_assert(encodes(std::int32_t{0}, std::array{0x00u}));
static_assert(encodes(std::int32_t{-1}, std::array{0x01u}));
static_assert(encodes(std::int32_t{1}, std::array{0x02u}));
static_assert(encodes(std::int32_t{-2}, std::array{0x03u}));
static_assert(encodes(std::int32_t{2147483647}, std::array{0xfeu, 0xffu, 0xffu, 0xffu, 0x0fu}));
static_assert(encodes(std::int32_t{-2147483647 - 1}, std::array{0xffu, 0xffu, 0xffu, 0xffu, 0x0fu}));
static_assert(encodes(std::numeric_limits<std::uint64_t>::max(),
                      std::array{0xffu, 0xffu, 0xffu, 0xffu, 0xffu, 0xffu, 0xffu, 0xffu, 0xffu, 0x01u}));
static_assert(encodes(std::uint8_t{255}, std::array{0xffu, 0x01u}));
static_assert(io::max_varint_size<std::uint64_t> == 10 && io::max_varint_size<std::int32_t> == 5);
// read_value, write_value, read_values, write_values and the varints over span streams, in both
// byte orders, evaluated by the compiler (static_assert) and again at run time (CHECK), where the
// streams copy with memcpy instead of a loop.
constexpr bool stream_round_trip() {
  std::array<std::byte, 80> storage{};
  io::writable_span_stream out(storage);
  io::write_value(out, std::uint32_t{0x01020304}, std::endian::little);
  io::write_value(out, std::uint32_t{0x01020304}, std::endian::big);
  io::write_value(out, std::int16_t{-2}, std::endian::big);
  io::write_value(out, -0.15625, std::endian::big);
  io::write_value(out, 1.5f); // little-endian by default
  io::write_value(out, color::green, std::endian::big);
  io::write_values(out, std::array<std::uint16_t, 3>{1, 0x0203, 0xfffe}, std::endian::big);
  io::write_values(out, std::array<std::int64_t, 2>{-1, 0x0102030405060708}, std::endian::little);
  io::write_varint(out, std::uint64_t{300});
  io::write_varint(out, std::int32_t{-2});
  io::write_varint(out, std::numeric_limits<std::uint64_t>::max());
  io::write_varint(out, std::numeric_limits<std::int64_t>::min());
  constexpr unsigned expected[] = {
      0x04, 0x03, 0x02, 0x01, 0x01, 0x02, 0x03, 0x04, 0xff, 0xfe,                          // u32 < >, i16 >
      0xbf, 0xc4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x3f, 0x02, 0x03, // double >, float <, enum >
      0x00, 0x01, 0x02, 0x03, 0xff, 0xfe,                                                  // u16[3] >
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // i64[2] <
      0xac, 0x02, 0x03,                                                                    // varints 300, -2
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,                          // u64 max
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};                         // i64 min, zig-zag
  const std::size_t written = out.tell();
  if (written != std::size(expected) || out.size() != written) return false;
  for (std::size_t i = 0; i < written; ++i)
    if (storage[i] != std::byte(expected[i])) return false;

  io::span_stream in(std::span<const std::byte>(storage).first(written));
  if (io::read_value<std::uint32_t>(in, std::endian::little) != 0x01020304) return false;
  if (io::read_value<std::uint32_t>(in, std::endian::big) != 0x01020304) return false;
  if (io::read_value<std::int16_t>(in, std::endian::big) != -2) return false;
  if (io::read_value<double>(in, std::endian::big) != -0.15625) return false;
  if (io::read_value<float>(in) != 1.5f) return false;
  if (io::read_value<color>(in, std::endian::big) != color::green) return false;
  std::array<std::uint16_t, 3> shorts{};
  io::read_values(in, shorts, std::endian::big);
  if (shorts != std::array<std::uint16_t, 3>{1, 0x0203, 0xfffe}) return false;
  std::int64_t longs[2] = {};
  io::read_values(in, longs, std::endian::little);
  if (longs[0] != -1 || longs[1] != 0x0102030405060708) return false;
  if (io::read_varint<std::uint64_t>(in) != 300) return false;
  if (io::read_varint<std::int32_t>(in) != -2) return false;
  if (io::read_varint<std::uint64_t>(in) != std::numeric_limits<std::uint64_t>::max()) return false;
  if (io::read_varint<std::int64_t>(in) != std::numeric_limits<std::int64_t>::min()) return false;
  std::array<std::byte, 4> after{};
  if (in.tell() != written || in.read(std::span<std::byte>(after)) != 0) return false; // the end: 0, no error

  // seek and tell: back to the big-endian value, then to the last varint from the end.
  if (in.seek(4) != 4 || io::read_value<std::uint32_t>(in, std::endian::big) != 0x01020304) return false;
  if (in.seek(-10, io::whence::end) != written - 10) return false;
  if (io::read_varint<std::int64_t>(in) != std::numeric_limits<std::int64_t>::min()) return false;

  // A write past the end fills the gap with zeros, as BytesIO.
  std::array<std::byte, 4> small{std::byte{0xaa}, std::byte{0xaa}, std::byte{0xaa}, std::byte{0xaa}};
  io::writable_span_stream gap(small);
  gap.seek(2);
  io::write_value(gap, std::uint8_t{0x11});
  return small[0] == std::byte{0} && small[1] == std::byte{0} && small[2] == std::byte{0x11} &&
         small[3] == std::byte{0xaa} && gap.size() == 3;
}
static_assert(stream_round_trip());

// read_value over a span stream of known bytes, in both orders.
constexpr bool reads_sample() {
  io::span_stream in(sample); // 01 02 03 04 05 06 07 08
  return io::read_value<std::uint16_t>(in, std::endian::big) == 0x0102 &&
         io::read_value<std::uint32_t>(in) == 0x06050403 && io::read_value<std::uint16_t>(in) == 0x0807 &&
         in.tell() == 8 && in.fill().empty();
}
static_assert(reads_sample());

template <class T, std::size_t N>
std::error_code load_error(std::array<unsigned, N> encoded) {
  std::array<std::byte, N> bytes{};
  for (std::size_t i = 0; i < N; ++i) bytes[i] = std::byte(encoded[i]);
  std::error_code ec;
  (void)io::load_varint<T>(bytes, ec);
  return ec;
}
std::string text_of(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

template <class T>
T random_value(std::mt19937_64& rng) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(static_cast<std::underlying_type_t<T>>(rng()));
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(std::uniform_real_distribution<double>(-1e6, 1e6)(rng));
  } else {
    return static_cast<T>(rng());
  }
}

// Writes random values of T in `order`, checks the bytes against a byte-by-byte reference, and
// reads them back through a memory stream, a buffered reader over a trickling stream, and with
// the error_code overloads.
template <class T>
void round_trip(std::endian order) {
  std::mt19937_64 rng(sizeof(T) * 7 + (order == std::endian::big));
  std::vector<T> values(50);
  for (T& v : values) v = random_value<T>(rng);
  io::memory_stream out;
  for (const T& v : values) io::write_value(out, v, order);
  const std::string encoded = out.str();
  REQUIRE(encoded.size() == values.size() * sizeof(T));
  for (std::size_t i = 0; i < values.size(); ++i) {
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, &values[i], sizeof(T));
    for (std::size_t b = 0; b < sizeof(T); ++b) {
      const std::size_t from = order == std::endian::native ? b : sizeof(T) - 1 - b;
      CHECK(static_cast<unsigned char>(encoded[i * sizeof(T) + b]) == raw[from]);
    }
  }
  io::memory_stream in(encoded);
  io::buffered_reader trickled(io_test::trickle_reader{encoded, 3}, 5); // values cross buffer boundaries
  io_test::trickle_reader unbuffered{encoded, 1};
  for (const T& v : values) {
    CHECK(io::read_value<T>(in, order) == v);
    std::error_code ec;
    CHECK(io::read_value<T>(trickled, order, ec) == v);
    CHECK_FALSE(ec);
    CHECK(io::read_value<T>(unbuffered, order) == v);
  }
  // Arrays: one read and one swap pass, also through the error_code overloads.
  std::vector<T> back(values.size());
  io::memory_stream again(encoded);
  io::read_values(again, back, order);
  CHECK(back == values);
  io::memory_stream out2;
  std::error_code ec;
  io::write_values(out2, values, order, ec);
  CHECK_FALSE(ec);
  CHECK(out2.str() == encoded);
  io::memory_stream again2(encoded);
  std::vector<T> back2(values.size());
  CHECK(io::read_values(again2, std::span(back2), order, ec) == values.size());
  CHECK(back2 == values);
}

} // namespace

TEST_CASE("the compile-time stream round trip holds at run time too") {
  CHECK(stream_round_trip());
  CHECK(reads_sample());
}

TEST_CASE("write_value and read_value round-trip every type in both byte orders") {
  for (std::endian order : {std::endian::little, std::endian::big}) {
    round_trip<std::uint8_t>(order);
    round_trip<std::int8_t>(order);
    round_trip<char>(order);
    round_trip<std::uint16_t>(order);
    round_trip<std::int16_t>(order);
    round_trip<std::uint32_t>(order);
    round_trip<std::int32_t>(order);
    round_trip<std::uint64_t>(order);
    round_trip<std::int64_t>(order);
    round_trip<color>(order);
    round_trip<float>(order);
    round_trip<double>(order);
  }
}

TEST_CASE("write_values swaps through its buffer for more values than it holds") {
  std::vector<std::uint16_t> values(5000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint16_t>(i * 7919);
  io::memory_stream out;
  io::write_values(out, values, std::endian::big);
  const std::string bytes = out.str();
  REQUIRE(bytes.size() == 10000);
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(static_cast<unsigned char>(bytes[2 * i]) == values[i] >> 8);
    CHECK(static_cast<unsigned char>(bytes[2 * i + 1]) == (values[i] & 0xff));
  }
  std::uint16_t first[3];
  std::array<std::uint16_t, 2> next;
  io::memory_stream in(bytes);
  io::read_values(in, first, std::endian::big);
  io::read_values(in, next, std::endian::big);
  CHECK(first[2] == values[2]);
  CHECK(next[1] == values[4]);
}

TEST_CASE("a value cut short by the end is unexpected_eof, a clean end too, both ways") {
  io::memory_stream s(std::string_view("\x01\x02\x03"));
  CHECK(io::read_value<std::uint16_t>(s) == 0x0201);
  std::error_code ec;
  CHECK(io::read_value<std::uint16_t>(s, ec) == 0);
  CHECK(ec == io::errc::unexpected_eof);
  CHECK(io::read_value<std::uint16_t>(s, ec) == 0); // a clean end: no byte of the value
  CHECK(ec == io::errc::unexpected_eof);
  io::memory_stream t(std::string_view("\x01\x02\x03"));
  CHECK_THROWS_WITH_AS((void)io::read_value<std::uint32_t>(t),
                       "cannot read: expected 4 bytes of a value, got 3 bytes: unexpected end of stream",
                       io::io_error);
  io::memory_stream u(std::string_view("\x01\x02\x03\x04\x05"));
  std::vector<std::uint16_t> values(3);
  CHECK(io::read_values(u, values, std::endian::big, ec) == 2); // the whole values before the cut are decoded
  CHECK(ec == io::errc::unexpected_eof);
  CHECK(values[0] == 0x0102);
  CHECK(values[1] == 0x0304);
}

TEST_CASE("errors of read_value name the file") {
  io_test::temp_dir dir;
  io_test::write_text(dir / "r.bin", std::string("\x01\x02", 2));
  auto f = io::open(dir / "r.bin");
  try {
    (void)io::read_value<std::uint64_t>(f);
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::unexpected_eof);
    CHECK(e.path() == (dir / "r.bin").string());
    CHECK(std::string(e.what()).find("expected 8 bytes of a value, got 2 bytes") != std::string::npos);
  }
}

TEST_CASE("write errors reach the caller both ways") {
  std::array<std::byte, 5> room{};
  io::writable_span_stream s(room);
  io::write_value(s, std::uint32_t{7});
  CHECK_THROWS_AS(io::write_value(s, std::uint32_t{7}), io::io_error);
  std::error_code ec;
  io::write_value(s, std::uint16_t{7}, std::endian::big, ec);
  CHECK(ec == io::errc::no_buffer_space);
  io::write_values(s, std::vector<std::uint32_t>{1, 2}, std::endian::big, ec);
  CHECK(ec == io::errc::no_buffer_space);
  io::write_varint(s, std::uint64_t{1} << 40, ec);
  CHECK(ec == io::errc::no_buffer_space);
  io::write_varint(s, std::uint8_t{1}, ec);
  CHECK_FALSE(ec);
  CHECK(room[4] == std::byte{1});
  io_test::limited_writer w{.limit = 3};
  CHECK_THROWS_AS(io::write_value(w, 1.0), std::system_error);
  io::write_value(w, 1.0f, ec);
  CHECK(ec == std::errc::no_space_on_device);
}

TEST_CASE("load and load_varint report short and oversized input through error_code") {
  std::error_code ec;
  CHECK(io::load<std::uint64_t>(std::span(sample).first(7), ec) == 0);
  CHECK(ec == io::errc::unexpected_eof);
  CHECK_THROWS_AS((void)io::load<std::uint64_t>(std::span(sample).first(7)), io::io_error);
  CHECK(!load_error<std::uint32_t>(std::array{0x80u, 0x80u, 0x00u})); // padded: accepted, as protobuf
  CHECK(load_error<std::uint8_t>(std::array{0x80u, 0x02u}) == std::errc::value_too_large);
  CHECK(load_error<std::uint32_t>(std::array{0xffu, 0xffu, 0xffu, 0xffu, 0x1fu}) == std::errc::value_too_large);
  CHECK(load_error<std::uint32_t>(std::array{0x80u, 0x80u, 0x80u, 0x80u, 0x80u, 0x00u}) == std::errc::value_too_large);
  CHECK(load_error<std::uint64_t>(std::array{0x96u}) == io::errc::unexpected_eof);

}

TEST_CASE("store reports a buffer too small both ways, writing nothing") {
  std::array<std::byte, 3> out{};
  CHECK_THROWS_AS(io::store(out, std::uint32_t{1}), io::io_error);
  std::error_code ec;
  io::store(out, std::uint32_t{0x01020304}, ec);
  CHECK(ec == io::errc::no_buffer_space);
  CHECK(out == std::array<std::byte, 3>{});
  CHECK_THROWS_AS((void)io::store_varint(out, std::uint32_t{1} << 30), io::io_error);
  CHECK(io::store_varint(out, std::uint32_t{1} << 30, ec) == 0);
  CHECK(ec == io::errc::no_buffer_space);
  CHECK_THROWS_AS((void)io::load_varint<std::uint32_t>(std::span(out).first(0)), io::io_error);
}

TEST_CASE("varints round-trip over buffered and unbuffered streams, and report bad input both ways") {
  std::mt19937_64 rng(150);
  io::memory_stream out;
  std::vector<std::uint64_t> u;
  std::vector<std::int64_t> z;
  for (int i = 0; i < 300; ++i) {
    u.push_back(rng() >> (rng() % 64));
    z.push_back(static_cast<std::int64_t>(rng()) >> (rng() % 64));
    io::write_varint(out, u.back());
    io::write_varint(out, z.back());
  }
  const std::string encoded = out.str();
  io::memory_stream a(encoded);
  io::buffered_reader b(io_test::trickle_reader{encoded, 2}, 3);
  io_test::trickle_reader c{encoded, 5};
  for (std::size_t i = 0; i < u.size(); ++i) {
    CHECK(io::read_varint<std::uint64_t>(a) == u[i]);
    CHECK(io::read_varint<std::int64_t>(a) == z[i]);
    std::error_code ec;
    CHECK(io::read_varint<std::uint64_t>(b, ec) == u[i]);
    CHECK(io::read_varint<std::int64_t>(b, ec) == z[i]);
    CHECK_FALSE(ec);
    CHECK(io::read_varint<std::uint64_t>(c) == u[i]);
    CHECK(io::read_varint<std::int64_t>(c) == z[i]);
  }
  std::error_code ec;
  CHECK(io::read_varint<std::uint64_t>(a, ec) == 0);
  CHECK(ec == io::errc::unexpected_eof); // a clean end
  io::memory_stream torn(std::string_view("\x96"));
  CHECK_THROWS_WITH_AS((void)io::read_varint<std::uint32_t>(torn),
                       "cannot read: a varint ended after 1 bytes: unexpected end of stream", io::io_error);
  io::memory_stream big(std::string_view("\xff\xff\xff\xff\x1f"));
  (void)io::read_varint<std::uint32_t>(big, ec);
  CHECK(ec == std::errc::value_too_large);
  io_test::trickle_reader big1{"\x80\x02", 1};
  CHECK_THROWS_AS((void)io::read_varint<std::uint8_t>(big1), io::io_error);
  // The bytes after a varint stay unread over an unbuffered stream.
  io_test::trickle_reader two{"\x96\x01rest", 4};
  CHECK(io::read_varint<std::uint16_t>(two) == 150);
  CHECK(io_test::read_string(two, 10) == "rest");
}
