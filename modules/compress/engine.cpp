// io.compress:engine — the calls into zlib, ISA-L, libzstd, liblzma and libbz2.
module;
#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <system_error>
module io.compress;

namespace io::detail {

// One live library stream; `encoding` tells which end of it (deflate or inflate, ...) it holds.
struct codec_state {
  codec kind = codec::none;
  bool encoding = false;
  z_stream z{};
  // gzip is decoded with ISA-L's igzip (several times faster than zlib's inflate), encoded with zlib.
  std::unique_ptr<inflate_state> gunzip;
  ZSTD_DCtx* zstd_in = nullptr;
  ZSTD_CCtx* zstd_out = nullptr;
  lzma_stream lzma = LZMA_STREAM_INIT;
  bz_stream bz{};
  bool live = false; // the library stream needs its end call
  int level = 0;      // the encoder's, for a bzip2 stream restarted by a flush
  bool written = false; // a bzip2 encoder took input since it started

  ~codec_state() { end(); }

  void end() noexcept {
    if (!live) return;
    live = false;
    switch (kind) {
    case codec::gzip:
      if (encoding) deflateEnd(&z);
      break;
    case codec::zlib:
      if (encoding) deflateEnd(&z);
      else inflateEnd(&z);
      break;
    case codec::zstd:
      ZSTD_freeDCtx(zstd_in);
      ZSTD_freeCCtx(zstd_out);
      zstd_in = nullptr;
      zstd_out = nullptr;
      break;
    case codec::xz: lzma_end(&lzma); break;
    case codec::bzip2:
      if (encoding) BZ2_bzCompressEnd(&bz);
      else BZ2_bzDecompressEnd(&bz);
      break;
    case codec::none: break;
    }
  }
};

void codec_state_delete::operator()(codec_state* state) const noexcept { delete state; }

namespace {

// The libraries count in unsigned int (zlib, bzip2): one call takes at most this many bytes.
constexpr std::size_t max_chunk = std::size_t{1} << 30;

std::error_code out_of_memory() noexcept { return std::make_error_code(std::errc::not_enough_memory); }

std::error_code zlib_error(int rc) noexcept {
  if (rc == Z_MEM_ERROR) return out_of_memory();
  return errc::corrupt_data;
}

std::error_code lzma_error(lzma_ret rc) noexcept {
  if (rc == LZMA_MEM_ERROR || rc == LZMA_MEMLIMIT_ERROR) return out_of_memory();
  if (rc == LZMA_OPTIONS_ERROR || rc == LZMA_UNSUPPORTED_CHECK) return errc::invalid_argument;
  return errc::corrupt_data;
}

std::error_code bzip2_error(int rc) noexcept {
  if (rc == BZ_MEM_ERROR) return out_of_memory();
  if (rc == BZ_PARAM_ERROR || rc == BZ_CONFIG_ERROR) return errc::invalid_argument;
  return errc::corrupt_data;
}

std::error_code zstd_error(std::size_t rc) noexcept {
  if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation) return out_of_memory();
  if (ZSTD_getErrorCode(rc) == ZSTD_error_parameter_outOfBound) return errc::invalid_argument;
  return errc::corrupt_data;
}

// zlib's window bits: 15 for a zlib stream, 15 + 16 for gzip only (multi-member files restart
// at each member, after io has checked its magic).
int window_bits(codec c) noexcept { return c == codec::gzip ? 15 + 16 : 15; }

// A fresh state, or the existing one when it holds the same kind of stream (reset by the caller).
codec_state* prepare(std::unique_ptr<codec_state, codec_state_delete>& state, codec c, bool encoding) noexcept {
  if (state && (state->kind != c || state->encoding != encoding)) state.reset();
  if (!state) {
    state.reset(new (std::nothrow) codec_state);
    if (!state) return nullptr;
    state->kind = c;
    state->encoding = encoding;
  }
  return state.get();
}

} // namespace

