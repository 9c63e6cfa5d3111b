// Shaping (planner.h, PlannerOptions::parallelism): among graphs with the
// same, fewest calls, the planner keeps the one that finishes first at the
// parallelism it is told. Checked on a generated fleet, whose plain order ends
// with every parked key's unpark waiting for the last activation: the shaped
// graph must make the same calls, reach the same target in any order the
// portal model tries, and take no more rounds than the plain one.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fleet_generator.h"
#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/edges.h"
#include "planner/list_schedule.h"
#include "planner/parking.h"
#include "planner/planner.h"
#include "planner/predict.h"
#include "planner/problem.h"
#include "planner/resolve.h"
#include "portal_model.h"
#include "random_instance.h"

namespace licmove::testing {
namespace {

// The benchmark's kind of fleet (bench/planner_bench.cc), smaller.
const Instance& Fleet2000() {
  static const Instance g = GeneratedInstance(2000, 200, 20);
  return g;
}

PlannedChange PlanAt(int parallelism) {
  PlannerOptions options;
  options.parallelism = parallelism;
  Result<PlannedChange> r = BuildPlan(Fleet2000().plan, Fleet2000().snapshot, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : PlannedChange{};
}

// Where every camera ends, as serial -> "service=key" lines.
std::vector<std::string> Ends(const PredictedState& p) {
  std::vector<std::string> out;
  for (const PredictedCamera& c : p.cameras) {
    for (const PredictedService& s : c.after)
      out.push_back(c.serial + " " + s.service + "=" + s.key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Shaping, SameCallsSameTargetNoMoreRounds) {
  const PlannedChange plain = PlanAt(0);
  ASSERT_GT(plain.summary.parks, 0);
  EXPECT_EQ(plain.summary.estimated_rounds, 0);  // not shaped, not estimated
  for (int p : {1, 4, 10, 16, 64}) {
    SCOPED_TRACE("parallelism " + std::to_string(p));
    const PlannedChange shaped = PlanAt(p);
    EXPECT_EQ(shaped.summary.calls, plain.summary.calls);
    EXPECT_EQ(shaped.summary.parks, plain.summary.parks);
    EXPECT_EQ(Ends(shaped.predicted), Ends(plain.predicted));
    EXPECT_EQ(shaped.summary.parallelism, p);
    EXPECT_EQ(shaped.summary.estimated_rounds, ListScheduleRounds(shaped.graph, p));
    EXPECT_LE(shaped.summary.estimated_rounds, ListScheduleRounds(plain.graph, p));
  }
}

TEST(Shaping, WinsOnABulkPlanAtTheDefaultParallelism) {
  // The reason it exists: the plain order leaves ~1/3 of the calls (unparks)
  // for after the last activation.
  const PlannedChange plain = PlanAt(0);
  const PlannedChange shaped = PlanAt(kDefaultParallelism);
  EXPECT_GT(shaped.summary.bands, 1);
  EXPECT_LT(shaped.summary.estimated_rounds, ListScheduleRounds(plain.graph, kDefaultParallelism));
}

TEST(Shaping, ShapedGraphReachesTheTargetInRandomOrders) {
  const PlannedChange shaped = PlanAt(kDefaultParallelism);
  std::mt19937_64 rng(11);
  for (TieBreak ties : {TieBreak::kFirst, TieBreak::kLast, TieBreak::kRandom}) {
    PortalModel model(Fleet2000().snapshot);
    ASSERT_EQ(RunRandomOrder(shaped.graph, model, rng, ties), "");
    ASSERT_EQ(CheckOutcome(model, Fleet2000().plan, Fleet2000().snapshot), "");
  }
}

TEST(Shaping, EveryBandSplitThatReplaysKeepsTheDecision) {
  const Instance& in = Fleet2000();
  const AccountIndex index(in.snapshot);
  Result<Placements> placements = ResolvePlan(in.plan, index);
  ASSERT_TRUE(placements.ok());
  const Allocation allocation = AllocateTargets(*placements, index);
  const Problem problem = BuildProblem(allocation, index);
  Result<Witness> decided = DecideParking(problem);
  ASSERT_TRUE(decided.ok());
  ASSERT_GT(decided->deferred_rounds, 0);
  std::vector<int> parked = decided->parked;
  std::sort(parked.begin(), parked.end());
  int replayed = 0;
  for (int bands : {1, 2, 3, 4, 8, 16, 32, 1000}) {
    for (bool first_by_priority : {false, true}) {
      SCOPED_TRACE(std::to_string(bands) + " bands" +
                   (first_by_priority ? ", first round reordered" : ""));
      std::optional<Witness> w = ReplayInBands(problem, *decided, bands, first_by_priority);
      if (!w) continue;
      ++replayed;
      EXPECT_EQ(w->bands, bands);
      EXPECT_EQ(w->first_by_priority, first_by_priority);
      EXPECT_EQ(w->events.size(), decided->events.size());
      std::vector<int> again = w->parked;
      std::sort(again.begin(), again.end());
      EXPECT_EQ(again, parked);
      const OpGraph graph = BuildOpGraph(problem, *w, allocation, index);
      EXPECT_TRUE(PredictAndCheck(graph, allocation, index).ok());
      // The shape (kinds and edges only) is the same graph without the names.
      const OpShape shape = BuildOpShape(problem, *w, allocation, index);
      ASSERT_EQ(shape.size(), graph.size());
      for (int i = 0; i < graph.size(); ++i) {
        EXPECT_EQ(shape.kinds[i], graph.op(i).kind);
        EXPECT_EQ(std::vector<int>(shape.after_begin(i), shape.after_end(i)), graph.op(i).after);
      }
      EXPECT_EQ(ListScheduleRounds(shape, kDefaultParallelism),
                ListScheduleRounds(graph, kDefaultParallelism));
    }
  }
  EXPECT_GT(replayed, 0);
}

}  // namespace
}  // namespace licmove::testing
