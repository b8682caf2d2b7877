// io — the umbrella module: everything io offers behind one import.
export module io;
export import io.core;
export import io.memory;
export import io.file;
export import io.compress;
export import io.text;