std::error_code decoder::start(codec c) noexcept {
  codec_state* s = prepare(state_, c, false);
  if (!s) return out_of_memory();
  switch (c) {
  case codec::gzip:
    if (!s->gunzip) {
      // Zeroed: on a distance that reaches before the start of the data, ISA-L copies from its
      // window without checking, and an uninitialized window would put heap garbage in the output
      // (different from run to run) before the checksum reports the error.
      s->gunzip.reset(new (std::nothrow) inflate_state{});
      if (!s->gunzip) return out_of_memory();
    }
    isal_inflate_init(s->gunzip.get());
    s->gunzip->crc_flag = ISAL_GZIP; // the header parsed, the CRC-32 and length checked
    break;
  case codec::zlib: {
    const int rc = s->live ? inflateReset(&s->z) : inflateInit2(&s->z, window_bits(c));
    if (rc != Z_OK) return zlib_error(rc);
    break;
  }
  case codec::zstd:
    if (!s->live) {
      s->zstd_in = ZSTD_createDCtx();
      if (!s->zstd_in) return out_of_memory();
    } else {
      ZSTD_DCtx_reset(s->zstd_in, ZSTD_reset_session_only);
    }
    break;
  case codec::xz: {
    s->end();
    s->lzma = LZMA_STREAM_INIT;
    // LZMA_CONCATENATED: every stream of a multi-stream file (`cat a.xz b.xz`), and the stream
    // padding between them, as the xz tool reads them.
    const lzma_ret rc = lzma_stream_decoder(&s->lzma, UINT64_MAX, LZMA_CONCATENATED);
    if (rc != LZMA_OK) return lzma_error(rc);
    break;
  }
  case codec::bzip2: {
    s->end();
    s->bz = bz_stream{};
    const int rc = BZ2_bzDecompressInit(&s->bz, 0, 0);
    if (rc != BZ_OK) return bzip2_error(rc);
    break;
  }
  case codec::none: return errc::invalid_argument;
  }
  s->live = true;
  return {};
}

codec_step decoder::run(std::span<const std::byte> in, std::span<std::byte> out, bool input_ends) noexcept {
  codec_step step;
  codec_state* s = state_.get();
  if (!s || !s->live) {
    step.error = errc::invalid_argument;
    return step;
  }
  in = in.first(std::min(in.size(), max_chunk));
  out = out.first(std::min(out.size(), max_chunk));
  switch (s->kind) {
  case codec::gzip: {
    inflate_state& g = *s->gunzip;
    g.next_in = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(in.data()));
    g.avail_in = static_cast<std::uint32_t>(in.size());
    g.next_out = reinterpret_cast<std::uint8_t*>(out.data());
    g.avail_out = static_cast<std::uint32_t>(out.size());
    const int rc = isal_inflate(&g);
    step.consumed = in.size() - g.avail_in;
    step.produced = out.size() - g.avail_out;
    // A negative code is corrupt data (a bad header, block, symbol, distance or check); a
    // dictionary is never given. At the end of a member ISA-L gives back the bytes after it.
    if (rc < 0 || rc == ISAL_NEED_DICT) step.error = errc::corrupt_data;
    else if (g.block_state == ISAL_BLOCK_FINISH) step.done = true;
    break;
  }
  case codec::zlib: {
    s->z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    s->z.avail_in = static_cast<uInt>(in.size());
    s->z.next_out = reinterpret_cast<Bytef*>(out.data());
    s->z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&s->z, Z_NO_FLUSH);
    step.consumed = in.size() - s->z.avail_in;
    step.produced = out.size() - s->z.avail_out;
    if (rc == Z_STREAM_END) step.done = true;
    // Z_BUF_ERROR only says no progress was possible with these buffers: the caller decides.
    else if (rc == Z_NEED_DICT) step.error = errc::corrupt_data; // a preset dictionary nobody gave
    else if (rc != Z_OK && rc != Z_BUF_ERROR) step.error = zlib_error(rc);
    break;
  }
  case codec::zstd: {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(s->zstd_in, &output, &input);
    step.consumed = input.pos;
    step.produced = output.pos;
    if (ZSTD_isError(rc)) step.error = zstd_error(rc);
    // 0: a frame is complete and all of it is out; the next call starts the next frame.
    else if (rc == 0) step.done = true;
    break;
  }
  case codec::xz: {
    s->lzma.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    s->lzma.avail_in = in.size();
    s->lzma.next_out = reinterpret_cast<std::uint8_t*>(out.data());
    s->lzma.avail_out = out.size();
    const lzma_ret rc = lzma_code(&s->lzma, input_ends ? LZMA_FINISH : LZMA_RUN);
    step.consumed = in.size() - s->lzma.avail_in;
    step.produced = out.size() - s->lzma.avail_out;
    if (rc == LZMA_STREAM_END) step.done = true;
    else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) step.error = lzma_error(rc);
    break;
  }
  case codec::bzip2: {
    s->bz.next_in = reinterpret_cast<char*>(const_cast<std::byte*>(in.data()));
    s->bz.avail_in = static_cast<unsigned>(in.size());
    s->bz.next_out = reinterpret_cast<char*>(out.data());
    s->bz.avail_out = static_cast<unsigned>(out.size());
    const int rc = BZ2_bzDecompress(&s->bz);
    step.consumed = in.size() - s->bz.avail_in;
    step.produced = out.size() - s->bz.avail_out;
    if (rc == BZ_STREAM_END) step.done = true;
    else if (rc != BZ_OK) step.error = bzip2_error(rc);
    break;
  }
  case codec::none: step.error = errc::invalid_argument; break;
  }
  return step;
}

