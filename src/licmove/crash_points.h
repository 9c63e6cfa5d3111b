// A fault-injection point for the crash tests, and nothing else: when the
// environment says LICMOVE_TEST_KILL_AFTER_SYNCS=N, the journal's file system
// kills this process with SIGKILL right after its Nth successful fsync, i.e.
// at exactly the Nth journal boundary. Unset (always, outside tests), the
// real file system is used untouched.
#pragma once

#include "journal/file_system.h"

namespace licmove {

// The file system the run driver journals through.
FileSystem& JournalFileSystem();

}  // namespace licmove
