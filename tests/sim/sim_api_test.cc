// Every call and rule of the portal API (DESIGN §1-§2), through real HTTP
// against a PortalSim on a loopback port, seeded from tests/sim/data/rules.yaml.
#include <set>
#include <thread>

#include "portal_sim/routes.h"
#include "sim_fixture.h"

namespace licmove::sim::testing {
namespace {

namespace json = boost::json;

const std::string kAcme = "/api/v1/accounts/acme";

class SimApiTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(RulesOptions()); }

  void Start(const SimOptions& options) {
    sim_ = StartSim(options);
    ASSERT_NE(sim_, nullptr);
    admin_ = std::make_unique<TestClient>(sim_->port(), "admin-token");
    viewer_ = std::make_unique<TestClient>(sim_->port(), "viewer-token");
    sim_client_ = std::make_unique<TestClient>(sim_->port());
  }

  json::value State() { return sim_client_->Get("/sim/state").json(); }

  std::string IdOf(const std::string& serial, const std::string& account = "acme") {
    json::value c = CameraInState(State(), account, serial);
    EXPECT_FALSE(c.is_null()) << serial;
    return c.is_null() ? "" : Str(c.at("id"));
  }

  // Activates `service` on the camera with `serial`; returns the answer.
  HttpReply Activate(const std::string& serial, const std::string& service = "alarm-management",
                     const std::string& body = "{}") {
    return admin_->Post(kAcme + "/cameras/" + IdOf(serial) + "/services/" + service + "/activate",
                        body);
  }

  std::unique_ptr<PortalSim> sim_;
  std::unique_ptr<TestClient> admin_, viewer_, sim_client_;
};

TEST_F(SimApiTest, MeNamesTheUserRoleAndAccounts) {
  HttpReply r = admin_->Get("/api/v1/me");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.json(), json::parse(R"({"user":"ops@acme","role":"admin","accounts":["acme"]})"));
  EXPECT_EQ(viewer_->Get("/api/v1/me").json().at("role"), "viewer");
}

TEST_F(SimApiTest, MissingOrUnknownTokenIs401) {
  TestClient anonymous(sim_->port());
  HttpReply r = anonymous.Get("/api/v1/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "unauthorized");
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer");
  TestClient wrong(sim_->port(), "no-such-token");
  EXPECT_EQ(wrong.Get(kAcme + "/cameras").status, 401);
  Result<HttpReply> basic =
      anonymous.Send("GET", "/api/v1/me", "", {{"Authorization", "Basic eDp5"}});
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->status, 401);
}

TEST_F(SimApiTest, ViewerReadsButCannotMutate) {
  const json::value before = State();
  EXPECT_EQ(viewer_->Get(kAcme + "/cameras").status, 200);
  EXPECT_EQ(viewer_->Get(kAcme + "/licenses").status, 200);
  const std::string cam = IdOf("CAM-3");
  for (HttpReply r :
       {viewer_->Post(kAcme + "/cameras", R"({"serial":"V-1"})"),
        viewer_->Delete(kAcme + "/cameras/" + cam),
        viewer_->Post(kAcme + "/cameras/" + cam + "/services/alarm-management/activate", "{}"),
        viewer_->Delete(kAcme + "/licenses/AM-1Y-NEW"),
        viewer_->Post(kAcme + "/licenses", R"({"key":"REG-AM-5Y"})")}) {
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.error_code(), "forbidden");
  }
  EXPECT_EQ(State(), before);  // nothing changed
}

TEST_F(SimApiTest, ForeignAccountIs403AndUnknownAccountCameraOrRouteIs404) {
  TestClient globex(sim_->port(), "globex-token");
  HttpReply foreign = globex.Get(kAcme + "/cameras");
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.error_code(), "forbidden");
  EXPECT_EQ(globex.Post(kAcme + "/cameras", R"({"serial":"X"})").status, 403);
  EXPECT_EQ(globex.Get("/api/v1/accounts/globex/cameras").status, 200);

  HttpReply no_account = admin_->Get("/api/v1/accounts/nope/cameras");
  EXPECT_EQ(no_account.status, 404);
  EXPECT_EQ(no_account.error_code(), "not_found");
  EXPECT_EQ(admin_->Get(kAcme + "/cameras/no-such-id").status, 404);
  EXPECT_EQ(admin_->Delete(kAcme + "/cameras/no-such-id").error_code(), "not_found");
  EXPECT_EQ(admin_->Post(kAcme + "/cameras/no-such-id/services/alarm-management/activate", "{}")
                .error_code(),
            "not_found");
  EXPECT_EQ(admin_->Get("/api/v1/nothing").status, 404);

  Result<HttpReply> wrong_method = admin_->Send("PUT", kAcme + "/cameras");
  ASSERT_TRUE(wrong_method.ok());
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->error_code(), "method_not_allowed");
  EXPECT_EQ(wrong_method->headers["allow"], "GET, POST");
}

