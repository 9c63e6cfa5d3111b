// Durability: the real portal-sim binary with --state-dir, killed with
// SIGKILL, restarted on the same directory. No acknowledged mutation may be
// lost, and idempotency records survive so that a retry after the restart
// still gets the first answer.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "model/timestamp.h"
#include "portal_sim/durable_log.h"
#include "sim_fixture.h"
#include "subprocess.h"

namespace licmove::sim::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string kAcme = "/api/v1/accounts/acme";

// The real portal-sim binary as a child process, ties broken by key.
std::unique_ptr<licmove::testing::ChildPortalSim> StartChildSim(const fs::path& state_dir) {
  auto sim = licmove::testing::ChildPortalSim::Start(DataFile("rules.yaml"), state_dir.string(),
                                                     {"--tie-break", "key"});
  if (!sim) ADD_FAILURE() << "portal-sim did not start";
  return sim;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "sim-crash-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    state_dir_ = dir_ / "state";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static json::value State(std::uint16_t port) {
    TestClient c(port);
    return c.Get("/sim/state").json();
  }

  fs::path dir_;
  fs::path state_dir_;
};

struct Call {
  std::string method, target, body, key;
};

HttpReply Do(TestClient& client, const Call& call) {
  Result<HttpReply> r =
      client.Send(call.method, call.target, call.body, {{"Idempotency-Key", call.key}});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : HttpReply{};
}

TEST_F(CrashTest, EveryAcknowledgedMutationSurvivesKill9AndReplaysStillAnswerTheSame) {
  auto sim = StartChildSim(state_dir_);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  const std::vector<Call> calls = {
      {"DELETE", kAcme + "/cameras/fleet-cam-1", "", "k1"},
      {"POST", kAcme + "/cameras", R"({"serial":"CAM-1","name":"Lobby","site":"HQ"})", "k2"},
      {"POST", kAcme + "/cameras/c-000010/services/alarm-management/activate",
       R"({"auto_renew":true})", "k3"},
      {"DELETE", kAcme + "/licenses/AM-3Y-A", "", "k4"},
      {"POST", kAcme + "/licenses", R"({"key":"REG-AM-5Y"})", "k5"},
      {"DELETE", kAcme + "/licenses/AM-5Y-HELD", "", "k6"},         // released by k1: parkable
      {"POST", kAcme + "/cameras", R"({"serial":"CAM-1"})", "k7"},  // 409, recorded too
  };
  std::vector<HttpReply> first;
  for (const Call& call : calls) {
    first.push_back(Do(admin, call));
    ASSERT_LT(first.back().status, 500) << call.target << ": " << first.back().body;
  }
  EXPECT_EQ(first[6].status, 409);
  const json::value before = State(sim->port());
  EXPECT_EQ(before.at("idempotency_records"), 7);

  sim->Kill9();
  auto again = StartChildSim(state_dir_);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(State(again->port()), before);

  TestClient retry(again->port(), "admin-token");
  for (std::size_t i = 0; i < calls.size(); ++i) {
    HttpReply r = Do(retry, calls[i]);
    EXPECT_EQ(r.status, first[i].status) << calls[i].key;
    EXPECT_EQ(r.body, first[i].body) << calls[i].key;
  }
  EXPECT_EQ(State(again->port()), before);  // the replays changed nothing
  // Ids continue where they were: never reused after a restart either.
  HttpReply added = retry.Post(kAcme + "/cameras", R"({"serial":"NEW"})");
  EXPECT_EQ(added.json().at("id"), before.at("next_camera_id"));
}

