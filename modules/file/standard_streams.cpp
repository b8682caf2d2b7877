// io.file:standard_streams — the three standard descriptors, wrapped once and never closed.
module io.file;

namespace io {

file& standard_input() noexcept {
  static file stream = file::from_native(0, open_flags::read, "<stdin>", false);
  return stream;
}

file& standard_output() noexcept {
  static file stream = file::from_native(1, open_flags::write, "<stdout>", false);
  return stream;
}

file& standard_error() noexcept {
  static file stream = file::from_native(2, open_flags::write, "<stderr>", false);
  return stream;
}

} // namespace io
