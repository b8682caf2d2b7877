// io.compress:engine — one decoder and one encoder over the codec libraries, behind an opaque
// state so that the zlib, zstd, lzma and bzip2 headers stay in engine.cpp.
module;
#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <utility>
export module io.compress:engine;
import :codec;

// Exported only because io.compress's adapters are templates instantiated by users: io::detail
// is not part of the API.
export namespace io::detail {

// What one call of a codec did: input bytes it took, output bytes it wrote, whether a member
// (decoding) or the asked flush or finish (encoding) is complete, and the error if it failed.
struct codec_step {
  std::size_t consumed = 0;
  std::size_t produced = 0;
  bool done = false;
  std::error_code error;
};

struct codec_state;
struct codec_state_delete {
  void operator()(codec_state* state) const noexcept;
};

// Decodes one member (a gzip member, a zlib stream, a bzip2 stream) at a time; zstd frames and xz
// streams follow each other within one member, which ends only at the end of the input.
class decoder {
public:
  decoder() noexcept = default;
  // Starts (or restarts, for the next member) decoding `c`; errors: std::errc::not_enough_memory.
  std::error_code start(codec c) noexcept;
  // Decodes from `in` into `out`; `input_ends` says no input follows `in`. Errors:
  // errc::corrupt_data, std::errc::not_enough_memory.
  codec_step run(std::span<const std::byte> in, std::span<std::byte> out, bool input_ends) noexcept;

private:
  std::unique_ptr<codec_state, codec_state_delete> state_;
};

// What an encoder call should do with the data it holds besides taking input.
enum class encode_action { run, flush, finish };

// Encodes one member; finish writes its trailer.
class encoder {
public:
  encoder() noexcept = default;
  // Starts encoding `c` at `level`; errors: errc::invalid_argument for a level outside
  // [min_level(c), max_level(c)], std::errc::not_enough_memory.
  std::error_code start(codec c, int level) noexcept;
  // Takes input from `in` and writes into `out`; `done` tells the action is complete (run: all
  // input taken; flush: everything so far is out; finish: the trailer is out).
  codec_step run(std::span<const std::byte> in, std::span<std::byte> out, encode_action action) noexcept;
  // Whether start() succeeded and the encoder holds a stream.
  explicit operator bool() const noexcept { return static_cast<bool>(state_); }

private:
  std::unique_ptr<codec_state, codec_state_delete> state_;
};

} // namespace io::detail
