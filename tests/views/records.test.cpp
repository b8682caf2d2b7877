// Tests of io::views::records: storage as a random-access range of fixed-size values.
#include <doctest/doctest.h>

#include "../support.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <range/v3/algorithm/equal.hpp>
#include <range/v3/range/concepts.hpp>
#include <range/v3/view/reverse.hpp>
#include <range/v3/view/transform.hpp>

import io.core;
import io.memory;
import io.file;

namespace {

// A record as Python's struct writes '<iid' (no padding: 16 bytes, 8-aligned).
struct sample {
  std::int32_t id;
  std::int32_t count;
  double weight;
  friend bool operator==(const sample&, const sample&) = default;
  // Lets records<sample> read the other byte order, one field at a time.
  friend constexpr sample byteswap(sample s) noexcept {
    return {io::byteswap(s.id), io::byteswap(s.count),
            std::bit_cast<double>(io::byteswap(std::bit_cast<std::uint64_t>(s.weight)))};
  }
};
static_assert(sizeof(sample) == 16);

// A record without byteswap: only the machine's own order.
struct plain {
  std::uint16_t a;
  std::uint16_t b;
};

using span_records = io::records_view<std::uint32_t, std::span<const std::byte>>;
static_assert(std::ranges::random_access_range<span_records>);
static_assert(std::ranges::sized_range<span_records>);
static_assert(std::ranges::common_range<span_records>);
static_assert(std::ranges::view<span_records>);
static_assert(std::ranges::borrowed_range<span_records>);
static_assert(ranges::random_access_range<span_records>);
static_assert(ranges::sized_range<span_records>);
static_assert(ranges::view_<span_records>);
static_assert(!std::ranges::borrowed_range<io::records_view<std::uint32_t, std::string>>);
static_assert(std::ranges::borrowed_range<io::records_view<std::uint32_t, std::string&>>);

// `values` stored in `order` with a byte-by-byte reference encoder.
template <class T>
std::string encode(const std::vector<T>& values, std::endian order) {
  std::string out;
  for (const T& v : values) {
    char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    if (order != std::endian::native) std::reverse(raw, raw + sizeof(T));
    out.append(raw, sizeof(T));
  }
  return out;
}

std::vector<std::byte> with_offset(std::string_view bytes, std::size_t offset) {
  std::vector<std::byte> out(offset + bytes.size());
  std::memcpy(out.data() + offset, bytes.data(), bytes.size());
  return out;
}

} // namespace

TEST_CASE("records over aligned and unaligned storage in both byte orders") {
  const std::vector<std::uint32_t> values{0, 1, 0x01020304, 0xffffffff, 42};
  for (std::endian order : {std::endian::little, std::endian::big}) {
    const std::string encoded = encode(values, order);
    for (std::size_t offset : {0, 1, 3, 8}) {
      CAPTURE(offset);
      const std::vector<std::byte> storage = with_offset(encoded, offset);
      const auto bytes = std::span<const std::byte>(storage).subspan(offset); // offset 1: unaligned
      auto r = io::views::records<std::uint32_t>(bytes, order);
      CHECK(r.size() == values.size());
      CHECK(std::ranges::equal(r, values));
      CHECK(ranges::equal(r, values));
      CHECK(r[2] == 0x01020304);
      CHECK(r.back() == 42);
      CHECK(*(r.end() - 2) == 0xffffffff);
      std::vector<std::uint32_t> reversed(values.rbegin(), values.rend());
      CHECK(std::ranges::equal(r | std::views::reverse, reversed));
      CHECK(ranges::equal(r | ranges::views::reverse, reversed));
      CHECK(std::ranges::equal(r | std::views::transform([](std::uint32_t v) { return v + 1; }),
                               values | std::views::transform([](std::uint32_t v) { return v + 1; })));
    }
  }
}

TEST_CASE("records of a struct, and of a std::array, in both byte orders") {
  const std::vector<sample> values{{1, -2, 0.5}, {-7, 300, -1e300}, {0x01020304, 0, 3.25}};
  for (std::endian order : {std::endian::little, std::endian::big}) {
    std::string encoded;
    for (const sample& s : values) {
      const sample stored = order == std::endian::native ? s : byteswap(s);
      encoded.append(reinterpret_cast<const char*>(&stored), sizeof stored);
    }
    for (std::size_t offset : {0, 1}) {
      const std::vector<std::byte> storage = with_offset(encoded, offset);
      auto r = io::views::records<sample>(std::span<const std::byte>(storage).subspan(offset), order);
      CHECK(std::ranges::equal(r, values));
    }
    const std::vector<std::array<std::uint16_t, 2>> pairs{{1, 2}, {0x0102, 0xfffe}};
    const std::string pair_bytes = encode(pairs, std::endian::native);
    std::string swapped;
    for (const auto& p : pairs) swapped += encode(std::vector<std::uint16_t>{p[0], p[1]}, order);
    CHECK(std::ranges::equal(io::views::records<std::array<std::uint16_t, 2>>(std::string_view(swapped), order), pairs));
  }
}

