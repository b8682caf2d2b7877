// io.file:copy — io::copy between files through the kernel, without a trip through user space.
module;
#include <cstdint>
#include <system_error>
export module io.file:copy;
import io.core;
import :handle;
import :open;

export namespace io {

/// Copies the rest of `from` into `to` from their positions, inside the kernel (copy_file_range,
/// else sendfile, else read and write); returns the bytes copied. Both positions move past them.
std::uint64_t copy(file& from, file& to);
/// As copy(from, to), reporting errors through `ec`; after an error returns exactly the bytes that
/// reached `to`, and a seekable `from` stands right after them.
std::uint64_t copy(file& from, file& to, std::error_code& ec) noexcept;

/// Copies the rest of `from` into `to` between buffered files: what is buffered goes first, the
/// rest through the kernel as for io::file.
std::uint64_t copy(buffered_file& from, buffered_file& to);
/// As copy(from, to), reporting errors through `ec`; after an error returns exactly the bytes that
/// reached `to` (into its buffer or its file).
std::uint64_t copy(buffered_file& from, buffered_file& to, std::error_code& ec) noexcept;

} // namespace io
