// io.text — the text half of Python's open(): bytes checked as UTF-8 (or decoded from another
// encoding) with Python's errors= and newline= rules, encoding and newline translation on
// writing, formatted output, and standard streams that buffer as C's do. The only io module that
// links a formatting library where the standard library has no <format>.
export module io.text;
export import io.core;
export import :options;
export import :encoding; // io::detail's codecs, for io.text's own adapters
export import :text_writer;
export import :utf8;
export import :text_reader;
export import :open_text;
export import :print;