TEST_F(SimApiTest, GetCameraShowsItsServices) {
  HttpReply r = admin_->Get(kAcme + "/cameras/fleet-cam-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json(),
            json::parse(R"({"id":"fleet-cam-1","serial":"CAM-1","name":"Lobby","site":"HQ",
      "services":[{"service":"alarm-management","license_key":"AM-5Y-HELD","auto_renew":true},
                  {"service":"remote-maintenance","license_key":"RM-1Y-HELD","auto_renew":false}]})"));
}

TEST_F(SimApiTest, GeneratedCameraIdsSkipTheFleetsOwn) {
  EXPECT_EQ(IdOf("CAM-2"), "c-000001");
  EXPECT_EQ(IdOf("CAM-9"), "c-000002");  // given by the fleet
  EXPECT_EQ(IdOf("CAM-3"), "c-000003");
}

TEST_F(SimApiTest, CameraPagesWalkEveryCameraOnceAndEndWithNullCursor) {
  std::vector<std::string> ids;
  std::string cursor;
  int pages = 0;
  for (;;) {
    HttpReply r =
        admin_->Get(kAcme + "/cameras?limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    json::object page = Object(r);
    ASSERT_LE(page["items"].as_array().size(), 4u);
    for (const auto& c : page["items"].as_array()) ids.push_back(Str(c.at("id")));
    ++pages;
    if (page["next_cursor"].is_null()) break;
    cursor = Str(page["next_cursor"]);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), 9u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 9u);
  HttpReply all = admin_->Get(kAcme + "/cameras");
  EXPECT_EQ(all.json().at("items").as_array().size(), 9u);
  EXPECT_TRUE(all.json().at("next_cursor").is_null());
}

TEST_F(SimApiTest, PaginationParametersAreValidated) {
  for (const char* query : {"?limit=0", "?limit=1001", "?limit=ten", "?cursor=zz", "?cursor=00"}) {
    HttpReply r = admin_->Get(kAcme + "/cameras" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.error_code(), "bad_request") << query;
  }
  EXPECT_EQ(admin_->Get(kAcme + "/cameras?limit=1000").status, 200);
  // A licenses cursor is no cameras cursor.
  std::string cursor = Str(admin_->Get(kAcme + "/licenses?limit=1").json().at("next_cursor"));
  EXPECT_EQ(admin_->Get(kAcme + "/cameras?cursor=" + cursor).status, 400);
  EXPECT_EQ(admin_->Get(kAcme + "/licenses?state=parked").status, 400);
}

