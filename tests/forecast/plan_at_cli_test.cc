// `licmove plan PLAN --at TIME` end to end: the real binary plans against the
// forecast state (renewals change which key a move finds), says so in text
// and JSON, names the ties that make a key a guess, and binds a saved plan to
// the forecast state: apply refuses it (exit 6) while the account does not
// match the forecast, and runs it when it does.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "subprocess.h"

namespace licmove::testing {
namespace {

namespace fs = std::filesystem;

const std::string kLicmove = std::string(LICMOVE_BINARY_DIR) + "/src/licmove/licmove";

// now 2026-11-29. CAM-A's alarm-management key K-OLD runs out on 2026-12-09
// and renews automatically; the pool's two fresh 1y keys tie for it, so the
// forecast takes K-NEW1 and calls it a guess. CAM-C's remote-maintenance key
// runs until mid-2027 and nothing happens to it.
const char* kFleetYaml = R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: admin-secret, name: ops@acme, role: admin, accounts: [acme]}
accounts:
  - name: acme
    cameras:
      - {serial: CAM-A, name: Lobby, site: HQ}
      - {serial: CAM-B, name: Gate, site: HQ}
      - {serial: CAM-C, name: Roof, site: HQ}
    licenses:
      - {key: K-OLD, service: alarm-management, term_days: 365,
         activated_at: "2025-12-09T00:00:00Z", assigned_to: CAM-A, auto_renew: true}
      - {key: K-NEW1, service: alarm-management, term_days: 365}
      - {key: K-NEW2, service: alarm-management, term_days: 365}
      - {key: K-5Y, service: alarm-management, term_days: 1825}
      - {key: RM-C, service: remote-maintenance, term_days: 365,
         activated_at: "2026-06-01T00:00:00Z", assigned_to: CAM-C, auto_renew: false}
      - {key: RM-POOL, service: remote-maintenance, term_days: 1825}
)";

const char* kMoveAlarm = R"(version: 1
account: acme
moves:
  - {from: CAM-A, to: CAM-B, service: alarm-management, auto_renew: true}
)";

const char* kMoveMaintenance = R"(version: 1
account: acme
moves:
  - {from: CAM-C, to: CAM-B, service: remote-maintenance, auto_renew: false}
)";

