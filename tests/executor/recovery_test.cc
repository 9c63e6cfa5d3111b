#include "executor/recovery.h"

#include <gtest/gtest.h>

#include "planner/ops_json.h"

namespace licmove {
namespace {

// park K1; remove CAM-A; activate s on CAM-B (expect KA) after both;
// add CAM-A after the removal; unpark K1 after the activation.
OpGraph MoveGraph() {
  auto g = OpsFromJson(boost::json::parse(R"([
    {"id":0,"kind":"park","key":"K1","after":[]},
    {"id":1,"kind":"remove_camera","camera":"CAM-A","after":[]},
    {"id":2,"kind":"activate","camera":"CAM-B","service":"s","expect_key":"KA","after":[0,1]},
    {"id":3,"kind":"add_camera","camera":"CAM-A","name":"A","site":"HQ","after":[1]},
    {"id":4,"kind":"unpark","key":"K1","after":[2]}])"));
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return std::move(g.value());
}

Binding Before() {
  Binding b;
  b.cameras.push_back({"CAM-A", "c-1", "A", "HQ", {{"s", "KA", false}}});
  b.cameras.push_back({"CAM-B", "c-2", "B", "HQ", {}});
  return b;
}

// The account before the run: KA on CAM-A, K1 in the pool.
AccountSnapshot Start() {
  AccountSnapshot s;
  s.account.name = "acme";
  s.account.cameras = {{"CAM-A", "A", "HQ", "c-1"}, {"CAM-B", "B", "HQ", "c-2"}};
  s.account.licenses = {{"KA", "s", 1825, std::nullopt, "CAM-A"}, {"K1", "s", 365}};
  return s;
}

JournalContents Journal(std::vector<int> intents, std::vector<int> done) {
  JournalContents j;
  for (int op : intents) j.intents.push_back({op, "r-op" + std::to_string(op), 1});
  for (int op : done) j.outcomes.push_back({op, OpOutcome::Result::kDone});
  return j;
}

TEST(Recovery, JournaledOutcomesAreTrustedAndMissingIntentsMeanNotDone) {
  const ResumeDecision d = DecideResume(MoveGraph(), Journal({0, 1}, {0, 1}), Before(), Start());
  EXPECT_EQ(d.done, (std::vector<bool>{true, true, false, false, false}));
  EXPECT_TRUE(d.notes.empty());
}

TEST(Recovery, UnknownOutcomesAreDecidedFromThePortal) {
  // Crash after the park and the removal were sent, before their outcomes:
  // the portal shows K1 gone and CAM-A gone.
  AccountSnapshot now = Start();
  now.account.cameras.erase(now.account.cameras.begin());
  now.account.licenses = {{"KA", "s", 1825}};
  const ResumeDecision d = DecideResume(MoveGraph(), Journal({0, 1}, {}), Before(), now);
  EXPECT_EQ(d.done, (std::vector<bool>{true, true, false, false, false}));
  EXPECT_EQ(d.notes.size(), 2u);

  // The same journal against a portal that never got the requests.
  const ResumeDecision none = DecideResume(MoveGraph(), Journal({0, 1}, {}), Before(), Start());
  EXPECT_EQ(none.done, (std::vector<bool>{false, false, false, false, false}));
}

TEST(Recovery, ADependentThatStartedProvesItsDependencies) {
  // The unpark (op 4) was started, so the activation (op 2) had finished,
  // even though K1 is back in the pool and nothing else is journaled.
  AccountSnapshot now = Start();
  const ResumeDecision d = DecideResume(MoveGraph(), Journal({0, 1, 2, 4}, {}), Before(), now);
  EXPECT_TRUE(d.done[0]);
  EXPECT_TRUE(d.done[1]);
  EXPECT_TRUE(d.done[2]);
  EXPECT_TRUE(d.done[4]);  // K1 is in the account: the unpark happened
}

TEST(Recovery, ReAddedCameraIsToldApartByItsNewId) {
  AccountSnapshot now = Start();
  now.account.cameras[0].id = "c-9";  // CAM-A removed and added back
  now.account.licenses = {{"KA", "s", 1825, std::nullopt, "CAM-B"}, {"K1", "s", 365}};
  const ResumeDecision d = DecideResume(MoveGraph(), Journal({0, 1, 2, 3, 4}, {}), Before(), now);
  EXPECT_EQ(d.done, (std::vector<bool>{true, true, true, true, true}));
  EXPECT_TRUE(Reconcile(MoveGraph(), Before(), now).empty());
}

TEST(Recovery, WrongKeyOnTheCameraIsAMismatch) {
  AccountSnapshot now = Start();
  now.account.cameras.erase(now.account.cameras.begin());
  now.account.licenses = {{"KA", "s", 1825}, {"K1", "s", 365, 0, "CAM-B"}};
  const ResumeDecision d = DecideResume(MoveGraph(), Journal({1, 2}, {1}), Before(), now);
  ASSERT_EQ(d.mismatches.size(), 1u);
  EXPECT_NE(d.mismatches[0].find("CAM-B holds K1"), std::string::npos);
}

TEST(Recovery, AJournaledWrongKeyStopsTheResume) {
  JournalContents j = Journal({0, 1, 2}, {0, 1});
  OpOutcome wrong{2, OpOutcome::Result::kDone};
  wrong.license_key = "K1";
  j.outcomes.push_back(wrong);
  const ResumeDecision d = DecideResume(MoveGraph(), j, Before(), Start());
  ASSERT_EQ(d.mismatches.size(), 1u);
  EXPECT_NE(d.mismatches[0].find("CAM-B got K1"), std::string::npos) << d.mismatches[0];
}

TEST(Recovery, ReconcileNamesEveryDifference) {
  const std::vector<std::string> diffs = Reconcile(MoveGraph(), Before(), Start());
  // CAM-B has no license of s, and CAM-A (re-added by the graph) still holds KA.
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_NE(diffs[0].find("CAM-B has no s license"), std::string::npos) << diffs[0];
  EXPECT_NE(diffs[1].find("CAM-A holds s (KA)"), std::string::npos) << diffs[1];
}

}  // namespace
}  // namespace licmove