std::error_code encoder::start(codec c, int level) noexcept {
  if (c == codec::none || level < min_level(c) || level > max_level(c)) return errc::invalid_argument;
  state_.reset();
  codec_state* s = prepare(state_, c, true);
  if (!s) return out_of_memory();
  std::error_code error;
  switch (c) {
  case codec::gzip:
  case codec::zlib: {
    const int rc = deflateInit2(&s->z, level, Z_DEFLATED, window_bits(c), 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) error = zlib_error(rc);
    break;
  }
  case codec::zstd: {
    s->zstd_out = ZSTD_createCCtx();
    if (!s->zstd_out) {
      error = out_of_memory();
      break;
    }
    s->live = true;
    // The zstd tool writes a checksum by default; so does io, so that corruption is detected.
    std::size_t rc = ZSTD_CCtx_setParameter(s->zstd_out, ZSTD_c_compressionLevel, level);
    if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(s->zstd_out, ZSTD_c_checksumFlag, 1);
    if (ZSTD_isError(rc)) error = zstd_error(rc);
    break;
  }
  case codec::xz: {
    // CRC64, the xz tool's default check.
    const lzma_ret rc = lzma_easy_encoder(&s->lzma, static_cast<std::uint32_t>(level), LZMA_CHECK_CRC64);
    if (rc != LZMA_OK) error = lzma_error(rc);
    break;
  }
  case codec::bzip2: {
    const int rc = BZ2_bzCompressInit(&s->bz, level, 0, 0);
    if (rc != BZ_OK) error = bzip2_error(rc);
    s->level = level;
    break;
  }
  case codec::none: break;
  }
  if (error) {
    state_.reset();
    return error;
  }
  s->live = true;
  return {};
}

