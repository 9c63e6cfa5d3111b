#include "run_driver.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <map>
#include <random>
#include <tuple>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "command_line.h"
#include "crash_points.h"
#include "executor/op_call.h"
#include "executor/recovery.h"
#include "exit_codes.h"
#include "journal/file_system.h"
#include "journal/journal.h"
#include "planner/render.h"
#include "portal/account_reader.h"
#include "progress.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "run_view.h"

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

// How a run ended, for people (lines to say), machines (the exit code, the
// events) and the reports: decided once, told everywhere.
struct Conclusion {
  int exit_code = kExitOk;
  std::string result;  // "completed", "stopped", "failed", "interrupted"
  std::string message;
  std::vector<std::string> say;             // for people, in order
  std::vector<std::string> next_steps;      // commands
  std::vector<std::string> reconciliation;  // differences; empty: matches or not read
  bool reconciled = false;                  // the final read happened
};

IntentOutcome::Kind IntentKind(const Op& op) {
  if (op.intent == "assign") return IntentOutcome::Kind::kAssign;
  if (op.intent == "restore") return IntentOutcome::Kind::kRestore;
  return IntentOutcome::Kind::kMove;
}

// "12:5" -> {12, 5}; anything else sorts last.
std::pair<int, int> LineColumn(const std::string& where) {
  int line = 0, column = 0;
  if (std::sscanf(where.c_str(), "%d:%d", &line, &column) < 1) return {1 << 30, 0};
  return {line, column};
}

// One outcome per activation (each is one move, one assigned camera or one
// restored service), in plan order with restorations last, then the intents
// found done before the run.
std::vector<IntentOutcome> IntentOutcomes(const SavedPlan& plan, const ExecutionSummary& summary,
                                          const ProgressReporter& progress,
                                          const std::vector<IntentOutcome>& already_done,
                                          const std::string& stopped_why) {
  std::vector<const Op*> acts;
  for (const Op& op : plan.graph.ops()) {
    if (op.kind == OpKind::kActivate) acts.push_back(&op);
  }
  std::stable_sort(acts.begin(), acts.end(), [](const Op* a, const Op* b) {
    const bool ra = a->intent == "restore", rb = b->intent == "restore";
    return std::make_tuple(ra, LineColumn(a->where), a->camera) <
           std::make_tuple(rb, LineColumn(b->where), b->camera);
  });
  std::vector<IntentOutcome> out;
  out.reserve(acts.size() + already_done.size());
  for (const Op* op : acts) {
    const OpResult& r = summary.results[op->id];
    IntentOutcome o;
    o.kind = IntentKind(*op);
    o.camera = op->camera;
    o.from = op->from;
    o.service = op->service;
    o.key = r.license_key.empty() ? op->expect_key : r.license_key;
    if (!op->where.empty()) {
      o.where = (op->where_file.empty() ? plan.plan_file : op->where_file) + ":" + op->where;
    }
    o.seconds = progress.OpSeconds(op->id);
    switch (r.state) {
      case OpResult::State::kDone:
        o.result = IntentOutcome::Result::kDone;
        break;
      case OpResult::State::kFailed:
      case OpResult::State::kUnknown:
        o.result = IntentOutcome::Result::kFailed;
        o.message = r.message.empty() ? std::string(OpResultStateName(r.state)) : r.message;
        break;
      case OpResult::State::kBlocked:
        o.result = IntentOutcome::Result::kNotRun;
        o.message = "not run: a call it waits for failed";
        break;
      case OpResult::State::kNotStarted:
        o.result = IntentOutcome::Result::kNotRun;
        o.message = "not run: " + stopped_why;
        break;
    }
    out.push_back(std::move(o));
  }
  out.insert(out.end(), already_done.begin(), already_done.end());
  return out;
}

