// `licmove plan --portal`: the account read from a running portal-sim gives
// exactly the plan the same fleet file gives offline, and a viewer token is
// enough to plan.
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

}  // namespace
}  // namespace licmove