TEST_F(SimApiTest, LicenseListFiltersByStateAndPagesThroughTheFilter) {
  auto keys = [&](const std::string& state, int limit) {
    std::vector<std::string> out;
    std::string cursor;
    for (;;) {
      HttpReply r =
          admin_->Get(kAcme + "/licenses?state=" + state + "&limit=" + std::to_string(limit) +
                      (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(r.status, 200);
      json::object page = Object(r);
      for (const auto& l : page["items"].as_array()) out.push_back(Str(l.at("key")));
      if (page["next_cursor"].is_null()) return out;
      cursor = Str(page["next_cursor"]);
    }
  };
  EXPECT_EQ(keys("assigned", 2),
            (std::vector<std::string>{"AM-3Y-HELD", "AM-5Y-HELD", "RM-1Y-HELD"}));
  EXPECT_EQ(keys("pool", 3).size(), 8u);
  EXPECT_EQ(keys("all", 1000).size(), 11u);
  EXPECT_EQ(keys("all", 5), keys("all", 1000));

  json::value held =
      admin_->Get(kAcme + "/licenses?state=assigned&limit=1").json().at("items").at(0);
  EXPECT_EQ(held, json::parse(R"({"key":"AM-3Y-HELD","service":"alarm-management","term_days":1095,
      "activated_at":"2025-09-01T00:00:00Z","expires_at":"2028-08-31T00:00:00Z",
      "remaining_days":973,"assigned_to":"c-000001"})"));
}

TEST_F(SimApiTest, ActivateHandsOutTheShortestRemainingValidityFirst) {
  // The order rules.yaml documents: seconds count (AM-1Y-OLD before the
  // smaller key AM-1Y-A-PLUS1S), a partly used 5y before an unused 3y, ties by key.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"CAM-3", "AM-1Y-OLD"},  {"CAM-4", "AM-1Y-A-PLUS1S"}, {"CAM-5", "AM-1Y-NEW"},
      {"CAM-6", "AM-5Y-USED"}, {"CAM-7", "AM-3Y-A"},        {"CAM-8", "AM-3Y-B"},
      {"CAM-9", "AM-5Y-NEW"}};
  for (const auto& [serial, key] : expected) {
    HttpReply r = Activate(serial);
    ASSERT_EQ(r.status, 200) << serial << ": " << r.body;
    EXPECT_EQ(r.json().at("license_key"), json::value(key)) << serial;
  }
  HttpReply empty = Activate("CAM-2", "remote-maintenance");
  EXPECT_EQ(empty.status, 200);  // RM-DEMO-1
  HttpReply none = Activate("CAM-3", "remote-maintenance");
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(none.error_code(), "no_license_in_pool");
}

TEST_F(SimApiTest, FirstActivationStartsTheClockAndAnActivatedOneKeepsIt) {
  HttpReply old_one = Activate("CAM-3");  // AM-1Y-OLD, activated 2025-03-27
  EXPECT_EQ(old_one.json(),
            json::parse(R"({"license_key":"AM-1Y-OLD","expires_at":"2026-03-27T00:00:00Z"})"));
  Activate("CAM-4");  // AM-1Y-A-PLUS1S
  HttpReply fresh = Activate("CAM-5", "alarm-management", R"({"auto_renew":true})");  // AM-1Y-NEW
  EXPECT_EQ(fresh.json(),
            json::parse(R"({"license_key":"AM-1Y-NEW","expires_at":"2027-01-01T00:00:00Z"})"));
  json::value l = LicenseInState(State(), "AM-1Y-NEW");
  EXPECT_EQ(l.at("activated_at"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(l.at("assigned_to"), json::value(IdOf("CAM-5")));
  json::value cam = admin_->Get(kAcme + "/cameras/" + IdOf("CAM-5")).json();
  EXPECT_EQ(cam.at("services"),
            json::parse(
                R"([{"service":"alarm-management","license_key":"AM-1Y-NEW","auto_renew":true}])"));
}

TEST_F(SimApiTest, ActivatingAHeldServiceIs409ServiceActive) {
  HttpReply r = Activate("CAM-1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "service_active");
}

TEST_F(SimApiTest, RandomTieBreakPicksWithinTheTieAndRepeatsForASeed) {
  SimOptions o = RulesOptions();
  o.tie_break = TieBreak{TieBreak::Order::kRandom, 42};
  auto pick_after_shorter_ones = [&]() {
    Start(o);
    for (const char* serial : {"CAM-3", "CAM-4", "CAM-5", "CAM-6"}) Activate(serial);
    return Str(Activate("CAM-7").json().at("license_key"));
  };
  const std::string first = pick_after_shorter_ones();
  EXPECT_TRUE(first == "AM-3Y-A" || first == "AM-3Y-B") << first;
  EXPECT_EQ(pick_after_shorter_ones(), first);
}

TEST_F(SimApiTest, RemovingACameraReleasesAllItsServicesAndReAddingGivesANewId) {
  HttpReply removed = admin_->Delete(kAcme + "/cameras/fleet-cam-1");
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(removed.json(), json::parse(R"({"released":["AM-5Y-HELD","RM-1Y-HELD"]})"));
  EXPECT_EQ(admin_->Get(kAcme + "/cameras/fleet-cam-1").status, 404);

  json::value state = State();
  for (const char* key : {"AM-5Y-HELD", "RM-1Y-HELD"}) {
    json::value l = LicenseInState(state, key);
    EXPECT_TRUE(l.at("assigned_to").is_null()) << key;
    EXPECT_EQ(l.at("account"), "acme") << key;
  }
  // The clock kept running: activated_at is unchanged.
  EXPECT_EQ(LicenseInState(state, "AM-5Y-HELD").at("activated_at"), "2025-01-01T00:00:00Z");

  HttpReply added =
      admin_->Post(kAcme + "/cameras", R"({"serial":"CAM-1","name":"Lobby","site":"HQ"})");
  ASSERT_EQ(added.status, 201);
  json::object cam = Object(added);
  EXPECT_EQ(cam["id"], "c-000010");
  EXPECT_NE(cam["id"], "fleet-cam-1");
  EXPECT_EQ(cam["services"], json::array());
  EXPECT_EQ(cam["serial"], "CAM-1");

  HttpReply again = admin_->Post(kAcme + "/cameras", R"({"serial":"CAM-1"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "camera_exists");
  // Removed again and re-added: yet another id, never an old one.
  admin_->Delete(kAcme + "/cameras/c-000010");
  EXPECT_EQ(Object(admin_->Post(kAcme + "/cameras", R"({"serial":"CAM-1"})"))["id"], "c-000011");
}

TEST_F(SimApiTest, ReleasedLicensesCompeteInThePoolByTheirRemainingValidity) {
  // Released RM-1Y-HELD has 151 days left: after the unused 90-day RM-DEMO-1.
  admin_->Delete(kAcme + "/cameras/fleet-cam-1");
  EXPECT_EQ(Activate("CAM-3", "remote-maintenance").json().at("license_key"), "RM-DEMO-1");
  EXPECT_EQ(Activate("CAM-4", "remote-maintenance").json().at("license_key"), "RM-1Y-HELD");
}

TEST_F(SimApiTest, ParkAndUnparkRoundTrip) {
  HttpReply parked = admin_->Delete(kAcme + "/licenses/AM-1Y-OLD");
  ASSERT_EQ(parked.status, 200) << parked.body;
  EXPECT_EQ(parked.json().at("key"), "AM-1Y-OLD");
  EXPECT_TRUE(parked.json().at("assigned_to").is_null());
  json::value state = State();
  EXPECT_EQ(LicenseInState(state, "AM-1Y-OLD").at("account"), "");  // in the registry now
  const json::value listed = admin_->Get(kAcme + "/licenses").json();
  for (const auto& l : listed.at("items").as_array()) {
    EXPECT_NE(l.at("key"), "AM-1Y-OLD");
  }
  // A parked key is not handed out.
  EXPECT_EQ(Activate("CAM-3").json().at("license_key"), "AM-1Y-A-PLUS1S");

  HttpReply back = admin_->Post(kAcme + "/licenses", R"({"key":"AM-1Y-OLD"})");
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(back.json().at("activated_at"), "2025-03-27T00:00:00Z");  // kept its clock
  EXPECT_EQ(back.json().at("remaining_days"), 85);
  EXPECT_EQ(Activate("CAM-4").json().at("license_key"), "AM-1Y-OLD");
}

TEST_F(SimApiTest, ParkAndUnparkRefusals) {
  HttpReply assigned = admin_->Delete(kAcme + "/licenses/AM-5Y-HELD");
  EXPECT_EQ(assigned.status, 409);
  EXPECT_EQ(assigned.error_code(), "license_assigned");
  EXPECT_EQ(admin_->Delete(kAcme + "/licenses/NO-SUCH-KEY").error_code(), "not_found");
  EXPECT_EQ(admin_->Delete(kAcme + "/licenses/GX-AM-POOL").status, 404);  // globex's

  HttpReply unknown = admin_->Post(kAcme + "/licenses", R"({"key":"NO-SUCH-KEY"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "unknown_key");
  HttpReply other_account = admin_->Post(kAcme + "/licenses", R"({"key":"GX-AM-POOL"})");
  EXPECT_EQ(other_account.status, 409);
  EXPECT_EQ(other_account.error_code(), "key_in_account");
  EXPECT_EQ(admin_->Post(kAcme + "/licenses", R"({"key":"AM-1Y-NEW"})").error_code(),
            "key_in_account");
}

TEST_F(SimApiTest, AKeyParkedFromOneAccountCanBeAddedToAnother) {
  TestClient both(sim_->port(), "both-token");
  EXPECT_EQ(both.Delete("/api/v1/accounts/globex/licenses/GX-AM-POOL").status, 200);
  HttpReply added = both.Post(kAcme + "/licenses", R"({"key":"GX-AM-POOL"})");
  EXPECT_EQ(added.status, 201);
  EXPECT_EQ(LicenseInState(State(), "GX-AM-POOL").at("account"), "acme");
  EXPECT_EQ(both.Post(kAcme + "/licenses", R"({"key":"REG-AM-USED"})").status, 201);
}

TEST_F(SimApiTest, RequestBodiesAreValidated) {
  struct Case {
    std::string target, body;
  };
  const std::string activate =
      kAcme + "/cameras/" + IdOf("CAM-3") + "/services/alarm-management/activate";
  for (const Case& c : std::vector<Case>{
           {kAcme + "/cameras", ""},
           {kAcme + "/cameras", "{"},
           {kAcme + "/cameras", "[1]"},
           {kAcme + "/cameras", R"({"name":"no serial"})"},
           {kAcme + "/cameras", R"({"serial":""})"},
           {kAcme + "/cameras", R"({"serial":7})"},
           {kAcme + "/cameras", R"({"serial":"X","colour":"red"})"},
           {activate, R"({"auto_renew":"yes"})"},
           {activate, R"({"auto_renew":true,"key":"AM-5Y-NEW"})"},
           {kAcme + "/licenses", "{}"},
           {kAcme + "/licenses", R"({"key":null})"},
       }) {
    HttpReply r = admin_->Post(c.target, c.body);
    EXPECT_EQ(r.status, 400) << c.target << " " << c.body << " -> " << r.body;
    EXPECT_EQ(r.error_code(), "bad_request") << c.body;
    EXPECT_FALSE(Object(r)["error"].at("message").as_string().empty());
  }
  EXPECT_EQ(admin_->Post(activate, "").status, 200);  // an empty body means {}
}

// A body is read as JSON only when the request says it is JSON.
TEST_F(SimApiTest, ABodyThatIsNotDeclaredJsonIs415AndChangesNothing) {
  const json::value before = State();
  const std::string activate =
      kAcme + "/cameras/" + IdOf("CAM-3") + "/services/alarm-management/activate";
  struct Case {
    std::string method, target, body;
  };
  for (const Case& c : std::vector<Case>{{"POST", kAcme + "/cameras", R"({"serial":"M-1"})"},
                                         {"POST", activate, "{}"},
                                         {"POST", kAcme + "/licenses", R"({"key":"REG-AM-5Y"})"},
                                         {"PUT", "/sim/faults", R"({"error_rate":1})"}}) {
    for (const char* type :
         {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
      Result<HttpReply> r = admin_->Send(c.method, c.target, c.body,
                                         {{"Content-Type", type}, {"Idempotency-Key", "media"}});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->status, 415) << c.target << " as '" << type << "': " << r->body;
      EXPECT_EQ(r->error_code(), "unsupported_media_type") << c.target;
      EXPECT_EQ(r->headers["accept"], "application/json") << c.target;
    }
  }
  EXPECT_EQ(State(), before);
  EXPECT_EQ(sim_->faults().error_rate, 0);

  // Media types are case-insensitive and may have parameters; a 415 was not
  // recorded, so the same Idempotency-Key is a fresh request.
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON"}) {
    const std::string serial = std::string("M-") + (type[0] == 'A' ? "2" : "3");
    Result<HttpReply> r =
        admin_->Send("POST", kAcme + "/cameras", R"({"serial":")" + serial + R"("})",
                     {{"Content-Type", type}, {"Idempotency-Key", "media-" + serial}});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 201) << type << ": " << r->body;
  }
  Result<HttpReply> fresh = admin_->Send("POST", kAcme + "/cameras", R"({"serial":"M-1"})",
                                         {{"Idempotency-Key", "media"}});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->status, 201) << fresh->body;
  EXPECT_EQ(fresh->headers.count("idempotent-replayed"), 0u);
  // No body, nothing to declare: activate's empty body needs no Content-Type.
  EXPECT_EQ(admin_->Send("POST", activate, "", {{"Content-Type", "text/plain"}})->status, 200);
}

TEST_F(SimApiTest, AnIdempotentReplayReturnsTheFirstAnswerWithOneEffect) {
  const std::string body = R"({"serial":"NEW-1","name":"New","site":"HQ"})";
  HttpReply first = admin_->Post(kAcme + "/cameras", body, "key-1");
  ASSERT_EQ(first.status, 201);
  HttpReply replay = admin_->Post(kAcme + "/cameras",
                                  R"({ "serial": "NEW-1", "name": "New", "site": "HQ" })", "key-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.headers["idempotent-replayed"], "true");
  EXPECT_EQ(Object(admin_->Get(kAcme + "/cameras")).at("items").as_array().size(), 10u);

  // The same key for another request: 422, and nothing happens.
  HttpReply mismatch = admin_->Post(kAcme + "/cameras", R"({"serial":"NEW-2"})", "key-1");
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.error_code(), "idempotency_mismatch");
  EXPECT_TRUE(CameraInState(State(), "acme", "NEW-2").is_null());

  // Activate: the replay names the same key and nothing more is activated.
  const std::string activate =
      kAcme + "/cameras/" + IdOf("CAM-3") + "/services/alarm-management/activate";
  HttpReply a1 = admin_->Post(activate, "{}", "act-1");
  HttpReply a2 = admin_->Post(activate, "{}", "act-1");
  EXPECT_EQ(a1.status, 200);
  EXPECT_EQ(a2.body, a1.body);
  EXPECT_EQ(State().at("activations"), 1);

  // Refusals replay too: the first answer stands even after the state changed.
  HttpReply r1 = admin_->Delete(kAcme + "/licenses/AM-5Y-HELD", "park-1");
  EXPECT_EQ(r1.status, 409);
  admin_->Delete(kAcme + "/cameras/fleet-cam-1");
  HttpReply r2 = admin_->Delete(kAcme + "/licenses/AM-5Y-HELD", "park-1");
  EXPECT_EQ(r2.status, 409);
  EXPECT_EQ(r2.body, r1.body);
  EXPECT_EQ(LicenseInState(State(), "AM-5Y-HELD").at("account"), "acme");
}

TEST_F(SimApiTest, IdempotencyKeysAreScopedByTokenAndAccount) {
  TestClient both(sim_->port(), "both-token");
  EXPECT_EQ(admin_->Post(kAcme + "/cameras", R"({"serial":"S-A"})", "shared").status, 201);
  // Another token, same key and same request: its own record, its own effect.
  EXPECT_EQ(both.Post(kAcme + "/cameras", R"({"serial":"S-B"})", "shared").status, 201);
  // Same token, another account.
  EXPECT_EQ(both.Post("/api/v1/accounts/globex/cameras", R"({"serial":"S-B"})", "shared").status,
            201);
  Result<HttpReply> bad = admin_->Send("POST", kAcme + "/cameras", R"({"serial":"S-C"})",
                                       {{"Idempotency-Key", std::string(300, 'k')}});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
}

TEST_F(SimApiTest, StatsCountCallsPerRouteTemplateAndStatus) {
  Activate("CAM-3");
  Activate("CAM-1");  // 409
  admin_->Get("/api/v1/me");
  admin_->Get("/api/v1/me");
  TestClient anonymous(sim_->port());
  anonymous.Get("/api/v1/me");
  json::value stats = sim_client_->Get("/sim/stats").json();
  EXPECT_EQ(stats, json::parse(R"({"routes":{
      "POST /api/v1/accounts/{a}/cameras/{id}/services/{service}/activate":{"200":1,"409":1},
      "GET /api/v1/me":{"200":2,"401":1}}})"));
}

TEST_F(SimApiTest, ResetGoesBackToTheFleetAndClearsStatsAndIdempotency) {
  const json::value initial = State();
  ASSERT_EQ(admin_->Post(kAcme + "/cameras", R"({"serial":"R-1"})", "k").status, 201);
  admin_->Delete(kAcme + "/licenses/AM-1Y-NEW");
  admin_->Delete(kAcme + "/cameras/fleet-cam-1");
  EXPECT_NE(State(), initial);

  HttpReply reset = sim_client_->Post("/sim/reset", "");
  ASSERT_EQ(reset.status, 200);
  EXPECT_EQ(State(), initial);
  EXPECT_EQ(sim_client_->Get("/sim/stats").json(), json::parse(R"({"routes":{}})"));
  // The old key is forgotten: the same request is a new one.
  HttpReply again = admin_->Post(kAcme + "/cameras", R"({"serial":"R-1"})", "k");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.headers.count("idempotent-replayed"), 0u);
}

TEST_F(SimApiTest, SimStateShowsParkedKeysAndNextIds) {
  json::value state = State();
  EXPECT_EQ(state.at("now"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(state.at("next_camera_id"), "c-000010");
  std::set<std::string> registry;
  for (const auto& l : state.at("registry").as_array()) registry.insert(Str(l.at("key")));
  EXPECT_EQ(registry, (std::set<std::string>{"REG-AM-5Y", "REG-AM-USED"}));
  EXPECT_EQ(sim_client_->Get("/sim/state?x=1").status, 200);
}

TEST_F(SimApiTest, PercentEncodedPathSegmentsAreDecoded) {
  EXPECT_EQ(admin_->Get("/api/v1/accounts/acm%65/cameras/fleet%2Dcam-1").status, 200);
  EXPECT_EQ(admin_->Get("/api/v1/accounts/acme/cameras/bad%zz").status, 400);
  // The 400 is for a path the API has: elsewhere a bad escape is just no route.
  HttpReply elsewhere = admin_->Get("/api/v1/accounts/bad%zz/nothing/x");
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
  EXPECT_EQ(elsewhere.error_code(), "not_found");
  // ...and a method the path does not take is 405 whatever the escapes.
  Result<HttpReply> put = admin_->Send("PUT", "/api/v1/accounts/acme/cameras/bad%zz");
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->status, 405);
}

TEST_F(SimApiTest, ABodyOverOneMebibyteIs413AndClosesTheConnection) {
  const std::string huge = R"({"serial":")" + std::string(2 << 20, 'x') + "\"}";
  Result<HttpReply> r = admin_->Send("POST", kAcme + "/cameras", huge);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->error_code(), "payload_too_large");
  EXPECT_EQ(admin_->Get("/api/v1/me").status, 200);  // on a new connection
  EXPECT_EQ(admin_->connections(), 2);
}