// Where an interrupted run left the account, from its graph and its ops'
// results (run_view.h). Keys whole: this is the run's report
// (docs/EXECUTOR.md, "Keys: whole or masked").
LeftOutside StateLeftBy(const OpGraph& graph, const std::vector<OpResult>& results) {
  return WhatRunLeft(graph.ops(), [&results](const Op& op) {
    switch (results[op.id].state) {
      case OpResult::State::kDone:
        return OpFate::kDone;
      case OpResult::State::kUnknown:
        return OpFate::kUnknown;
      default:
        return OpFate::kNotDone;
    }
  });
}

// "CAM-1, CAM-2 and 3 more": at most `limit` names, so that the summary of a
// big run stays a few lines.
std::string NameSome(const std::vector<std::string>& names, std::size_t limit = 20) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += " and " + std::to_string(names.size() - limit) + " more";
  return out;
}

}  // namespace

void AddReportFlags(CLI::App* cmd, RunOptions& run) {
  cmd->add_option("--report-junit", run.report_junit,
                  "write a JUnit XML report (one test case per plan intent) to FILE");
  cmd->add_option("--report-markdown", run.report_markdown,
                  "write a Markdown report under 65,000 characters to FILE (for "
                  "$GITHUB_STEP_SUMMARY or a merge-request note); when it has to leave things "
                  "out, the full report goes to FILE.full.md beside it");
}

void AddParallelismAndRateFlags(CLI::App* cmd, RunOptions& run) {
  AddParallelismFlag(cmd, run.parallelism, run.parallelism_auto);
  cmd->add_option("--rate", run.rate, "at most this many calls a second (0: no limit)")
      ->check(CLI::Range(0.0, 100000.0))
      ->capture_default_str();
}

std::string FullMarkdownReportPath(const std::string& path) {
  const std::string md = ".md";
  if (path.size() > md.size() && path.compare(path.size() - md.size(), md.size(), md) == 0) {
    return path.substr(0, path.size() - md.size()) + ".full.md";
  }
  return path + ".full.md";
}

Status WriteReports(const RunReport& report, const RunOptions& options) {
  FileSystem& fs = PosixFileSystem();
  if (!options.report_junit.empty()) {
    if (Status s = fs.WriteFileAtomically(options.report_junit, RenderJUnit(report)); !s.ok()) {
      return Status::IOError("writing the JUnit report " + options.report_junit + ": " +
                             s.message());
    }
  }
  if (!options.report_markdown.empty()) {
    const std::string full_path = FullMarkdownReportPath(options.report_markdown);
    const MarkdownReport md = RenderMarkdownReport(report, kMarkdownSummaryLimit, full_path);
    if (Status s = fs.WriteFileAtomically(options.report_markdown, md.summary); !s.ok()) {
      return Status::IOError("writing the Markdown report " + options.report_markdown + ": " +
                             s.message());
    }
    if (md.folded) {
      if (Status s = fs.WriteFileAtomically(full_path, md.full); !s.ok()) {
        return Status::IOError("writing the full Markdown report " + full_path + ": " +
                               s.message());
      }
    }
  }
  return Status::Ok();
}

