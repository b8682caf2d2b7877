// io.core:error — the error model: io::errc, its category, and io::io_error with path and operation.
module;
#include <string>
#include <string_view>
#include <system_error>
export module io.core:error;

export namespace io {

/// Errors that io itself detects (system errors keep their std::errc / errno values).
enum class errc {
  closed = 1,       ///< the stream was closed
  unexpected_eof,   ///< the stream ended before the requested bytes were read
  not_readable,     ///< the stream was not opened for reading
  not_writable,     ///< the stream was not opened for writing
  not_seekable,     ///< the stream does not support seeking
  invalid_argument, ///< an argument is out of range (a negative position, a bad mode)
  no_buffer_space,  ///< a fixed-capacity buffer cannot hold the data
  not_durable,      ///< a commit replaced the file, but syncing its directory failed: a crash may undo it
  line_too_long,    ///< a line (or token) is longer than the maximum length asked for
  not_mappable,     ///< the file cannot be memory-mapped: not a regular file, or its size is unknown
  misaligned,       ///< bytes do not start at an address aligned for the type they are to be viewed as
  corrupt_data,     ///< compressed data is corrupt: a bad header, block or checksum
  trailing_garbage, ///< bytes that are no compressed data follow a complete compressed stream
  invalid_text,     ///< bytes that are not valid in the text's encoding (errors=strict)
  unknown_encoding, ///< an encoding name that neither io nor iconv knows
  unencodable,      ///< a character the target encoding cannot represent (errors=strict)
};

/// The error category of io::errc, named "io".
const std::error_category& io_category() noexcept;

/// Makes a std::error_code in io's category; found by ADL for `ec = io::errc::closed`.
std::error_code make_error_code(errc e) noexcept;

/// The exception every fallible io operation throws: a std::system_error that names the operation
/// and, when there is one, the path ("cannot open 'x.bin' for reading: No such file or directory").
class io_error : public std::system_error {
public:
  /// `operation` is a verb phrase ("read", "open for reading"); the quoted path goes after its
  /// verb, or where the phrase says "{}" ("create a temporary file for {}").
  io_error(std::error_code ec, std::string_view operation, std::string_view path = {});

  /// The operation that failed, as given to the constructor.
  const std::string& operation() const noexcept { return operation_; }
  /// The path of the stream that failed, empty when the stream has none.
  const std::string& path() const noexcept { return path_; }

private:
  std::string operation_;
  std::string path_;
};

/// Throws io_error(ec, operation, path) when `ec` holds an error.
inline void throw_if_error(const std::error_code& ec, std::string_view operation,
                           std::string_view path = {}) {
  if (ec) throw io_error(ec, operation, path);
}

} // namespace io

// Lets io::errc convert to std::error_code implicitly, as std::errc does.
template <> struct std::is_error_code_enum<io::errc> : std::true_type {};
