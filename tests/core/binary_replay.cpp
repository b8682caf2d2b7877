// Reads binary values written by Python's struct module with io and writes them back, for
// struct_parity.py to compare. Two modes:
//   binary_replay values SPEC DATA OUT
//     SPEC has one line per run of values: "<format> <order> <count>" where format is one of
//     Python's struct codes b B h H i I q Q f d (a value) or u32 s32 u64 s64 (a varint: unsigned
//     LEB128, or zig-zag signed) and order is < or > (ignored for varints). DATA is read through
//     io::open with a 7-byte buffer, so that values cross buffer boundaries; each value is
//     printed on its own line (floats as the decimal of their IEEE bits) and written to OUT with
//     write_value (odd runs), write_values (even runs) or write_varint.
//   binary_replay records FILE ORDER OFFSET
//     maps FILE and prints, one line each, the '<iid' or '>iid' records (ORDER is < or >) of its
//     bytes from OFFSET on, with io::views::records; a partial record prints the error both ways.
//     Then one line for as_span(): "span N in-place" or "span-error <code>".
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

import io;

namespace {

struct sample {
  std::int32_t id;
  std::int32_t count;
  double weight;
  friend sample byteswap(sample s) noexcept {
    return {io::byteswap(s.id), io::byteswap(s.count),
            std::bit_cast<double>(io::byteswap(std::bit_cast<std::uint64_t>(s.weight)))};
  }
};

template <class T>
std::string text(T v) {
  if constexpr (std::is_same_v<T, float>) return std::to_string(std::bit_cast<std::uint32_t>(v));
  else if constexpr (std::is_same_v<T, double>) return std::to_string(std::bit_cast<std::uint64_t>(v));
  else if constexpr (std::is_signed_v<T>) return std::to_string(static_cast<long long>(v));
  else return std::to_string(static_cast<unsigned long long>(v));
}

template <class T>
void values(io::buffered_file& in, io::buffered_file& out, std::endian order, std::size_t count, bool as_array) {
  std::vector<T> read(count);
  if (as_array) {
    io::read_values(in, read, order);
    io::write_values(out, read, order);
  } else {
    for (T& v : read) {
      std::error_code ec;
      v = io::read_value<T>(in, order, ec);
      if (ec) throw io::io_error(ec, "read a value");
      io::write_value(out, v, order);
    }
  }
  for (const T& v : read) std::cout << text(v) << '\n';
}

template <class T>
void varints(io::buffered_file& in, io::buffered_file& out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const T v = io::read_varint<T>(in);
    io::write_varint(out, v);
    std::cout << text(v) << '\n';
  }
}

int run_values(const char* spec_path, const char* data_path, const char* out_path) {
  std::ifstream spec(spec_path);
  auto in = io::open(data_path, "r", 7);
  auto out = io::open(out_path, "w", 5);
  std::string format, order_text;
  std::size_t count = 0;
  bool as_array = false;
  while (spec >> format >> order_text >> count) {
    const std::endian order = order_text == "<" ? std::endian::little : std::endian::big;
    as_array = !as_array;
    if (format == "b") values<std::int8_t>(in, out, order, count, as_array);
    else if (format == "B") values<std::uint8_t>(in, out, order, count, as_array);
    else if (format == "h") values<std::int16_t>(in, out, order, count, as_array);
    else if (format == "H") values<std::uint16_t>(in, out, order, count, as_array);
    else if (format == "i") values<std::int32_t>(in, out, order, count, as_array);
    else if (format == "I") values<std::uint32_t>(in, out, order, count, as_array);
    else if (format == "q") values<std::int64_t>(in, out, order, count, as_array);
    else if (format == "Q") values<std::uint64_t>(in, out, order, count, as_array);
    else if (format == "f") values<float>(in, out, order, count, as_array);
    else if (format == "d") values<double>(in, out, order, count, as_array);
    else if (format == "u32") varints<std::uint32_t>(in, out, count);
    else if (format == "s32") varints<std::int32_t>(in, out, count);
    else if (format == "u64") varints<std::uint64_t>(in, out, count);
    else if (format == "s64") varints<std::int64_t>(in, out, count);
    else {
      std::cerr << "unknown format " << format << '\n';
      return 2;
    }
  }
  // The stream must be at its end: every byte Python wrote was read.
  std::error_code ec;
  (void)io::read_value<std::uint8_t>(in, ec);
  std::cout << (ec == io::errc::unexpected_eof ? "end" : "bytes left") << '\n';
  out.close();
  return 0;
}

// What as_span makes of the records: "span N in-place" when it views the mapping itself and agrees
// with the decoded records, "span-error <code>" when it refuses (both ways alike), else what differs.
template <class Records>
std::string in_place(const Records& records, std::span<const std::byte> bytes) {
  std::error_code ec;
  const std::span<const sample> with_code = records.as_span(ec);
  try {
    const std::span<const sample> span = records.as_span();
    if (ec) return "span only with an exception";
    if (span.data() != with_code.data() || span.size() != records.size()) return "span differs both ways";
    if (!span.empty() && static_cast<const void*>(span.data()) != static_cast<const void*>(bytes.data()))
      return "span is a copy";
    for (std::size_t i = 0; i < span.size(); ++i) {
      const sample decoded = records[i];
      if (std::memcmp(&span[i], &decoded, sizeof(sample)) != 0) return "span disagrees with the records";
    }
    return "span " + std::to_string(span.size()) + (span.empty() ? "" : " in-place");
  } catch (const io::io_error& e) {
    if (e.code() != ec || !with_code.empty()) return "span error differs both ways";
    return std::string("span-error ") + (ec == io::errc::misaligned          ? "misaligned"
                                         : ec == io::errc::invalid_argument ? "invalid_argument"
                                                                            : "other");
  }
}

int run_records(const char* path, const std::string& order_text, std::size_t offset) {
  const std::endian order = order_text == "<" ? std::endian::little : std::endian::big;
  io::mapped_file map(path);
  const std::span<const std::byte> bytes = map.bytes().subspan(offset);
  std::error_code ec;
  auto with_code = io::views::records<sample>(bytes, order, ec);
  try {
    auto records = io::views::records<sample>(bytes, order);
    for (const sample s : records)
      std::cout << s.id << ' ' << s.count << ' ' << std::bit_cast<std::uint64_t>(s.weight) << '\n';
    // Random access from the back agrees with the walk from the front.
    for (std::size_t i = records.size(); i-- > 0;)
      if (records[i].id != with_code[i].id) std::cout << "mismatch\n";
    std::cout << in_place(records, bytes) << '\n';
  } catch (const io::io_error& e) {
    std::cout << "error " << (e.code() == io::errc::unexpected_eof ? "unexpected_eof" : "other") << ' '
              << (ec == io::errc::unexpected_eof && with_code.empty() ? "ec" : "no-ec") << '\n';
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "values" && argc == 5) return run_values(argv[2], argv[3], argv[4]);
    if (mode == "records" && argc == 5) return run_records(argv[2], argv[3], std::stoul(argv[4]));
    std::cerr << "usage: binary_replay values SPEC DATA OUT | records FILE ORDER OFFSET\n";
    return 2;
  } catch (const std::exception& e) {
    std::cout << "exception " << e.what() << '\n';
    return 1;
  }
}
