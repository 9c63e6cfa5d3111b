// What a fuzz target asserts beyond "no crash": FUZZ_CHECK aborts with the
// failed condition, so libFuzzer (or the replay main under ctest) stops on it
// like on any sanitizer finding. Always on, whatever the build type.
#pragma once
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
