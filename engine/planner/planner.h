// The planner: a plan file's intents and an account snapshot in, an operation
// graph with its predicted final state out. Pure: no network, no disk.
//
//   resolve.h     intents -> placements (which key goes where), errors
//   allocation.h  placements -> targets (removals, restorations, the pool)
//   problem.h     targets -> the scheduling problem in indices
//   parking.h     which keys get parked, in which order things happen
//   edges.h       that order -> the dependencies every interleaving needs
//   predict.h     the predicted state and the invariants checked on it
//   render.h      text, JSON, Markdown, DOT;  saved_plan.h  plans on disk
#pragma once

#include <string>

#include "files/plan_file.h"
#include "model/account.h"
#include "model/status.h"
#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/op_graph.h"
#include "planner/parking.h"
#include "planner/predict.h"

namespace licmove {

struct PlanSummary {
  int moves = 0;
  int assigns = 0;       // cameras given a license by `assign`
  int restorations = 0;  // services given back to a re-added camera
  int cameras_removed = 0;
  int activations = 0;
  int parks = 0;          // keys parked (each costs a park and an unpark)
  int calls = 0;          // portal calls: every op
  int critical_path = 0;  // ops on the longest chain of dependencies
  int edges = 0;
  int keys_left_in_pool = 0;  // released and placed nowhere
  int parks_lower_bound = 0;
  bool optimal_proven = false;  // calls are the minimum (searched, or at the bound)
  bool exhaustive = false;
  // The graph played out with `parallelism` calls in flight and every call
  // taking the same time (list_schedule.h): its duration in call latencies.
  int parallelism = 0;
  int estimated_rounds = 0;
  // --parallelism auto: `parallelism` is what auto shapes for; the run's
  // limit is learned (the planner ignores it; the renderings say "auto").
  bool parallelism_auto = false;
  int bands = 1;  // how the cameras removed at the end were split (parking.h)
};

struct PlannedChange {
  std::string plan_file;
  std::string plan_identity;  // plan_identity.h: the ledger's key for this plan
  std::string account;
  UnixSeconds now = 0;  // the snapshot's clock
  OpGraph graph;
  PredictedState predicted;
  PlanSummary summary;

  bool has_changes() const { return !graph.empty(); }
};

// apply's default; the graph is shaped for it unless told otherwise.
constexpr int kDefaultParallelism = 10;

struct PlannerOptions {
  ParkingOptions parking;
  // The calls that will be in flight at once (apply's --parallelism). Among
  // graphs with the same (fewest) calls, the planner keeps the one that
  // finishes first at this parallelism. 0: the plain order, not shaped.
  int parallelism = kDefaultParallelism;
};

// Errors: InvalidArgument with every resolution error, one
// "file:line:col: message" a line; Internal when a checked invariant fails.
Result<PlannedChange> BuildPlan(const Plan& plan, const AccountSnapshot& snapshot,
                                const PlannerOptions& options = {});

// BuildPlan's stages after resolution: targets -> problem -> parking search ->
// shaped graph -> predicted and checked state. Shared with the rollback
// (restore.h), which states its targets directly. Fills graph, predicted and
// every summary field but moves and assigns.
Result<PlannedChange> PlanTargets(const Allocation& allocation, const AccountIndex& index,
                                  const PlannerOptions& options = {});

}  // namespace licmove
