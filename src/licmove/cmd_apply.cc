// licmove apply (PLAN.yaml | SAVED.json) --portal URL: plan against the live
// account (or check a saved plan's binding), show it, ask, then run it with
// the journal. See README.md "Applying a plan".

#include <fstream>
#include <iostream>
#include <sstream>

#include "command.h"
#include "confirm.h"
#include "event_log.h"
#include "exit_codes.h"
#include "files/plan_file.h"
#include "files/plan_identity.h"
#include "planner/already_done.h"
#include "planner/planner.h"
#include "planner/render.h"
#include "planner/saved_plan.h"
#include "portal/account_reader.h"
#include "portal_access.h"
#include "run_driver.h"
#include "state/ledger.h"

namespace licmove {

namespace {

struct ApplyFlags {
  std::string plan;
  PortalFlags portal;
  StateFlags state;
  RunOptions run;
  bool yes = false;
  bool resume_unfinished = false;
  bool reapply = false;
  bool detailed = false;  // the plan shown: every camera, key and step
  std::string log_format = "text";
};

bool LooksLikeSavedPlan(const std::string& path) {
  std::ifstream in(path);
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  return c == '{';
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What is applied, before the account is read: the plan's account, its
// identity in the ledger, and where it came from.
struct ApplyTarget {
  std::string account;
  std::string plan_file;
  std::string identity;
};

// Says why apply ends without a run, for people, the event stream and the
// reports. Returns `exit_code`.
int EndWithoutRun(const ApplyFlags& f, const ApplyTarget& t, int exit_code,
                  const std::string& result, const std::string& message,
                  std::vector<IntentOutcome> intents = {},
                  std::vector<std::string> next_steps = {}) {
  if (exit_code == kExitOk) {
    HumanOut(f.run) << result << ": " << message << "\n";
  } else {
    std::cerr << "licmove: " << message << "\n";
  }
  boost::json::array next;
  for (const std::string& n : next_steps) next.emplace_back(n);
  f.run.events->Emit(result == "no changes" ? "no_changes" : "refused",
                     {{"account", t.account},
                      {"plan_file", t.plan_file},
                      {"plan_hash", t.identity},
                      {"message", message},
                      {"exit_code", exit_code},
                      {"next_steps", std::move(next)}});
  if (exit_code != kExitOk) return exit_code;
  RunReport report;
  report.account = t.account;
  report.plan_file = t.plan_file;
  report.plan_identity = t.identity;
  report.portal = f.run.portal_description;
  report.result = "no_changes";
  report.message = message;
  report.intents = std::move(intents);
  if (Status s = WriteReports(report, f.run); !s.ok()) {
    std::cerr << "licmove: " << s.message() << "\n";
    return kExitError;
  }
  return exit_code;
}

std::string RunWhen(const RunInfo& run) {
  return "run " + run.run_id + " (started " + FormatTimestamp(run.started_at) + ")";
}

// What the ledger says of the plan: -1 to go on and plan, else the exit code
// (after saying why). `resume_run` is set when an unfinished run of the plan
// is to be continued instead (--resume-unfinished).
int ConsultLedger(const ApplyFlags& f, const ApplyTarget& t, std::string& resume_run) {
  auto entry = LookUpPlan(*f.run.state, t.account, t.identity);
  if (!entry.ok()) {
    std::cerr << "licmove: reading the ledger: " << entry.status().message() << "\n";
    return kExitError;
  }
  const std::string where = f.run.portal_flags.empty() ? "" : " " + f.run.portal_flags;
  const std::string resume = "licmove resume " + entry->run.run_id + where + f.run.state_hint;
  const std::string rollback = "licmove rollback " + entry->run.run_id + where + f.run.state_hint;
  switch (entry->state) {
    case LedgerEntry::State::kNeverApplied:
      return -1;
    case LedgerEntry::State::kCompleted:
      if (f.reapply) return -1;
      return EndWithoutRun(f, t, kExitOk, "no changes",
                           t.plan_file + " was applied to account " + t.account + " by " +
                               RunWhen(entry->run) + "; see it with: licmove status " +
                               entry->run.run_id + f.run.state_hint);
    case LedgerEntry::State::kUnfinished:
      // At work right now (its lock is live): the account is locked, which
      // says more than "unfinished", and no resume may start beside it.
      if (auto lock = f.run.state->ReadLock(t.account);
          lock.ok() && lock->lock && lock->lock->owner.run_id == entry->run.run_id &&
          StaleReason(*lock->lock, lock->now).empty()) {
        std::cerr << "licmove: " << LockConflictMessage(t.account, *lock->lock, "") << "\n";
        f.run.events->Emit("refused", {{"account", t.account},
                                       {"plan_file", t.plan_file},
                                       {"plan_hash", t.identity},
                                       {"message", "the account is locked by run " +
                                                       entry->run.run_id + ", at work"},
                                       {"exit_code", kExitLocked}});
        return kExitLocked;
      }
      if (f.resume_unfinished) {
        resume_run = entry->run.run_id;
        return -1;
      }
      return EndWithoutRun(f, t, kExitRefused, "refused",
                           "not applied: " + RunWhen(entry->run) + " of " + t.plan_file +
                               " on account " + t.account + " is unfinished" +
                               (entry->run.end ? " (" + entry->run.end->message + ")" : "") +
                               ". Continue it with: " + resume +
                               " (or add --resume-unfinished to this command); " +
                               "or undo it with: " + rollback,
                           {}, {resume, rollback});
    case LedgerEntry::State::kRollingBack: {
      const std::string finish =
          "licmove resume " + entry->rollback.run_id + where + f.run.state_hint;
      return EndWithoutRun(f, t, kExitRefused, "refused",
                           "not applied: " + RunWhen(entry->run) + " of " + t.plan_file +
                               " is being rolled back by run " + entry->rollback.run_id +
                               ", which is unfinished; finish that first with: " + finish,
                           {}, {finish});
    }
    case LedgerEntry::State::kRolledBack:
      if (f.reapply) return -1;
      return EndWithoutRun(f, t, kExitRefused, "refused",
                           "not applied: " + t.plan_file + " was applied to account " + t.account +
                               " by " + RunWhen(entry->run) + " and rolled back by run " +
                               entry->rollback.run_id + ". To apply it again, add --reapply");
  }
  return -1;
}

// The hint after a plan that does not resolve against the account: it may
// have been applied already, by a run this state knows, or otherwise.
std::string NotResolvedHint(const RunOptions& run, const std::string& account) {
  std::string hint =
      "if this plan was applied before (by hand, by another tool, or with another --state), "
      "the account no longer holds what it moves: see licmove runs" +
      run.state_hint;
  auto runs = run.state->ListRuns();
  if (!runs.ok()) return hint;
  const std::vector<RunInfo> unfinished = UnfinishedRuns(*runs, account);
  if (unfinished.empty()) return hint;
  hint += ". Unfinished runs on account " + account + " (they may hold keys parked outside it):";
  for (const RunInfo& r : unfinished) hint += " " + r.run_id;
  return hint + "; continue one with: licmove resume RUN, or undo it with: licmove rollback RUN";
}

IntentOutcome AlreadyDoneOutcome(const Plan& plan, const MoveIntent& m, const Account& account) {
  IntentOutcome o;
  o.kind = IntentOutcome::Kind::kMove;
  o.camera = m.to;
  o.from = m.from;
  o.key = *m.key;
  const License* license = account.FindLicense(*m.key);
  o.service = m.service ? *m.service : license ? license->service : "";
  o.where = (m.file.empty() ? plan.file : m.file) + ":" + std::to_string(m.where.line) + ":" +
            std::to_string(m.where.column);
  o.result = IntentOutcome::Result::kAlreadyDone;
  o.message = "already done: " + *m.key + " is on " + m.to;
  return o;
}

int RunResumeWith(const std::string& run_id, PortalFlags& portal, const StateFlags& state_flags,
                  RunOptions& run);

int RunApply(ApplyFlags& f) {
  if (const int code = CheckPortalFlags(f.portal, "licmove apply"); code != 0) return code;
  f.run.json_log = f.log_format == "json";
  const EventLog events(f.run.json_log ? stdout : nullptr);
  f.run.events = &events;
  // The account comes from the plan: read it first, so that the preflight
  // can check the token against it.
  ApplyTarget target;
  std::optional<Plan> plan_file;
  std::optional<SavedPlan> saved;
  std::string saved_text;
  if (LooksLikeSavedPlan(f.plan)) {
    saved_text = ReadAll(f.plan);
    auto loaded = LoadSavedPlan(saved_text, f.plan);
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitInvalidInput;
    }
    saved = std::move(loaded.value());
    target = {saved->account, saved->plan_file.empty() ? f.plan : saved->plan_file,
              saved->plan_identity};
  } else {
    auto loaded = LoadPlanFile(f.plan);
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitInvalidInput;
    }
    plan_file = std::move(loaded.value());
    target = {plan_file->account, f.plan, PlanIdentity(*plan_file)};
  }

