// The write-ahead journal of one run (an apply, a resume or a rollback).
//
// Before the first mutation the run's header is durable: the plan and the
// before-snapshot (every camera record the run will remove and every key it
// will park), so that nothing the portal forgets is lost. Each op's intent is
// durable before its request is sent; its outcome is recorded after. Records
// are JSON payloads in a record log (record_log.h), one file per run:
//
//   STATE_DIR/runs/RUN_ID/journal     mode 0600, in a 0700 directory
//
// Version policy: the header carries format_version; a reader refuses a
// journal of a version it does not know, rather than guess at it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/file_system.h"
#include "journal/record_log.h"
#include "model/timestamp.h"

namespace licmove {

inline constexpr int kJournalFormatVersion = 1;

struct RunHeader {
  int format_version = kJournalFormatVersion;
  std::string run_id;
  std::string kind;        // "apply" | "rollback"
  std::string parent_run;  // for a rollback: the run it undoes
  std::string account;
  std::string portal;  // the URL (never the token)
  std::string host;
  int pid = 0;
  UnixSeconds started_at = 0;
  std::string plan_json;    // the operation graph, as `licmove plan --format json`
  std::string before_json;  // the before-snapshot of everything the run touches
};

struct OpIntent {
  int op = 0;
  std::string idempotency_key;
  int attempt = 1;
};

struct OpOutcome {
  enum class Result { kDone, kFailed, kUnknown };
  int op = 0;
  Result result = Result::kDone;
  int http_status = 0;
  std::string license_key;  // activate: the key the portal assigned
  std::string camera_id;    // add_camera: the new id
  std::string message;      // kFailed / kUnknown: why
};

struct RunEnd {
  enum class Result { kCompleted, kStopped, kFailed, kInterrupted };
  Result result = Result::kCompleted;
  std::string message;
};

// Everything a journal holds, in order, as read back.
struct JournalContents {
  RunHeader header;
  std::vector<OpIntent> intents;
  std::vector<OpOutcome> outcomes;
  std::optional<RunEnd> end;
  LogScan::Tail tail = LogScan::Tail::kClean;  // kTorn: the last record was never synced
};

std::string JournalPath(const std::string& state_dir, const std::string& run_id);
std::string RunDirectory(const std::string& state_dir, const std::string& run_id);

// Appends to one run's journal. Intents and the end are durable when their
// call returns OK (append, then one fsync for the whole batch: group commit).
// Outcomes are appended without waiting for the disk and become durable with
// the next sync: an outcome lost in a crash only makes resume look at the
// portal to decide that op. After any failure the writer refuses further
// records, because what is on disk is no longer known.
class JournalWriter {
 public:
  // Creates STATE_DIR/runs/RUN_ID/journal and makes `header` durable.
  // Fails if the run already exists.
  static Result<std::unique_ptr<JournalWriter>> Create(FileSystem& fs, const std::string& state_dir,
                                                       const RunHeader& header);
  // Reopens an existing journal (resume), first cutting off a torn tail.
  static Result<std::unique_ptr<JournalWriter>> Reopen(FileSystem& fs, const std::string& state_dir,
                                                       const std::string& run_id);

  [[nodiscard]] Status RecordIntent(const OpIntent& intent) { return RecordIntents({intent}); }
  [[nodiscard]] Status RecordIntents(const std::vector<OpIntent>& intents);
  [[nodiscard]] Status RecordOutcome(const OpOutcome& outcome);
  [[nodiscard]] Status RecordEnd(const RunEnd& end);  // syncs the outcomes before it too
  [[nodiscard]] Status Sync();

 private:
  explicit JournalWriter(std::unique_ptr<AppendableFile> file) : log_(std::move(file)) {}
  [[nodiscard]] Status Append(std::uint8_t type, const std::string& payload);
  LogWriter log_;
  Status sticky_;
};

// Reads a run's journal. A torn tail is dropped and reported in `tail`;
// corruption in the middle, a missing header or an unknown format version is
// an error naming the file.
Result<JournalContents> ReadJournal(FileSystem& fs, const std::string& state_dir,
                                    const std::string& run_id);

// Only the header of a run's journal (what `runs` and the rollback checks
// need), without decoding the records after it.
Result<RunHeader> ReadRunHeader(FileSystem& fs, const std::string& state_dir,
                                const std::string& run_id);

// A rollback run, as the journals under a state dir name it.
struct RollbackRun {
  std::string run_id;
  bool completed = false;  // its journal ends with "completed"
};

// The rollback runs of run `run_id` (their header's parent_run), oldest
// first. A run with any is rolled back, or being rolled back: it must never
// be resumed, because its ops would undo the rollback's.
Result<std::vector<RollbackRun>> FindRollbacksOf(FileSystem& fs, const std::string& state_dir,
                                                 const std::string& run_id);

// Run ids under STATE_DIR/runs, oldest first (ids sort by start time).
Result<std::vector<std::string>> ListRuns(FileSystem& fs, const std::string& state_dir);

// "20261129T232301Z-4f1c": sortable by time, unique enough per host.
std::string NewRunId(UnixSeconds now, std::uint64_t entropy);

}  // namespace licmove
