// io.memory — in-memory streams: memory_stream (Python's BytesIO) and streams over a caller's buffer.
export module io.memory;
export import io.core;
export import :byte_array;
export import :memory_stream;
export import :span_stream;
