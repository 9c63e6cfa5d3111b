// Planning a rollback: from the account as it is now back to a run's binding
// (the before-state of every camera and key the run touched, as journaled).
//
// A rollback is planned by the planner's own search (planner.h PlanTargets),
// so that it costs the fewest calls and runs as parallel as an apply. The
// before-state is stated as the targets the planner understands:
//   - a camera that holds only keys of its before-state (same auto_renew)
//     stays; each service it misses is a key activated onto it;
//   - any other camera the run touched is removed and re-added with its
//     journaled record, and every service of its before-state is activated
//     back with its same key; a camera that is missing now is added back
//     (planned as a camera with nothing on it, removed and re-added; its
//     removal is dropped from the graph);
//   - a key the run parked is planned as held by a camera of its own (a
//     holder) that the search removes when the key may come back: that
//     removal becomes the key's unpark and the holder's re-adding is
//     dropped; when the search parks the key as soon as it is released, both
//     are dropped (the key stays out until the search's own unpark). So the
//     search decides when it comes back, as it decides when a camera goes
//     (two keys of a tie come back one after the other, not both at once);
//   - keys the run unparked that were not in the account before it are
//     parked again: the search's own unpark of one is dropped, otherwise a
//     park is added (after its camera's removal, when it is on one).
// Nothing is activated that was not on a camera before the run.
#pragma once

#include <string>
#include <vector>

#include "model/account.h"
#include "model/status.h"
#include "planner/planner.h"
#include "planner/saved_plan.h"

namespace licmove {

struct RestoreOptions {
  PlannerOptions planner;  // parallelism the graph is shaped for, parking search
  // Keys the run brought into the account from outside it (KeysBroughtIn).
  std::vector<std::string> brought_in;
};

// Keys the run's graph unparks that its binding does not hold: they were not
// in the account before the run, so its rollback parks them again.
std::vector<std::string> KeysBroughtIn(const SavedPlan& run);

// Conflict when the account moved on in a way a rollback must not undo: a
// key of the run on a camera the run never touched, or a key of the run that
// is neither in the account nor parked by it.
Result<PlannedChange> BuildRestorePlan(const Binding& before, const AccountSnapshot& current,
                                       const RestoreOptions& options = {});

// What a rollback cannot undo, one sentence each: a key that had never been
// activated before the run (activated_at null) and has been since keeps its
// clock running wherever it goes back to (DESIGN R7).
std::vector<std::string> RollbackCannotUndo(const Binding& before, const AccountSnapshot& current);

}  // namespace licmove
