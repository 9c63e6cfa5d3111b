// Fault injection (DESIGN §3), through real HTTP. Latency is only checked as
// "not faster than": a slow machine never fails these tests.
#include <chrono>
#include <cstdio>

#include "portal_sim/faults.h"
#include "sim_fixture.h"
#include "subprocess.h"

namespace licmove::sim::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

const std::string kCameras = "/api/v1/accounts/acme/cameras";

std::unique_ptr<PortalSim> StartWith(const FaultOptions& faults) {
  SimOptions o = RulesOptions();
  o.faults = faults;
  return StartSim(o);
}

bool HasCamera(std::uint16_t port, const std::string& serial) {
  TestClient sim(port);
  return !CameraInState(sim.Get("/sim/state").json(), "acme", serial).is_null();
}

TEST(FaultFlagsTest, LatencyAndTieBreakParse) {
  FaultOptions o;
  ASSERT_TRUE(ParseLatency("20", &o).ok());
  EXPECT_EQ(o.latency_ms, 20);
  EXPECT_EQ(o.jitter_ms, 0);
  ASSERT_TRUE(ParseLatency("20:5", &o).ok());
  EXPECT_EQ(o.jitter_ms, 5);
  for (const char* bad : {"", "x", "20:", ":5", "-1", "20:x", "1.5"}) {
    EXPECT_FALSE(ParseLatency(bad, &o).ok()) << bad;
  }
  EXPECT_EQ(ParseTieBreak("key")->order, TieBreak::Order::kKey);
  Result<TieBreak> random = ParseTieBreak("random:99");
  ASSERT_TRUE(random.ok());
  EXPECT_EQ(random->order, TieBreak::Order::kRandom);
  EXPECT_EQ(random->seed, 99u);
  EXPECT_FALSE(ParseTieBreak("random").ok());
  EXPECT_FALSE(ParseTieBreak("smallest").ok());
  FaultOptions bad_rate;
  bad_rate.drop_rate = 1.5;
  EXPECT_FALSE(ValidateFaults(bad_rate).ok());
}

// Values past the documented bounds are refused where they come in, before
// any arithmetic on them: latency + jitter overflowed an int (UBSan).
TEST(FaultFlagsTest, LatencyAndJitterOutOfRangeAreRefused) {
  FaultOptions o;
  for (const char* bad : {"2147483647:2147483647", "3600001", "0:3600001", "99999999999"}) {
    Status st = ParseLatency(bad, &o);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.message().find("3600000"), std::string::npos) << st.message();
  }
  ASSERT_TRUE(ParseLatency("3600000:3600000", &o).ok());
  EXPECT_TRUE(ValidateFaults(o).ok());
  o.jitter_ms = kMaxLatencyMs + 1;
  EXPECT_FALSE(ValidateFaults(o).ok());
}

TEST(FaultsTest, PutSimFaultsRefusesValuesOutOfRangeAndKeepsTheOldOnes) {
  auto sim = StartWith(FaultOptions{});
  ASSERT_NE(sim, nullptr);
  TestClient plain(sim->port());
  ASSERT_EQ(plain.Send("PUT", "/sim/faults", R"({"latency_ms":5,"rate_limit":7})")->status, 200);
  const json::value before = plain.Get("/sim/faults").json();
  for (const char* body : {
           R"({"latency_ms":2147483647,"jitter_ms":2147483647})",
           R"({"latency_ms":3600001})",
           R"({"jitter_ms":1e20})",
           R"({"latency_ms":-1e20})",
           R"({"rate_limit":3e9})",
           R"({"rate_limit":-1})",
           R"({"latency_ms":5.5})",
           R"({"rate_limit":1.5})",
           R"({"seed":-1})",
           R"({"seed":1.5})",
           R"({"error_rate":1e400})",
       }) {
    Result<HttpReply> r = plain.Send("PUT", "/sim/faults", body);
    ASSERT_TRUE(r.ok()) << body;
    EXPECT_EQ(r->status, 400) << body << " -> " << r->body;
    EXPECT_EQ(r->error_code(), "bad_request") << body;
  }
  EXPECT_EQ(plain.Get("/sim/faults").json(), before);
  // The bounds themselves are fine.
  HttpReply edge = plain
                       .Send("PUT", "/sim/faults",
                             R"({"latency_ms":0,"jitter_ms":3600000,"rate_limit":2147483647})")
                       .value();
  EXPECT_EQ(edge.status, 200) << edge.body;
  EXPECT_EQ(sim->faults().jitter_ms, kMaxLatencyMs);
}

TEST(FaultsTest, TheBinaryRefusesALatencyOutOfRangeAsAUsageError) {
  const std::string out = ::testing::TempDir() + "/latency-out-of-range.txt";
  // The flags are checked before the fleet is read: a fleet that does not
  // exist would make it exit 1, and a good one would make it serve.
  const int code = licmove::testing::RunProcess(
      {LICMOVE_BINARY_DIR "/src/portal_sim/portal-sim", "--fleet", DataFile("no-such-fleet.yaml"),
       "--latency", "2147483647:2147483647"},
      {}, out);
  EXPECT_EQ(code, 64);
  EXPECT_NE(licmove::testing::ReadFileText(out).find("3600000"), std::string::npos);
  std::remove(out.c_str());
}

TEST(FaultsTest, LatencyDelaysApiAnswersButNotSim) {
  FaultOptions f;
  f.latency_ms = 150;
  auto sim = StartWith(f);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  const auto start = Clock::now();
  EXPECT_EQ(admin.Get("/api/v1/me").status, 200);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(150));

  f.latency_ms = 100;
  f.jitter_ms = 40;
  ASSERT_TRUE(sim->SetFaults(f).ok());
  const auto jittered = Clock::now();
  EXPECT_EQ(admin.Get("/api/v1/me").status, 200);
  EXPECT_GE(Clock::now() - jittered, std::chrono::milliseconds(60));
}

