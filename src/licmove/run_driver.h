// One run of the executor, as apply, resume and rollback share it: the
// account lock, the journal, SIGINT/SIGTERM/SIGHUP, the progress output, the
// final reconciliation and the per-change report.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command_line.h"
#include "event_log.h"
#include "executor/executor.h"
#include "model/account.h"
#include "planner/planner.h"
#include "planner/saved_plan.h"
#include "portal/http_client.h"
#include "report/run_report.h"
#include "state/lease_keeper.h"
#include "state/state_backend.h"
#include "state_access.h"
#include "stop_signals.h"

namespace licmove {

struct RunOptions {
  StateBackend* state = nullptr;  // REQUIRES: set, and outlives the run
  std::string state_hint;         // " --state ..." for the hints, or ""
  std::chrono::seconds lock_lease = kDefaultLockLease;
  int parallelism = kDefaultParallelism;  // planner.h: what plans are shaped for
  // --parallelism auto: the executor learns the limit (adaptive_limit.h);
  // `parallelism` is then kAutoShapeParallelism, what the plan is shaped for.
  bool parallelism_auto = false;
  double rate = 0;
  bool json_log = false;
  std::string portal_description;          // journaled: where the run went
  std::string command_prefix = "licmove";  // for the resume / rollback hints
  std::string portal_flags;                // "--portal URL" for those hints
  // --log-format json: the run's events go here (stdout), and what is for
  // people goes to stderr (HumanOut).
  const EventLog* events = nullptr;
  std::string report_junit;     // --report-junit FILE
  std::string report_markdown;  // --report-markdown FILE
};

// Writes the reports `options` asks for (--report-junit, --report-markdown
// and, when the Markdown summary had to leave things out, the full report
// beside it at FullMarkdownReportPath). Errors name the file.
[[nodiscard]] Status WriteReports(const RunReport& report, const RunOptions& options);
// Adds --report-junit FILE and --report-markdown FILE, into `run`.
void AddReportFlags(CLI::App* cmd, RunOptions& run);
// Adds --parallelism N|auto (command_line.h, AddParallelismFlag) and --rate
// R, into `run`: one definition (help, range, default) for apply, resume and
// rollback.
void AddParallelismAndRateFlags(CLI::App* cmd, RunOptions& run);

// "summary.md" -> "summary.full.md".
std::string FullMarkdownReportPath(const std::string& path);

// Where a command prints what is for people: stdout, or stderr when stdout
// carries JSON lines (--log-format json).
std::ostream& HumanOut(const RunOptions& options);

// What a run executes: the saved-plan JSON (graph + binding) is what the
// journal keeps, so a resume in another process runs exactly this.
struct RunInput {
  SavedPlan plan;
  std::string saved_json;
  std::string kind = "apply";  // "apply" | "rollback"
  std::string parent_run;      // rollback: the run it undoes
  // apply: the plan intents found already done (the reports list them too).
  std::vector<IntentOutcome> already_done;
  // rollback: what it cannot give back, for its summary and reports;
  // journaled (RunHeader::cannot_undo) for its resumes.
  std::vector<std::string> cannot_undo;
};

// A rollback's "cannot be undone" lines, before it runs (and before its
// resume, from the journal): one text line each, and a `cannot_undo` event
// naming the run undone, `undone_run`. Nothing when `lines` is empty.
void SayCannotUndo(const std::vector<std::string>& lines, const std::string& undone_run,
                   const RunOptions& options);

// The account's lock, held by one run from before the account is read until
// the command ends, its lease renewed all that time (a confirmation prompt
// may wait long), and released if a stop signal ends the command first.
// Members go in reverse order: deregistered, no longer renewed, released.
struct RunLock {
  std::string run_id;  // the run it is held for
  std::unique_ptr<HeldLock> lock;
  std::unique_ptr<LeaseKeeper> keeper;
  std::unique_ptr<ReleaseOnStop> release_on_stop;
};

// Opens the state backend the flags name and points `options` at it (its
// hints and lease too). The backend must outlive every use of `options`.
Result<std::unique_ptr<StateBackend>> OpenRunState(const StateFlags& flags, RunOptions& options);

// A fresh run id ("20261129T232301Z-4f1c").
std::string NewRunIdNow();

// Takes `account`'s lock for run `run_id`, which may take over a stale lock
// left by run `take_over_run` (the run a resume or rollback continues or
// undoes). Fails with the owner's description (exit code kExitLocked).
Result<RunLock> LockAccountForRun(const RunOptions& options, const std::string& account,
                                  const std::string& run_id, const std::string& take_over_run = "");

// Why run `run_id` must not be resumed or rolled back again: it was rolled
// back, or is being rolled back, by another run. Empty when it was not.
// REQUIRES: the account's lock is held (so no rollback can start meanwhile).
std::string RolledBackBy(const RunOptions& options, const std::string& run_id);

// Starts a new run under `lock` (taken for lock.run_id before `current` was
// read). `current` is the account as just read (for camera ids). Returns the
// process exit code; prints the report.
int StartRun(RunLock lock, const RunInput& input, const RunOptions& options,
             const HttpClientOptions& http, const AccountSnapshot& current);

// Continues run lock.run_id from its journal: decides ops of unknown outcome
// from the portal, then runs the rest.
int ContinueRun(RunLock lock, const RunOptions& options, const HttpClientOptions& http);

}  // namespace licmove
