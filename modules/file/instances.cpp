// io.file — the explicit instantiations io.file:instances declares `extern template`: the
// buffered file types and the lines of a buffered file, compiled here once rather than in every
// file that imports io and reads a file.
module;
#include <string_view>
module io.file;

namespace io {

template class buffered_stream<file>;
template class buffered_reader<file>;
template class buffered_writer<file>;
template class lines_view<buffered_file>;
template class lines_view<buffered_file&>;

} // namespace io
