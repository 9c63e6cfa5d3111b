// licmove unlock ACCOUNT: clears a stale account lock, after showing whose
// it is and asking (like `terraform force-unlock`). A lock whose lease is
// live is never cleared: a run may be working under it.
//
// licmove state migrate --from SPEC --to SPEC: copies runs between state
// backends (engine/state/state_migration.h).
#include <iostream>

#include "command.h"
#include "confirm.h"
#include "crash_points.h"
#include "exit_codes.h"
#include "state/state_location.h"
#include "state/state_migration.h"
#include "state_access.h"

namespace licmove {

namespace {

struct UnlockFlags {
  std::string account;
  StateFlags state;
  bool yes = false;
};

int RunUnlock(const UnlockFlags& f) {
  auto state = OpenState(f.state);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  auto view = (*state)->ReadLock(f.account);
  if (!view.ok()) {
    std::cerr << "licmove: cannot read the lock of account " << f.account << ": "
              << view.status().message() << "\n";
    return kExitError;
  }
  if (!view->lock) {
    std::cout << "account " << f.account << " is not locked in " << (*state)->Description() << "\n";
    return kExitOk;
  }
  const LockRecord& held = *view->lock;
  const std::string stale = StaleReason(held, view->now);
  std::cout << "account " << f.account << " is locked by " << DescribeLock(held) << "\n";
  if (stale.empty()) {
    std::cerr << "licmove: the lock's lease is live, so a run may be working under it: not "
                 "cleared. It runs out "
              << (held.lease_expires_at - view->now)
              << " s from now unless its process renews it; a process that is gone stops "
                 "renewing it.\n";
    return kExitLocked;
  }
  std::cout << "it is stale: " << stale << "\n";
  auto run = (*state)->FindRun(held.owner.run_id);
  const bool unfinished = run.ok() && run->has_value() &&
                          (!(*run)->end || (*run)->end->result != RunEnd::Result::kCompleted);
  if (unfinished) {
    std::cout << "run " << held.owner.run_id
              << " did not complete: after unlocking, finish it (licmove resume "
              << held.owner.run_id << StateHint(f.state) << ") or undo it (licmove rollback "
              << held.owner.run_id << StateHint(f.state) << ")\n";
  }
  if (!f.yes && !ConfirmedByPerson("clear the lock of account " + f.account + "?", "unlock")) {
    return kExitRefused;
  }
  // Only the lock that was shown: if another process took it meanwhile, it
  // stays.
  if (Status s = (*state)->BreakLock(f.account, held.token); !s.ok()) {
    std::cerr << "licmove: " << s.message() << "\n";
    return s.code() == Status::Code::kNotFound ? kExitLocked : kExitError;
  }
  std::cout << "unlocked account " << f.account << "\n";
  return kExitOk;
}

struct MigrateFlags {
  std::string from;
  std::string to;
};

const char* WhatName(MigratedRun::What what) {
  switch (what) {
    case MigratedRun::What::kCopied:
      return "copied";
    case MigratedRun::What::kAlreadyThere:
      return "already there";
    case MigratedRun::What::kRefused:
      return "NOT copied";
  }
  return "?";
}

int RunMigrate(const MigrateFlags& f) {
  const std::string from_spec = ResolveStateSpec(f.from);
  const std::string to_spec = f.to;
  if (from_spec == to_spec) {
    std::cerr << "licmove: --from and --to are the same: " << DescribeStateSpec(to_spec) << "\n";
    return kExitUsage;
  }
  auto from = OpenStateBackend(from_spec, JournalFileSystem());
  if (!from.ok()) {
    std::cerr << "licmove: --from: " << from.status().message() << "\n";
    return kExitError;
  }
  auto to = OpenStateBackend(to_spec, JournalFileSystem(), DurableWriteKillHook());
  if (!to.ok()) {
    std::cerr << "licmove: --to: " << to.status().message() << "\n";
    return kExitError;
  }
  std::cout << "migrating runs from " << (*from)->Description() << " to " << (*to)->Description()
            << "\n";
  auto report = MigrateRuns(**from, **to, [](const MigratedRun& r) {
    std::cout << "  " << r.run_id << "  " << WhatName(r.what) << " (" << r.records << " records)"
              << (r.why.empty() ? "" : ": " + r.why) << "\n"
              << std::flush;
  });
  if (!report.ok()) {
    std::cerr << "licmove: " << report.status().message() << "\n";
    return kExitError;
  }
  const int copied = report->Count(MigratedRun::What::kCopied);
  const int there = report->Count(MigratedRun::What::kAlreadyThere);
  const int refused = report->Count(MigratedRun::What::kRefused);
  std::cout << copied << " copied, " << there << " already there, " << refused
            << " not copied. The source is unchanged";
  if (copied + there > 0) {
    std::cout << "; from now on use --state " << (*to)->Description()
              << " (or LICMOVE_STATE), so that no run is resumed in both places";
  }
  std::cout << "\n";
  return refused == 0 ? kExitOk : kExitError;
}

}  // namespace

void AddStateCommands(CLI::App& app, int& exit_code) {
  auto unlock_flags = std::make_shared<UnlockFlags>();
  CLI::App* unlock = app.add_subcommand(
      "unlock", "clear an account lock left by a run that is gone (after showing its owner)");
  unlock->add_option("ACCOUNT", unlock_flags->account, "the account whose lock to clear")
      ->required();
  AddStateFlags(unlock, unlock_flags->state, /*lease=*/false);
  unlock->add_flag("--yes,-y", unlock_flags->yes, "do not ask for confirmation");
  unlock->footer(
      "A lock whose lease is live is never cleared (exit 5).\n"
      "Example: licmove unlock acme --state /tmp/lm\n"
      "Exit codes: 0 unlocked or not locked, 1 error, 5 live or changed meanwhile, 6 not\n"
      "confirmed, 64 bad command line.");
  unlock->callback([unlock_flags, &exit_code] { exit_code = RunUnlock(*unlock_flags); });

  CLI::App* state = app.add_subcommand("state", "manage where runs live");
  state->require_subcommand(1);
  state->footer("`licmove help state migrate` shows its options.");
  auto migrate_flags = std::make_shared<MigrateFlags>();
  CLI::App* migrate = state->add_subcommand(
      "migrate", "copy every run (journals intact, checksums verified) to another state backend");
  migrate->add_option("--from", migrate_flags->from,
                      "the state to copy from: a directory or postgres://... Default: "
                      "$LICMOVE_STATE, else " +
                          DefaultStateDir());
  migrate
      ->add_option("--to", migrate_flags->to, "the state to copy to: postgres://... or a directory")
      ->required();
  migrate->footer(
      "Runs already in the destination with the same records are left alone; a different run of "
      "the same id, or a run still running, is not copied (exit 1). The source is never changed.\n"
      "Example: licmove state migrate --from /tmp/lm --to postgres://licmove@db/ops\n"
      "Exit codes: 0 copied, 1 error or a run not copied, 64 bad command line.");
  migrate->callback([migrate_flags, &exit_code] { exit_code = RunMigrate(*migrate_flags); });
}

}  // namespace licmove
