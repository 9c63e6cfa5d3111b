// POST/GET /sim/clock through real HTTP (R7, DESIGN §3): the answer's
// events, the Date header and remaining_days following the clock, the errors,
// and what the rest of the API does at the new time. Fleet: tests/sim/data/
// rules.yaml, whose clock starts at 2026-01-01T00:00:00Z.
#include "model/timestamp.h"
#include "sim_fixture.h"

namespace licmove::sim::testing {
namespace {

namespace json = boost::json;

const std::string kAcme = "/api/v1/accounts/acme";

class SimClockApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = StartSim(RulesOptions());
    ASSERT_NE(sim_, nullptr);
    admin_ = std::make_unique<TestClient>(sim_->port(), "admin-token");
    sim_client_ = std::make_unique<TestClient>(sim_->port());
  }

  HttpReply Clock(const std::string& body) { return sim_client_->Post("/sim/clock", body); }

  json::value License(const std::string& key) {
    const json::value page = admin_->Get(kAcme + "/licenses?limit=1000").json();
    for (const auto& l : page.at("items").as_array())
      if (l.at("key") == json::value(key)) return l;
    return nullptr;
  }

  std::unique_ptr<PortalSim> sim_;
  std::unique_ptr<TestClient> admin_, sim_client_;
};

TEST_F(SimClockApiTest, GetShowsTheFleetsNowAndTheDateHeaderIsIt) {
  HttpReply r = sim_client_->Get("/sim/clock");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), json::parse(R"({"now":"2026-01-01T00:00:00Z"})"));
  EXPECT_EQ(admin_->Get("/api/v1/me").headers["date"], "Thu, 01 Jan 2026 00:00:00 GMT");
}

TEST_F(SimClockApiTest, AdvanceMovesTheDateHeaderRemainingDaysAndSimState) {
  const std::int64_t before = License("AM-5Y-HELD").at("remaining_days").as_int64();
  HttpReply r = Clock(R"({"advance_seconds": 2592000})");  // 30 days
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("now"), json::value("2026-01-31T00:00:00Z"));
  EXPECT_TRUE(r.json().at("events").as_array().empty());
  EXPECT_EQ(r.headers["date"], "Sat, 31 Jan 2026 00:00:00 GMT");
  EXPECT_EQ(admin_->Get("/api/v1/me").headers["date"], "Sat, 31 Jan 2026 00:00:00 GMT");
  EXPECT_EQ(License("AM-5Y-HELD").at("remaining_days").as_int64(), before - 30);
  EXPECT_EQ(License("AM-5Y-NEW").at("remaining_days"), 1825);  // never started: the full term
  EXPECT_EQ(sim_client_->Get("/sim/state").json().at("now"), json::value("2026-01-31T00:00:00Z"));
  EXPECT_EQ(sim_client_->Get("/sim/clock").json().at("now"), json::value("2026-01-31T00:00:00Z"));
}

TEST_F(SimClockApiTest, TheAnswerListsWhatHappenedInOrder) {
  HttpReply r = Clock(R"({"to": "2026-10-02T00:00:00Z"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string gx1 =
      Str(CameraInState(sim_client_->Get("/sim/state").json(), "globex", "GX-1").at("id"));
  const std::string cam1 =
      Str(CameraInState(sim_client_->Get("/sim/state").json(), "acme", "CAM-1").at("id"));
  const json::value want = json::parse(R"([
    {"at": "2026-03-27T00:00:00Z", "kind": "expired_in_pool", "account": "acme",
     "service": "alarm-management", "expired_key": "AM-1Y-OLD"},
    {"at": "2026-03-27T00:00:01Z", "kind": "expired_in_pool", "account": "acme",
     "service": "alarm-management", "expired_key": "AM-1Y-A-PLUS1S"},
    {"at": "2026-06-01T00:00:00Z", "kind": "expired_parked",
     "service": "alarm-management", "expired_key": "REG-AM-USED"},
    {"at": "2026-06-01T00:00:00Z", "kind": "lapsed", "account": "acme", "camera_id": ")" +
                                       cam1 + R"(", "serial": "CAM-1",
     "service": "remote-maintenance", "expired_key": "RM-1Y-HELD", "reason": "auto_renew_off"},
    {"at": "2026-10-01T00:00:00Z", "kind": "renewed", "account": "globex", "camera_id": ")" +
                                       gx1 + R"(", "serial": "GX-1",
     "service": "alarm-management", "expired_key": "GX-AM-1", "new_key": "GX-AM-POOL"}
  ])");
  EXPECT_EQ(r.json().at("events"), want) << r.body;
  EXPECT_EQ(r.json().at("now"), json::value("2026-10-02T00:00:00Z"));

  // The account as the API shows it at the new time.
  EXPECT_TRUE(License("AM-1Y-OLD").is_null());
  EXPECT_TRUE(License("RM-1Y-HELD").is_null());
  TestClient globex(sim_->port(), "globex-token");
  json::value camera = globex.Get("/api/v1/accounts/globex/cameras/" + gx1).json();
  EXPECT_EQ(camera.at("services"),
            json::parse(R"([{"service":"alarm-management","license_key":"GX-AM-POOL",)"
                        R"("auto_renew":true}])"));
  // /sim/state lists expired keys apart from the registry.
  json::value state = sim_client_->Get("/sim/state").json();
  std::set<std::string> expired;
  for (const auto& l : state.at("expired").as_array()) expired.insert(Str(l.at("key")));
  EXPECT_EQ(expired, (std::set<std::string>{"AM-1Y-OLD", "AM-1Y-A-PLUS1S", "GX-AM-1", "REG-AM-USED",
                                            "RM-1Y-HELD"}));
  for (const auto& l : state.at("registry").as_array()) EXPECT_NE(Str(l.at("key")), "REG-AM-USED");
}