TEST_CASE("a record type without byteswap in the other byte order is refused both ways") {
  const std::string bytes(8, '\0');
  const std::endian other = std::endian::native == std::endian::little ? std::endian::big : std::endian::little;
  CHECK(io::views::records<plain>(std::string_view(bytes)).size() == 2);
  CHECK_THROWS_AS((void)io::views::records<plain>(std::string_view(bytes), other), io::io_error);
  std::error_code ec;
  auto r = io::views::records<plain>(std::string_view(bytes), other, ec);
  CHECK(ec == io::errc::invalid_argument);
  CHECK(r.empty());
}

TEST_CASE("a trailing partial record is an error both ways, not dropped") {
  const std::string bytes(5 * 8 + 2, 'x');
  try {
    (void)io::views::records<std::uint64_t>(std::string_view(bytes));
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::unexpected_eof);
    CHECK(std::string(e.what()) ==
          "cannot read records of 8 bytes from: 42 bytes end with 2 bytes of a partial record: unexpected end of stream");
  }
  std::error_code ec;
  auto r = io::views::records<std::uint64_t>(std::string_view(bytes), ec);
  CHECK(ec == io::errc::unexpected_eof);
  CHECK(r.empty());
  CHECK(r.begin() == r.end());
  CHECK(io::views::records<std::uint64_t>(std::string_view(bytes).substr(2), ec).size() == 5);
  CHECK_FALSE(ec);
  CHECK(io::views::records<std::uint64_t>(std::string_view(), ec).empty());
  CHECK_FALSE(ec);
}

TEST_CASE("records over a mapped file, and an error names the file") {
  io_test::temp_dir dir;
  const std::vector<std::int16_t> values{-1, 2, -300, 32767};
  io_test::write_text(dir / "r.bin", encode(values, std::endian::big));
  io::mapped_file map(dir / "r.bin");
  CHECK(std::ranges::equal(io::views::records<std::int16_t>(map, std::endian::big), values));
  // Owned: an rvalue map moves into the view, which is then not borrowed.
  auto owned = io::views::records<std::int16_t>(io::mapped_file(dir / "r.bin"), std::endian::big);
  CHECK(std::ranges::equal(owned, values));
  // An rvalue std::string is owned too: its records outlive the string it was made from.
  auto from_string = io::views::records<std::int16_t>(encode(values, std::endian::little), std::endian::little);
  CHECK(std::ranges::equal(from_string, values));
  io::mapped_file odd_map(dir / "r.bin");
  CHECK_THROWS_AS((void)io::views::records<std::uint32_t>(odd_map.bytes().first(6)), io::io_error); // no path
  try {
    (void)io::views::records<std::array<std::int16_t, 3>>(odd_map); // 8 bytes: one record and 2 over
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.path() == (dir / "r.bin").string());
  }
}

TEST_CASE("as_span views native records in aligned storage in place, without a copy") {
  const std::vector<std::uint32_t> values{7, 0x01020304, 0xffffffff};
  const auto bytes = std::as_bytes(std::span(values));
  auto r = io::views::records<std::uint32_t>(bytes);
  const std::span<const std::uint32_t> in_place = r.as_span();
  CHECK(in_place.data() == values.data());
  CHECK(static_cast<const void*>(in_place.data()) == static_cast<const void*>(bytes.data()));
  CHECK(in_place.size() == 3);
  CHECK(std::ranges::equal(in_place, r));
  std::error_code ec = std::make_error_code(std::errc::io_error);
  CHECK(r.as_span(ec).data() == values.data());
  CHECK_FALSE(ec);
  // A struct of fields, in a std::vector's (aligned) block.
  const std::vector<sample> samples{{1, -2, 0.5}, {-7, 300, -1e300}};
  const auto sample_span = io::views::records<sample>(std::as_bytes(std::span(samples))).as_span();
  CHECK(sample_span.data() == samples.data());
  CHECK(std::ranges::equal(sample_span, samples));
  // Bytes read the same in either order: a byte-sized record needs no decoding in the other order.
  const std::endian other = std::endian::native == std::endian::little ? std::endian::big : std::endian::little;
  const std::string text = "records";
  CHECK(static_cast<const void*>(io::views::records<std::uint8_t>(std::string_view(text), other).as_span().data()) ==
        static_cast<const void*>(text.data()));
  CHECK(io::views::records<std::array<std::uint8_t, 7>>(std::string_view(text), other).as_span().size() == 1);
  // No records: an empty span, whatever the alignment or order.
  CHECK(io::views::records<std::uint64_t>(bytes.subspan(1, 0), other).as_span().empty());
  CHECK(io::views::records<std::uint64_t>(bytes.subspan(1, 0), other).as_span(ec).empty());
  CHECK_FALSE(ec);
}

