// licmove rollback RUN --portal URL: plan from the account as it is now back
// to the run's before-state (its journaled binding: every camera and key the
// run touched, as they were), and apply that as a run of its own.

#include <iostream>

#include "command.h"
#include "command_line.h"
#include "confirm.h"
#include "event_log.h"
#include "exit_codes.h"
#include "journal/journal.h"
#include "planner/render.h"
#include "planner/restore.h"
#include "planner/saved_plan.h"
#include "portal_access.h"
#include "run_driver.h"

namespace licmove {

namespace {

struct RollbackFlags {
  std::string run_id;
  PortalFlags portal;
  StateFlags state;
  RunOptions run;
  bool yes = false;
  bool detailed = false;  // the plan shown: every camera, key and step
  std::string log_format = "text";
};

int RunRollback(RollbackFlags& f) {
  if (const int code = CheckPortalFlags(f.portal, "licmove rollback"); code != 0) return code;
  f.run.json_log = f.log_format == "json";
  const EventLog events(f.run.json_log ? stdout : nullptr);
  f.run.events = &events;
  auto state = OpenRunState(f.state, f.run);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  auto header = f.run.state->ReadRunHeader(f.run_id);
  if (!header.ok()) {
    std::cerr << "licmove: " << header.status().message() << "\n";
    return kExitError;
  }
  auto undone = LoadSavedPlan(header->plan_json, f.run.state->JournalLocation(f.run_id));
  if (!undone.ok()) {
    std::cerr << "licmove: " << undone.status().message() << "\n";
    return kExitError;
  }
  const std::string& account = undone->account;
  f.portal.state_dir = LocalStateDir(f.state);
  auto session = OpenCheckedPortal(f.portal, account, /*need_admin=*/true);
  if (!session.ok()) {
    std::cerr << "licmove: " << session.status().message() << "\n";
    return ExitCodeFor(session.status());
  }
  // The lock first: the run being undone may have left it (stale, taken
  // over), and no resume or other rollback of it may work meanwhile.
  auto lock = LockAccountForRun(f.run, account, NewRunIdNow(), /*take_over_run=*/f.run_id);
  if (!lock.ok()) {
    std::cerr << "licmove: " << lock.status().message() << "\n";
    return kExitLocked;
  }
  if (const std::string why = RolledBackBy(f.run, f.run_id); !why.empty()) {
    std::cerr << "licmove: run " << f.run_id << " is not rolled back again: " << why << "\n";
    return kExitRefused;
  }
  auto current = ReadLiveAccount(**session, account);
  if (!current.ok()) {
    std::cerr << "licmove: " << current.status().message() << "\n";
    return kExitError;
  }
  LiveAccount live{std::move(session.value()), std::move(current.value())};
  // Planned by the planner's search and shaped for --parallelism, as apply's.
  RestoreOptions restore_options;
  restore_options.planner.parallelism = f.run.parallelism;
  restore_options.brought_in = KeysBroughtIn(*undone);
  auto restore = BuildRestorePlan(undone->binding, live.snapshot, restore_options);
  if (!restore.ok()) {
    std::cerr << "licmove: cannot plan the rollback of " << f.run_id << ": "
              << restore.status().message() << "\n";
    return kExitError;
  }
  restore->summary.parallelism_auto = f.run.parallelism_auto;
  if (!restore->has_changes()) {
    // Still a rollback run, with no calls: the decision to undo the run is
    // recorded, so that it is never resumed (which would apply it after all).
    HumanOut(f.run) << "nothing to undo: everything run " << f.run_id
                    << " touched is as it was before it. Recorded as rolled back, so that it is "
                       "never resumed.\n";
  } else {
    HumanOut(f.run) << "rollback of run " << f.run_id << " on account " << account << ": "
                    << restore->graph.size() << " portal calls, critical path "
                    << restore->summary.critical_path << " (parallelism "
                    << (f.run.parallelism_auto ? std::string("auto")
                                               : std::to_string(f.run.parallelism))
                    << ")\n";
    // The plan as plan and apply show it: trimmed unless --detailed.
    HumanOut(f.run) << RenderText(*restore, f.detailed ? 0 : kTextPlanLines);
    if (!f.yes && !ConfirmedByPerson("roll back run " + f.run_id + " on account " + account +
                                         " at " + live.session->description() +
                                         "? Cameras it adds back get new portal ids.",
                                     "roll back")) {
      return kExitRefused;
    }
  }
  // Said before the run and in its events: what no rollback can give back.
  // Journaled with the run (StartRun), since a resume can no longer read it
  // from the account.
  RunInput input;
  input.kind = "rollback";
  input.parent_run = f.run_id;
  input.cannot_undo = RollbackCannotUndo(undone->binding, live.snapshot);
  SayCannotUndo(input.cannot_undo, f.run_id, f.run);
  input.saved_json = SaveGraph(*restore, live.snapshot, LICMOVE_VERSION);
  auto reloaded = LoadSavedPlan(input.saved_json, "rollback of " + f.run_id);
  if (!reloaded.ok()) {
    std::cerr << "licmove: internal error: " << reloaded.status().message() << "\n";
    return kExitError;
  }
  input.plan = std::move(reloaded.value());
  f.run.portal_description = live.session->description();
  f.run.portal_flags = "--portal " + f.portal.portal;
  return StartRun(std::move(lock.value()), input, f.run, live.session->http_options(),
                  live.snapshot);
}

}  // namespace

void AddRollbackCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RollbackFlags>();
  CLI::App* cmd =
      app.add_subcommand("rollback", "put everything a run touched back as it was before the run");
  cmd->add_option("RUN", flags->run_id, "run id (see `licmove runs`)")->required();
  AddPortalFlags(cmd, flags->portal, /*portal_required=*/true);
  AddStateFlags(cmd, flags->state, /*lease=*/true);
  AddParallelismAndRateFlags(cmd, flags->run);
  cmd->add_flag("--yes,-y", flags->yes, "do not ask for confirmation");
  AddDetailedFlag(cmd, flags->detailed);
  AddReportFlags(cmd, flags->run);
  cmd->add_option("--log-format", flags->log_format,
                  "text, or json: JSON lines on stdout (docs/CI.md), the rest on stderr")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "Example: licmove rollback RUN --portal sim://examples/fleets/small.yaml --state /tmp/lm\n"
      "Exit codes: 0 rolled back, 1 error (no such run, portal, network, state), 3 the token\n"
      "file or sim:// fleet is missing or invalid, 4 verification failed, 5 account locked,\n"
      "6 not confirmed or rolled back already, 64 bad command line, 130 interrupted.");
  cmd->callback([flags, &exit_code] { exit_code = RunRollback(*flags); });
}

}  // namespace licmove
