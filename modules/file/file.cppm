// io.file — files: Python's open modes, buffered file streams, positional and vectored I/O,
// memory maps and streams over them, memory streams that spill to disk, atomic replacement,
// temporary files, file locks, the standard streams, kernel copies and whole files.
export module io.file;
export import io.core;
export import :mode;
export import :handle;
export import :open;
export import :standard_streams;
export import :mapped_file;
export import :atomic_file;
export import :copy;
export import :whole_file;
export import :temporary_file;
export import :file_lock;
export import :mapped_stream;
export import :spooled_stream;
export import :instances; // exports nothing: explicit instantiations of the common file types
