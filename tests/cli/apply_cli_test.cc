// licmove apply / status / runs through the real binary against the embedded
// simulator (--portal sim://FLEET): the access checks that must fail before
// any mutation, confirmation, and a run that lands.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileText;
using testing::RunProcess;

const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";
const std::string kFleet = LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml";
const std::string kMovePlan = LICMOVE_SOURCE_DIR "/plans/move.yaml";

class ApplyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("licmove-apply-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    state_ = (dir_ / "state").string();
    log_ = (dir_ / "out.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Licmove(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), kLicmove);
    std::ofstream(log_, std::ios::trunc).close();
    return RunProcess(args, env, log_);
  }
  std::vector<std::string> Apply(std::vector<std::string> extra = {"--yes"}) {
    std::vector<std::string> a = {"apply",           kMovePlan,     "--portal",
                                  "sim://" + kFleet, "--state-dir", state_};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  std::string Output() { return ReadFileText(log_); }
  // Nothing was applied: no run was journaled, and the simulator (which keeps
  // its state under the state dir) still lets the whole move happen, which
  // its key guard would refuse had anything moved.
  void ExpectNothingChanged() {
    const std::string why = Output();
    EXPECT_FALSE(fs::exists(fs::path(state_) / "runs")) << why;
    EXPECT_EQ(Licmove(Apply()), 0) << why << "\n" << Output();
    EXPECT_NE(Output().find("CAM-0007  alarm-management  AM-5Y-0001  done"), std::string::npos);
  }

  fs::path dir_;
  std::string state_, log_;
};

TEST_F(ApplyCli, ViewerTokenFailsBeforeAnyMutation) {
  EXPECT_EQ(Licmove(Apply(), {"LICMOVE_TOKEN=viewer-secret"}), 1);
  EXPECT_NE(Output().find("role viewer"), std::string::npos) << Output();
  ExpectNothingChanged();
}

TEST_F(ApplyCli, ForeignAccountFailsBeforeAnyMutation) {
  EXPECT_EQ(Licmove(Apply(), {"LICMOVE_TOKEN=other-admin-secret"}), 1);
  EXPECT_NE(Output().find("no access to account acme"), std::string::npos) << Output();
  ExpectNothingChanged();
}

TEST_F(ApplyCli, BadTokenFailsBeforeAnyMutation) {
  EXPECT_EQ(Licmove(Apply(), {"LICMOVE_TOKEN=not-a-token"}), 1);
  EXPECT_NE(Output().find("does not accept the token"), std::string::npos) << Output();
  ExpectNothingChanged();
}

TEST_F(ApplyCli, WithoutATerminalItNeedsYes) {
  EXPECT_EQ(Licmove(Apply({})), 6);
  EXPECT_NE(Output().find("pass --yes"), std::string::npos) << Output();
  ExpectNothingChanged();
}

TEST_F(ApplyCli, AppliesReportsAndJournals) {
  ASSERT_EQ(Licmove(Apply()), 0) << Output();
  const std::string out = Output();
  EXPECT_NE(out.find("CAM-0007  alarm-management  AM-5Y-0001  done"), std::string::npos) << out;
  EXPECT_NE(out.find("CAM-0001  remote-maintenance  RM-1Y-0101  done"), std::string::npos);
  EXPECT_NE(out.find("reconciliation: the account matches the plan"), std::string::npos);
  // Keys are masked in progress lines, complete in the report.
  EXPECT_NE(out.find("park ...0012: done"), std::string::npos) << out;

  ASSERT_EQ(Licmove({"runs", "--state-dir", state_}), 0);
  const std::string runs = Output();
  EXPECT_NE(runs.find("apply  acme  14/14 ops  completed"), std::string::npos) << runs;
  const std::string run = runs.substr(0, runs.find(' '));
  ASSERT_EQ(Licmove({"status", run, "--state-dir", state_, "--format", "json"}), 0);
  EXPECT_NE(Output().find("\"result\":\"completed\""), std::string::npos) << Output();
  EXPECT_NE(Output().find("\"ops_done\":14"), std::string::npos) << Output();

  // The same plan again: the ledger shows it applied, so nothing to do.
  EXPECT_EQ(Licmove(Apply()), 0);
  EXPECT_NE(Output().find("no changes: " + std::string(kMovePlan) + " was applied"),
            std::string::npos)
      << Output();
}

TEST_F(ApplyCli, SavedPlanAppliesUntilTheAccountMovesUnderIt) {
  const std::string saved = (dir_ / "saved.json").string();
  const std::string assign = LICMOVE_SOURCE_DIR "/plans/assign-5y.yaml";
  ASSERT_EQ(Licmove({"plan", kMovePlan, "--snapshot", kFleet, "--out", saved}), 0) << Output();
  const std::string saved_assign = (dir_ / "saved-assign.json").string();
  ASSERT_EQ(Licmove({"plan", assign, "--snapshot", kFleet, "--out", saved_assign}), 0);
  // The saved move applies as planned...
  ASSERT_EQ(
      Licmove({"apply", saved, "--portal", "sim://" + kFleet, "--state-dir", state_, "--yes"}), 0)
      << Output();
  EXPECT_NE(Output().find("CAM-0007  alarm-management  AM-5Y-0001  done"), std::string::npos);
  // ...and the saved assign, planned before the move parked and unparked the
  // pool it depends on, still fits (those keys came back unchanged); but a
  // second copy of the move, past the ledger (--reapply), no longer does:
  // CAM-0001 and CAM-0007 changed.
  EXPECT_EQ(Licmove({"apply", saved, "--portal", "sim://" + kFleet, "--state-dir", state_, "--yes",
                     "--reapply"}),
            6);
  EXPECT_NE(Output().find("no longer fits the account"), std::string::npos) << Output();
  EXPECT_NE(Output().find("CAM-0001"), std::string::npos) << Output();
  EXPECT_EQ(Licmove({"apply", saved_assign, "--portal", "sim://" + kFleet, "--state-dir", state_,
                     "--yes"}),
            0)
      << Output();
  EXPECT_NE(Output().find("reconciliation: the account matches the plan"), std::string::npos);
}

TEST_F(ApplyCli, JournalIsPrivate) {
  ASSERT_EQ(Licmove(Apply()), 0) << Output();
  for (const auto& e : fs::recursive_directory_iterator(fs::path(state_) / "runs")) {
    const auto perms = fs::status(e.path()).permissions();
    EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none) << e.path();
  }
}

}  // namespace
}  // namespace licmove
