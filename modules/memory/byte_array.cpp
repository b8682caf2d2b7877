// io.memory:byte_array — the one system call of io.memory: huge pages for large arrays.
module;
#include <cstddef>
#include <cstdint>

#include <sys/mman.h>
#include <unistd.h>
module io.memory;

namespace io::detail {

void advise_huge_pages(void* data, std::size_t size) noexcept {
#ifdef MADV_HUGEPAGE
  // The pages the allocation lies in, whole: a large allocation is a mapping of its own, which
  // advice on part of it would split in two, and realloc could then no longer grow it by moving
  // its pages (mremap works on one mapping): it would copy them, touching fresh pages again.
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(data) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + size + page - 1) & ~(page - 1);
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data, (void)size;
#endif
}

} // namespace io::detail
