// io.file:spooled_stream — the forced move to a file, and persist: linkat and rename, or atomic_file.
module;
#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <new>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
module io.file;

namespace io {

spooled_stream::spooled_stream(std::size_t threshold, const std::filesystem::path& directory) {
  threshold_ = threshold;
  directory_ = directory;
}

void spooled_stream::rollover(std::error_code& ec) noexcept {
  ec.clear();
  if (!open_for(ec, "roll over") || in_file()) return;
  file f = temporary_file(directory_, ec);
  if (!ec) move_to(std::move(f), ec);
}

void spooled_stream::rollover() {
  std::error_code ec;
  rollover(ec);
  if (ec) fail(ec, "move to a temporary file");
}

void spooled_stream::write_out(const std::filesystem::path& target, std::error_code& ec) noexcept {
  try {
    atomic_file out(target, ec);
    if (!ec) out.write(view(), ec);
    if (!ec) out.commit(ec);
    if (ec && !out.committed()) return;
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return;
  }
  // Written (durably or not): the stream's job is done.
  std::error_code ignored;
  close(ignored);
}

// Links the unnamed file under a temporary name beside `target` and renames that over it. Returns
// false, with `ec` clear, when the file cannot be linked there and must be written out instead.
bool spooled_stream::link_file(const std::filesystem::path& target, std::error_code& ec) noexcept {
  try {
    const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
    const std::string source = "/proc/self/fd/" + std::to_string(file_.native_handle());
    std::filesystem::path name;
    for (int attempt = 0;; ++attempt) {
      name = directory / ("." + target.filename().string() + "." + std::to_string(detail::temporary_name_number()) + ".tmp");
      if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) break;
      // ENOENT: a file created under a name and unlinked (not O_TMPFILE) cannot be linked again,
      // or there is no /proc; EXDEV: the target is on another file system. Both write out instead.
      if (errno == ENOENT || errno == EXDEV) return false;
      if (errno != EEXIST || attempt == 100) {
        ec = {errno, std::system_category()};
        return true;
      }
    }
    if (::rename(name.c_str(), target.c_str()) != 0) {
      ec = {errno, std::system_category()};
      ::unlink(name.c_str());
      return true;
    }
    // In place; from now on only the durability of the rename is in question.
    std::error_code ignored;
    close(ignored);
    detail::sync_directory(directory, ec);
    if (ec) ec = errc::not_durable;
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
  return true;
}

void spooled_stream::persist(const std::filesystem::path& target, std::error_code& ec) noexcept {
  ec.clear();
  if (!open_for(ec, "persist")) return;
  if (in_file()) {
    // The file holds exactly the contents, on the storage, before it gets a name.
    // The buffer written out, the file ends with the contents; nothing was written through a map.
    cut_file(ec);
    if (!ec) file_.sync(ec);
    if (ec || link_file(target, ec)) return;
  }
  write_out(target, ec);
}

void spooled_stream::persist(const std::filesystem::path& target) {
  std::error_code ec;
  persist(target, ec);
  if (ec) throw io_error(ec, "persist the spooled stream as {}", target.string());
}

} // namespace io