  auto state = OpenRunState(f.state, f.run);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  f.run.portal_flags = "--portal " + f.portal.portal;
  // The ledger before the portal: a plan already applied costs no call.
  std::string resume_run;
  if (const int code = ConsultLedger(f, target, resume_run); code >= 0) return code;
  if (!resume_run.empty()) {
    std::cerr << "licmove: continuing unfinished run " << resume_run << " of " << target.plan_file
              << " (--resume-unfinished)\n";
    return RunResumeWith(resume_run, f.portal, f.state, f.run);
  }

  f.portal.state_dir = LocalStateDir(f.state);
  auto opened = OpenCheckedPortal(f.portal, target.account, /*need_admin=*/true);
  if (!opened.ok()) {
    std::cerr << "licmove: " << opened.status().message() << "\n";
    return ExitCodeFor(opened.status());
  }
  const PortalSession& session = **opened;
  const HttpClientOptions& http = session.http_options();
  f.run.portal_description = session.description();
  // The lock before the read: a plan computed from an account another run
  // is changing would be shown, then refused.
  auto lock = LockAccountForRun(f.run, target.account, NewRunIdNow());
  if (!lock.ok()) {
    std::cerr << "licmove: " << lock.status().message() << "\n";
    return kExitLocked;
  }
  // Again under the lock: a run of the same plan may have ended meanwhile.
  if (const int code = ConsultLedger(f, target, resume_run); code >= 0) return code;
  if (!resume_run.empty()) {
    return EndWithoutRun(f, target, kExitRefused, "refused",
                         "not applied: run " + resume_run + " of " + target.plan_file +
                             " stopped while this command was starting; run it again");
  }
  auto live = ReadLiveAccount(session, target.account);
  if (!live.ok()) {
    std::cerr << "licmove: " << live.status().message() << "\n";
    return kExitError;
  }
  const AccountSnapshot* current = &live.value();
  std::ostream& out = HumanOut(f.run);

