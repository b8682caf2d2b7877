// io.file — the explicit instantiations io.file:instances declares `extern template`: the lines
// of a buffered file, compiled here once rather than in every file that imports io.
module;
#include <string_view>
module io.file;

namespace io {

template class lines_view<buffered_file>;
template class lines_view<buffered_file&>;

} // namespace io
