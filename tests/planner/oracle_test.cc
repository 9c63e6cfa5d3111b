// The planner against an exhaustive search: on thousands of random small
// instances (up to 4 cameras, 6 licenses, 2 services, ties included) the
// planner's number of portal calls must equal the optimum (without parks of
// one call, which the planner does not make; a plan it calls minimal must be
// the optimum with them too), and its graph must reach the target in any
// order.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "planner/planner.h"
#include "planner/render.h"
#include "random_instance.h"

namespace licmove::testing {
namespace {

// LICMOVE_ORACLE_SEEDS=N runs N instances instead of the default (longer
// soak runs; the default keeps the suite fast and deterministic), and
// LICMOVE_ORACLE_FIRST_SEED=F runs seeds F to F+N-1 instead of 1 to N (a soak
// over other instances).
std::uint64_t Seeds() {
  const char* env = std::getenv("LICMOVE_ORACLE_SEEDS");
  return env ? std::strtoull(env, nullptr, 10) : 4000;
}
std::uint64_t FirstSeed() {
  const char* env = std::getenv("LICMOVE_ORACLE_FIRST_SEED");
  return env ? std::strtoull(env, nullptr, 10) : 1;
}

struct Tally {
  int planned = 0;
  int rejected = 0;  // resolution errors: the random plan asked for something impossible
  int with_parks = 0;
  int greedy_above = 0;
  std::string above_seeds;        // the first few seeds of greedy_above
  int one_call_park_shorter = 0;  // the oracle is shorter only with parks of one call
};

void CheckAgainstOracle(std::uint64_t seed, const PlannerOptions& options, bool require_optimal,
                        Tally& tally, const InstanceShape& shape = InstanceShape{}) {
  std::mt19937_64 rng(seed);
  Instance in = RandomInstance(rng, shape);
  Result<PlannedChange> planned = BuildPlan(in.plan, in.snapshot, options);
  if (!planned.ok()) {
    ASSERT_EQ(planned.status().code(), Status::Code::kInvalidArgument)
        << planned.status().ToString() << "\n"
        << Describe(in);
    ++tally.rejected;
    return;
  }
  ++tally.planned;
  tally.with_parks += planned->summary.parks > 0;
  const int calls = planned->summary.calls;
  OracleProblem goal = GoalOf(in, *planned);
  int best = OracleMinCalls(goal, calls);
  ASSERT_GE(best, 0) << "the oracle finds no way to the planner's target in " << calls
                     << " calls; seed " << seed << "\n"
                     << Describe(in);
  // Whatever decided it, a plan is called minimal only when it is.
  ASSERT_TRUE(!planned->summary.optimal_proven || calls == best)
      << "planner " << calls << " calls, called minimal, optimum " << best << "; seed " << seed
      << "\n"
      << Describe(in);
  if (best < calls) {
    // Found by the soaks (seed 1142386 and a few others): the portal allows
    // parks of one call, which the planner does not make; without them its
    // calls must be the optimum.
    goal.activate_before_removal = false;
    const int without = OracleMinCalls(goal, calls);
    if (without > best) ++tally.one_call_park_shorter;
    best = without;
  }
  if (require_optimal && calls != best) {
    std::vector<std::string> path;
    OracleMinCalls(goal, calls, &path);
    std::string shown;
    for (const std::string& c : path) shown += "  " + c + "\n";
    std::string ops;
    for (const Op& op : planned->graph.ops()) ops += "  " + DescribeOp(op) + "\n";
    FAIL() << "planner " << calls << " calls, optimum " << best << "; seed " << seed << "\n"
           << Describe(in) << "oracle:\n"
           << shown << "planner:\n"
           << ops;
  } else if (calls > best) {
    if (++tally.greedy_above <= 10) tally.above_seeds += " " + std::to_string(seed);
  }
  for (int run = 0; run < 3; ++run) {
    PortalModel model(in.snapshot);
    std::string err = RunRandomOrder(planned->graph, model, rng);
    ASSERT_EQ(err, "") << "seed " << seed << "\n" << Describe(in);
    ASSERT_EQ(CheckOutcome(model, in.plan, in.snapshot), "") << "seed " << seed << "\n"
                                                             << Describe(in);
  }
}

TEST(Oracle, PlannerCallsEqualTheOptimumOnRandomSmallInstances) {
  Tally tally;
  for (std::uint64_t seed = FirstSeed(); seed < FirstSeed() + Seeds(); ++seed) {
    CheckAgainstOracle(seed, PlannerOptions{}, true, tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(tally.planned, static_cast<int>(Seeds() * 6 / 10));
  EXPECT_GT(tally.with_parks, static_cast<int>(Seeds() / 5));
  std::printf("planned %d, rejected %d, with parks %d, one-call parks shorter %d\n", tally.planned,
              tally.rejected, tally.with_parks, tally.one_call_park_shorter);
}

// Without the exhaustive search: the greedy with the pilot method, as used on
// mid-size plans.
TEST(Oracle, PilotAloneOnRandomSmallInstances) {
  Tally tally;
  PlannerOptions greedy;
  greedy.parking.exhaustive_max_cameras = 0;
  for (std::uint64_t seed = FirstSeed(); seed < FirstSeed() + Seeds(); ++seed) {
    CheckAgainstOracle(seed, greedy, false, tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("pilot: planned %d, above the optimum %d (seeds%s)\n", tally.planned,
              tally.greedy_above, tally.above_seeds.c_str());
  EXPECT_EQ(tally.greedy_above, 0);
}

// The plain greedy, as used on large plans.
TEST(Oracle, GreedyAloneOnRandomSmallInstances) {
  Tally tally;
  PlannerOptions greedy;
  greedy.parking.exhaustive_max_cameras = 0;
  greedy.parking.pilot_max_cameras = 0;
  for (std::uint64_t seed = FirstSeed(); seed < FirstSeed() + Seeds(); ++seed) {
    CheckAgainstOracle(seed, greedy, false, tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("greedy: planned %d, above the optimum %d (seeds%s)\n", tally.planned,
              tally.greedy_above, tally.above_seeds.c_str());
  // Measured: 17 of 26962 over 40000 seeds, each one park (2 calls) above.
  // A regression guard, not a promise: large plans report whether their
  // optimality is proven (summary.optimal_proven).
  EXPECT_LE(tally.greedy_above * 500, tally.planned);
}

// Beyond the acceptance sizes: up to 6 cameras, 9 licenses, 3 services,
// 3-year keys too.
TEST(Oracle, PlannerCallsEqualTheOptimumOnMediumInstances) {
  Tally tally;
  const InstanceShape shape{6, 9, 3, 4, true};
  for (std::uint64_t seed = FirstSeed(); seed < FirstSeed() + Seeds() / 10; ++seed) {
    CheckAgainstOracle(seed, PlannerOptions{}, true, tally, shape);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("medium: planned %d, with parks %d, one-call parks shorter %d\n", tally.planned,
              tally.with_parks, tally.one_call_park_shorter);
  EXPECT_GT(tally.planned, static_cast<int>(Seeds() / 20));
}

}  // namespace
}  // namespace licmove::testing
