// A fault-injection point for the crash tests, and nothing else: when the
// environment says LICMOVE_TEST_KILL_AFTER_SYNCS=N, this process kills itself
// with SIGKILL right after the Nth durable write of a journal (an fsync of
// the file journal, a synchronous commit of the PostgreSQL one), i.e. at
// exactly the Nth journal boundary. Unset (always, outside tests), nothing
// is injected.
#pragma once

#include "journal/file_journal.h"
#include "journal/file_system.h"

namespace licmove {

// The file system journals are written through.
FileSystem& JournalFileSystem();

// The hook every journal calls after a durable write; empty outside tests.
DurableWriteHook DurableWriteKillHook();

}  // namespace licmove