namespace {

// Executes the ops not yet done, journals the end, reconciles and reports.
int Execute(const std::string& run_id, const std::string& kind, const SavedPlan& plan,
            JournalWriter& journal, const std::vector<bool>& done_before,
            const std::vector<IntentOutcome>& already_done, const RunOptions& options,
            const HttpClientOptions& http, const AccountSnapshot& current,
            const std::vector<std::string>& cannot_undo = {}) {
  const OpGraph& graph = plan.graph;
  const EventLog no_events(nullptr);
  const EventLog& events = options.events ? *options.events : no_events;
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
  const int critical_path = static_cast<int>(graph.CriticalPath().size());
  const UnixSeconds started_at = WallNow();
  events.Emit("run_started", {{"run_id", run_id},
                              {"kind", kind},
                              {"account", plan.account},
                              {"plan_file", plan.plan_file},
                              {"plan_hash", plan.plan_identity},
                              {"portal", options.portal_description},
                              {"state_backend", options.state->Description()},
                              {"calls", graph.size()},
                              {"calls_done_before", already},
                              {"critical_path", critical_path},
                              {"parallelism", options.parallelism},
                              {"parallelism_auto", options.parallelism_auto},
                              {"rate", options.rate}});

  asio::io_context io;
  HttpClient client(io.get_executor(), http);
  ProgressReporter progress(stderr, ProgressReporter::StyleFor(stderr, options.json_log),
                            graph.size(), already, &events);
  ExecutorOptions eo;
  eo.parallelism = options.parallelism;
  eo.adaptive = options.parallelism_auto;
  eo.rate = options.rate;
  eo.run_id = run_id;
  eo.seed = std::random_device{}();
  Executor executor(io.get_executor(), plan.account, graph, schedule, client, &journal, ids, eo,
                    &progress);
  auto stop = [&](int signal) {
    progress.Note(StopSignalName(signal) + ": starting nothing new; waiting for " +
                  std::to_string(schedule.running()) + " ops in flight");
    events.Emit("stop", {{"reason", "signal"},
                         {"signal", StopSignalName(signal)},
                         {"in_flight", schedule.running()}});
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

  // What to do next: undo the run (rollback plans from the account as it is
  // back to the journaled before-state), and where to look.
  const std::string hint_portal = options.portal_flags.empty() ? "" : " " + options.portal_flags;
  const std::string& state = options.state_hint;
  const std::string resume = options.command_prefix + " resume " + run_id + hint_portal + state;
  const std::string rollback = options.command_prefix + " rollback " + run_id + hint_portal + state;
  const std::string status = options.command_prefix + " status " + run_id + state;
  const std::string inspect = "undo it with: " + rollback + "; see what it did with: " + status;
  Conclusion c;
  c.result = RunEndName(end.result);
  c.message = summary.first_error;
  if (!summary.journal_error.ok()) {
    c.exit_code = kExitError;
    c.message = "the journal could not be written: " + summary.journal_error.message();
    c.say.push_back("the journal could not be written (" + summary.journal_error.message() +
                    "); nothing was sent after that. When it can be written again (the disk, or "
                    "the database and the connection to it), continue with: " +
                    resume);
    c.next_steps = {resume};
  } else if (summary.verification_failed) {
    c.exit_code = kExitVerification;
    c.say = {summary.first_error,
             "stopped: the portal did not do what the plan predicted; " + inspect};
    c.next_steps = {rollback, status};
  } else if (summary.account_changed) {
    c.exit_code = kExitVerification;
    c.say = {summary.first_error,
             "stopped: the account changed under the run (someone or something else is "
             "changing " +
                 plan.account +
                 "); nothing new was started and the ops in flight were finished. Once "
                 "nothing else changes it, continue with: " +
                 resume + "; or " + inspect};
    c.next_steps = {resume, rollback};
  } else if (summary.interrupted && !complete) {
    c.exit_code = kExitInterrupted;
    c.message = "interrupted";
    c.say = {"interrupted; continue with: " + resume + "; or undo it with: " + rollback};
    c.next_steps = {resume, rollback};
  } else if (!complete) {
    c.exit_code = kExitError;
    c.say = {"not complete: " + summary.first_error, "continue with: " + resume + "; " + inspect};
    c.next_steps = {resume, rollback};
  } else {
    auto after = ReadAccountBlocking(http, plan.account);
    if (!after.ok()) {
      c.exit_code = kExitError;
      c.message = "done, but the final read failed: " + after.status().message();
      c.say = {c.message};
    } else {
      c.reconciled = true;
      c.reconciliation = Reconcile(graph, plan.binding, *after);
      if (!c.reconciliation.empty()) {
        c.exit_code = kExitVerification;
        c.message = "the account differs from the plan's prediction";
        for (const std::string& d : c.reconciliation) c.say.push_back("reconciliation: " + d);
        c.say.push_back(c.message + "; " + inspect);
        c.next_steps = {rollback, status};
      }
    }
  }
  if (!complete && c.exit_code != kExitInterrupted && !summary.interrupted) {
    events.Emit("stop", {{"reason", summary.verification_failed   ? "verification_failed"
                                    : summary.account_changed     ? "account_changed"
                                    : !summary.journal_error.ok() ? "journal_error"
                                                                  : "failed"},
                         {"message", c.message}});
  }
  if (c.reconciled) {
    boost::json::array diffs;
    for (const std::string& d : c.reconciliation) diffs.emplace_back(d);
    events.Emit("reconciliation",
                {{"matches", c.reconciliation.empty()}, {"differences", std::move(diffs)}});
  }

  // The report: one line per activation (what each move, assign and
  // restoration came to), then the totals.
  RunReport report;
  report.run_id = run_id;
  report.kind = kind;
  report.account = plan.account;
  report.plan_file = plan.plan_file;
  report.plan_identity = plan.plan_identity;
  report.portal = options.portal_description;
  report.result = c.result;
  if (c.exit_code != kExitOk && c.result == "completed") report.result = "failed";
  report.message = c.message;
  report.calls_total = graph.size();
  for (const OpResult& r : summary.results) report.calls_done += r.state == OpResult::State::kDone;
  report.requests_sent = static_cast<int>(summary.requests_sent);
  report.retries = progress.retries();
  report.parallelism = options.parallelism;
  report.critical_path = critical_path;
  report.wall_seconds = seconds;
  report.started_at = FormatTimestamp(started_at);
  report.reconciliation = c.reconciliation;
  report.next_steps = c.next_steps;
  report.intents =
      IntentOutcomes(plan, summary, progress, already_done, "the run " + c.result + " first");

  std::ostream& out = HumanOut(options);
  const bool interrupted = c.exit_code == kExitInterrupted;
  if (interrupted) {
    // Not one line per camera: what the account holds right now, in a few
    // lines; `licmove status RUN` has every op.
    const LeftOutside left = StateLeftBy(graph, summary.results);
    out << "run " << run_id << " (" << plan.account << ") interrupted: " << report.calls_done << "/"
        << graph.size() << " ops done. The account now:\n";
    if (left.removed.empty() && left.parked.empty()) {
      out << "  no camera removed without being added back, no key parked outside it\n";
    }
    if (!left.removed.empty()) {
      out << "  " << left.removed.size()
          << " cameras removed and not added back yet: " << NameSome(left.removed) << "\n";
    }
    if (!left.parked.empty()) {
      out << "  " << left.parked.size()
          << " keys parked outside the account (the journal holds them): " << NameSome(left.parked)
          << "\n";
    }
    if (!left.unknown.empty()) {
      out << "  " << left.unknown.size()
          << " calls of unknown outcome (resume asks the portal): " << NameSome(left.unknown, 5)
          << "\n";
    }
    out << "  every op: " << status << "\n";
  } else {
    out << "run " << run_id << " (" << plan.account << "):\n";
    for (const IntentOutcome& o : report.intents) {
      out << "  " << o.camera << "  " << o.service << "  " << o.key << "  "
          << (o.result == IntentOutcome::Result::kDone          ? "done"
              : o.result == IntentOutcome::Result::kAlreadyDone ? "already done"
              : o.result == IntentOutcome::Result::kFailed      ? "failed"
                                                                : "not run")
          << "\n";
    }
  }
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
  out << report.calls_done << "/" << graph.size() << " ops done, " << summary.requests_sent
      << " requests sent in " << elapsed << " s (parallelism ";
  if (options.parallelism_auto) {
    out << "auto: settled on " << summary.limit_settled << ", " << summary.limit_lowest << "-"
        << summary.limit_highest;
  } else {
    out << options.parallelism;
  }
  out << ", critical path " << critical_path << ")";
  if (progress.retries() > 0) {
    out << "; " << progress.retries() << " retries, " << progress.waits_429()
        << " of them waits on 429";
  }
  out << "\n";
  for (const std::string& line : c.say) Say(line);
  if (c.reconciled && c.reconciliation.empty()) {
    out << "reconciliation: the account matches the plan\n";
  }
  report.cannot_undo = cannot_undo;
  for (const std::string& line : cannot_undo) out << "cannot be undone: " << line << "\n";
  if (Status s = WriteReports(report, options); !s.ok()) {
    Say(s.message());
    if (c.exit_code == kExitOk) c.exit_code = kExitError;
  }
  int intents_done = 0, intents_failed = 0, intents_not_run = 0, intents_already = 0;
  for (const IntentOutcome& o : report.intents) {
    intents_done += o.result == IntentOutcome::Result::kDone;
    intents_failed += o.result == IntentOutcome::Result::kFailed;
    intents_not_run += o.result == IntentOutcome::Result::kNotRun;
    intents_already += o.result == IntentOutcome::Result::kAlreadyDone;
  }
  boost::json::array next;
  for (const std::string& n : c.next_steps) next.emplace_back(n);
  events.Emit("run_finished", {{"run_id", run_id},
                               {"kind", kind},
                               {"account", plan.account},
                               {"result", report.result},
                               {"message", report.message},
                               {"exit_code", c.exit_code},
                               {"calls", graph.size()},
                               {"calls_done", report.calls_done},
                               {"requests_sent", summary.requests_sent},
                               {"retries", report.retries},
                               {"limit_settled", summary.limit_settled},
                               {"intents", report.intents.size()},
                               {"intents_done", intents_done},
                               {"intents_already_done", intents_already},
                               {"intents_failed", intents_failed},
                               {"intents_not_run", intents_not_run},
                               {"wall_seconds", seconds},
                               {"next_steps", std::move(next)}});
  return c.exit_code;
}

}  // namespace

std::ostream& HumanOut(const RunOptions& options) {
  return options.json_log ? std::cerr : std::cout;
}

void SayCannotUndo(const std::vector<std::string>& lines, const std::string& undone_run,
                   const RunOptions& options) {
  if (lines.empty()) return;
  boost::json::array items;
  for (const std::string& line : lines) {
    HumanOut(options) << "cannot be undone: " << line << "\n";
    items.emplace_back(line);
  }
  if (options.events) {
    options.events->Emit("cannot_undo", {{"run_id", undone_run}, {"items", std::move(items)}});
  }
}

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
  header.plan_identity = input.plan.plan_identity;
  header.cannot_undo = input.cannot_undo;
  auto journal = options.state->CreateJournal(header);
  if (!journal.ok()) {
    Say("cannot start the journal: " + journal.status().message());
    return kExitError;
  }
  Say("run " + run_id + ": journal " + options.state->JournalLocation(run_id));
  const std::vector<bool> none(input.plan.graph.size(), false);
  auto fenced = FenceJournal(std::move(journal.value()), *lock.keeper);
  return Execute(run_id, input.kind, input.plan, *fenced, none, input.already_done, options, http,
                 current, input.cannot_undo);
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
  // A rollback's lines as it said them when it started: the account may no
  // longer show them (a key it parked again, or parked for a while).
  const std::vector<std::string>& cannot_undo = contents->header.cannot_undo;
  SayCannotUndo(cannot_undo, contents->header.parent_run, options);
  StopHandler noted([](int) {});
  auto journal = options.state->ReopenJournal(run_id);
  if (!journal.ok()) {
    Say(journal.status().message());
    return kExitError;
  }
  auto fenced = FenceJournal(std::move(journal.value()), *lock.keeper);
  return Execute(run_id, contents->header.kind, *saved, *fenced, decision.done, {}, options, http,
                 *current, cannot_undo);
}

}  // namespace licmove
