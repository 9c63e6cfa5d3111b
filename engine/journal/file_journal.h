// The journal as files: the directory state backend's storage of runs. One
// record log (record_log.h) per run:
//
//   STATE_DIR/runs/RUN_ID/journal     mode 0600, in a 0700 directory
//
// Durable means fsync'd: intents and the end are appended and fsync'd
// together; outcomes are appended and become durable with the next fsync.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "journal/file_system.h"
#include "journal/journal.h"

namespace licmove {

std::string JournalPath(const std::string& state_dir, const std::string& run_id);
std::string RunDirectory(const std::string& state_dir, const std::string& run_id);

// Called after every durable write of a journal (a fault-injection point for
// the crash tests: src/licmove/crash_points.h). May be empty.
using DurableWriteHook = std::function<void()>;

class FileJournal {
 public:
  // Creates STATE_DIR/runs/RUN_ID/journal and makes `header` durable.
  // Fails if the run already exists.
  static Result<std::unique_ptr<JournalWriter>> Create(FileSystem& fs, const std::string& state_dir,
                                                       const RunHeader& header,
                                                       DurableWriteHook hook = {});
  // Reopens an existing journal (resume), first cutting off a torn tail.
  static Result<std::unique_ptr<JournalWriter>> Reopen(FileSystem& fs, const std::string& state_dir,
                                                       const std::string& run_id,
                                                       DurableWriteHook hook = {});
};

// A run's records as stored, checksums checked; a torn tail (never synced)
// is left out, corruption in the middle is an error naming the file.
Result<std::vector<LogRecord>> ReadJournalRecords(FileSystem& fs, const std::string& state_dir,
                                                  const std::string& run_id);

// Writes a whole journal copied from elsewhere (`licmove state migrate`):
// all its records at once, atomically and durably (a crash leaves the run
// whole or absent). Conflict when the run exists.
[[nodiscard]] Status ImportJournal(FileSystem& fs, const std::string& state_dir,
                                   const std::string& run_id,
                                   const std::vector<LogRecord>& records);

// Reads a run's journal. A torn tail is dropped and reported in `tail`;
// corruption in the middle, a missing header or an unknown format version is
// an error naming the file.
Result<JournalContents> ReadJournal(FileSystem& fs, const std::string& state_dir,
                                    const std::string& run_id);

// Only the header of a run's journal, without decoding the records after it.
Result<RunHeader> ReadRunHeader(FileSystem& fs, const std::string& state_dir,
                                const std::string& run_id);

// A run's header and end, decoding nothing else.
Result<RunInfo> ReadRunInfo(FileSystem& fs, const std::string& state_dir,
                            const std::string& run_id);

// Run ids under STATE_DIR/runs, oldest first (ids sort by start time).
Result<std::vector<std::string>> ListRuns(FileSystem& fs, const std::string& state_dir);

}  // namespace licmove
