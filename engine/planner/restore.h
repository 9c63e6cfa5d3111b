// Planning a rollback: from the account as it is now back to a run's binding
// (the before-state of every camera and key the run touched, as journaled).
//
// Unlike BuildPlan this does not search for the fewest calls: a rollback is
// rare and must above all be right. It makes one chain of ops, each after the
// one before, simulated against the portal's rules as it is built: keys the
// run parked are unparked; cameras that are wrong are removed; cameras that
// are missing are added; then, service by service and shortest key first,
// every key that must go back onto a camera is activated after parking every
// other pool key of that service at or below its remaining validity (so the
// portal's pick is that key and no other); finally everything parked here is
// unparked. Nothing is activated that was not on a camera before the run.
#pragma once

#include "model/account.h"
#include "model/status.h"
#include "planner/planner.h"
#include "planner/saved_plan.h"

namespace licmove {

// Conflict when the account moved on in a way a rollback must not undo: a
// key of the run on a camera the run never touched, or a key of the run that
// is neither in the account nor parked by it.
Result<PlannedChange> BuildRestorePlan(const Binding& before, const AccountSnapshot& current);

}  // namespace licmove
