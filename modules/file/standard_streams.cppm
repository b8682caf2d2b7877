// io.file:standard_streams — standard input, output and error as io files.
export module io.file:standard_streams;
import :handle;

export namespace io {

/// Standard input (descriptor 0) as an unbuffered file that io never closes; wrap it in a
/// buffered_reader for line-by-line work.
file& standard_input() noexcept;

/// Standard output (descriptor 1) as an unbuffered file that io never closes; wrap it in a
/// buffered_writer and flush or close the writer when done.
file& standard_output() noexcept;

/// Standard error (descriptor 2) as an unbuffered file that io never closes.
file& standard_error() noexcept;

} // namespace io
