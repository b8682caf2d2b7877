// io.core:views.delimiter — finding a delimiter of one or more bytes; shared by split and read_until.
module;
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
export module io.core:views.delimiter;

namespace io::detail {

// A delimiter (empty means none). One byte is found with memchr; longer ones with
// string_view::find. The first byte and the size are kept beside the text, so that the one-byte
// search, the one run for every token, reads no string.
class delimiter {
public:
  delimiter() = default;
  explicit delimiter(std::string_view text) : text_(text), size_(text.size()), first_(text.empty() ? '\0' : text[0]) {}

  inline std::size_t size() const noexcept { return size_; }
  inline bool empty() const noexcept { return size_ == 0; }
  inline std::string_view text() const noexcept { return text_; }

  // The offset of the first delimiter in `text` at or after `from`, or npos.
  inline std::size_t find(std::string_view text, std::size_t from = 0) const noexcept {
    if (from >= text.size()) return std::string_view::npos;
    if (size_ == 1) {
      const void* hit = std::memchr(text.data() + from, first_, text.size() - from);
      return hit == nullptr ? std::string_view::npos
                            : static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
    }
    return text.find(text_, from);
  }

private:
  std::string text_;
  std::size_t size_ = 0;
  char first_ = '\0';
};

} // namespace io::detail
