// Failure points for the calls io makes that libfiu's POSIX preload library does not wrap:
// copy_file_range and sendfile (io::copy), lseek (seek, tell), fstat (size, mapped_file), mremap
// (growing maps) and linkat (spooled_stream::persist).
// Defined here, they take the place of the C library's functions for the calls io makes from this
// program, and forward to them unless libfiu says to fail.
#include <cerrno>
#include <cstdint>
#include <cstdlib>

#include <dlfcn.h>
#include <fiu.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

template <class F>
F next_definition(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

int failed_with_errno() {
  errno = static_cast<int>(reinterpret_cast<std::intptr_t>(fiu_failinfo()));
  return -1;
}

// As libfiu's ".../reduce" points do: a count cut to a random size of at least 1.
std::size_t shortened(std::size_t count) { return count - static_cast<std::size_t>(std::rand()) % count; }

} // namespace

extern "C" ssize_t copy_file_range(int in, off64_t* in_offset, int out, off64_t* out_offset, std::size_t count,
                                   unsigned flags) {
  using function = ssize_t (*)(int, off64_t*, int, off64_t*, std::size_t, unsigned);
  static const function real = next_definition<function>("copy_file_range");
  if (fiu_fail("linux/io/copy_file_range")) return failed_with_errno();
  if (count != 0 && fiu_fail("linux/io/copy_file_range/reduce")) count = shortened(count);
  return real(in, in_offset, out, out_offset, count, flags);
}

extern "C" ssize_t sendfile(int out, int in, off_t* offset, std::size_t count) {
  using function = ssize_t (*)(int, int, off_t*, std::size_t);
  static const function real = next_definition<function>("sendfile");
  if (fiu_fail("linux/io/sendfile")) return failed_with_errno();
  if (count != 0 && fiu_fail("linux/io/sendfile/reduce")) count = shortened(count);
  return real(out, in, offset, count);
}

extern "C" off_t lseek(int descriptor, off_t offset, int whence) {
  using function = off_t (*)(int, off_t, int);
  static const function real = next_definition<function>("lseek");
  if (fiu_fail("posix/io/seek/lseek")) return failed_with_errno();
  return real(descriptor, offset, whence);
}

extern "C" int fstat(int descriptor, struct stat* info) {
  using function = int (*)(int, struct stat*);
  static const function real = next_definition<function>("fstat");
  if (fiu_fail("posix/io/stat/fstat")) return failed_with_errno();
  return real(descriptor, info);
}

extern "C" void* mremap(void* old_address, std::size_t old_size, std::size_t new_size, int flags, ...) {
  using function = void* (*)(void*, std::size_t, std::size_t, int, ...);
  static const function real = next_definition<function>("mremap");
  if (fiu_fail("linux/mm/mremap")) {
    failed_with_errno();
    return MAP_FAILED;
  }
  // io never passes MREMAP_FIXED, so there is no fifth argument to forward.
  return real(old_address, old_size, new_size, flags);
}

extern "C" int linkat(int from_directory, const char* from, int to_directory, const char* to, int flags) {
  using function = int (*)(int, const char*, int, const char*, int);
  static const function real = next_definition<function>("linkat");
  if (fiu_fail("linux/io/linkat")) return failed_with_errno();
  return real(from_directory, from, to_directory, to, flags);
}
