// io.file:copy — copy_file_range and sendfile, with read/write as the last resort.
module;
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <system_error>

#include <sys/sendfile.h>
#include <unistd.h>
module io.file;

namespace io {
namespace {

// The most one kernel call is asked to move; the loop goes on until the source ends.
constexpr std::size_t kernel_chunk = std::size_t{1} << 30;

// Whether a kernel copy call failed because it cannot serve this pair of files at all, so that
// the next method should be tried (only before any byte was copied).
bool unsupported(int error) noexcept {
  return error == EXDEV || error == EINVAL || error == ENOSYS || error == EOPNOTSUPP || error == EBADF ||
         error == ETXTBSY || error == EPERM;
}

enum class outcome { done, unsupported, failed };

// Runs `call` (copy_file_range or sendfile) until the source ends; counts into `total`.
template <class Call>
outcome kernel_copy(Call call, std::uint64_t& total, std::error_code& ec) noexcept {
  const std::uint64_t start = total;
  for (;;) {
    const ssize_t n = call();
    if (n > 0) {
      total += static_cast<std::uint64_t>(n);
      continue;
    }
    // Some virtual files (procfs, sysfs) report 0 at once though they have bytes: let the next
    // method find out.
    if (n == 0) return total == start ? outcome::unsupported : outcome::done;
    if (errno == EINTR) continue;
    if (total == start && unsupported(errno)) return outcome::unsupported;
    ec = {errno, std::system_category()};
    return outcome::failed;
  }
}

// read and write through a buffer, for the files the kernel cannot copy between (pipes, some
// file systems). After a write that fails midway, `from` goes back to right after the bytes that
// reached `to` when it can seek, as the kernel calls leave it.
std::uint64_t read_write(file& from, file& to, std::error_code& ec) noexcept {
  constexpr std::size_t size = 128 * 1024;
  detail::aligned_buffer buffer;
  try {
    buffer = detail::make_aligned_buffer(size);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return 0;
  }
  std::uint64_t total = 0;
  for (;;) {
    const std::size_t n = from.read(std::span(buffer.get(), size), ec);
    if (ec || n == 0) return total;
    for (std::size_t done = 0; done < n;) {
      done += to.write_some(std::span<const std::byte>(buffer.get() + done, n - done), ec);
      if (ec) {
        std::error_code ignored; // a pipe cannot seek: the bytes read but not written are gone
        from.seek(-static_cast<std::int64_t>(n - done), whence::current, ignored);
        return total + done;
      }
    }
    total += n;
  }
}

} // namespace

std::uint64_t copy(file& from, file& to, std::error_code& ec) noexcept {
  ec.clear();
  if (!from.is_open() || !to.is_open()) ec = errc::closed;
  else if (!from.readable()) ec = errc::not_readable;
  else if (!to.writable()) ec = errc::not_writable;
  if (ec) return 0;
  const int in = from.native_handle();
  const int out = to.native_handle();
  std::uint64_t total = 0;
  // copy_file_range refuses a destination opened for appending (EBADF): sendfile takes it.
  if (!has(to.flags(), open_flags::append)) {
    switch (kernel_copy([&] { return ::copy_file_range(in, nullptr, out, nullptr, kernel_chunk, 0); }, total, ec)) {
    case outcome::done: return total;
    case outcome::failed: return total;
    case outcome::unsupported: break;
    }
  }
  switch (kernel_copy([&] { return ::sendfile(out, in, nullptr, kernel_chunk); }, total, ec)) {
  case outcome::done: return total;
  case outcome::failed: return total;
  case outcome::unsupported: break;
  }
  return total + read_write(from, to, ec);
}

std::uint64_t copy(file& from, file& to) {
  std::error_code ec;
  const std::uint64_t n = copy(from, to, ec);
  if (ec) throw io_error(ec, "copy '" + from.path() + "' to {}", to.path());
  return n;
}

std::uint64_t copy(buffered_file& from, buffered_file& to, std::error_code& ec) noexcept {
  ec.clear();
  // Settle both ends so the files' positions are the callers': the reader gives back its
  // read-ahead (a relative seek by 0), the writer writes out.
  from.seek(0, whence::current, ec);
  if (ec == errc::not_seekable) return io::copy<buffered_file, buffered_file>(from, to, ec); // a pipe: no kernel path
  if (ec) return 0;
  to.flush(ec);
  if (ec) return 0;
  return copy(from.inner(), to.inner(), ec);
}

std::uint64_t copy(buffered_file& from, buffered_file& to) {
  std::error_code ec;
  const std::uint64_t n = copy(from, to, ec);
  if (ec) throw io_error(ec, "copy '" + from.inner().path() + "' to {}", to.inner().path());
  return n;
}

} // namespace io
