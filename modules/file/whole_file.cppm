// io.file:whole_file — a whole file read into memory or written from it in one call.
module;
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
export module io.file:whole_file;
import io.core;
import :handle;

export namespace io {

/// The tag that asks write_file to replace the file atomically: `io::write_file(p, bytes, io::atomic)`.
struct atomic_t {
  explicit atomic_t() = default;
};

/// Asks write_file to go through io::atomic_file: readers and a crash see the old file or the new
/// one, and on failure the target is untouched.
inline constexpr atomic_t atomic{};

} // namespace io

// Exported only because io.file's templates call them: not part of the API.
namespace io::detail {

// Writes `bytes` to `path` ("w"), or atomically; errors name the path.
void write_whole_file(const std::filesystem::path& path, std::span<const std::byte> bytes);
void write_whole_file(const std::filesystem::path& path, std::span<const std::byte> bytes,
                      std::error_code& ec) noexcept;
void write_whole_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes);
void write_whole_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes,
                                 std::error_code& ec) noexcept;

template <class Sink>
file open_for_reading(const std::filesystem::path& path, Sink& sink) {
  if constexpr (std::is_same_v<Sink, throw_errors>) return file(path, "r");
  else return file(path, "r", sink);
}

// Reads all of `path` into `out` (emptied first): sized once from the file's size when it has one,
// then read on until the end, so that a file that grew, a /proc file (size 0) or a pipe comes whole.
template <class C, class Sink>
void read_whole_file(const std::filesystem::path& path, C& out, Sink& sink) {
  out.clear();
  file f = open_for_reading(path, sink);
  if (failed(sink)) return;
  std::error_code size_ec;
  const std::uint64_t size = f.size(size_ec); // no size is no error: the file is read to its end
  if (!size_ec && size > 0) {
    if (size > out.max_size()) return report(sink, std::make_error_code(std::errc::file_too_large), "read", f.path());
    out.resize(static_cast<std::size_t>(size));
    const std::size_t got = read_until_full(f, io::as_writable_bytes(out), sink);
    if (failed(sink)) return out.clear();
    if (got < out.size()) return out.resize(got); // the file shrank: what there was is all
    // One small read to see the end, so that a file read whole is not regrown for nothing.
    std::array<std::byte, 512> probe;
    const std::size_t more = detail::read(f, std::span(probe), sink);
    if (failed(sink)) return out.clear();
    if (more == 0) return;
    append(out, std::span<const std::byte>(probe.data(), more));
  }
  read_all_into(f, out, sink);
  if (failed(sink)) out.clear();
}

} // namespace io::detail

export namespace io {

/// The whole contents of the file at `path`, as a std::string or any byte_container
/// (`io::read_file<std::vector<std::byte>>(path)`); Python's `Path.read_bytes()`. Works for files
/// whose size is unknown too (/proc files, pipes). Errors name the path.
template <byte_container C = std::string>
C read_file(const std::filesystem::path& path) {
  C out;
  detail::throw_errors sink;
  detail::read_whole_file(path, out, sink);
  return out;
}

/// As read_file<C>(path), reporting errors through `ec` (and returning an empty container).
template <byte_container C = std::string>
C read_file(const std::filesystem::path& path, std::error_code& ec) noexcept {
  ec.clear();
  C out;
  detail::capture(ec, [&] {
    detail::read_whole_file(path, out, ec);
    return 0;
  });
  if (ec) out.clear();
  return out;
}

/// Creates or empties the file at `path` and writes all of `bytes` (any bytes_like) into it;
/// Python's `Path.write_bytes()`. After a failure the file may hold part of the bytes: pass
/// io::atomic to keep the old contents instead. Errors name the path.
template <class B>
  requires bytes_like<B>
void write_file(const std::filesystem::path& path, B&& bytes) {
  detail::write_whole_file(path, io::as_bytes(bytes));
}

/// As write_file(path, bytes), reporting errors through `ec`.
template <class B>
  requires bytes_like<B>
void write_file(const std::filesystem::path& path, B&& bytes, std::error_code& ec) noexcept {
  detail::write_whole_file(path, io::as_bytes(bytes), ec);
}

/// Replaces the file at `path` with `bytes` through io::atomic_file: readers and a crash see the
/// whole old file or the whole new one, and after a failure the target is untouched.
template <class B>
  requires bytes_like<B>
void write_file(const std::filesystem::path& path, B&& bytes, atomic_t) {
  detail::write_whole_file_atomically(path, io::as_bytes(bytes));
}

/// As write_file(path, bytes, io::atomic), reporting errors through `ec`.
template <class B>
  requires bytes_like<B>
void write_file(const std::filesystem::path& path, B&& bytes, atomic_t, std::error_code& ec) noexcept {
  detail::write_whole_file_atomically(path, io::as_bytes(bytes), ec);
}

} // namespace io
