// io.core — stream concepts, the error model, generic algorithms and buffered adapters.
export module io.core;
export import :error;
export import :concepts;
export import :bytes;
export import :detail; // io::detail, for io's own modules only
export import :buffer; // io::detail buffering pieces
export import :algorithms;
export import :any_reader;
export import :any_writer;
export import :buffered_reader;
export import :buffered_writer;
export import :buffered_stream;
