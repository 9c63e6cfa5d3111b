#include "run_driver.h"

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "crash_points.h"
#include "executor/op_call.h"
#include "executor/recovery.h"
#include "exit_codes.h"
#include "journal/journal.h"
#include "portal/account_reader.h"
#include "progress.h"

namespace licmove {

namespace asio = boost::asio;

namespace {

UnixSeconds WallNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Say(const std::string& line) {
  std::cerr << "licmove: " << line << "\n";
}

// Executes the ops not yet done, journals the end, reconciles and reports.
int Execute(const std::string& run_id, const SavedPlan& plan, JournalWriter& journal,
            const std::vector<bool>& done_before, const RunOptions& options,
            const HttpClientOptions& http, const AccountSnapshot& current) {
  const OpGraph& graph = plan.graph;
  Schedule schedule(graph);
  std::size_t already = 0;
  for (int i = 0; i < graph.size(); ++i) {
    if (done_before[i]) {
      schedule.MarkDoneBeforeStart(i);
      ++already;
    }
  }
  std::map<std::string, std::string> ids;
  for (const Camera& c : current.account.cameras) ids[c.serial] = c.id;

  asio::io_context io;
  HttpClient client(io.get_executor(), http);
  ProgressReporter progress(stderr, ProgressReporter::StyleFor(stderr, options.json_log),
                            graph.size(), already);
  ExecutorOptions eo;
  eo.parallelism = options.parallelism;
  eo.rate = options.rate;
  eo.run_id = run_id;
  eo.seed = std::random_device{}();
  Executor executor(io.get_executor(), plan.account, graph, schedule, client, &journal, ids, eo,
                    &progress);
  auto stop = [&](int signal) {
    progress.Note(StopSignalName(signal) + ": starting nothing new; waiting for " +
                  std::to_string(schedule.running()) + " ops in flight");
    executor.RequestStop();
  };
  // Called on the signal thread: the stop itself happens on the executor's.
  StopHandler on_stop([&](int signal) { asio::post(io, [&stop, signal] { stop(signal); }); });
  // A signal that came after the run's journal existed but before this
  // handler: the caller's handler only noted it.
  if (const int signal = StopSignalReceived()) stop(signal);
  ExecutionSummary summary;
  asio::co_spawn(io, executor.Run(), [&](std::exception_ptr e, ExecutionSummary s) {
    if (e) summary.first_error = "the executor failed unexpectedly";
    summary = std::move(s);
  });
  const auto started = std::chrono::steady_clock::now();
  io.run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress.Close();

  for (int i = 0; i < graph.size(); ++i) {
    if (done_before[i]) summary.results[i].state = OpResult::State::kDone;
  }
  const bool complete = summary.complete();
  RunEnd end;
  end.result = complete                      ? RunEnd::Result::kCompleted
               : summary.interrupted         ? RunEnd::Result::kInterrupted
               : summary.verification_failed ? RunEnd::Result::kStopped
                                             : RunEnd::Result::kFailed;
  end.message = summary.first_error;
  if (Status s = journal.RecordEnd(end); !s.ok() && summary.journal_error.ok()) {
    summary.journal_error = s;
  }

  // The report: one line per activation (what each move, assign and
  // restoration came to), then the totals.
  std::cout << "run " << run_id << " (" << plan.account << "):\n";
  for (const Op& op : graph.ops()) {
    if (op.kind != OpKind::kActivate) continue;
    const OpResult& r = summary.results[op.id];
    std::cout << "  " << op.camera << "  " << op.service << "  "
              << (r.license_key.empty() ? op.expect_key : r.license_key) << "  "
              << OpResultStateName(r.state) << "\n";
  }
  std::size_t done = 0;
  for (const OpResult& r : summary.results) done += r.state == OpResult::State::kDone;
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
  std::cout << done << "/" << graph.size() << " ops done, " << summary.requests_sent
            << " requests sent in " << elapsed << " s (parallelism " << options.parallelism
            << ", critical path " << graph.CriticalPath().size() << ")\n";

  const std::string hint_portal = options.portal_flags.empty() ? "" : " " + options.portal_flags;
  const std::string& state = options.state_hint;
  if (!summary.journal_error.ok()) {
    Say("the journal could not be written (" + summary.journal_error.message() +
        "); nothing was sent after that. When it can be written again (the disk, or the "
        "database and the connection to it), continue with: " +
        options.command_prefix + " resume " + run_id + hint_portal + state);
    return kExitError;
  }
  // What to do next: undo the run (rollback plans from the account as it is
  // back to the journaled before-state), and where to look.
  const std::string inspect =
      "undo it with: " + options.command_prefix + " rollback " + run_id + hint_portal + state +
      "; see what it did with: " + options.command_prefix + " status " + run_id + state;
  if (summary.verification_failed) {
    Say(summary.first_error);
    Say("stopped: the portal did not do what the plan predicted; " + inspect);
    return kExitVerification;
  }
  if (summary.account_changed) {
    Say(summary.first_error);
    Say("stopped: the account changed under the run (someone or something else is changing " +
        plan.account +
        "); nothing new was started and the ops in flight were finished. Once "
        "nothing else changes it, continue with: " +
        options.command_prefix + " resume " + run_id + hint_portal + state + "; or " + inspect);
    return kExitVerification;
  }
  if (summary.interrupted && !complete) {
    Say("interrupted; continue with: " + options.command_prefix + " resume " + run_id +
        hint_portal + state);
    return kExitInterrupted;
  }
  if (!complete) {
    Say("not complete: " + summary.first_error);
    Say("continue with: " + options.command_prefix + " resume " + run_id + hint_portal + state +
        "; " + inspect);
    return kExitError;
  }
  auto after = ReadAccountBlocking(http, plan.account);
  if (!after.ok()) {
    Say("done, but the final read failed: " + after.status().message());
    return kExitError;
  }
  const std::vector<std::string> diffs = Reconcile(graph, plan.binding, *after);
  if (!diffs.empty()) {
    for (const std::string& d : diffs) Say("reconciliation: " + d);
    Say("the account differs from the plan's prediction; " + inspect);
    return kExitVerification;
  }
  std::cout << "reconciliation: the account matches the plan\n";
  return kExitOk;
}

}  // namespace

Result<std::unique_ptr<StateBackend>> OpenRunState(const StateFlags& flags, RunOptions& options) {
  auto state = OpenState(flags);
  if (!state.ok()) return state.status();
  options.state = state->get();
  options.state_hint = StateHint(flags);
  options.lock_lease = std::chrono::seconds(flags.lock_lease_seconds);
  return state;
}

std::string NewRunIdNow() {
  return NewRunId(WallNow(), std::random_device{}());
}

Result<RunLock> LockAccountForRun(const RunOptions& options, const std::string& account,
                                  const std::string& run_id, const std::string& take_over_run) {
  LockOwner owner{HostName(), MachineId(), static_cast<int>(::getpid()), WallNow(), run_id};
  // A stop between taking the lock and registering it would leave it
  // behind.
  DeferStops defer;
  auto lock = options.state->AcquireLock(account, owner, take_over_run, options.lock_lease);
  if (!lock.ok()) return lock.status();
  RunLock held;
  held.run_id = run_id;
  held.lock = std::move(lock.value());
  held.keeper = std::make_unique<LeaseKeeper>(*held.lock, options.lock_lease);
  held.release_on_stop = std::make_unique<ReleaseOnStop>([l = held.lock.get()] { l->Release(); });
  return held;
}

std::string RolledBackBy(const RunOptions& options, const std::string& run_id) {
  auto rollbacks = FindRollbacksOf(*options.state, run_id);
  if (!rollbacks.ok()) {
    return "the state cannot be searched for rollbacks of it (" + rollbacks.status().message() +
           ")";
  }
  for (const RollbackRun& r : *rollbacks) {
    if (!r.completed) {
      return "it is being rolled back by run " + r.run_id + ", which is unfinished: finish that " +
             "with: " + options.command_prefix + " resume " + r.run_id;
    }
  }
  if (!rollbacks->empty()) return "it was rolled back by run " + rollbacks->back().run_id;
  return "";
}

int StartRun(RunLock lock, const RunInput& input, const RunOptions& options,
             const HttpClientOptions& http, const AccountSnapshot& current) {
  // From the journal's first byte on, a stop signal stops the run cleanly
  // instead of ending the process (stop_signals.h).
  StopHandler noted([](int) {});
  if (Status s = lock.keeper->Check(); !s.ok()) {
    Say("not started: " + s.message());
    return kExitLocked;
  }
  const UnixSeconds now = WallNow();
  const std::string& run_id = lock.run_id;
  RunHeader header;
  header.run_id = run_id;
  header.kind = input.kind;
  header.parent_run = input.parent_run;
  header.account = input.plan.account;
  header.portal = options.portal_description;
  header.host = HostName();
  header.pid = static_cast<int>(::getpid());
  header.started_at = now;
  header.plan_json = input.saved_json;
  auto journal = options.state->CreateJournal(header);
  if (!journal.ok()) {
    Say("cannot start the journal: " + journal.status().message());
    return kExitError;
  }
  Say("run " + run_id + ": journal " + options.state->JournalLocation(run_id));
  const std::vector<bool> none(input.plan.graph.size(), false);
  auto fenced = FenceJournal(std::move(journal.value()), *lock.keeper);
  return Execute(run_id, input.plan, *fenced, none, options, http, current);
}

int ContinueRun(RunLock lock, const RunOptions& options, const HttpClientOptions& http) {
  const std::string& run_id = lock.run_id;
  auto contents = options.state->ReadJournal(run_id);
  if (!contents.ok()) {
    Say(contents.status().message());
    return kExitError;
  }
  auto saved = LoadSavedPlan(contents->header.plan_json, options.state->JournalLocation(run_id));
  if (!saved.ok()) {
    Say(saved.status().message());
    return kExitError;
  }
  if (contents->end && contents->end->result == RunEnd::Result::kCompleted) {
    Say("run " + run_id + " already completed; nothing to resume");
    return kExitOk;
  }
  auto current = ReadAccountBlocking(http, saved->account);
  if (!current.ok()) {
    Say(current.status().message());
    return kExitError;
  }
  const ResumeDecision decision = DecideResume(saved->graph, *contents, saved->binding, *current);
  for (const std::string& note : decision.notes) Say(note);
  if (!decision.mismatches.empty()) {
    for (const std::string& m : decision.mismatches) Say("verification failed: " + m);
    Say("stopped before sending anything more; undo the run with: " + options.command_prefix +
        " rollback " + run_id);
    return kExitVerification;
  }
  StopHandler noted([](int) {});
  auto journal = options.state->ReopenJournal(run_id);
  if (!journal.ok()) {
    Say(journal.status().message());
    return kExitError;
  }
  auto fenced = FenceJournal(std::move(journal.value()), *lock.keeper);
  return Execute(run_id, *saved, *fenced, decision.done, options, http, *current);
}

}  // namespace licmove
