// The ledger's verdict on a plan, for every shape of run history it meets.
#include "state/ledger.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

RunInfo MakeRun(const std::string& id, const std::string& kind, const std::string& account,
                const std::string& plan, std::optional<RunEnd::Result> end,
                const std::string& parent = "") {
  RunInfo r;
  r.run_id = id;
  r.kind = kind;
  r.account = account;
  r.plan_identity = plan;
  r.parent_run = parent;
  if (end) r.end = RunEnd{*end, ""};
  return r;
}

constexpr auto kDone = RunEnd::Result::kCompleted;
constexpr auto kInterrupted = RunEnd::Result::kInterrupted;
using State = LedgerEntry::State;

TEST(Ledger, APlanNoRunAppliedWasNeverApplied) {
  const std::vector<RunInfo> runs = {MakeRun("r1", "apply", "acme", "sha256:b", kDone),
                                     MakeRun("r2", "apply", "globex", "sha256:a", kDone)};
  EXPECT_EQ(LookUpPlan(runs, "acme", "sha256:a").state, State::kNeverApplied);
  EXPECT_EQ(LookUpPlan(runs, "acme", "").state, State::kNeverApplied);
}

TEST(Ledger, TheLatestApplyRunOfThePlanOnTheAccountDecides) {
  std::vector<RunInfo> runs = {MakeRun("r1", "apply", "acme", "sha256:a", kInterrupted),
                               MakeRun("r2", "apply", "acme", "sha256:a", kDone)};
  LedgerEntry e = LookUpPlan(runs, "acme", "sha256:a");
  EXPECT_EQ(e.state, State::kCompleted);
  EXPECT_EQ(e.run.run_id, "r2");
  EXPECT_EQ(e.earlier_runs, 1);
  runs.push_back(MakeRun("r3", "apply", "acme", "sha256:a", std::nullopt));
  e = LookUpPlan(runs, "acme", "sha256:a");
  EXPECT_EQ(e.state, State::kUnfinished);
  EXPECT_EQ(e.run.run_id, "r3");
}

TEST(Ledger, AnEndThatIsNotCompletedIsUnfinished) {
  for (auto end : {RunEnd::Result::kStopped, RunEnd::Result::kFailed, kInterrupted}) {
    const std::vector<RunInfo> runs = {MakeRun("r1", "apply", "acme", "sha256:a", end)};
    EXPECT_EQ(LookUpPlan(runs, "acme", "sha256:a").state, State::kUnfinished);
  }
}

TEST(Ledger, ARollbackOfTheLatestRunMarksThePlanRolledBackOrBeingRolledBack) {
  std::vector<RunInfo> runs = {MakeRun("r1", "apply", "acme", "sha256:a", kDone),
                               MakeRun("r2", "rollback", "acme", "", std::nullopt, "r1")};
  LedgerEntry e = LookUpPlan(runs, "acme", "sha256:a");
  EXPECT_EQ(e.state, State::kRollingBack);
  EXPECT_EQ(e.rollback.run_id, "r2");
  runs.push_back(MakeRun("r3", "rollback", "acme", "", kDone, "r1"));
  e = LookUpPlan(runs, "acme", "sha256:a");
  EXPECT_EQ(e.state, State::kRolledBack);
  EXPECT_EQ(e.rollback.run_id, "r3");
  // Applied again after the rollback (--reapply): that run decides.
  runs.push_back(MakeRun("r4", "apply", "acme", "sha256:a", kDone));
  EXPECT_EQ(LookUpPlan(runs, "acme", "sha256:a").state, State::kCompleted);
}

TEST(Ledger, UnfinishedRunsAreThoseOfTheAccountNotCompletedNorUndone) {
  const std::vector<RunInfo> runs = {
      MakeRun("r1", "apply", "acme", "sha256:a", kInterrupted),
      MakeRun("r2", "rollback", "acme", "", kDone, "r1"),          // r1 undone
      MakeRun("r3", "apply", "acme", "sha256:b", std::nullopt),    // unfinished
      MakeRun("r4", "apply", "globex", "sha256:b", std::nullopt),  // another account
      MakeRun("r5", "apply", "acme", "sha256:c", kDone),           // completed
      MakeRun("r6", "rollback", "acme", "", kInterrupted, "r5")};  // an unfinished rollback
  std::vector<std::string> ids;
  for (const RunInfo& r : UnfinishedRuns(runs, "acme")) ids.push_back(r.run_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"r3", "r6"}));
}

}  // namespace
}  // namespace licmove
