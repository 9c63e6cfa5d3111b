#include "planner/planner.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "files/plan_identity.h"
#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/edges.h"
#include "planner/list_schedule.h"
#include "planner/problem.h"
#include "planner/resolve.h"

namespace licmove {

namespace {

constexpr std::size_t kReorderFirstRoundMaxCameras = 5000;

// How many bands to try (parking.h: ReplayInBands). With B bands the plan
// ends with about 1/B of the unparks still to do, at parallelism P that is
// parks / (B * P) rounds, while each band adds a few steps to the critical
// path; the two balance near B = sqrt(parks / P). Measured on generated
// fleets, the best B was that power of two or half of it
// (docs/PLANNER.md, "Shaping"), so those two are tried.
std::vector<int> BandCandidates(std::size_t parks, int parallelism) {
  if (parks == 0 || parallelism <= 0) return {};
  const double centre = std::sqrt(static_cast<double>(parks) / parallelism);
  const int b =
      1 << std::clamp(static_cast<int>(std::lround(std::log2(std::max(centre, 1.0)))), 1, 10);
  return b / 2 >= 2 ? std::vector<int>{b / 2, b} : std::vector<int>{b};
}

// Among the witnesses of one parking decision (same calls), the graph that
// finishes first at `parallelism` (list_schedule.h); on a tie, the plain one.
// Only a plan that removes cameras at the end has a choice (parking.h).
OpGraph ShapedGraph(const Problem& problem, Witness& witness, const Allocation& allocation,
                    const AccountIndex& index, int parallelism, int* rounds) {
  const std::vector<int> candidates = witness.deferred_rounds > 0
                                          ? BandCandidates(witness.parked.size(), parallelism)
                                          : std::vector<int>{};
  bool base_rounds_known = false;
  if (!candidates.empty()) {
    *rounds = ListScheduleRounds(BuildOpShape(problem, witness, allocation, index), parallelism);
    base_rounds_known = true;
    // Each candidate costs a replay and a list schedule (~60 ms at 10,000
    // removed cameras): the reordered first round only below that, so that
    // 100,000-camera fleets still plan in under a second.
    const bool reorder_first = witness.removal_order.size() <= kReorderFirstRoundMaxCameras;
    for (int bands : candidates) {
      for (bool first_by_priority : {false, true}) {
        if (first_by_priority && !reorder_first) continue;
        std::optional<Witness> banded = ReplayInBands(problem, witness, bands, first_by_priority);
        if (!banded) continue;
        const int r =
            ListScheduleRounds(BuildOpShape(problem, *banded, allocation, index), parallelism);
        if (r < *rounds) {
          *rounds = r;
          witness = std::move(*banded);
        }
      }
    }
  }
  OpGraph graph = BuildOpGraph(problem, witness, allocation, index);
  if (parallelism > 0 && !base_rounds_known) *rounds = ListScheduleRounds(graph, parallelism);
  return graph;
}

}  // namespace

Result<PlannedChange> PlanTargets(const Allocation& allocation, const AccountIndex& index,
                                  const PlannerOptions& options) {
  const Problem problem = BuildProblem(allocation, index);
  Result<Witness> witness = DecideParking(problem, options.parking);
  if (!witness.ok()) return witness.status();

  PlannedChange out;
  out.account = index.account().name;
  out.now = index.snapshot().now;
  int rounds = 0;
  out.graph = ShapedGraph(problem, *witness, allocation, index, options.parallelism, &rounds);
  Result<PredictedState> predicted = PredictAndCheck(out.graph, allocation, index);
  if (!predicted.ok()) return predicted.status();
  out.predicted = std::move(*predicted);

  PlanSummary& s = out.summary;
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
  s.parallelism = std::max(0, options.parallelism);
  s.estimated_rounds = rounds;
  s.bands = witness->bands;
  if (s.calls != 2 * s.cameras_removed + s.activations + 2 * s.parks) {
    return Status::Internal("the graph has " + std::to_string(s.calls) +
                            " ops, the plan accounts for " +
                            std::to_string(2 * s.cameras_removed + s.activations + 2 * s.parks));
  }
  return out;
}

Result<PlannedChange> BuildPlan(const Plan& plan, const AccountSnapshot& snapshot,
                                const PlannerOptions& options) {
  const AccountIndex index(snapshot);  // in canonical order (account_index.h)
  Result<Placements> placements = ResolvePlan(plan, index);
  if (!placements.ok()) return placements.status();
  const Allocation allocation = AllocateTargets(*placements, index);
  Result<PlannedChange> out = PlanTargets(allocation, index, options);
  if (!out.ok()) return out;
  out->plan_file = plan.file;
  out->plan_identity = PlanIdentity(plan);
  out->summary.moves = static_cast<int>(placements->moves.size());
  out->summary.assigns = static_cast<int>(placements->assigns.size());
  return out;
}

}  // namespace licmove
