// `licmove plan` end to end: the real binary on the example fleet and plans,
// its formats, --out, and its exit codes.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "files/fleet_file.h"
#include "planner/saved_plan.h"
#include "subprocess.h"

namespace licmove::testing {
namespace {

const std::string kLicmove = std::string(LICMOVE_BINARY_DIR) + "/src/licmove/licmove";
const std::string kSource = LICMOVE_SOURCE_DIR;
const std::string kFleet = kSource + "/examples/fleets/small.yaml";

class CliPlan : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("licmove-cli-plan-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs licmove with `args`; the exit code, and stdout+stderr in `output`.
  int Run(std::vector<std::string> args, std::string& output) {
    args.insert(args.begin(), kLicmove);
    const std::string out = (dir_ / "output.txt").string();
    std::filesystem::remove(out);  // RunProcess appends; `output` is this run's alone
    const int code = RunProcess(args, {}, out);
    output = ReadFileText(out);
    return code;
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(CliPlan, ChangesGiveExitCodeTwoWithDetailedExitcode) {
  std::string out;
  EXPECT_EQ(
      Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet, "--detailed-exitcode"}, out),
      2);
  EXPECT_NE(out.find("CAM-0001  Lobby (HQ): removed and added back"), std::string::npos) << out;
  EXPECT_NE(out.find("RM-DEMO-0110  remote-maintenance, 90 days left"), std::string::npos) << out;
  EXPECT_NE(out.find("14 portal calls (the minimum)"), std::string::npos) << out;
  // Without the flag, a successful plan exits 0.
  EXPECT_EQ(Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet}, out), 0);
}

TEST_F(CliPlan, ShowsTheExpectedDurationAtTheParallelismItIsShapedFor) {
  // plans/move.yaml: 14 calls, critical path 4. Ten in flight: the critical
  // path; two: 14 calls need at least 7 rounds, and the graph allows 7.
  std::string out;
  ASSERT_EQ(Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet}, out), 0);
  EXPECT_NE(out.find("about 4 call latencies at 10 calls in flight"), std::string::npos) << out;
  ASSERT_EQ(Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet, "--parallelism", "2",
                 "--format", "json"},
                out),
            0);
  boost::json::value v = boost::json::parse(out);
  EXPECT_EQ(v.at("summary").at("parallelism").as_int64(), 2);
  EXPECT_EQ(v.at("summary").at("estimated_rounds").as_int64(), 7);
  EXPECT_EQ(
      Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet, "--parallelism", "0"}, out),
      64);
}

TEST_F(CliPlan, JsonFormat) {
  std::string out;
  ASSERT_EQ(
      Run({"plan", kSource + "/plans/assign-5y.yaml", "--snapshot", kFleet, "--format", "json"},
          out),
      0);
  boost::json::value v = boost::json::parse(out);
  EXPECT_EQ(v.at("format_version").as_int64(), 1);
  EXPECT_EQ(v.at("summary").at("calls").as_int64(), 10);
  EXPECT_EQ(v.at("ops").as_array().size(), 10u);
}

TEST_F(CliPlan, OutSavesAPlanBoundToTheAccount) {
  std::string out;
  const std::string saved = (dir_ / "saved.json").string();
  ASSERT_EQ(Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet, "--out", saved}, out),
            0)
      << out;
  Result<SavedPlan> loaded = LoadSavedPlan(ReadFileText(saved), saved);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->graph.size(), 14);
  Result<Fleet> fleet = LoadFleetFile(kFleet);
  ASSERT_TRUE(fleet.ok());
  const Account* acme = fleet->FindAccount("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_TRUE(CheckBinding(*loaded, AccountSnapshot{*acme, fleet->now}).ok());
  EXPECT_EQ(std::filesystem::status(saved).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);  // keys inside: not world-readable
}

TEST_F(CliPlan, ResolutionErrorsNameThePlanLineAndExitThree) {
  const std::string plan = Write("bad.yaml",
                                 "version: 1\n"
                                 "account: acme\n"
                                 "moves:\n"
                                 "  - from: CAM-0001\n"
                                 "    to: CAM-0099\n"
                                 "    service: alarm-management\n");
  std::string out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", kFleet, "--detailed-exitcode"}, out), 3);
  // At the `to` value, not at the move (whose line is `from`).
  EXPECT_NE(out.find(plan + ":5:9: camera CAM-0099 is not in account acme"), std::string::npos)
      << out;
}

