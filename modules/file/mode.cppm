// io.file:mode — how a file is opened: typed flags and Python's mode strings ("rb", "w+", "a", "x").
module;
#include <string_view>
#include <system_error>
export module io.file:mode;

export namespace io {

/// What an open file allows and how it is opened; combine with `|`.
enum class open_flags : unsigned {
  none = 0,
  read = 1u << 0,      ///< reading is allowed
  write = 1u << 1,     ///< writing is allowed
  append = 1u << 2,    ///< every write goes to the end of the file
  create = 1u << 3,    ///< create the file when it does not exist
  truncate = 1u << 4,  ///< empty the file when it is opened
  exclusive = 1u << 5, ///< fail when the file exists (with create)
};

/// The union of two sets of flags.
constexpr open_flags operator|(open_flags a, open_flags b) noexcept {
  return static_cast<open_flags>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
/// The intersection of two sets of flags.
constexpr open_flags operator&(open_flags a, open_flags b) noexcept {
  return static_cast<open_flags>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
}
/// Whether `flags` holds every flag of `wanted`.
constexpr bool has(open_flags flags, open_flags wanted) noexcept { return (flags & wanted) == wanted; }

/// The flags of a Python mode string: exactly one of `r w a x`, then optionally `+` and one of
/// `b t` in any order ("rb", "w+", "ab+", "xt"). `t` is accepted; POSIX has no newline translation.
/// Anything else is errc::invalid_argument, with the mode quoted in the message.
open_flags parse_mode(std::string_view mode);

/// As parse_mode(mode), reporting an invalid mode through `ec` and returning open_flags::none.
open_flags parse_mode(std::string_view mode, std::error_code& ec) noexcept;

} // namespace io
