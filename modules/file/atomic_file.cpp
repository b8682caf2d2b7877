// io.file:atomic_file — temporary files, ownership and permissions, fsync, rename and directory fsync.
module;
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <new>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
module io.file;

namespace io {
namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

// `.<name>.<number>.tmp`, with <name> cut so that the whole is at most `limit` bytes: a target
// whose name is near the file system's limit (255 bytes) still gets a temporary.
std::string temporary_name(const std::string& name, std::size_t limit) {
  const std::string suffix = "." + std::to_string(detail::temporary_name_number()) + ".tmp";
  std::string stem = name;
  if (1 + stem.size() + suffix.size() > limit) stem.resize(limit > 1 + suffix.size() ? limit - 1 - suffix.size() : 0);
  return "." + stem + suffix;
}

// `target` with every symbolic link followed, to the file that a commit replaces (which need not
// exist). Editors do the same: the link stays, the file it names gets the new contents.
std::filesystem::path follow_links(std::filesystem::path path, std::error_code& ec) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info;
    if (::lstat(path.c_str(), &info) != 0) {
      if (errno != ENOENT) ec = last_error();
      return path;
    }
    if (!S_ISLNK(info.st_mode)) return path;
    std::filesystem::path link = std::filesystem::read_symlink(path, ec);
    if (ec) return path;
    path = link.is_absolute() ? link : path.parent_path() / link;
  }
  ec = std::make_error_code(std::errc::too_many_symbolic_link_levels);
  return path;
}

// Gives the temporary `fd` the owner, group and permission bits of `existing`, dropping the
// privileges and group access that would pass to the wrong owner or group when those cannot be kept.
void adopt_owner_and_mode(int fd, const struct stat& existing, std::error_code& ec) noexcept {
  mode_t mode = existing.st_mode & 07777;
  struct stat mine;
  if (::fstat(fd, &mine) != 0) {
    ec = last_error();
    return;
  }
  bool owner_kept = mine.st_uid == existing.st_uid;
  bool group_kept = mine.st_gid == existing.st_gid;
  if (!owner_kept || !group_kept) {
    // Only root may give a file away; anyone may pass it to a group they belong to.
    if (::fchown(fd, existing.st_uid, existing.st_gid) == 0) owner_kept = group_kept = true;
    else if (!group_kept && ::fchown(fd, static_cast<uid_t>(-1), existing.st_gid) == 0) group_kept = true;
  }
  if (!owner_kept) mode &= ~mode_t{S_ISUID};
  if (!group_kept) mode &= ~mode_t{S_ISGID | S_IRWXG};
  if (::fchmod(fd, mode) != 0) ec = last_error();
}

// Creates a new file beside `destination` with a name nobody else has (retrying on a clash),
// readable by nobody the destination does not allow from its first byte on.
file create_temporary(const std::filesystem::path& destination, std::filesystem::path& name, std::error_code& ec) {
  ec.clear();
  const std::filesystem::path directory = destination.has_parent_path() ? destination.parent_path() : ".";
  struct stat existing;
  const bool exists = ::stat(destination.c_str(), &existing) == 0;
  // A new target gets what open() gives (0666 less the umask); the temporary of an existing one is
  // its owner's alone until it has the target's owner and mode.
  const mode_t creation_mode = exists ? 0600 : 0666;
  const std::string target_name = destination.filename().string();
  std::size_t limit = 255; // NAME_MAX of Linux's file systems
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = directory / temporary_name(target_name, limit);
    int fd;
    do fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, creation_mode);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      // A file system with shorter names: no longer than the target's own name, which it took.
      if (errno == ENAMETOOLONG && limit > std::max<std::size_t>(target_name.size(), 16)) {
        limit = std::max<std::size_t>(target_name.size(), 16);
        continue;
      }
      ec = last_error();
      return {};
    }
    if (exists) adopt_owner_and_mode(fd, existing, ec);
    if (ec) {
      ::close(fd);
      ::unlink(name.c_str());
      return {};
    }
    return file::from_native(fd, open_flags::write | open_flags::create | open_flags::exclusive, name.string());
  }
  ec = std::make_error_code(std::errc::file_exists);
  return {};
}