TEST_CASE("as_span over misaligned storage is errc::misaligned both ways, and the records still decode") {
  // A block aligned for uint32_t, viewed from its second byte: misaligned for 4-byte records.
  std::vector<std::uint32_t> block(4);
  const std::vector<std::uint32_t> values{1, 0x01020304, 0xfffffffe};
  const std::string encoded = encode(values, std::endian::native);
  std::memcpy(reinterpret_cast<char*>(block.data()) + 1, encoded.data(), encoded.size());
  const auto bytes = std::as_bytes(std::span(block)).subspan(1, encoded.size());
  auto r = io::views::records<std::uint32_t>(bytes);
  CHECK(std::ranges::equal(r, values));
  CHECK(r[1] == 0x01020304);
  try {
    (void)r.as_span();
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::misaligned);
    CHECK(std::string(e.what()) == "cannot view the storage as a span of 4-byte records: their storage starts 1 byte "
                                   "past a multiple of 4: storage not aligned for the type");
  }
  std::error_code ec;
  CHECK(r.as_span(ec).empty());
  CHECK(ec == io::errc::misaligned);
  // Three bytes past: the message counts them.
  const auto bytes3 = std::as_bytes(std::span(block)).subspan(3, 8);
  CHECK_THROWS_WITH_AS((void)io::views::records<std::uint32_t>(bytes3).as_span(),
                       "cannot view the storage as a span of 4-byte records: their storage starts 3 bytes past a "
                       "multiple of 4: storage not aligned for the type",
                       io::io_error);
}

TEST_CASE("as_span over records in the other byte order is errc::invalid_argument both ways") {
  const std::vector<std::uint32_t> values{1, 2};
  const std::endian other = std::endian::native == std::endian::little ? std::endian::big : std::endian::little;
  auto r = io::views::records<std::uint32_t>(std::as_bytes(std::span(values)), other);
  CHECK(r[0] == io::byteswap(std::uint32_t{1}));
  CHECK_THROWS_WITH_AS((void)r.as_span(),
                       "cannot view the storage as a span of 4-byte records: they are stored in the other byte order: "
                       "invalid argument",
                       io::io_error);
  std::error_code ec;
  CHECK(r.as_span(ec).empty());
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("as_span over a mapped file is the mapping itself, and its errors name the file") {
  io_test::temp_dir dir;
  const std::vector<std::int16_t> values{-1, 2, -300, 32767};
  io_test::write_text(dir / "r.bin", encode(values, std::endian::native));
  io::mapped_file map(dir / "r.bin");
  auto r = io::views::records<std::int16_t>(map);
  CHECK(static_cast<const void*>(r.as_span().data()) == static_cast<const void*>(map.bytes().data()));
  CHECK(std::ranges::equal(r.as_span(), values));
  // An owned map: the span points into the view's own mapping.
  auto owned = io::views::records<std::int16_t>(io::mapped_file(dir / "r.bin"));
  CHECK(std::ranges::equal(owned.as_span(), values));
  const std::endian other = std::endian::native == std::endian::little ? std::endian::big : std::endian::little;
  const std::string quoted = "'" + (dir / "r.bin").string() + "'";
  CHECK_THROWS_WITH_AS((void)io::views::records<std::int16_t>(map, other).as_span(),
                       ("cannot view " + quoted +
                        " as a span of 2-byte records: they are stored in the other byte order: invalid argument")
                           .c_str(),
                       io::io_error);
  try {
    (void)io::views::records<std::int16_t>(io::mapped_file(dir / "r.bin"), other).as_span();
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.path() == (dir / "r.bin").string());
  }
  std::error_code ec;
  CHECK(io::views::records<std::int16_t>(map, other).as_span(ec).empty());
  CHECK(ec == io::errc::invalid_argument);
}

TEST_CASE("a partial record in an owned mapped file names the file") {
  io_test::temp_dir dir;
  io_test::write_text(dir / "odd.bin", std::string(7, 'x'));
  try {
    (void)io::views::records<std::uint16_t>(io::mapped_file(dir / "odd.bin"));
    FAIL("no error");
  } catch (const io::io_error& e) {
    CHECK(e.code() == io::errc::unexpected_eof);
    CHECK(e.path() == (dir / "odd.bin").string());
  }
}
