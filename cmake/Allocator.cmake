# The allocator of licmove's programs: jemalloc, told to back its memory with
# transparent huge pages (src/allocator/jemalloc_conf.cc). Reading a
# 100,000-camera fleet and planning it touches about 250 MB in millions of
# small blocks; with glibc's malloc and 4 KB pages a third of the run was
# page faults, and jemalloc with huge pages took `plan --snapshot` from 2.9 s
# to 1.1 s of CPU (docs/PERFORMANCE.md, "JSON fleets"). Sanitizer builds keep
# the sanitizer's own allocator.
option(LICMOVE_JEMALLOC "Link licmove's programs with jemalloc (huge pages)" ON)
if(LICMOVE_SANITIZE)
  set(LICMOVE_JEMALLOC OFF)
endif()
if(LICMOVE_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# Gives `target` (an executable) jemalloc and its settings, when enabled.
function(licmove_use_allocator target)
  if(LICMOVE_JEMALLOC)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/allocator/jemalloc_conf.cc)
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
  endif()
endfunction()
