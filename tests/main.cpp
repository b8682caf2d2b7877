// The doctest main shared by io's test executables.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// Tests check that an allocation which cannot succeed is reported (std::bad_alloc, or
// errc::not_enough_memory); under AddressSanitizer that needs malloc to return null as the C
// library does, instead of stopping the program. Read by ASan only; harmless elsewhere.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