  RunInput input;
  if (saved) {
    if (Status s = CheckBinding(*saved, *current); !s.ok()) {
      std::cerr << "licmove: " << f.plan << " no longer fits the account:\n"
                << s.message() << "\nplan again: licmove plan PLAN --out " << f.plan << "\n";
      f.run.events->Emit("refused", {{"account", target.account},
                                     {"plan_file", target.plan_file},
                                     {"plan_hash", target.identity},
                                     {"message", "the saved plan no longer fits the account"},
                                     {"exit_code", kExitRefused}});
      return kExitRefused;
    }
    input.plan = std::move(*saved);
    input.saved_json = std::move(saved_text);
    out << "applying saved plan " << f.plan << ": " << input.plan.graph.size() << " portal calls\n";
  } else {
    // Key-guarded moves the account shows done (applied by hand, or with
    // another state) are reported, not planned.
    PlanRemainder remainder = SplitAlreadyDoneMoves(*plan_file, current->account);
    for (const MoveIntent& m : remainder.done) {
      input.already_done.push_back(AlreadyDoneOutcome(*plan_file, m, current->account));
      out << "already done: " << input.already_done.back().where << ": " << *m.key << " is on "
          << m.to << "\n";
    }
    if (!remainder.done.empty() && PlanIsEmpty(remainder.plan)) {
      return EndWithoutRun(
          f, target, kExitOk, "no changes",
          "every move of " + target.plan_file + " is already done in account " + target.account,
          input.already_done);
    }
    // The graph is shaped for the parallelism it will run at (planner.h).
    PlannerOptions options;
    options.parallelism = f.run.parallelism;
    auto planned = BuildPlan(remainder.plan, *current, options);
    if (!planned.ok()) {
      std::cerr << planned.status().message() << "\n";
      if (planned.status().code() != Status::Code::kInvalidArgument) return kExitError;
      std::cerr << "licmove: " << NotResolvedHint(f.run, target.account) << "\n";
      return kExitInvalidInput;
    }
    planned->plan_identity = target.identity;  // the plan as written, not the remainder
    planned->summary.parallelism_auto = f.run.parallelism_auto;
    if (!planned->has_changes()) {
      return EndWithoutRun(f, target, kExitOk, "no changes",
                           "the account already matches " + target.plan_file, input.already_done);
    }
    out << RenderText(*planned, f.detailed ? 0 : kTextPlanLines);
    input.saved_json = SaveGraph(*planned, *current, LICMOVE_VERSION);
    auto reloaded = LoadSavedPlan(input.saved_json, f.plan);
    if (!reloaded.ok()) {
      std::cerr << "licmove: internal error: " << reloaded.status().message() << "\n";
      return kExitError;
    }
    input.plan = std::move(reloaded.value());
  }

