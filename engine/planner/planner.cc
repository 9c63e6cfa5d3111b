#include "planner/planner.h"

#include <algorithm>

#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/edges.h"
#include "planner/problem.h"
#include "planner/resolve.h"

namespace licmove {

namespace {

// The plan must not depend on the order an account happened to be listed in
// (a fleet file's order, the portal's pages): the same account read from a
// fleet file and from the portal gives the same plan. Cameras go by serial,
// licenses by key; an already sorted snapshot is used as it is.
const AccountSnapshot& CanonicalOrder(const AccountSnapshot& snapshot, AccountSnapshot& copy) {
  const auto by_serial = [](const Camera& a, const Camera& b) { return a.serial < b.serial; };
  const auto by_key = [](const License& a, const License& b) { return a.key < b.key; };
  const Account& a = snapshot.account;
  if (std::is_sorted(a.cameras.begin(), a.cameras.end(), by_serial) &&
      std::is_sorted(a.licenses.begin(), a.licenses.end(), by_key)) {
    return snapshot;
  }
  copy = snapshot;
  std::sort(copy.account.cameras.begin(), copy.account.cameras.end(), by_serial);
  std::sort(copy.account.licenses.begin(), copy.account.licenses.end(), by_key);
  return copy;
}

}  // namespace

Result<PlannedChange> BuildPlan(const Plan& plan, const AccountSnapshot& listed,
                                const PlannerOptions& options) {
  AccountSnapshot sorted;
  const AccountSnapshot& snapshot = CanonicalOrder(listed, sorted);
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