// R7 in the log: an advance is replayed with the keys its renewals took, not
// re-decided. rules.yaml: CAM-1's 5y expires 2029-12-31 and renews with
// AM-1Y-NEW, which expires 2030-12-31 and renews with AM-3Y-A or AM-3Y-B (a
// tie). A seed whose pick is B, then a restart with --tie-break key (which
// would pick A) must still show B, the same clock and the same Date.
TEST_F(CrashTest, AClockAdvanceSurvivesKill9WithTheSameRenewalsWhateverTheTieBreak) {
  std::unique_ptr<licmove::testing::ChildPortalSim> sim;
  std::string picked;
  for (int seed = 1; seed <= 40 && picked != "AM-3Y-B"; ++seed) {
    sim.reset();
    fs::remove_all(state_dir_);
    sim =
        licmove::testing::ChildPortalSim::Start(DataFile("rules.yaml"), state_dir_.string(),
                                                {"--tie-break", "random:" + std::to_string(seed)});
    ASSERT_NE(sim, nullptr);
    TestClient c(sim->port());
    HttpReply r = c.Post("/sim/clock", R"({"to":"2035-01-01T00:00:00Z"})");
    ASSERT_EQ(r.status, 200) << r.body;
    picked.clear();
    const json::value answer = r.json();
    for (const auto& e : answer.at("events").as_array()) {
      const json::value* serial = e.as_object().if_contains("serial");
      if (e.at("at") == json::value("2030-12-31T00:00:00Z") && serial && *serial == "CAM-1")
        picked = Str(e.at("new_key"));
    }
    ASSERT_TRUE(picked == "AM-3Y-A" || picked == "AM-3Y-B") << r.body;
  }
  ASSERT_EQ(picked, "AM-3Y-B") << "no seed of 40 broke the tie the other way";
  TestClient admin(sim->port(), "admin-token");
  // A mutation after the advance happens at the new time: its replay must too.
  const std::string cam2 = Str(CameraInState(State(sim->port()), "acme", "CAM-2").at("id"));
  HttpReply activated =
      admin.Post(kAcme + "/cameras/" + cam2 + "/services/alarm-management/activate", "{}");
  ASSERT_EQ(activated.status, 200) << activated.body;
  EXPECT_EQ(activated.json().at("license_key"), json::value("AM-5Y-NEW"));
  const json::value before = State(sim->port());
  EXPECT_EQ(before.at("now"), json::value("2035-01-01T00:00:00Z"));

  sim->Kill9();
  auto again = licmove::testing::ChildPortalSim::Start(DataFile("rules.yaml"), state_dir_.string(),
                                                       {"--tie-break", "key"});
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(State(again->port()), before);
  TestClient c(again->port());
  EXPECT_EQ(c.Get("/sim/clock").json().at("now"), json::value("2035-01-01T00:00:00Z"));
  TestClient viewer(again->port(), "viewer-token");
  EXPECT_EQ(viewer.Get("/api/v1/me").headers["date"],
            FormatHttpDate(*ParseTimestamp("2035-01-01T00:00:00Z")));
  const json::value cam1 = CameraInState(State(again->port()), "acme", "CAM-1");
  EXPECT_EQ(cam1.at("services").at(0).at("license_key"), json::value("AM-3Y-A"))
      << "2033-12-30: the other 3y renews CAM-1";
}

TEST_F(CrashTest, KilledUnderLoadNoAcknowledgedMutationIsLost) {
  auto sim = StartChildSim(state_dir_);
  ASSERT_NE(sim, nullptr);
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stopped{false};
  std::vector<std::string> serials;  // acknowledged ones, written by the loader only
  std::thread loader([&] {
    TestClient admin(sim->port(), "admin-token");
    for (int i = 0; i < 100000 && !stopped; ++i) {
      const std::string serial = "L-" + std::to_string(i);
      Result<HttpReply> r =
          admin.Send("POST", kAcme + "/cameras", R"({"serial":")" + serial + "\"}",
                     {{"Idempotency-Key", serial}});
      if (!r.ok() || r->status != 201) break;  // killed mid-call: unknown outcome
      serials.push_back(serial);
      ++acknowledged;
    }
    stopped = true;
  });
  while (acknowledged < 50 && !stopped) std::this_thread::yield();
  sim->Kill9();  // while the loader is mid-request
  loader.join();
  ASSERT_GE(serials.size(), 50u);

  auto again = StartChildSim(state_dir_);
  ASSERT_NE(again, nullptr);
  const json::value state = State(again->port());
  for (const std::string& serial : serials) {
    EXPECT_FALSE(CameraInState(state, "acme", serial).is_null()) << serial << " was lost";
  }
}

TEST_F(CrashTest, ATornTailIsDroppedOnRestart) {
  auto sim = StartChildSim(state_dir_);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  ASSERT_EQ(admin.Post(kAcme + "/cameras", R"({"serial":"T-1"})").status, 201);
  const json::value before = State(sim->port());
  sim->Kill9();
  // Half a record, as a write cut by a crash leaves it.
  const std::string record = EncodeRecord(kEntryRecord, R"({"mutation":{"kind":"park"}})");
  std::ofstream(state_dir_ / "portal-sim.log", std::ios::binary | std::ios::app)
      << record.substr(0, record.size() / 2);
  auto again = StartChildSim(state_dir_);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(State(again->port()), before);
}

TEST_F(CrashTest, ResetEmptiesTheLogAndSigtermStopsCleanly) {
  auto sim = StartChildSim(state_dir_);
  ASSERT_NE(sim, nullptr);
  const json::value initial = State(sim->port());
  TestClient admin(sim->port(), "admin-token");
  ASSERT_EQ(admin.Delete(kAcme + "/cameras/fleet-cam-1").status, 200);
  TestClient plain(sim->port());
  ASSERT_EQ(plain.Post("/sim/reset", "").status, 200);
  EXPECT_EQ(sim->Terminate(), 0);
  auto again = StartChildSim(state_dir_);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(State(again->port()), initial);
}

