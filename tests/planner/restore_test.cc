#include "planner/restore.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace licmove {
namespace {

const UnixSeconds kNow = 1795910400;  // 2026-11-29

// Before the run: KA (5y) on CAM-A with KR on CAM-A too; CAM-B empty; pool
// K1 (1y). The run moved KA to CAM-B, parking K1 (and crashed before the
// unpark), restoring KR on a re-added CAM-A.
Binding Before() {
  Binding b;
  b.cameras.push_back({"CAM-A", "c-1", "A", "HQ", {{"am", "KA", true}, {"rm", "KR", false}}});
  b.cameras.push_back({"CAM-B", "c-2", "B", "HQ", {}});
  b.licenses.push_back({"KA", "am", 1825, kNow - 100 * kSecondsPerDay, "CAM-A"});
  b.licenses.push_back({"KR", "rm", 365, kNow - 10 * kSecondsPerDay, "CAM-A"});
  b.licenses.push_back({"K1", "am", 365, std::nullopt, ""});
  return b;
}

AccountSnapshot After() {
  AccountSnapshot s;
  s.now = kNow;
  s.account.name = "acme";
  s.account.cameras = {{"CAM-A", "A", "HQ", "c-9"}, {"CAM-B", "B", "HQ", "c-2"}};
  s.account.licenses = {
      {"KA", "am", 1825, kNow - 100 * kSecondsPerDay, "CAM-B", true},
      {"KR", "rm", 365, kNow - 10 * kSecondsPerDay, "CAM-A", false},
  };
  return s;
}

TEST(Restore, LeavesParkedWhatMustStayOutOfTheWayAndPutsEveryKeyBack) {
  auto plan = BuildRestorePlan(Before(), After());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<std::string> ops;
  for (const Op& op : plan->graph.ops()) {
    ops.push_back(std::string(OpKindName(op.kind)) + " " + op.camera + op.key + op.expect_key);
  }
  // CAM-B (holding KA, which is not its own) is removed and re-added; CAM-A
  // keeps KR and only misses KA. K1, which the run parked, is shorter than KA:
  // it stays parked until KA is back on CAM-A (no unpark and park again).
  EXPECT_EQ(ops, (std::vector<std::string>{"remove_camera CAM-B", "add_camera CAM-B",
                                           "activate CAM-AKA", "unpark K1"}));
  EXPECT_TRUE(plan->graph.op(2).auto_renew);
  EXPECT_EQ(plan->graph.op(1).after, std::vector<int>{0});
  EXPECT_EQ(plan->graph.op(3).after, std::vector<int>{2});
  // KA leaves CAM-B before it can be activated on CAM-A.
  EXPECT_EQ(plan->graph.op(2).after, std::vector<int>{0});
  EXPECT_EQ(plan->summary.calls, 4);
}

TEST(Restore, UnparksAKeyTheRunParkedThatIsInNobodysWay) {
  // As Before(), but K1 is a fresh 5-year key: longer than KA, never in its
  // way, so its unpark waits for nothing and nothing waits for it.
  Binding b = Before();
  b.licenses[2].term_days = 1825;
  auto plan = BuildRestorePlan(b, After());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<std::string> ops;
  for (const Op& op : plan->graph.ops()) {
    ops.push_back(std::string(OpKindName(op.kind)) + " " + op.camera + op.key + op.expect_key);
    if (op.kind == OpKind::kUnpark) {
      EXPECT_EQ(op.key, "K1");
      EXPECT_TRUE(op.after.empty());
    }
  }
  std::sort(ops.begin(), ops.end());
  EXPECT_EQ(ops, (std::vector<std::string>{"activate CAM-AKA", "add_camera CAM-B",
                                           "remove_camera CAM-B", "unpark K1"}));
}

TEST(Restore, AddsBackACameraThatIsMissingWithItsRecord) {
  AccountSnapshot s = After();
  s.account.cameras.erase(s.account.cameras.begin());  // CAM-A is gone, KR with it to the pool
  s.account.licenses[1].assigned_to.clear();
  auto plan = BuildRestorePlan(Before(), s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  int adds = 0, removes = 0;
  for (const Op& op : plan->graph.ops()) {
    if (op.kind == OpKind::kAddCamera && op.camera == "CAM-A") {
      ++adds;
      EXPECT_EQ(op.name, "A");
      EXPECT_EQ(op.site, "HQ");
    }
    removes += op.kind == OpKind::kRemoveCamera && op.camera == "CAM-A";
  }
  EXPECT_EQ(adds, 1);
  EXPECT_EQ(removes, 0);
}

TEST(Restore, ParksAgainAKeyTheRunBroughtIntoTheAccount) {
  AccountSnapshot s = After();
  s.account.licenses[0].assigned_to = "CAM-A";  // KA back home
  s.account.licenses.push_back({"K1", "am", 365});
  s.account.licenses.push_back({"KX", "am", 90});  // unparked by the run, not there before
  RestoreOptions options;
  options.brought_in = {"KX"};
  auto plan = BuildRestorePlan(Before(), s, options);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->graph.size(), 1);
  EXPECT_EQ(plan->graph.op(0).kind, OpKind::kPark);
  EXPECT_EQ(plan->graph.op(0).key, "KX");
}

TEST(Restore, NamesTheClocksTheRunStarted) {
  Binding b = Before();
  AccountSnapshot s = After();
  s.account.licenses.push_back({"K1", "am", 365, kNow - kSecondsPerDay, "", false});
  const std::vector<std::string> lines = RollbackCannotUndo(b, s);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("K1"), std::string::npos) << lines[0];
}

TEST(Restore, NoOpsWhenTheAccountIsAsBefore) {
  AccountSnapshot s = After();
  s.account.licenses = {{"KA", "am", 1825, kNow - 100 * kSecondsPerDay, "CAM-A", true},
                        {"KR", "rm", 365, kNow - 10 * kSecondsPerDay, "CAM-A", false},
                        {"K1", "am", 365}};
  auto plan = BuildRestorePlan(Before(), s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_FALSE(plan->has_changes());
}

TEST(Restore, RefusesToTakeAKeyFromACameraTheRunNeverTouched) {
  AccountSnapshot s = After();
  s.account.cameras.push_back({"CAM-Z", "Z", "HQ", "c-7"});
  s.account.licenses[0].assigned_to = "CAM-Z";
  auto plan = BuildRestorePlan(Before(), s);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Status::Code::kConflict);
  EXPECT_NE(plan.status().message().find("KA is now on camera CAM-Z"), std::string::npos)
      << plan.status().message();
}

}  // namespace
}  // namespace licmove
