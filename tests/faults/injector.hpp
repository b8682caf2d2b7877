// Fault injection for io's tests, on top of libfiu: its POSIX preload library
// (fiu_posix_preload.so, loaded with LD_PRELOAD by ctest) wraps open, read, write, pread, pwrite,
// readv, writev, fsync, ftruncate, close, mmap, rename and unlink with failure points named
// "posix/io/rw/read" and so on, plus ".../reduce" points that shorten a read or write count.
// interposed_points.cpp adds "linux/io/copy_file_range", "linux/io/sendfile",
// "posix/io/seek/lseek", "posix/io/stat/fstat", "linux/mm/mremap" and "linux/io/linkat", which the
// preload library does not wrap. A fault_plan decides, call by call, which calls fail.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace io_test {

/// Which calls to the armed failure points fail, and how.
struct fault_plan {
  /// The errno a failing call sets; 0 shortens the count instead (for ".../reduce" points).
  int error = 0;
  /// The first call to fail, counting the calls to every point armed with this plan from 1.
  std::uint64_t first = 1;
  /// How many calls in a row fail from `first` on.
  std::uint64_t count = std::numeric_limits<std::uint64_t>::max();

  std::uint64_t calls = 0;     // calls seen at the armed points
  std::uint64_t injected = 0;  // faults injected
  std::string last_point;      // the point of the last fault injected
};

/// The failure points io's system calls go through, by kind.
extern const std::vector<std::string> error_points;  // every call that can fail with an errno
extern const std::vector<std::string> interruptible_points; // every call POSIX lets fail with EINTR
extern const std::vector<std::string> shorten_points; // every read or write that can come up short

/// Arms `points` with `plan` for its lifetime. Several can be armed at once, on different points:
/// a read or write call checks its error point first, then its ".../reduce" point.
class armed_faults {
public:
  armed_faults(const std::vector<std::string>& points, fault_plan& plan);
  armed_faults(const armed_faults&) = delete;
  armed_faults& operator=(const armed_faults&) = delete;
  ~armed_faults();

private:
  std::vector<std::string> points_;
};

/// Whether the preload library is in place, so that armed points really fail.
bool fault_injection_works();

} // namespace io_test
