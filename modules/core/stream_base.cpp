// io.core:stream_base — growing the heap block of the streams over one block of bytes, with huge
// pages for large blocks (io.core's one system call besides none: madvise, which is advice only).
module;
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <sys/mman.h>
#include <unistd.h>
module io.core;

namespace io::detail {

namespace {

constexpr std::size_t huge_pages_from = std::size_t{4} << 20;

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

} // namespace

void* grow_heap_block(void* data, std::size_t size) noexcept {
  void* grown = std::realloc(data, size);
  if (grown != nullptr && size >= huge_pages_from) advise_huge_pages(grown, size);
  return grown;
}

} // namespace io::detail
