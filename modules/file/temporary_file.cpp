// io.file:temporary_file — O_TMPFILE, or create with O_EXCL under a random name (and unlink), rename.
module;
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>
module io.file;

namespace io {

namespace detail {

// Not std::random_device: it may open /dev/urandom, which can fail (and throw) where this cannot.
// The kernel's random bytes (getrandom, which needs no file) make the name unpredictable; where
// they are not available yet (early boot) the clock, the process and a counter still make it unique.
std::uint64_t temporary_name_number() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t random = 0;
  if (::getrandom(&random, sizeof random, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof random)) random = 0;
  std::uint64_t x = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                    (static_cast<std::uint64_t>(::getpid()) << 40) ^ (counter.fetch_add(1) * 0x9e3779b97f4a7c15u) ^
                    random;
  // splitmix64's finalizer spreads the bits.
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return (x ^ (x >> 31)) & 0xffffffffu;
}

} // namespace detail

namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

std::filesystem::path directory_or_default(const std::filesystem::path& directory) {
  if (!directory.empty()) return directory;
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path(tmpdir) : std::filesystem::path("/tmp");
}

// `tmp` and 16 hexadecimal digits: two numbers, so that a name is not guessed from the clock.
std::string random_name() {
  static constexpr char digits[] = "0123456789abcdef";
  const std::uint64_t number = (detail::temporary_name_number() << 32) | detail::temporary_name_number();
  std::string name = "tmp";
  for (int shift = 60; shift >= 0; shift -= 4) name += digits[(number >> shift) & 0xf];
  return name;
}

// Creates a new file in `directory` under a name nobody has (retrying on a clash), 0600.
int create_named(const std::filesystem::path& directory, std::filesystem::path& name, std::error_code& ec) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = directory / random_name();
    int fd;
    do fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      ec = last_error();
      return -1;
    }
  }
  ec = std::make_error_code(std::errc::file_exists);
  return -1;
}

constexpr open_flags read_write = open_flags::read | open_flags::write | open_flags::create | open_flags::exclusive;

file make_temporary(const std::filesystem::path& directory, std::error_code& ec) {
  ec.clear();
  int fd;
  do fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  while (fd < 0 && errno == EINTR);
  // A file system without O_TMPFILE says EOPNOTSUPP; a kernel older than 3.11 sees O_DIRECTORY
  // (part of O_TMPFILE's bits) and says EISDIR. Python's tempfile falls back on both, and so does io.
  if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR) {
    ec = last_error();
    return {};
  }
  if (fd < 0) {
    std::filesystem::path name;
    fd = create_named(directory, name, ec);
    if (fd < 0) return {};
    if (::unlink(name.c_str()) != 0) {
      ec = last_error();
      ::close(fd);
      ::unlink(name.c_str());
      return {};
    }
  }
  return file::from_native(fd, read_write, (directory / "(unnamed temporary file)").string());
}

} // namespace

file temporary_file(const std::filesystem::path& directory, std::error_code& ec) noexcept {
  try {
    return make_temporary(directory_or_default(directory), ec);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
  return {};
}

file temporary_file(std::error_code& ec) noexcept { return temporary_file({}, ec); }

file temporary_file(const std::filesystem::path& directory) {
  const std::filesystem::path where = directory_or_default(directory);
  std::error_code ec;
  file f = make_temporary(where, ec);
  if (ec) throw io_error(ec, "create a temporary file in {}", where.string());
  return f;
}

named_temporary_file::named_temporary_file(const std::filesystem::path& directory, std::error_code& ec) noexcept {
  ec.clear();
  try {
    const int fd = create_named(directory_or_default(directory), path_, ec);
    if (fd < 0) return;
    file_ = file::from_native(fd, read_write, path_.string());
    remove_ = true;
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
}

named_temporary_file::named_temporary_file(std::error_code& ec) noexcept : named_temporary_file({}, ec) {}

named_temporary_file::named_temporary_file(const std::filesystem::path& directory) {
  const std::filesystem::path where = directory_or_default(directory);
  std::error_code ec;
  const int fd = create_named(where, path_, ec);
  if (ec) throw io_error(ec, "create a temporary file in {}", where.string());
  file_ = file::from_native(fd, read_write, path_.string());
  remove_ = true;
}

named_temporary_file& named_temporary_file::operator=(named_temporary_file&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    close(ignored);
    file_ = std::move(other.file_);
    path_ = std::move(other.path_);
    remove_ = std::exchange(other.remove_, false);
    persisted_ = other.persisted_;
  }
  return *this;
}

named_temporary_file::~named_temporary_file() {
  std::error_code ignored;
  close(ignored);
}

void named_temporary_file::persist(const std::filesystem::path& target, std::error_code& ec) noexcept {
  ec.clear();
  if (!file_.is_open()) {
    ec = errc::closed;
    return;
  }
  if (::rename(path_.c_str(), target.c_str()) != 0) {
    ec = last_error();
    return;
  }
  try {
    path_ = target;
  } catch (const std::bad_alloc&) {
    // The file is in place under its new name: keep it, though path() cannot say so.
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
  remove_ = false;
  persisted_ = true;
}

void named_temporary_file::persist(const std::filesystem::path& target) {
  std::error_code ec;
  persist(target, ec);
  if (ec) throw io_error(ec, "persist {} as '" + target.string() + "'", path_.string());
}

void named_temporary_file::close(std::error_code& ec) noexcept {
  ec.clear();
  file_.close(ec);
  if (remove_) {
    remove_ = false;
    if (::unlink(path_.c_str()) != 0 && !ec) ec = last_error();
  }
}

void named_temporary_file::close() {
  std::error_code ec;
  close(ec);
  if (ec) throw io_error(ec, "close and remove {}", path_.string());
}

} // namespace io
