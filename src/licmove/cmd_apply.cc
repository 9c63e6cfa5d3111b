// licmove apply (PLAN.yaml | SAVED.json) --portal URL: plan against the live
// account (or check a saved plan's binding), show it, ask, then run it with
// the journal. See README.md "Applying a plan".

#include <fstream>
#include <iostream>
#include <sstream>

#include "command.h"
#include "confirm.h"
#include "exit_codes.h"
#include "files/plan_file.h"
#include "planner/planner.h"
#include "planner/render.h"
#include "planner/saved_plan.h"
#include "portal/account_reader.h"
#include "portal_access.h"
#include "run_driver.h"

namespace licmove {

namespace {

struct ApplyFlags {
  std::string plan;
  PortalFlags portal;
  StateFlags state;
  RunOptions run;
  bool yes = false;
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

int RunApply(ApplyFlags& f) {
  f.run.json_log = f.log_format == "json";
  // The account comes from the plan: read it first, so that the preflight
  // can check the token against it.
  std::string account;
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
    account = saved->account;
  } else {
    auto loaded = LoadPlanFile(f.plan);
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitInvalidInput;
    }
    plan_file = std::move(loaded.value());
    account = plan_file->account;
  }

  auto state = OpenRunState(f.state, f.run);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  f.portal.state_dir = LocalStateDir(f.state);
  auto opened = OpenCheckedPortal(f.portal, account, /*need_admin=*/true);
  if (!opened.ok()) {
    std::cerr << "licmove: " << opened.status().message() << "\n";
    return kExitError;
  }
  const PortalSession& session = **opened;
  const HttpClientOptions& http = session.http_options();
  // The lock before the read: a plan computed from an account another run
  // is changing would be shown, then refused.
  auto lock = LockAccountForRun(f.run, account, NewRunIdNow());
  if (!lock.ok()) {
    std::cerr << "licmove: " << lock.status().message() << "\n";
    return kExitLocked;
  }
  auto live = ReadLiveAccount(session, account);
  if (!live.ok()) {
    std::cerr << "licmove: " << live.status().message() << "\n";
    return kExitError;
  }
  const AccountSnapshot* current = &live.value();

  RunInput input;
  if (saved) {
    if (Status s = CheckBinding(*saved, *current); !s.ok()) {
      std::cerr << "licmove: " << f.plan << " no longer fits the account:\n"
                << s.message() << "\nplan again: licmove plan PLAN --out " << f.plan << "\n";
      return kExitRefused;
    }
    input.plan = std::move(*saved);
    input.saved_json = std::move(saved_text);
    std::cout << "applying saved plan " << f.plan << ": " << input.plan.graph.size()
              << " portal calls\n";
  } else {
    // The graph is shaped for the parallelism it will run at (planner.h).
    PlannerOptions options;
    options.parallelism = f.run.parallelism;
    auto planned = BuildPlan(*plan_file, *current, options);
    if (!planned.ok()) {
      std::cerr << planned.status().message() << "\n";
      return planned.status().code() == Status::Code::kInvalidArgument ? kExitInvalidInput
                                                                       : kExitError;
    }
    if (!planned->has_changes()) {
      std::cout << "nothing to do: the account already matches " << f.plan << "\n";
      return kExitOk;
    }
    std::cout << RenderText(*planned);
    input.saved_json = SaveGraph(*planned, *current, LICMOVE_VERSION);
    auto reloaded = LoadSavedPlan(input.saved_json, f.plan);
    if (!reloaded.ok()) {
      std::cerr << "licmove: internal error: " << reloaded.status().message() << "\n";
      return kExitError;
    }
    input.plan = std::move(reloaded.value());
  }

  if (!f.yes && !ConfirmedByPerson("apply these changes to account " + account + " at " +
                                       session.description() + "?",
                                   "apply")) {
    return kExitRefused;
  }
  f.run.portal_description = session.description();
  f.run.portal_flags = "--portal " + f.portal.portal;
  return StartRun(std::move(lock.value()), input, f.run, http, *current);
}

int RunResume(const std::string& run_id, PortalFlags& portal, const StateFlags& state_flags,
              RunOptions& run) {
  auto state = OpenRunState(state_flags, run);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  auto header = run.state->ReadRunHeader(run_id);
  if (!header.ok()) {
    std::cerr << "licmove: " << header.status().message() << "\n";
    return kExitError;
  }
  portal.state_dir = LocalStateDir(state_flags);
  auto session = OpenCheckedPortal(portal, header->account, /*need_admin=*/true);
  if (!session.ok()) {
    std::cerr << "licmove: " << session.status().message() << "\n";
    return kExitError;
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

}  // namespace

void AddApplyCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ApplyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "apply", "apply a plan file (planned against the live account) or a saved plan");
  cmd->add_option("PLAN", flags->plan, "plan file (YAML) or saved plan (from plan --out)")
      ->required()
      ->check(CLI::ExistingFile);
  AddPortalFlags(cmd, flags->portal, /*portal_required=*/true);
  cmd->add_option("--parallelism", flags->run.parallelism, "portal calls in flight at once")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--rate", flags->run.rate, "at most this many calls a second (0: no limit)")
      ->check(CLI::Range(0.0, 100000.0));
  AddStateFlags(cmd, flags->state, /*lease=*/true);
  cmd->add_flag("--yes,-y", flags->yes, "do not ask for confirmation");
  cmd->add_option("--log-format", flags->log_format, "progress output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
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
  cmd->add_option("--parallelism", run->parallelism, "portal calls in flight at once")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--rate", run->rate, "at most this many calls a second (0: no limit)");
  AddStateFlags(cmd, *state, /*lease=*/true);
  cmd->add_option("--log-format", *log_format, "progress output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([=, &exit_code] {
    run->json_log = *log_format == "json";
    exit_code = RunResume(*run_id, *portal, *state, *run);
  });
}

}  // namespace licmove
