// io.file:instances — what a program that reads a file most often uses, compiled once in io.file
// (instances.cpp) rather than in every file that imports io: the buffered file types, and the
// lines of a buffered file, owned (`io::open(path) | io::views::lines`) or referred to. Imported
// by io.file's primary interface only: io.file's own partitions instantiate as they please.
module;
#include <string_view>
#include <utility>
export module io.file:instances;
import io.core;
import :handle;
import :open;

namespace io {

extern template class buffered_stream<file>;
extern template class buffered_reader<file>;
extern template class buffered_writer<file>;
extern template class lines_view<buffered_file>;
extern template class lines_view<buffered_file&>;

} // namespace io

namespace io::detail {

// Instantiates in io.file's BMI the parts of those lines that io.file cannot name (io.core's
// engine of token views, the std::shared_ptr of its state): an importer then finds them there,
// instantiated once, instead of instantiating them again in its own file.
inline void instantiate_file_lines(buffered_file& f, buffered_file&& g) {
  for (std::string_view line : f | views::lines) (void)line;
  for (std::string_view line : std::move(g) | views::lines) (void)line;
}

} // namespace io::detail
