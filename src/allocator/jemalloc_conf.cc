// jemalloc's settings, compiled into each program that links it
// (cmake/Allocator.cmake). jemalloc reads this symbol at start-up; the
// MALLOC_CONF environment variable still overrides it.
//
// thp:always: its memory is advised for transparent huge pages (the kernel's
// default mode, "madvise", gives them only to memory so advised). One 2 MB
// page fault instead of 512 small ones; the 100,000-camera plan went from
// 124,000 page faults to about 4,700. metadata_thp:auto: its own tables
// too, once they are large.
extern "C" {
// NOLINTNEXTLINE: the name is jemalloc's.
const char* malloc_conf = "thp:always,metadata_thp:auto";
}
