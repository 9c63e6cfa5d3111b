#include "planner/restore.h"

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

TEST(Restore, UnparksRemovesAndPutsEveryKeyBackWithItsPickForced) {
  auto plan = BuildRestorePlan(Before(), After());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<std::string> ops;
  for (const Op& op : plan->graph.ops()) {
    ops.push_back(std::string(OpKindName(op.kind)) + " " + op.camera + op.key + op.expect_key);
    if (op.id > 0) {
      EXPECT_EQ(op.after, std::vector<int>{op.id - 1});  // one chain
    }
  }
  // K1 comes back first; CAM-B (holding KA, which is not its own) is removed
  // and re-added; CAM-A keeps KR and only misses KA, which is activated
  // after parking the shorter K1 again, which is then unparked.
  EXPECT_EQ(ops, (std::vector<std::string>{"unpark K1", "remove_camera CAM-B", "add_camera CAM-B",
                                           "park K1", "activate CAM-AKA", "unpark K1"}));
  EXPECT_TRUE(plan->graph.op(4).auto_renew);
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
