#include "injector.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string_view>

#include <fcntl.h>
#include <fiu-control.h>
#include <fiu.h>
#include <unistd.h>

namespace io_test {
namespace {

// The plan armed at each point.
std::map<std::string, fault_plan*, std::less<>>& plans() {
  static std::map<std::string, fault_plan*, std::less<>> armed;
  return armed;
}

// Faults injected over the whole run, by kind, printed when the program ends.
struct totals {
  std::map<std::string, std::uint64_t> by_kind;
  ~totals() {
    std::uint64_t all = 0;
    for (const auto& [kind, n] : by_kind) all += n;
    if (all == 0) return;
    std::fprintf(stderr, "fault injection: %llu faults injected", static_cast<unsigned long long>(all));
    const char* separator = " (";
    for (const auto& [kind, n] : by_kind) {
      std::fprintf(stderr, "%s%s %llu", separator, kind.c_str(), static_cast<unsigned long long>(n));
      separator = ", ";
    }
    std::fprintf(stderr, ")\n");
  }
};
totals& run_totals() {
  static totals t;
  return t;
}

std::string kind_of(int error) {
  switch (error) {
    case 0: return "short count";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENOSPC: return "ENOSPC";
    default: return std::strerror(error);
  }
}

// libfiu's external callback: called for each call at an armed point (libfiu passes the point's
// name); returns whether this call fails, and sets the errno it fails with.
int decide(const char* name, int*, void** failinfo, unsigned*) {
  const auto found = plans().find(std::string_view(name));
  if (found == plans().end()) return 0;
  fault_plan& plan = *found->second;
  ++plan.calls;
  if (plan.calls < plan.first || plan.calls - plan.first >= plan.count) return 0;
  ++plan.injected;
  plan.last_point = name;
  ++run_totals().by_kind[kind_of(plan.error)];
  *failinfo = reinterpret_cast<void*>(static_cast<std::intptr_t>(plan.error));
  return 1;
}

struct initialized {
  initialized() {
    fiu_init(0);
    run_totals();
  }
} const init;

} // namespace

const std::vector<std::string> error_points = {
    "posix/io/oc/open",   "posix/io/oc/close",      "posix/io/rw/read",     "posix/io/rw/write",
    "posix/io/rw/pread",  "posix/io/rw/pwrite",     "posix/io/rw/readv",    "posix/io/rw/writev",
    "posix/io/rw/ftruncate", "posix/io/sync/fsync", "posix/io/dir/rename",  "posix/io/dir/unlink",
    "posix/mm/mmap",      "linux/io/copy_file_range", "linux/io/sendfile", "posix/io/seek/lseek",
    "posix/io/stat/fstat", "posix/mm/madvise",  "posix/mm/msync",         "linux/mm/mremap",
    "linux/io/linkat",
};

const std::vector<std::string> interruptible_points = {
    "posix/io/oc/open",   "posix/io/oc/close",  "posix/io/rw/read",    "posix/io/rw/write",
    "posix/io/rw/pread",  "posix/io/rw/pwrite", "posix/io/rw/readv",   "posix/io/rw/writev",
    "posix/io/rw/ftruncate", "posix/io/sync/fsync", "linux/io/copy_file_range", "linux/io/sendfile",
};

const std::vector<std::string> shorten_points = {
    "posix/io/rw/read/reduce",  "posix/io/rw/write/reduce",  "posix/io/rw/pread/reduce",
    "posix/io/rw/pwrite/reduce", "posix/io/rw/readv/reduce", "posix/io/rw/writev/reduce",
    "linux/io/copy_file_range/reduce", "linux/io/sendfile/reduce",
};

armed_faults::armed_faults(const std::vector<std::string>& points, fault_plan& plan) : points_(points) {
  for (const std::string& point : points_) {
    plans()[point] = &plan;
    fiu_enable_external(point.c_str(), 1, nullptr, 0, decide);
  }
}

armed_faults::~armed_faults() {
  for (const std::string& point : points_) {
    fiu_disable(point.c_str());
    plans().erase(point);
  }
}

bool fault_injection_works() {
  const int fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char byte = 0;
  fault_plan plan{.error = EIO};
  ssize_t n = 0;
  {
    const armed_faults armed({"posix/io/rw/read"}, plan);
    n = ::read(fd, &byte, 1);
  }
  ::close(fd);
  return n == -1 && errno == EIO && plan.injected == 1;
}

} // namespace io_test