// The writer of the error_code constructor: a buffer that cannot be allocated is reported in
// `ec`, and the writer gets a one-byte buffer that is never used.
file_writer make_writer(std::size_t buffer_size, std::error_code& ec) noexcept {
  ec.clear();
  try {
    return file_writer(file(), buffer_size);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
  return file_writer(file(), 1);
}

} // namespace

namespace detail {

void sync_directory(const std::filesystem::path& directory, std::error_code& ec) noexcept {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    ec = last_error();
    return;
  }
  while (::fsync(fd) != 0) {
    if (errno != EINTR) {
      ec = last_error();
      break;
    }
  }
  ::close(fd);
}

} // namespace detail

atomic_file::atomic_file(const std::filesystem::path& target, std::size_t buffer_size, std::error_code& ec) noexcept
    : target_(target), out_(make_writer(buffer_size, ec)) {
  if (ec) {
    error_ = ec;
    finished_ = true;
    return;
  }
  try {
    destination_ = follow_links(target, ec);
    if (!ec) out_.inner() = create_temporary(destination_, temporary_, ec);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
  if (ec) {
    error_ = ec;
    finished_ = true;
  }
}

atomic_file::atomic_file(const std::filesystem::path& target, std::error_code& ec) noexcept
    : atomic_file(target, default_buffer_size, ec) {}

atomic_file::atomic_file(const std::filesystem::path& target, std::size_t buffer_size)
    : target_(target), out_(file(), buffer_size) {
  std::error_code ec;
  destination_ = follow_links(target, ec);
  if (!ec) out_.inner() = create_temporary(destination_, temporary_, ec);
  if (ec) {
    finished_ = true;
    throw io_error(ec, "create a temporary file for {}", target.string());
  }
}

atomic_file::~atomic_file() { discard(); }

void atomic_file::fail(const char* operation) const { throw io_error(error_, operation, target_.string()); }

void atomic_file::flush(std::error_code& ec) noexcept {
  if (error_) {
    ec = error_;
    return;
  }
  out_.flush(ec);
  if (ec) error_ = ec;
}

void atomic_file::flush() {
  std::error_code ec;
  flush(ec);
  if (ec) fail("flush");
}

void atomic_file::discard() noexcept {
  if (finished_) return;
  finished_ = true;
  // Close first so that the buffered bytes cannot reach the file; then remove it.
  std::error_code ignored;
  out_.inner().close(ignored);
  out_.close(ignored);
  ::unlink(temporary_.c_str());
}

void atomic_file::commit(std::error_code& ec) noexcept {
  ec.clear();
  if (committed_) {
    ec = errc::closed;
    return;
  }
  // A write or flush that failed earlier left a hole in the new version: never publish it.
  if (error_) {
    discard();
    ec = error_;
    return;
  }
  if (finished_) {
    ec = errc::closed;
    return;
  }
  out_.flush(ec);
  if (!ec) out_.inner().sync(ec);
  if (!ec) out_.inner().close(ec);
  if (!ec && ::rename(temporary_.c_str(), destination_.c_str()) != 0) ec = last_error();
  if (ec) {
    error_ = ec;
    discard();
    return;
  }
  finished_ = true;
  committed_ = true;
  std::error_code ignored;
  out_.close(ignored); // the file is closed already: this marks the writer closed for later writes
  // The new contents are in place; only their durability is in doubt now, which is its own error.
  detail::sync_directory(destination_.has_parent_path() ? destination_.parent_path() : ".", sync_failure_);
  if (sync_failure_) ec = errc::not_durable;
}

void atomic_file::commit() {
  std::error_code ec;
  commit(ec);
  if (ec == errc::not_durable)
    throw io_error(ec, "commit {} durably (syncing its directory: " + sync_failure_.message() + ")",
                   target_.string());
  if (ec) throw io_error(ec, "commit", target_.string());
}

} // namespace io