  if (!f.yes && !ConfirmedByPerson("apply these changes to account " + target.account + " at " +
                                       session.description() + "?",
                                   "apply")) {
    return kExitRefused;
  }
  return StartRun(std::move(lock.value()), input, f.run, http, *current);
}

// REQUIRES: run.state is open (OpenRunState).
int RunResumeWith(const std::string& run_id, PortalFlags& portal, const StateFlags& state_flags,
                  RunOptions& run) {
  auto header = run.state->ReadRunHeader(run_id);
  if (!header.ok()) {
    std::cerr << "licmove: " << header.status().message() << "\n";
    return kExitError;
  }
  portal.state_dir = LocalStateDir(state_flags);
  auto session = OpenCheckedPortal(portal, header->account, /*need_admin=*/true);
  if (!session.ok()) {
    std::cerr << "licmove: " << session.status().message() << "\n";
    return ExitCodeFor(session.status());
  }
  // Held by the run itself: a stale lock it left is taken over, a live one
  // (another resume or a rollback of it at work) refuses this one.
  auto lock = LockAccountForRun(run, header->account, run_id, /*take_over_run=*/run_id);
  if (!lock.ok()) {
    std::cerr << "licmove: " << lock.status().message() << "\n";
    return kExitLocked;
  }
  if (const std::string why = RolledBackBy(run, run_id); !why.empty()) {
    std::cerr << "licmove: run " << run_id << " cannot be resumed: " << why
              << ". Resuming it would undo the rollback.\n";
    return kExitRefused;
  }
  run.portal_description = (*session)->description();
  run.portal_flags = "--portal " + portal.portal;
  return ContinueRun(std::move(lock.value()), run, (*session)->http_options());
}

int RunResume(const std::string& run_id, PortalFlags& portal, const StateFlags& state_flags,
              RunOptions& run) {
  if (const int code = CheckPortalFlags(portal, "licmove resume"); code != 0) return code;
  const EventLog events(run.json_log ? stdout : nullptr);
  run.events = &events;
  auto state = OpenRunState(state_flags, run);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  return RunResumeWith(run_id, portal, state_flags, run);
}

}  // namespace

void AddApplyCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ApplyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "apply", "apply a plan file (planned against the live account) or a saved plan");
  cmd->add_option("PLAN", flags->plan, "plan file (YAML) or saved plan (from plan --out)")
      ->required();
  AddPortalFlags(cmd, flags->portal, /*portal_required=*/true);
  AddParallelismAndRateFlags(cmd, flags->run);
  AddStateFlags(cmd, flags->state, /*lease=*/true);
  cmd->add_flag("--yes,-y", flags->yes, "do not ask for confirmation");
  cmd->add_flag("--resume-unfinished", flags->resume_unfinished,
                "when a run of this plan is unfinished (a runner died, a stop), continue it "
                "instead of refusing (exit 6)");
  cmd->add_flag("--reapply", flags->reapply,
                "plan and apply even though the ledger shows this plan applied, or applied and "
                "rolled back");
  AddDetailedFlag(cmd, flags->detailed);
  AddReportFlags(cmd, flags->run);
  cmd->add_option("--log-format", flags->log_format,
                  "text, or json: JSON lines on stdout (docs/CI.md), the rest on stderr")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "Examples:\n"
      "  licmove apply plans/move.yaml --portal sim://examples/fleets/small.yaml --state /tmp/lm\n"
      "  licmove apply saved.json --portal https://portal.example --token-file admin.token --yes\n"
      "Exit codes: 0 applied or no changes, 1 error (portal, network, state; a refused token),\n"
      "3 the plan is missing, unreadable, invalid or does not fit the account, 4 verification\n"
      "failed, 5 account locked, 6 refused (not confirmed, stale saved plan, ledger), 64 bad\n"
      "command line, 130 interrupted (licmove resume RUN continues).");
  cmd->callback([flags, &exit_code] { exit_code = RunApply(*flags); });
}

void AddResumeCommand(CLI::App& app, int& exit_code) {
  auto run_id = std::make_shared<std::string>();
  auto portal = std::make_shared<PortalFlags>();
  auto run = std::make_shared<RunOptions>();
  auto state = std::make_shared<StateFlags>();
  auto log_format = std::make_shared<std::string>("text");
  CLI::App* cmd =
      app.add_subcommand("resume", "continue an interrupted or failed run from its journal");
  cmd->add_option("RUN", *run_id, "run id (see `licmove runs`)")->required();
  AddPortalFlags(cmd, *portal, /*portal_required=*/true);
  AddParallelismAndRateFlags(cmd, *run);
  AddStateFlags(cmd, *state, /*lease=*/true);
  AddReportFlags(cmd, *run);
  cmd->add_option("--log-format", *log_format,
                  "text, or json: JSON lines on stdout (docs/CI.md), the rest on stderr")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "Example: licmove resume RUN --portal sim://examples/fleets/small.yaml --state /tmp/lm\n"
      "Exit codes: 0 finished, 1 error (no such run, portal, network, state), 3 the token file\n"
      "or sim:// fleet is missing or invalid, 4 verification failed, 5 account locked, 6 the run\n"
      "was rolled back, 64 bad command line, 130 interrupted.");
  cmd->callback([=, &exit_code] {
    run->json_log = *log_format == "json";
    exit_code = RunResume(*run_id, *portal, *state, *run);
  });
}

}  // namespace licmove
