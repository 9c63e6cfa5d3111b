#include "planner/planner.h"

#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/edges.h"
#include "planner/problem.h"
#include "planner/resolve.h"

namespace licmove {

Result<PlannedChange> BuildPlan(const Plan& plan, const AccountSnapshot& snapshot,
                                const PlannerOptions& options) {
  const AccountIndex index(snapshot);
  Result<Placements> placements = ResolvePlan(plan, index);
  if (!placements.ok()) return placements.status();
  const Allocation allocation = AllocateTargets(*placements, index);
  const Problem problem = BuildProblem(allocation, index);
  Result<Witness> witness = DecideParking(problem, options.parking);
  if (!witness.ok()) return witness.status();

  PlannedChange out;
  out.plan_file = plan.file;
  out.account = snapshot.account.name;
  out.now = snapshot.now;
  out.graph = BuildOpGraph(problem, *witness, allocation, index);
  Result<PredictedState> predicted = PredictAndCheck(out.graph, allocation, index);
  if (!predicted.ok()) return predicted.status();
  out.predicted = std::move(*predicted);

  PlanSummary& s = out.summary;
  s.moves = static_cast<int>(placements->moves.size());
  s.assigns = static_cast<int>(placements->assigns.size());
  for (const TargetPlacement& t : allocation.placements) {
    s.restorations += t.kind == PlacementKind::kRestore;
  }
  s.cameras_removed = static_cast<int>(allocation.removed.size());
  s.activations = static_cast<int>(allocation.placements.size());
  s.parks = static_cast<int>(witness->parked.size());
  s.calls = out.graph.size();
  s.critical_path = static_cast<int>(out.graph.CriticalPath().size());
  s.edges = static_cast<int>(out.graph.num_edges());
  s.keys_left_in_pool = static_cast<int>(allocation.left_in_pool.size());
  s.parks_lower_bound = witness->lower_bound;
  s.optimal_proven = witness->proven_optimal;
  s.exhaustive = witness->exhaustive;
  if (s.calls != 2 * s.cameras_removed + s.activations + 2 * s.parks) {
    return Status::Internal("the graph has " + std::to_string(s.calls) +
                            " ops, the plan accounts for " +
                            std::to_string(2 * s.cameras_removed + s.activations + 2 * s.parks));
  }
  return out;
}

}  // namespace licmove
