// io.compress — gzip, zlib, zstd, xz and bzip2 streams as ordinary io streams: a decompressor
// that detects the format by its magic bytes and reads every member, a compressor, and
// open_compressed. The only io module that links the codec libraries.
export module io.compress;
export import io.core;
export import :codec;
export import :engine; // io::detail, for the adapters' templates
export import :decompress;
export import :compressor;
export import :open_compressed;