// RFC 9110 §9.3.2: an answer to HEAD has no content. One that has some puts
// the client's next read out of step with the keep-alive connection.
TEST_F(SimApiTest, HeadAnswersCarryNoBodyAndTheConnectionStaysInStep) {
  for (const RouteSpec& spec : RouteSpecs()) {
    std::string path(spec.path);
    for (std::size_t open; (open = path.find('{')) != std::string::npos;)
      path.replace(open, path.find('}') - open + 1, "x");
    Result<HttpReply> head = admin_->Send("HEAD", path);
    ASSERT_TRUE(head.ok()) << path << ": " << head.status().ToString();
    EXPECT_EQ(head->status, 405) << path;
    std::string allow;
    for (std::string_view m : spec.methods) allow += (allow.empty() ? "" : ", ") + std::string(m);
    EXPECT_EQ(head->headers["allow"], allow) << path;
    EXPECT_EQ(head->body, "") << path;
    // The next answer on the same connection is read as itself.
    HttpReply me = admin_->Get("/api/v1/me");
    ASSERT_EQ(me.status, 200) << "after HEAD " << path << ": " << me.body;
    EXPECT_EQ(me.json().at("user"), "ops@acme");
  }
  EXPECT_EQ(admin_->connections(), 1);

  // On the wire: nothing after the head, for a 405 and for a 413.
  for (const std::string& request :
       {std::string("HEAD /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        "HEAD /sim/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
            std::to_string(2 << 20) + "\r\n\r\n" + std::string(2 << 20, 'x')}) {
    Result<std::string> wire = RawExchange(sim_->port(), request);
    ASSERT_TRUE(wire.ok()) << wire.status().ToString();
    const std::size_t head_end = wire->find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << *wire;
    EXPECT_EQ(wire->substr(head_end + 4), "") << wire->substr(0, head_end);
    EXPECT_TRUE(wire->rfind("HTTP/1.1 405", 0) == 0 || wire->rfind("HTTP/1.1 413", 0) == 0)
        << *wire;
  }
}

TEST_F(SimApiTest, ConcurrentClientsSeeEveryMutationOnce) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TestClient c(sim_->port(), "admin-token");
      for (int i = 0; i < kEach; ++i) {
        const std::string serial = "P-" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_EQ(c.Post(kAcme + "/cameras", R"({"serial":")" + serial + "\"}").status, 201);
      }
    });
  }
  for (auto& t : threads) t.join();
  json::value state = State();
  std::set<std::string> ids;
  for (const auto& c : state.at("accounts").at(0).at("cameras").as_array())
    ids.insert(Str(c.at("id")));
  EXPECT_EQ(ids.size(), 9u + kThreads * kEach);
}

}  // namespace
}  // namespace licmove::sim::testing
