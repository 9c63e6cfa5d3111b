// `licmove plan --portal`: the account read from a running portal-sim gives
// exactly the plan the same fleet file gives offline, and a viewer token is
// enough to plan.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "fleet_generator.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ChildPortalSim;
using testing::ReadFileText;
using testing::RunProcess;

const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";

class PlanPortal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("licmove-planportal-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Plans `plan` against `fleet` both ways and returns the two JSON outputs.
  std::pair<std::string, std::string> BothWays(const std::string& plan, const std::string& fleet,
                                               const std::string& token) {
    const std::string state = (dir_ / "sim").string();
    fs::remove_all(state);
    fs::create_directories(state);
    auto sim = ChildPortalSim::Start(fleet, state);
    EXPECT_NE(sim, nullptr);
    const std::string token_file = (dir_ / "token").string();
    std::ofstream(token_file) << token << "\n";
    const std::string live = (dir_ / "live.json").string();
    const std::string offline = (dir_ / "offline.json").string();
    std::ofstream(live).close();
    std::ofstream(offline).close();
    EXPECT_EQ(RunProcess({"/bin/sh", "-c",
                          kLicmove + " plan " + plan + " --portal " + sim->url() +
                              " --token-file " + token_file + " --format json > " + live}),
              0)
        << ReadFileText(live);
    EXPECT_EQ(RunProcess({"/bin/sh", "-c",
                          kLicmove + " plan " + plan + " --snapshot " + fleet +
                              " --format json > " + offline}),
              0);
    return {ReadFileText(live), ReadFileText(offline)};
  }
  fs::path dir_;
};

TEST_F(PlanPortal, SmallFleetSamePlanWithAViewerToken) {
  auto [live, offline] =
      BothWays(LICMOVE_SOURCE_DIR "/plans/move.yaml",
               LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml", "viewer-secret");
  EXPECT_NE(live.find("\"kind\":\"park\""), std::string::npos) << live;
  EXPECT_EQ(live, offline);
}

TEST_F(PlanPortal, GeneratedFleetSamePlan) {
  FleetGenOptions o;
  o.cameras = 400;
  o.moves = 40;
  o.assigns = 6;
  o.seed = 9;
  const GeneratedFleet g = GenerateFleet(o);
  const std::string fleet = (dir_ / "fleet.yaml").string();
  const std::string plan = (dir_ / "plan.yaml").string();
  std::ofstream(fleet) << g.fleet_yaml;
  std::ofstream(plan) << g.plan_yaml;
  auto [live, offline] = BothWays(plan, fleet, "admin-secret");
  EXPECT_GT(live.size(), 1000u);
  EXPECT_EQ(live, offline);
}

// A big text plan shows its first few hundred lines, says what it left out,
// and keeps its summary; --detailed prints all (issue 14).
TEST_F(PlanPortal, BigTextPlanIsSummarisedUnlessDetailed) {
  FleetGenOptions o;
  o.cameras = 600;
  o.moves = 150;
  o.assigns = 6;
  o.seed = 11;
  const GeneratedFleet g = GenerateFleet(o);
  const std::string fleet = (dir_ / "fleet.yaml").string();
  const std::string plan = (dir_ / "plan.yaml").string();
  std::ofstream(fleet) << g.fleet_yaml;
  std::ofstream(plan) << g.plan_yaml;
  const std::string shown = (dir_ / "shown.txt").string();
  const std::string detailed = (dir_ / "detailed.txt").string();
  ASSERT_EQ(RunProcess({"/bin/sh", "-c",
                        kLicmove + " plan " + plan + " --snapshot " + fleet + " > " + shown}),
            0);
  ASSERT_EQ(RunProcess({"/bin/sh", "-c",
                        kLicmove + " plan " + plan + " --snapshot " + fleet + " --detailed > " +
                            detailed}),
            0);
  const std::string a = ReadFileText(shown), b = ReadFileText(detailed);
  auto lines = [](const std::string& t) { return std::count(t.begin(), t.end(), '\n'); };
  EXPECT_GT(lines(b), 400) << "the plan is not big enough to test the limit";
  EXPECT_LT(lines(a), 340) << a;
  EXPECT_NE(a.find(" more cameras not shown; --detailed prints all"), std::string::npos) << a;
  EXPECT_EQ(b.find("not shown"), std::string::npos);
  // The summary is whole either way.
  ASSERT_NE(a.find("\nSummary\n"), std::string::npos);
  EXPECT_EQ(a.substr(a.find("\nSummary\n")), b.substr(b.find("\nSummary\n")));
}

}  // namespace
}  // namespace licmove
