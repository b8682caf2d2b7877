// io.core — stream concepts, the error model, generic algorithms, buffered adapters, range
// views and sinks, and stream adapters.
export module io.core;
export import :error;
export import :concepts;
export import :bytes;
export import :stream_base; // io::detail, the base of the streams over one block of bytes
export import :detail; // io::detail, for io's own modules only
export import :buffer; // io::detail buffering pieces
export import :algorithms;
export import :any_reader;
export import :any_writer;
export import :buffered_reader;
export import :buffered_writer;
export import :buffered_stream;
export import :peek;
export import :binary;
export import :varint;
export import :views.source;
export import :views.stream_range; // exports nothing: the skeleton of the views over streams
export import :views.delimiter; // exports nothing: the delimiter search of split and read_until
export import :views.tokens;
export import :views.lines;
export import :views.split;
export import :views.words;
export import :views.chunks;
export import :views.bytes;
export import :views.records;
export import :views.line_shards;
export import :read_line;
export import :sinks.write_to;
export import :adapters.concat;
export import :adapters.tee;
export import :adapters.take;
