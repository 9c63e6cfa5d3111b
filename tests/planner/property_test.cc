// Property: random linearisations of the planner's graph, run against the
// independent portal model with adversarial tie-breaking (a tie among keys
// that are not interchangeable fails at once; among interchangeable keys the
// model picks first, last or at random), reach the target the plan asks for.
//
// Deterministic by default (fixed seed); RC_PARAMS in the environment
// overrides, e.g. RC_PARAMS="seed=42 max_success=5000".
#include <cstdlib>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/edges.h"
#include "planner/parking.h"
#include "planner/planner.h"
#include "planner/predict.h"
#include "planner/problem.h"
#include "planner/resolve.h"
#include "portal_model.h"
#include "random_instance.h"

namespace licmove::testing {
namespace {

template <typename Testable>
void Check(int max_success, Testable&& testable) {
  rc::detail::TestParams params;
  if (std::getenv("RC_PARAMS")) {
    params = rc::detail::configuration().testParams;
  } else {
    params.seed = 20261129;
    params.maxSuccess = max_success;
    params.maxSize = 100;
  }
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const auto result = rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
  if (result.template is<rc::detail::SuccessResult>()) {
    rc::detail::printResultMessage(result, std::cout);
    std::cout << std::endl;
  } else {
    std::ostringstream ss;
    rc::detail::printResultMessage(result, ss);
    FAIL() << ss.str();
  }
}

// A run of interchangeable activations (edges.cc): one activation that two
// activations of its service wait for directly.
bool HasSideBySideActivations(const OpGraph& graph) {
  std::vector<int> fan(graph.size(), 0);
  for (const Op& op : graph.ops()) {
    if (op.kind != OpKind::kActivate) continue;
    for (int a : op.after) {
      const Op& before = graph.op(a);
      if (before.kind == OpKind::kActivate && before.service == op.service && ++fan[a] == 2) {
        return true;
      }
    }
  }
  return false;
}

// Plans a random instance and runs its graph in random orders with three tie
// strategies; the outcome is checked from the plan file alone.
void RandomOrdersReachTheTarget(const InstanceShape& shape, const PlannerOptions& options) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto order_seed = *rc::gen::arbitrary<std::uint64_t>();
  std::mt19937_64 rng(seed);
  Instance in = RandomInstance(rng, shape);
  Result<PlannedChange> planned = BuildPlan(in.plan, in.snapshot, options);
  if (!planned.ok()) {
    RC_LOG() << planned.status().message() << "\n" << Describe(in) << "\n";
    RC_ASSERT(planned.status().code() == Status::Code::kInvalidArgument);
    RC_CLASSIFY(true, "rejected plan");
    return;
  }
  RC_CLASSIFY(planned->summary.parks > 0, "parks");
  RC_CLASSIFY(planned->summary.bands > 1, "shaped in bands");
  RC_CLASSIFY(HasSideBySideActivations(planned->graph), "activations side by side");
  std::mt19937_64 order(order_seed);
  for (TieBreak ties : {TieBreak::kFirst, TieBreak::kLast, TieBreak::kRandom}) {
    for (int run = 0; run < 3; ++run) {
      PortalModel model(in.snapshot);
      std::string err = RunRandomOrder(planned->graph, model, order, ties);
      if (err.empty()) err = CheckOutcome(model, in.plan, in.snapshot);
      if (!err.empty()) {
        RC_FAIL(err + "\n" + Describe(in));
      }
    }
  }
}

TEST(Property, RandomOrdersOfSmallPlansReachTheTarget) {
  Check(4000, [] {
    RandomOrdersReachTheTarget(InstanceShape{5, 9, 3, 4, true}, PlannerOptions{});
  });
}

// Larger plans take the greedy path (too many cameras for the exhaustive search).
TEST(Property, RandomOrdersOfLargerPlansReachTheTarget) {
  Check(2000, [] {
    RandomOrdersReachTheTarget(InstanceShape{14, 28, 3, 10, true}, PlannerOptions{});
  });
}

// Bulk assigns: runs of interchangeable activations run side by side
// (edges.cc); moves and released destinations free keys in between.
TEST(Property, RandomOrdersOfBulkAssignsReachTheTarget) {
  Check(2000, [] {
    RandomOrdersReachTheTarget(InstanceShape{10, 16, 2, 3, true, 8, 6}, PlannerOptions{});
  });
}

// Every band split of the deferred cameras, and every reordered first round,
// that replays (parking.h, ReplayInBands), whether or not the planner would
// pick it, gives a graph whose random linearisations reach the target:
// shaping may choose any.
TEST(Property, RandomOrdersOfGraphsReplayedInBandsReachTheTarget) {
  Check(8000, [] {
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    const auto order_seed = *rc::gen::arbitrary<std::uint64_t>();
    std::mt19937_64 rng(seed);
    Instance in = RandomInstance(rng, InstanceShape{14, 28, 3, 10, true});
    const AccountIndex index(in.snapshot);
    Result<Placements> placements = ResolvePlan(in.plan, index);
    if (!placements.ok()) return;
    const Allocation allocation = AllocateTargets(*placements, index);
    const Problem problem = BuildProblem(allocation, index);
    Result<Witness> decided = DecideParking(problem);
    RC_ASSERT(decided.ok());
    RC_CLASSIFY(decided->deferred_rounds > 0, "cameras deferred");
    std::mt19937_64 order(order_seed);
    for (auto [bands, first_by_priority] :
         {std::pair{2, false}, std::pair{3, false}, std::pair{5, false}, std::pair{1, true},
          std::pair{3, true}}) {
      std::optional<Witness> w = ReplayInBands(problem, *decided, bands, first_by_priority);
      if (!w) continue;
      RC_CLASSIFY(w->deferred_rounds > 0, "replayed in bands");
      RC_CLASSIFY(first_by_priority, "first round by priority");
      const OpGraph graph = BuildOpGraph(problem, *w, allocation, index);
      RC_ASSERT(PredictAndCheck(graph, allocation, index).ok());
      for (TieBreak ties : {TieBreak::kFirst, TieBreak::kLast, TieBreak::kRandom}) {
        PortalModel model(in.snapshot);
        std::string err = RunRandomOrder(graph, model, order, ties);
        if (err.empty()) err = CheckOutcome(model, in.plan, in.snapshot);
        if (!err.empty()) RC_FAIL(err + "\n" + Describe(in));
      }
    }
  });
}

}  // namespace
}  // namespace licmove::testing
