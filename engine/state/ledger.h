// The ledger (DESIGN §6): what the runs of one plan on one account came to,
// read from the run index every state backend keeps. `licmove apply` asks it
// before planning, so that a scheduled job can run the same apply again and
// again: a plan already applied is "no changes", a plan with an unfinished
// run is continued or refused, a plan that was rolled back is not applied
// again by accident.
#pragma once

#include <string>
#include <vector>

#include "journal/journal.h"
#include "model/status.h"
#include "state/state_backend.h"

namespace licmove {

struct LedgerEntry {
  enum class State {
    kNeverApplied,  // no apply run of this plan on this account
    kCompleted,     // its latest apply run completed (and was not rolled back)
    kUnfinished,    // its latest apply run has no end, or ended before completing
    kRolledBack,    // its latest apply run was undone by a completed rollback
    kRollingBack,   // ... or is being undone by a rollback that has not finished
  };
  State state = State::kNeverApplied;
  RunInfo run;           // the latest apply run; empty for kNeverApplied
  RunInfo rollback;      // kRolledBack, kRollingBack: the latest rollback of it
  int earlier_runs = 0;  // apply runs of the plan before `run`
};

// "completed", "unfinished", ...: for messages and JSON.
std::string LedgerStateName(LedgerEntry::State state);

// The ledger's entry for plan `plan_identity` on `account`, from `runs` (the
// run index, oldest first). An empty identity is never applied.
LedgerEntry LookUpPlan(const std::vector<RunInfo>& runs, const std::string& account,
                       const std::string& plan_identity);
Result<LedgerEntry> LookUpPlan(StateBackend& state, const std::string& account,
                               const std::string& plan_identity);

// The runs on `account` that did not complete and were not rolled back, any
// plan (a rollback that did not complete counts too): what may hold keys
// parked outside the account.
std::vector<RunInfo> UnfinishedRuns(const std::vector<RunInfo>& runs, const std::string& account);

}  // namespace licmove