TEST_F(SimClockApiTest, AnExpiredKeyCannotBeUnparked) {
  ASSERT_EQ(Clock(R"({"to": "2026-06-01T00:00:00Z"})").status, 200);
  HttpReply r = admin_->Post(kAcme + "/licenses", R"({"key":"REG-AM-USED"})");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.error_code(), "license_expired");
  // A never-started registry key is still fine.
  EXPECT_EQ(admin_->Post(kAcme + "/licenses", R"({"key":"REG-AM-5Y"})").status, 201);
}

TEST_F(SimClockApiTest, AnActivationAtTheNewTimeStartsTheClockThen) {
  ASSERT_EQ(Clock(R"({"to": "2027-01-01T00:00:00Z"})").status, 200);
  const std::string cam3 =
      Str(CameraInState(sim_client_->Get("/sim/state").json(), "acme", "CAM-3").at("id"));
  HttpReply r = admin_->Post(kAcme + "/cameras/" + cam3 + "/services/remote-maintenance/activate",
                             R"({"auto_renew":false})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("license_key"), json::value("RM-DEMO-1"));
  EXPECT_EQ(r.json().at("expires_at"), json::value("2027-04-01T00:00:00Z"));  // + 90 days
  EXPECT_EQ(License("RM-DEMO-1").at("activated_at"), json::value("2027-01-01T00:00:00Z"));
}

TEST_F(SimClockApiTest, BadRequestsAre400AndLeaveTheClock) {
  for (const char* body : {
           R"({})",                                                    // neither
           R"({"advance_seconds": 1, "to": "2027-01-01T00:00:00Z"})",  // both
           R"({"advance_seconds": -1})",                               // backwards
           R"({"to": "2025-12-31T23:59:59Z"})",                        // backwards
           R"({"advance_seconds": 1.5})",
           R"({"advance_seconds": "1"})",
           R"({"advance_seconds": 1e300})",
           R"({"to": "tomorrow"})",
           R"({"to": "3026-01-01T00:00:00Z"})",  // more than a century in one advance
           R"({"days": 1})",
           R"([1])",
       }) {
    HttpReply r = Clock(body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(r.error_code(), "bad_request") << body;
  }
  HttpReply back = Clock(R"({"to": "2025-12-31T23:59:59Z"})");
  EXPECT_NE(back.json().at("error").at("message").as_string().find("never goes back"),
            std::string::npos)
      << back.body;
  EXPECT_EQ(sim_client_->Get("/sim/clock").json().at("now"), json::value("2026-01-01T00:00:00Z"));
  // Zero is no move, and no error.
  HttpReply zero = Clock(R"({"advance_seconds": 0})");
  EXPECT_EQ(zero.status, 200);
  EXPECT_EQ(zero.json(), json::parse(R"({"now":"2026-01-01T00:00:00Z","events":[]})"));
}

TEST_F(SimClockApiTest, ResetPutsTheClockBack) {
  ASSERT_EQ(Clock(R"({"to": "2027-01-01T00:00:00Z"})").status, 200);
  ASSERT_EQ(sim_client_->Post("/sim/reset", "").status, 200);
  EXPECT_EQ(sim_client_->Get("/sim/clock").json().at("now"), json::value("2026-01-01T00:00:00Z"));
  EXPECT_EQ(admin_->Get("/api/v1/me").headers["date"], "Thu, 01 Jan 2026 00:00:00 GMT");
  EXPECT_FALSE(License("AM-1Y-OLD").is_null());
}

}  // namespace
}  // namespace licmove::sim::testing