codec_step encoder::run(std::span<const std::byte> in, std::span<std::byte> out, encode_action action) noexcept {
  codec_step step;
  codec_state* s = state_.get();
  if (!s || !s->live) {
    step.error = errc::closed;
    return step;
  }
  in = in.first(std::min(in.size(), max_chunk));
  out = out.first(std::min(out.size(), max_chunk));
  switch (s->kind) {
  case codec::gzip:
  case codec::zlib: {
    s->z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    s->z.avail_in = static_cast<uInt>(in.size());
    s->z.next_out = reinterpret_cast<Bytef*>(out.data());
    s->z.avail_out = static_cast<uInt>(out.size());
    const int flush = action == encode_action::run ? Z_NO_FLUSH : action == encode_action::flush ? Z_SYNC_FLUSH : Z_FINISH;
    const int rc = deflate(&s->z, flush);
    step.consumed = in.size() - s->z.avail_in;
    step.produced = out.size() - s->z.avail_out;
    if (rc == Z_STREAM_ERROR) step.error = errc::corrupt_data;
    else if (action == encode_action::finish) step.done = rc == Z_STREAM_END;
    // A flush is complete when deflate had room left after taking all the input; Z_BUF_ERROR
    // means there was nothing left to do.
    else step.done = s->z.avail_in == 0 && (s->z.avail_out != 0 || rc == Z_BUF_ERROR);
    break;
  }
  case codec::zstd: {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    const ZSTD_EndDirective directive = action == encode_action::run     ? ZSTD_e_continue
                                        : action == encode_action::flush ? ZSTD_e_flush
                                                                         : ZSTD_e_end;
    const std::size_t rc = ZSTD_compressStream2(s->zstd_out, &output, &input, directive);
    step.consumed = input.pos;
    step.produced = output.pos;
    if (ZSTD_isError(rc)) step.error = zstd_error(rc);
    else if (action == encode_action::run) step.done = input.pos == input.size;
    else step.done = rc == 0 && input.pos == input.size;
    break;
  }
  case codec::xz: {
    s->lzma.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    s->lzma.avail_in = in.size();
    s->lzma.next_out = reinterpret_cast<std::uint8_t*>(out.data());
    s->lzma.avail_out = out.size();
    const lzma_action a = action == encode_action::run ? LZMA_RUN : action == encode_action::flush ? LZMA_SYNC_FLUSH : LZMA_FINISH;
    const lzma_ret rc = lzma_code(&s->lzma, a);
    step.consumed = in.size() - s->lzma.avail_in;
    step.produced = out.size() - s->lzma.avail_out;
    if (rc == LZMA_STREAM_END) step.done = true;
    else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) step.error = lzma_error(rc);
    else if (action == encode_action::run) step.done = s->lzma.avail_in == 0;
    break;
  }
  case codec::bzip2: {
    // A bzip2 block ends on any bit, so BZ_FLUSH leaves its last bits in the encoder: a flush
    // ends the stream instead and starts the next one (a multi-stream file, which bzip2 reads),
    // unless nothing was written since the last one.
    if (action == encode_action::flush && !s->written) {
      step.done = true;
      break;
    }
    s->bz.next_in = reinterpret_cast<char*>(const_cast<std::byte*>(in.data()));
    s->bz.avail_in = static_cast<unsigned>(in.size());
    s->bz.next_out = reinterpret_cast<char*>(out.data());
    s->bz.avail_out = static_cast<unsigned>(out.size());
    const int a = action == encode_action::run ? BZ_RUN : BZ_FINISH;
    const int rc = BZ2_bzCompress(&s->bz, a);
    step.consumed = in.size() - s->bz.avail_in;
    step.produced = out.size() - s->bz.avail_out;
    if (step.consumed != 0) s->written = true;
    if (rc == BZ_STREAM_END) {
      step.done = true;
      if (action == encode_action::flush) {
        BZ2_bzCompressEnd(&s->bz);
        s->bz = bz_stream{};
        s->written = false;
        const int restarted = BZ2_bzCompressInit(&s->bz, s->level, 0, 0);
        if (restarted != BZ_OK) {
          s->live = false;
          step.error = bzip2_error(restarted);
        }
      }
    } else if (rc == BZ_RUN_OK) {
      step.done = action == encode_action::run && s->bz.avail_in == 0;
    } else if (rc != BZ_FINISH_OK) {
      step.error = bzip2_error(rc);
    }
    break;
  }
  case codec::none: step.error = errc::invalid_argument; break;
  }
  // After the trailer the stream is over: a later write reports errc::closed.
  if (action == encode_action::finish && step.done) s->end();
  return step;
}

} // namespace io::detail