// The log keeps idempotency records scoped by token; a bearer token must
// not be readable from it, yet a retry after a restart still replays.
TEST_F(CrashTest, TheLogHoldsNoTokenAndReplaysStillWorkAfterARestart) {
  const std::string body = R"({"serial":"TOK-1"})";
  HttpReply first;
  {
    auto sim = StartChildSim(state_dir_);
    ASSERT_NE(sim, nullptr);
    TestClient admin(sim->port(), "admin-token");
    first = admin.Post(kAcme + "/cameras", body, "tok-key");
    ASSERT_EQ(first.status, 201) << first.body;
    TestClient both(sim->port(), "both-token");
    ASSERT_EQ(both.Delete(kAcme + "/licenses/NOPE", "tok-key-2").status, 404);
    sim->Kill9();
  }
  const std::string log = licmove::testing::ReadFileText((state_dir_ / "portal-sim.log").string());
  ASSERT_FALSE(log.empty());
  for (const char* token : {"admin-token", "both-token", "viewer-token", "globex-token"}) {
    EXPECT_EQ(log.find(token), std::string::npos) << token << " is in the log";
  }

  auto again = StartChildSim(state_dir_);
  ASSERT_NE(again, nullptr);
  TestClient admin(again->port(), "admin-token");
  HttpReply replay = admin.Post(kAcme + "/cameras", body, "tok-key");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.headers["idempotent-replayed"], "true");
  // The scope is still the token: the same key from another token is a new
  // request (409: the first one added the serial).
  TestClient both(again->port(), "both-token");
  HttpReply other = both.Post(kAcme + "/cameras", body, "tok-key");
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.headers.count("idempotent-replayed"), 0u);
}

// Version 1 logs held bearer tokens in clear: refused with what to do.
TEST_F(CrashTest, AVersion1LogIsRefusedWithWhatToDo) {
  {
    SimOptions o = RulesOptions();
    o.state_dir = state_dir_.string();
    auto sim = StartSim(o);
    ASSERT_NE(sim, nullptr);
  }
  const fs::path log = state_dir_ / "portal-sim.log";
  Result<DecodedLog> decoded = DecodeLog(licmove::testing::ReadFileText(log.string()));
  ASSERT_TRUE(decoded.ok());
  json::object header = json::parse(decoded->records.at(0).payload).as_object();
  header["version"] = 1;
  std::ofstream(log, std::ios::binary | std::ios::trunc)
      << EncodeRecord(kHeaderRecord, json::serialize(header));
  SimOptions o = RulesOptions();
  o.state_dir = state_dir_.string();
  Result<std::unique_ptr<PortalSim>> sim = PortalSim::Start(o);
  ASSERT_FALSE(sim.ok());
  const std::string message = sim.status().message();
  EXPECT_NE(message.find(log.string()), std::string::npos) << message;
  EXPECT_NE(message.find("version 1"), std::string::npos) << message;
  EXPECT_NE(message.find("remove"), std::string::npos) << message;
}

TEST_F(CrashTest, AStateDirOfAnotherFleetIsRefused) {
  {
    SimOptions o = RulesOptions();
    o.state_dir = state_dir_.string();
    auto sim = StartSim(o);
    ASSERT_NE(sim, nullptr);
  }
  SimOptions other;
  other.fleet_file = std::string(LICMOVE_SOURCE_DIR) + "/examples/fleets/small.yaml";
  other.state_dir = state_dir_.string();
  Result<std::unique_ptr<PortalSim>> sim = PortalSim::Start(other);
  ASSERT_FALSE(sim.ok());
  EXPECT_NE(sim.status().message().find("another fleet"), std::string::npos)
      << sim.status().ToString();
}

TEST_F(CrashTest, ACorruptLogRefusesToStart) {
  {
    SimOptions o = RulesOptions();
    o.state_dir = state_dir_.string();
    auto sim = StartSim(o);
    ASSERT_NE(sim, nullptr);
    TestClient admin(sim->port(), "admin-token");
    ASSERT_EQ(admin.Post(kAcme + "/cameras", R"({"serial":"X-1"})").status, 201);
    ASSERT_EQ(admin.Post(kAcme + "/cameras", R"({"serial":"X-2"})").status, 201);
  }
  const fs::path log = state_dir_ / "portal-sim.log";
  std::string data;
  {
    std::ifstream in(log, std::ios::binary);
    data.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Inside the first entry's payload: a record that is not the last.
  Result<DecodedLog> decoded = DecodeLog(data);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->records.size(), 3u);
  data[9 + decoded->records[0].payload.size() + 9 + 5] ^= 0x20;
  std::ofstream(log, std::ios::binary | std::ios::trunc) << data;
  SimOptions o = RulesOptions();
  o.state_dir = state_dir_.string();
  EXPECT_EQ(PortalSim::Start(o).status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace licmove::sim::testing