class PlanAt : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("licmove-plan-at-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fleet_ = Write("fleet.yaml", kFleetYaml);
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(std::vector<std::string> args, std::string& output) {
    args.insert(args.begin(), kLicmove);
    const std::string out = (dir_ / "output.txt").string();
    fs::remove(out);
    const int code = RunProcess(args, {}, out);
    output = ReadFileText(out);
    return code;
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string State() const { return (dir_ / "state").string(); }

  fs::path dir_;
  std::string fleet_;
};

TEST_F(PlanAt, RenewalsChangeWhichKeyTheMoveFinds) {
  const std::string plan = Write("move.yaml", kMoveAlarm);
  std::string out;
  // Today the move takes K-OLD...
  ASSERT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--format", "json"}, out), 0) << out;
  EXPECT_NE(out.find("\"K-OLD\""), std::string::npos) << out;
  EXPECT_EQ(out.find("\"forecast\""), std::string::npos) << out;
  // ...after the renewal of 2026-12-09 it takes the key the renewal took.
  ASSERT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--at", "+30d"}, out), 0) << out;
  EXPECT_NE(out.find("planned against the forecast at 2026-12-29T00:00:00Z (the account as read "
                     "at 2026-11-29T00:00:00Z"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2026-12-09T00:00:00Z  renewed  alarm-management  CAM-A  K-OLD -> K-NEW1 "
                     "(1y) [tie]"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("guess: on 2026-12-09T00:00:00Z the renewal of CAM-A takes K-NEW1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("K-NEW1"), std::string::npos) << out;

  ASSERT_EQ(
      Run({"plan", plan, "--snapshot", fleet_, "--at", "2026-12-29T00:00:00Z", "--format", "json"},
          out),
      0)
      << out;
  boost::json::value v = boost::json::parse(out);
  const auto& forecast = v.at("forecast").as_object();
  EXPECT_EQ(forecast.at("at").as_string(), "2026-12-29T00:00:00Z");
  EXPECT_EQ(forecast.at("read_at").as_string(), "2026-11-29T00:00:00Z");
  ASSERT_EQ(forecast.at("events").as_array().size(), 1u);
  EXPECT_EQ(forecast.at("events").at(0).at("new_key").as_string(), "K-NEW1");
  ASSERT_EQ(forecast.at("guesses").as_array().size(), 1u);
  EXPECT_EQ(out.find("\"K-OLD\",\"expires"), std::string::npos);
  // The activation on CAM-B expects K-NEW1, not K-OLD.
  bool expects_new = false;
  for (const auto& op : v.at("ops").as_array()) {
    const auto& o = op.as_object();
    if (!o.contains("expect_key")) continue;
    EXPECT_NE(o.at("expect_key").as_string(), "K-OLD") << out;
    if (o.at("expect_key").as_string() == "K-NEW1") expects_new = true;
  }
  EXPECT_TRUE(expects_new) << out;
}

TEST_F(PlanAt, BadTimesAreUsageErrors) {
  const std::string plan = Write("move.yaml", kMoveAlarm);
  std::string out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--at", "tomorrow"}, out), 64) << out;
  EXPECT_NE(out.find("--at tomorrow: not a time"), std::string::npos) << out;
  EXPECT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--at", "2026-01-01T00:00:00Z"}, out), 64);
  EXPECT_NE(out.find("is before the account's now 2026-11-29T00:00:00Z"), std::string::npos) << out;
}

TEST_F(PlanAt, SavedPlanIsRefusedWhileTheAccountDoesNotMatchTheForecast) {
  const std::string plan = Write("move.yaml", kMoveAlarm);
  const std::string saved = (dir_ / "saved.json").string();
  std::string out;
  ASSERT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--at", "+30d", "--out", saved}, out), 0)
      << out;
  // The simulator's clock is still at the fleet's now: CAM-A holds K-OLD, and
  // K-NEW1 is in the pool, not on CAM-A as the forecast says.
  EXPECT_EQ(
      Run({"apply", saved, "--portal", "sim://" + fleet_, "--state-dir", State(), "--yes"}, out), 6)
      << out;
  EXPECT_NE(out.find("the account does not match the forecast at 2026-12-29T00:00:00Z"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("the portal's clock reads 2026-11-29T00:00:00Z, before that time"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("camera CAM-A holds alarm-management K-OLD (auto-renew), planned with "
                     "alarm-management K-NEW1 (auto-renew)"),
            std::string::npos)
      << out;
}

TEST_F(PlanAt, SavedPlanAppliesWhenTheAccountMatchesTheForecast) {
  // Nothing the maintenance move depends on changes before the time, so the
  // account as it is already matches the forecast there.
  const std::string plan = Write("move.yaml", kMoveMaintenance);
  const std::string saved = (dir_ / "saved.json").string();
  std::string out;
  ASSERT_EQ(Run({"plan", plan, "--snapshot", fleet_, "--at", "+30d", "--out", saved}, out), 0)
      << out;
  EXPECT_NE(ReadFileText(saved).find("\"forecast\":{\"read_at\":\"2026-11-29T00:00:00Z\","
                                     "\"at\":\"2026-12-29T00:00:00Z\"}"),
            std::string::npos);
  EXPECT_EQ(
      Run({"apply", saved, "--portal", "sim://" + fleet_, "--state-dir", State(), "--yes"}, out), 0)
      << out;
}

// The week-ahead dry run, then the night itself: a portal-sim process (ties
// by key, so the tied renewal takes the key the forecast names), `plan --at`
// a month ahead against it, the simulator's clock advanced to that time
// (R7 applied by the simulator's own rules), then the saved plan applied:
// it runs, and the account is what the plan predicted, camera by camera.
TEST_F(PlanAt, PlannedAheadItAppliesWhenTheClockGetsThereAndTheAccountIsThePrediction) {
  const std::string plan = Write("move.yaml", kMoveAlarm);
  const std::string saved = (dir_ / "saved.json").string();
  const std::string token = Write("admin.token", "admin-secret\n");
  std::unique_ptr<ChildPortalSim> sim =
      ChildPortalSim::Start(fleet_, (dir_ / "sim").string(), {"--tie-break", "key"});
  ASSERT_TRUE(sim);
  std::string out;
  ASSERT_EQ(Run({"plan", plan, "--portal", sim->url(), "--token-file", token, "--at",
                 "2026-12-29T00:00:00Z", "--out", saved},
                out),
            0)
      << out;
  std::string rendered;
  ASSERT_EQ(Run({"plan", plan, "--portal", sim->url(), "--token-file", token, "--at",
                 "2026-12-29T00:00:00Z", "--format", "json"},
                rendered),
            0)
      << rendered;
  // Not yet: the portal's clock is a month short.
  ASSERT_EQ(Run({"apply", saved, "--portal", sim->url(), "--token-file", token, "--state-dir",
                 State(), "--yes"},
                out),
            6)
      << out;

  const std::string answer = (dir_ / "clock.json").string();
  ASSERT_EQ(RunProcess({"/usr/bin/curl", "-sS", "-o", answer, "-X", "POST", "-H",
                        "Content-Type: application/json", "--data",
                        R"({"to":"2026-12-29T00:00:00Z"})", sim->url() + "/sim/clock"},
                       {}, (dir_ / "curl.txt").string()),
            0);
  const boost::json::value clock = boost::json::parse(ReadFileText(answer));
  ASSERT_EQ(clock.at("events").as_array().size(), 1u) << clock;
  EXPECT_EQ(clock.at("events").at(0).at("new_key").as_string(), "K-NEW1") << clock;

  ASSERT_EQ(Run({"apply", saved, "--portal", sim->url(), "--token-file", token, "--state-dir",
                 State(), "--yes"},
                out),
            0)
      << out;

  // The account now, by serial: service -> key.
  ASSERT_EQ(
      Run({"show", "cameras", "--portal", sim->url(), "--token-file", token, "-o", "json"}, out), 0)
      << out;
  std::map<std::string, std::map<std::string, std::string>> live;
  const boost::json::value shown = boost::json::parse(out);
  for (const auto& c : shown.at("cameras").as_array()) {
    auto& services = live[std::string(c.at("serial").as_string())];
    for (const auto& s : c.at("services").as_array()) {
      services[std::string(s.at("service").as_string())] = std::string(s.at("key").as_string());
    }
  }
  // What the saved plan predicted, by serial.
  std::map<std::string, std::map<std::string, std::string>> predicted;
  const boost::json::value planned = boost::json::parse(rendered);
  for (const auto& c : planned.at("predicted").at("cameras").as_array()) {
    auto& services = predicted[std::string(c.at("serial").as_string())];
    for (const auto& s : c.at("after").as_array()) {
      services[std::string(s.at("service").as_string())] = std::string(s.at("key").as_string());
    }
  }
  ASSERT_FALSE(predicted.empty());
  for (const auto& [serial, services] : predicted) EXPECT_EQ(live[serial], services) << serial;
  EXPECT_EQ(live["CAM-B"]["alarm-management"], "K-NEW1");
  EXPECT_EQ(live["CAM-A"].count("alarm-management"), 0u);
}

}  // namespace
}  // namespace licmove::testing