// plans/swaps.yaml takes its moves from plans/swaps.csv.
TEST_F(CliPlan, PlansMovesFromACsvFile) {
  std::string out;
  EXPECT_EQ(
      Run({"plan", kSource + "/plans/swaps.yaml", "--snapshot", kFleet, "--detailed-exitcode"},
          out),
      2)
      << out;
  EXPECT_NE(out.find("CAM-0008"), std::string::npos) << out;
  EXPECT_NE(out.find("RM-3Y-0102"), std::string::npos) << out;
}

// A resolution error about a move from the CSV names the CSV, its line and
// column; one about a YAML move still names the plan file.
TEST_F(CliPlan, ResolutionErrorsOfCsvMovesNameTheCsvRow) {
  Write("swaps.csv",
        "from,to,service\r\n"
        "CAM-0002,CAM-0007,alarm-management\r\n"
        "CAM-0003,CAM-0099,\r\n");
  const std::string plan = Write("swaps.yaml",
                                 "version: 1\n"
                                 "account: acme\n"
                                 "moves:\n"
                                 "  - {from: CAM-0001, to: CAM-0098, service: alarm-management}\n"
                                 "moves_csv: swaps.csv\n");
  const std::string csv = (dir_ / "swaps.csv").string();
  std::string out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", kFleet}, out), 3);
  // At the value at fault: the `to` of the YAML move, the `to` cell of the row.
  EXPECT_NE(out.find(plan + ":4:26: camera CAM-0098 is not in account acme"), std::string::npos)
      << out;
  EXPECT_NE(out.find(csv + ":3:10: camera CAM-0099 is not in account acme"), std::string::npos)
      << out;
}

TEST_F(CliPlan, InvalidPlanFileExitsThree) {
  const std::string plan = Write("invalid.yaml", "version: 1\naccount: acme\nmoves: 3\n");
  std::string out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", kFleet}, out), 3);
  EXPECT_NE(out.find(plan + ":"), std::string::npos) << out;
}

TEST_F(CliPlan, NoChangesExitZeroWithDetailedExitcode) {
  // CAM-1 already holds a fresh 5-year key, interchangeable with the one the
  // assign would pick: there is nothing to do.
  const std::string fleet = Write("fleet.yaml",
                                  "version: 1\n"
                                  "now: \"2026-11-29T00:00:00Z\"\n"
                                  "users:\n"
                                  "  - {token: t, name: ops, role: admin, accounts: [acme]}\n"
                                  "accounts:\n"
                                  "  - name: acme\n"
                                  "    cameras:\n"
                                  "      - {serial: CAM-1, name: One, site: HQ}\n"
                                  "    licenses:\n"
                                  "      - {key: AM-5Y-1, service: alarm-management, term_days: "
                                  "1825, activated_at: \"2026-11-29T00:00:00Z\", assigned_to: "
                                  "CAM-1, auto_renew: true}\n"
                                  "      - {key: AM-5Y-2, service: alarm-management, term_days: "
                                  "1825}\n");
  const std::string plan = Write("plan.yaml",
                                 "version: 1\n"
                                 "account: acme\n"
                                 "assign:\n"
                                 "  - cameras: [CAM-1]\n"
                                 "    service: alarm-management\n"
                                 "    term: 5y\n"
                                 "    auto_renew: true\n"
                                 "options:\n"
                                 "  release_destinations: true\n");
  std::string out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", fleet, "--detailed-exitcode"}, out), 0) << out;
  EXPECT_NE(out.find("No changes"), std::string::npos) << out;
}

TEST_F(CliPlan, UsageErrors) {
  std::string out;
  EXPECT_EQ(Run({"plan", kSource + "/plans/move.yaml"}, out), 64);
  EXPECT_EQ(
      Run({"plan", kSource + "/plans/move.yaml", "--snapshot", kFleet, "--format", "xml"}, out),
      64);
}

}  // namespace
}  // namespace licmove::testing
