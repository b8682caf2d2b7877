// io.file:standard_streams — the three standard descriptors, wrapped once and never closed; the
// buffer of standard output and its flush at exit.
module;
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <system_error>

#include <unistd.h>
module io.file;

namespace io {

namespace {

file& raw_input() noexcept {
  static file stream = file::from_native(0, open_flags::read, "<stdin>", false);
  return stream;
}
file& raw_output() noexcept {
  static file stream = file::from_native(1, open_flags::write, "<stdout>", false);
  return stream;
}
file& raw_error() noexcept {
  static file stream = file::from_native(2, open_flags::write, "<stderr>", false);
  return stream;
}

// Standard output once made: what a read of standard input writes out, without making it.
std::atomic<standard_writer*> output_made{nullptr};

// Runs at exit (std::atexit): writes out standard output's buffer; a failure is reported on
// standard error and ends the process with status 120, as CPython does when it cannot flush
// sys.stdout at exit. C's streams are flushed first so that their text is not lost with it.
void flush_at_exit() noexcept {
  standard_writer& out = *output_made.load();
  if (out.closed()) return;
  std::error_code ec;
  out.flush(ec);
  // Static destructors that run after this handler write out at once.
  out.set_mode(buffering::none);
  if (!ec) return;
  const std::string message = std::string("io: ") + io_error(ec, "flush", out.path()).what() + "\n";
  std::error_code ignored;
  raw_error().write(std::as_bytes(std::span(message.data(), message.size())), ignored);
  std::fflush(nullptr);
  ::_exit(120);
}

} // namespace

standard_writer::standard_writer(file& raw, buffering mode, std::size_t capacity)
    : writer_(raw, capacity), mode_(mode) {}

standard_writer::~standard_writer() {
  if (closed_) return;
  std::error_code ignored;
  writer_.flush(ignored);
}

bool standard_writer::writes_out(std::span<const std::byte> bytes) const noexcept {
  if (mode_ == buffering::none) return true;
  return mode_ == buffering::line && !bytes.empty() && std::memchr(bytes.data(), '\n', bytes.size()) != nullptr;
}

void standard_writer::write(std::span<const std::byte> bytes) {
  if (closed_) throw io_error(errc::closed, "write", path());
  writer_.write(bytes);
  if (writes_out(bytes)) writer_.flush();
}

void standard_writer::write(std::span<const std::byte> bytes, std::error_code& ec) noexcept {
  if (closed_) {
    ec = errc::closed;
    return;
  }
  writer_.write(bytes, ec);
  if (!ec && writes_out(bytes)) writer_.flush(ec);
}

void standard_writer::flush() {
  std::error_code ec;
  flush(ec);
  throw_if_error(ec, "flush", path());
}

void standard_writer::flush(std::error_code& ec) noexcept {
  if (closed_) {
    ec = errc::closed;
    return;
  }
  writer_.flush(ec);
}

void standard_writer::close() {
  std::error_code ec;
  close(ec);
  throw_if_error(ec, "close", path());
}

void standard_writer::close(std::error_code& ec) noexcept {
  ec.clear();
  if (closed_) return;
  // Not the writer's close(), which would close the descriptor: io never does. Bytes a failed
  // flush left in the buffer stay there unwritten; their error is the one reported here.
  writer_.flush(ec);
  closed_ = true;
}

void standard_writer::commit(std::size_t n) {
  const std::span<const std::byte> bytes = writer_.spare().first(n);
  writer_.commit(n);
  if (writes_out(bytes)) writer_.flush();
}

void standard_writer::commit(std::size_t n, std::error_code& ec) noexcept {
  ec.clear();
  const std::span<const std::byte> bytes = writer_.spare().first(n);
  writer_.commit(n);
  if (writes_out(bytes)) writer_.flush(ec);
}

std::size_t standard_reader::read(std::span<std::byte> buffer) {
  if (standard_writer* out = output_made.load(std::memory_order_acquire)) {
    std::error_code ignored; // the bytes stay buffered, and their error comes back at the next flush
    out->flush(ignored);
  }
  return raw_->read(buffer);
}

std::size_t standard_reader::read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
  if (standard_writer* out = output_made.load(std::memory_order_acquire)) {
    std::error_code ignored;
    out->flush(ignored);
  }
  return raw_->read(buffer, ec);
}

standard_reader& standard_input() noexcept {
  static standard_reader stream(raw_input());
  return stream;
}

standard_writer& standard_output() noexcept {
  // Never destroyed: code that runs after the exit handler (a static destructor) may still write.
  static standard_writer* const stream = [] {
    auto* made = new standard_writer(raw_output(), ::isatty(1) == 1 ? buffering::line : buffering::full,
                                     64 * 1024);
    output_made.store(made, std::memory_order_release);
    std::atexit(flush_at_exit);
    return made;
  }();
  return *stream;
}

standard_writer& standard_error() noexcept {
  static standard_writer* const stream = new standard_writer(raw_error(), buffering::none, 4096);
  return *stream;
}

bool is_terminal(const file& f) noexcept { return f.native_handle() >= 0 && ::isatty(f.native_handle()) == 1; }

bool is_terminal(standard_writer& s) noexcept { return is_terminal(s.raw()); }

bool is_terminal(standard_reader& s) noexcept { return is_terminal(s.raw()); }

} // namespace io
