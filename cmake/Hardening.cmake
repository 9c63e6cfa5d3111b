# Build variants for finding bugs (issue 9): sanitizers, warnings as errors,
# and libFuzzer instrumentation. Every option is off by default, so a
# developer's normal build is the plain one; dev.sh and .ci/run turn them on.
#
#   LICMOVE_SANITIZE=address,undefined   ASan + UBSan (./dev.sh asan)
#   LICMOVE_SANITIZE=thread              TSan (./dev.sh tsan)
#   LICMOVE_WERROR=ON                    every warning fails the build (CI)
#   LICMOVE_FUZZ=ON                      fuzz/ targets as libFuzzer programs
#                                        (clang only; ./dev.sh fuzz)
#
# The flags go on every target, libraries included, so that the child
# processes the end-to-end tests start (licmove, portal-sim) are instrumented
# as well.

set(LICMOVE_SANITIZE "" CACHE STRING
    "Sanitizers for every target: empty, 'address,undefined' or 'thread'")
option(LICMOVE_WERROR "Treat warnings as errors" OFF)
option(LICMOVE_FUZZ "Build fuzz/ targets with -fsanitize=fuzzer (clang)" OFF)

if(LICMOVE_WERROR)
  add_compile_options(-Werror)
endif()

if(LICMOVE_SANITIZE)
  if(LICMOVE_SANITIZE MATCHES "thread" AND LICMOVE_SANITIZE MATCHES "address")
    message(FATAL_ERROR "LICMOVE_SANITIZE: thread and address cannot be combined")
  endif()
  # -O1 and line tables only: about a third less compile time than -O2 -g,
  # still file:line in every report's stack. Asserts stay on (no NDEBUG).
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1")
  add_compile_options(-fsanitize=${LICMOVE_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${LICMOVE_SANITIZE})
  if(LICMOVE_SANITIZE MATCHES "undefined")
    # A finding aborts the process, so the test that ran into it fails.
    add_compile_options(-fno-sanitize-recover=undefined)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      # clang 14 cannot compile Asio coroutines with -fsanitize=function ("error:
      # Cannot represent a difference across sections", LLVM issue 49689);
      # that check only covers calls through mistyped function pointers.
      add_compile_options(-fno-sanitize=function)
    endif()
  endif()
endif()

if(LICMOVE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LICMOVE_FUZZ needs clang: configure with CXX=clang++")
  endif()
  # Coverage feedback from all code under test; only the fuzz programs link
  # libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
