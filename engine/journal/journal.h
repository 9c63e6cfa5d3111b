// The write-ahead journal of one run (an apply, a resume or a rollback).
//
// Before the first mutation the run's header is durable: the plan and the
// before-snapshot (every camera record the run will remove and every key it
// will park), so that nothing the portal forgets is lost. Each op's intent is
// durable before its request is sent; its outcome is recorded after. Records
// are typed JSON payloads, the same in every state backend: a record log file
// per run (file_journal.h) or rows of a table (engine/state/pg_backend.h).
//
// Version policy: the header carries format_version; a reader refuses a
// journal of a version it does not know, rather than guess at it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/record_log.h"
#include "model/status.h"
#include "model/timestamp.h"

namespace licmove {

inline constexpr int kJournalFormatVersion = 1;

struct RunHeader {
  int format_version = kJournalFormatVersion;
  std::string run_id;
  std::string kind;        // "apply" | "rollback"
  std::string parent_run;  // for a rollback: the run it undoes
  std::string account;
  std::string plan_identity;  // the ledger's key for the plan applied (may be empty)
  std::string portal;         // the URL (never the token)
  std::string host;
  int pid = 0;
  UnixSeconds started_at = 0;
  std::string plan_json;    // the operation graph, as `licmove plan --format json`
  std::string before_json;  // the before-snapshot of everything the run touches
  // A rollback: what it cannot give back (planner/restore.h RollbackCannotUndo),
  // as computed from the account when it started, so that every resume says
  // the same. Stored only when not empty; absent (older journals): empty.
  std::vector<std::string> cannot_undo;
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
  // When the end was journaled: a JournalWriter sets it (WithEndTime) when
  // it is 0. 0 when read from a journal written before licmove recorded it.
  UnixSeconds ended_at = 0;
};

// Everything a journal holds, in order, as read back.
struct JournalContents {
  RunHeader header;
  std::vector<OpIntent> intents;
  std::vector<OpOutcome> outcomes;
  std::optional<RunEnd> end;
  LogScan::Tail tail = LogScan::Tail::kClean;  // kTorn: the last record was never synced
};

// What a run is, without its plan: for listings, the ledger and the checks
// on rollbacks, which every state backend answers without reading journals
// through.
struct RunInfo {
  std::string run_id;
  std::string kind;
  std::string parent_run;
  std::string account;
  std::string plan_identity;
  std::string portal;
  std::string host;
  int pid = 0;
  UnixSeconds started_at = 0;
  std::optional<RunEnd> end;  // none: in progress, or stopped without a word
};

// Appends to one run's journal. Intents and the end are durable when their
// call returns OK (one durable write for the whole batch: group commit).
// Outcomes are written without waiting for durability and become durable
// with the next durable write: an outcome lost in a crash only makes resume
// look at the portal to decide that op. After any failure the writer refuses
// further records, because what is stored is no longer known.
class JournalWriter {
 public:
  virtual ~JournalWriter() = default;
  [[nodiscard]] Status RecordIntent(const OpIntent& intent) { return RecordIntents({intent}); }
  [[nodiscard]] virtual Status RecordIntents(const std::vector<OpIntent>& intents) = 0;
  [[nodiscard]] virtual Status RecordOutcome(const OpOutcome& outcome) = 0;
  // Syncs the outcomes before it too.
  [[nodiscard]] virtual Status RecordEnd(const RunEnd& end) = 0;
  [[nodiscard]] virtual Status Sync() = 0;
};

// The record types and payloads every backend stores.
enum JournalRecordType : std::uint8_t {
  kHeaderRecord = 1,
  kIntentRecord = 2,
  kOutcomeRecord = 3,
  kEndRecord = 4
};
std::string EncodeHeader(const RunHeader& header);
std::string EncodeIntent(const OpIntent& intent);
std::string EncodeOutcome(const OpOutcome& outcome);
std::string EncodeEnd(const RunEnd& end);  // ended_at only when not 0
// `end`, its ended_at set to the wall clock's now when 0: what writers store.
RunEnd WithEndTime(RunEnd end);
const char* RunEndName(RunEnd::Result result);  // "completed", ...
// "done", "failed", "unknown".
const char* OutcomeName(OpOutcome::Result result);

// Decodes a journal's records (the header first). `where` names the journal
// in errors (a path, or a run in a database); `tail` is what the storage said
// of its last record. With `header_only`, stops after the header.
Result<JournalContents> DecodeJournal(const std::vector<LogRecord>& records,
                                      const std::string& where, LogScan::Tail tail,
                                      bool header_only = false);

// The run a journal describes, from its contents.
RunInfo InfoOf(const JournalContents& journal);

// A rollback run of another run.
struct RollbackRun {
  std::string run_id;
  bool completed = false;  // its journal ends with "completed"
};

// The rollback runs of run `run_id` (their header's parent_run) among `runs`,
// in their order. A run with any is rolled back, or being rolled back: it
// must never be resumed, because its ops would undo the rollback's.
std::vector<RollbackRun> FindRollbacksOf(const std::vector<RunInfo>& runs,
                                         const std::string& run_id);

// "20261129T232301Z-4f1c": sortable by time, unique enough per host.
std::string NewRunId(UnixSeconds now, std::uint64_t entropy);

}  // namespace licmove
