// Rollbacks against the exhaustive search: random small instances are
// planned, run in a random order and stopped after a random number of ops
// (all of them too); the rollback planned from there must reach the
// before-state in every order its edges allow, in exactly the oracle's fewest
// calls (without parks of one call, which the planner does not make), and
// cost in proportion to what the run did.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "planner/render.h"
#include "planner/restore.h"
#include "planner/saved_plan.h"
#include "random_instance.h"

namespace licmove::testing {
namespace {

std::uint64_t Seeds() {
  const char* env = std::getenv("LICMOVE_ORACLE_SEEDS");
  return env ? std::strtoull(env, nullptr, 10) : 3000;
}

// The account as the model holds it: what a rollback reads from the portal.
// Clocks do not move in the model, so each key keeps its start's activated_at
// (the same remaining validity).
AccountSnapshot Observe(const PortalModel& model, const AccountSnapshot& start) {
  AccountSnapshot s;
  s.now = start.now;
  s.account.name = start.account.name;
  for (const Camera& c : start.account.cameras) {
    if (model.present(c.serial)) s.account.cameras.push_back({c.serial, c.name, c.site, ""});
  }
  for (const License& l : start.account.licenses) {
    const std::string& where = model.where(l.key);
    if (where == "#parked") continue;
    License now = l;
    now.assigned_to = where;
    now.auto_renew = !where.empty() && model.auto_renew(l.key);
    s.account.licenses.push_back(now);
  }
  return s;
}

// "" when the model is back at `start`: every camera present with the same
// services, keys and auto_renew, every pool key in the pool, nothing parked.
std::string CheckRestored(const PortalModel& model, const AccountSnapshot& start) {
  for (const Camera& c : start.account.cameras) {
    if (!model.present(c.serial)) return c.serial + " is missing";
  }
  for (const License& l : start.account.licenses) {
    const std::string& where = model.where(l.key);
    if (where != l.assigned_to) {
      return l.key + " is at '" + where + "', was at '" + l.assigned_to + "'";
    }
    if (l.assigned() && model.auto_renew(l.key) != l.auto_renew) {
      return l.key + " has auto_renew " + std::to_string(model.auto_renew(l.key));
    }
  }
  return "";
}

// The oracle's view of the same start and goal.
OracleProblem RollbackGoal(const PortalModel& model, const AccountSnapshot& start) {
  OracleProblem p;
  p.snapshot = Observe(model, start);
  for (const Camera& c : start.account.cameras) {
    p.goal[c.serial];
    if (!model.present(c.serial)) {
      p.snapshot.account.cameras.push_back(c);
      p.start_absent.push_back(c.serial);
    }
  }
  for (const std::string& key : model.parked()) {
    License l = *start.account.FindLicense(key);
    l.assigned_to.clear();
    l.auto_renew = false;
    p.snapshot.account.licenses.push_back(l);
    p.start_parked.push_back(key);
  }
  for (const License& l : start.account.licenses) {
    if (l.assigned()) p.goal[l.assigned_to][l.service] = {l.key, false, l.auto_renew};
  }
  return p;
}

struct Tally {
  int rollbacks = 0;
  int stopped_early = 0;
  int with_outside_keys = 0;
  int with_absent_cameras = 0;
};

void CheckRollback(std::uint64_t seed, const InstanceShape& shape, Tally& tally) {
  std::mt19937_64 rng(seed);
  Instance in = RandomInstance(rng, shape);
  Result<PlannedChange> planned = BuildPlan(in.plan, in.snapshot);
  if (!planned.ok() || !planned->has_changes()) return;
  const Binding before = BindPlan(*planned, in.snapshot);
  const int n = planned->graph.size();
  const int done = std::uniform_int_distribution<int>(0, n)(rng);
  PortalModel model(in.snapshot);
  ASSERT_EQ(RunRandomOrder(planned->graph, model, rng, TieBreak::kRandom, done), "")
      << "seed " << seed;
  const AccountSnapshot current = Observe(model, in.snapshot);
  Result<PlannedChange> rollback = BuildRestorePlan(before, current);
  ASSERT_TRUE(rollback.ok()) << rollback.status().ToString() << "; seed " << seed << "\n"
                             << Describe(in);
  ++tally.rollbacks;
  tally.stopped_early += done < n;
  tally.with_outside_keys += !model.parked().empty();
  const int calls = rollback->graph.size();
  // In proportion to what the run did: each op done is undone by at most one
  // call and its camera's restorations, plus parks (two calls each) of keys
  // in their way; nothing at all when the run did nothing.
  if (done == 0) {
    EXPECT_EQ(calls, 0) << "seed " << seed;
  }

  OracleProblem goal = RollbackGoal(model, in.snapshot);
  tally.with_absent_cameras += !goal.start_absent.empty();
  int best = OracleMinCalls(goal, calls);
  ASSERT_GE(best, 0) << "the oracle finds no way back in " << calls << " calls; seed " << seed
                     << "\n"
                     << Describe(in);
  if (best < calls) {
    goal.activate_before_removal = false;
    best = OracleMinCalls(goal, calls);
  }
  if (calls != best) {
    std::vector<std::string> path;
    OracleMinCalls(goal, calls, &path);
    std::string shown, ops;
    for (const std::string& c : path) shown += "  " + c + "\n";
    for (const Op& op : rollback->graph.ops()) ops += "  " + DescribeOp(op) + "\n";
    FAIL() << "rollback " << calls << " calls, optimum " << best << " (run stopped after " << done
           << "/" << n << " ops); seed " << seed << "\n"
           << Describe(in) << "oracle:\n"
           << shown << "rollback:\n"
           << ops;
  }
  for (int run = 0; run < 3; ++run) {
    PortalModel copy = model;
    const std::string err = RunRandomOrder(rollback->graph, copy, rng);
    ASSERT_EQ(err, "") << "seed " << seed << " (stopped after " << done << "/" << n << ")\n"
                       << Describe(in);
    ASSERT_EQ(CheckRestored(copy, in.snapshot), "") << "seed " << seed << "\n" << Describe(in);
  }
}

TEST(RestoreOracle, RollbackCallsEqualTheOptimumOnRandomSmallInstances) {
  Tally tally;
  for (std::uint64_t seed = 1; seed <= Seeds(); ++seed) {
    CheckRollback(seed, InstanceShape{}, tally);
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasFailure()) return;
  }
  std::printf("rollbacks %d, stopped early %d, with parked keys %d, with missing cameras %d\n",
              tally.rollbacks, tally.stopped_early, tally.with_outside_keys,
              tally.with_absent_cameras);
  EXPECT_GT(tally.rollbacks, static_cast<int>(Seeds() / 3));
  EXPECT_GT(tally.with_outside_keys, 0);
  EXPECT_GT(tally.with_absent_cameras, 0);
}

TEST(RestoreOracle, RollbackCallsEqualTheOptimumOnMediumInstances) {
  Tally tally;
  const InstanceShape shape{6, 9, 3, 4, true};
  for (std::uint64_t seed = 1; seed <= Seeds() / 10; ++seed) {
    CheckRollback(seed, shape, tally);
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(tally.rollbacks, static_cast<int>(Seeds() / 40));
}

}  // namespace
}  // namespace licmove::testing
