// io.file:instances — the lines of a buffered file, owned (`io::open(path) | io::views::lines`) or
// referred to, instantiated once in io.file rather than in every file that imports io. Imported by
// io.file's primary interface only (clang-22 loses the members of a class that a partition declares
// `extern template` in the partitions that import it). buffered_stream<file> and its kin are not
// declared `extern template`: an importer then instantiates none of their inline members either
// (clang 19 and 22), and the per-line consume() and buffered() would be calls, not inlined.
module;
#include <string_view>
#include <utility>
export module io.file:instances;
import io.core;
import :handle;
import :open;

namespace io {

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