TEST(FaultsTest, ErrorRateOneAnswers503AndAppliesNothing) {
  FaultOptions f;
  f.error_rate = 1.0;
  auto sim = StartWith(f);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  HttpReply r = admin.Post(kCameras, R"({"serial":"E-1"})", "e-1");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.error_code(), "unavailable");
  EXPECT_EQ(admin.Get("/api/v1/me").status, 503);
  EXPECT_FALSE(HasCamera(sim->port(), "E-1"));
  // /sim/ never sees faults.
  TestClient plain(sim->port());
  EXPECT_EQ(plain.Get("/sim/stats").json().at("routes").at("POST /api/v1/accounts/{a}/cameras"),
            json::parse(R"({"503":1})"));
  // With the fault gone, the same key is a fresh request: a 503 is not recorded.
  f.error_rate = 0;
  ASSERT_TRUE(sim->SetFaults(f).ok());
  EXPECT_EQ(admin.Post(kCameras, R"({"serial":"E-1"})", "e-1").status, 201);
}

TEST(FaultsTest, RateLimitAnswers429WithRetryAfter) {
  FaultOptions f;
  f.rate_limit = 1;
  auto sim = StartWith(f);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  // The bucket holds one request; back-to-back calls meet an empty one long
  // before a second has passed (bounded, so a stalled machine cannot loop).
  HttpReply limited;
  for (int i = 0; i < 1000 && limited.status != 429; ++i) limited = admin.Get("/api/v1/me");
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "rate_limited");
  ASSERT_EQ(limited.headers.count("retry-after"), 1u);
  EXPECT_GE(std::stoi(limited.headers["retry-after"]), 1);
  TestClient plain(sim->port());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(plain.Get("/sim/state").status, 200);
}

TEST(FaultsTest, DropAppliesTheMutationClosesWithoutAnswerAndTheRetryGetsTheFirstAnswer) {
  FaultOptions f;
  f.drop_rate = 1.0;
  auto sim = StartWith(f);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  Result<HttpReply> lost = admin.Send("POST", kCameras, R"({"serial":"D-1","name":"Dropped"})",
                                      {{"Idempotency-Key", "drop-1"}});
  EXPECT_FALSE(lost.ok()) << "the call was answered: " << (lost.ok() ? lost->body : "");
  ASSERT_TRUE(HasCamera(sim->port(), "D-1"));  // applied all the same

  // The client retries once the portal behaves (PUT /sim/faults, as a test would).
  TestClient plain(sim->port());
  HttpReply put = plain.Send("PUT", "/sim/faults", R"({"drop_rate":0})").value();
  ASSERT_EQ(put.status, 200);
  EXPECT_EQ(put.json().at("drop_rate"), 0.0);
  HttpReply retry = admin.Post(kCameras, R"({"serial":"D-1","name":"Dropped"})", "drop-1");
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.headers["idempotent-replayed"], "true");
  json::value state = plain.Get("/sim/state").json();
  EXPECT_EQ(retry.json().at("id"), CameraInState(state, "acme", "D-1").at("id"));
  int with_serial = 0;
  for (const auto& c : state.at("accounts").at(0).at("cameras").as_array()) {
    with_serial += c.at("serial") == json::value("D-1");
  }
  EXPECT_EQ(with_serial, 1);  // exactly one effect
  EXPECT_EQ(plain.Get("/sim/stats").json().at("routes").at("POST /api/v1/accounts/{a}/cameras"),
            json::parse(R"({"dropped":1,"201":1})"));
}

TEST(FaultsTest, ResetClosesBeforeApplying) {
  FaultOptions f;
  f.reset_rate = 1.0;
  auto sim = StartWith(f);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  Result<HttpReply> lost = admin.Send("POST", kCameras, R"({"serial":"R-1"})");
  EXPECT_FALSE(lost.ok());
  EXPECT_FALSE(HasCamera(sim->port(), "R-1"));
  EXPECT_FALSE(admin.Send("GET", "/api/v1/me").ok());
}

TEST(FaultsTest, TheFaultSeedMakesARunRepeat) {
  auto statuses = [](std::uint64_t seed) {
    FaultOptions f;
    f.error_rate = 0.5;
    f.seed = seed;
    auto sim = StartWith(f);
    TestClient admin(sim->port(), "admin-token");
    std::string out;
    for (int i = 0; i < 40; ++i) out += admin.Get("/api/v1/me").status == 200 ? '.' : 'E';
    return out;
  };
  const std::string a = statuses(7);
  EXPECT_EQ(a, statuses(7));
  EXPECT_NE(a.find('E'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

TEST(FaultsTest, SimFaultsEndpointReadsAndValidates) {
  auto sim = StartWith(FaultOptions{});
  ASSERT_NE(sim, nullptr);
  TestClient plain(sim->port());
  EXPECT_EQ(plain.Get("/sim/faults").json().at("error_rate"), 0.0);
  EXPECT_EQ(plain.Send("PUT", "/sim/faults", R"({"error_rate":2})")->status, 400);
  EXPECT_EQ(plain.Send("PUT", "/sim/faults", R"({"eror_rate":1})")->status, 400);
  HttpReply set = plain.Send("PUT", "/sim/faults", R"({"latency_ms":5,"rate_limit":100})").value();
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(sim->faults().latency_ms, 5);
  EXPECT_EQ(sim->faults().rate_limit, 100);
}

}  // namespace
}  // namespace licmove::sim::testing
