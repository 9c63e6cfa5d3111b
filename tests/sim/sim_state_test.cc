// The simulator's rules model (R2-R6) without HTTP: fleets built in code.
#include "portal_sim/sim_state.h"

#include <gtest/gtest.h>

#include "model/timestamp.h"

namespace licmove::sim {
namespace {

constexpr std::int64_t kDay = 86400;
const UnixSeconds kNow = *ParseTimestamp("2026-01-01T00:00:00Z");

License Pool(std::string key, std::string service, int term_days,
             std::optional<UnixSeconds> activated_at = std::nullopt) {
  License l;
  l.key = std::move(key);
  l.service = std::move(service);
  l.term_days = term_days;
  l.activated_at = activated_at;
  return l;
}

License Held(std::string key, std::string service, int term_days, UnixSeconds activated_at,
             std::string serial, bool auto_renew) {
  License l = Pool(std::move(key), std::move(service), term_days, activated_at);
  l.assigned_to = std::move(serial);
  l.auto_renew = auto_renew;
  return l;
}

// One account "acme" with cameras S1 (holding two services), S2, S3.
Fleet BaseFleet() {
  Fleet f;
  f.now = kNow;
  f.users = {{"t-admin", "admin", "admin", {"acme"}}, {"t-view", "viewer", "viewer", {"acme"}}};
  Account a;
  a.name = "acme";
  a.cameras = {{"S1", "one", "HQ", ""}, {"S2", "two", "HQ", ""}, {"S3", "three", "HQ", ""}};
  a.licenses = {
      Held("AM-HELD", "alarm-management", 1825, kNow - 100 * kDay, "S1", true),
      Held("RM-HELD", "remote-maintenance", 365, kNow - 10 * kDay, "S1", false),
      Pool("AM-5Y", "alarm-management", 1825),
      Pool("AM-1Y", "alarm-management", 365),
  };
  f.accounts.push_back(a);
  Account g;
  g.name = "globex";
  g.licenses = {Pool("GX-1", "alarm-management", 365)};
  f.accounts.push_back(g);
  f.registry = {Pool("REG-1", "alarm-management", 90)};
  return f;
}

SimState Load(const Fleet& f) {
  Result<SimState> s = SimState::FromFleet(f);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : SimState();
}

const TieBreak kByKey{TieBreak::Order::kKey, 0};

std::string CameraId(const SimState& s, const std::string& serial) {
  return s.FindAccount("acme")->ids_by_serial.at(serial);
}

// Decides and applies; returns the mutation (the picked key for Activate).
Mutation Do(SimState& s, const Decision& d) {
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.message());
  if (!d.ok()) return {};
  EXPECT_TRUE(s.Apply(d.mutation()).ok());
  return d.mutation();
}

TEST(SimStateTest, RemainingIsTheTermUntilActivatedThenUntilExpiryNeverNegative) {
  SimState s = Load(BaseFleet());
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("AM-5Y")), 1825 * kDay);
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("AM-HELD")), 1725 * kDay);
  SimLicense expired = *s.FindLicense("AM-1Y");
  expired.activated_at = kNow - 400 * kDay;
  EXPECT_EQ(s.RemainingSeconds(expired), 0);
  EXPECT_EQ(s.ExpiresAt(*s.FindLicense("AM-5Y")), std::nullopt);
  EXPECT_EQ(s.ExpiresAt(*s.FindLicense("AM-HELD")), kNow + 1725 * kDay);
}

TEST(SimStateTest, FleetContradictionsAreRefused) {
  Fleet twice = BaseFleet();
  twice.registry.push_back(Pool("AM-5Y", "alarm-management", 90));
  EXPECT_EQ(SimState::FromFleet(twice).status().code(), Status::Code::kInvalidArgument);

  Fleet unknown_serial = BaseFleet();
  unknown_serial.accounts[0].licenses.push_back(Held("X", "video", 90, kNow, "NOPE", false));
  EXPECT_EQ(SimState::FromFleet(unknown_serial).status().code(), Status::Code::kInvalidArgument);

  Fleet two_of_a_service = BaseFleet();
  two_of_a_service.accounts[0].licenses.push_back(
      Held("AM-TWO", "alarm-management", 90, kNow, "S1", false));
  EXPECT_EQ(SimState::FromFleet(two_of_a_service).status().code(), Status::Code::kInvalidArgument);
}

TEST(SimStateTest, ActivatePicksSmallestRemainingAndStartsTheClock) {
  SimState s = Load(BaseFleet());
  const std::string s2 = CameraId(s, "S2");
  Mutation m = Do(s, s.DecideActivate("acme", s2, "alarm-management", true, kByKey));
  EXPECT_EQ(m.key, "AM-1Y");
  const SimLicense& l = *s.FindLicense("AM-1Y");
  EXPECT_EQ(l.activated_at, kNow);
  EXPECT_EQ(l.camera_id, s2);
  EXPECT_TRUE(l.auto_renew);
  EXPECT_EQ(s.FindCamera("acme", s2)->services.at("alarm-management"), "AM-1Y");
  EXPECT_EQ(s.activations(), 1u);
}

TEST(SimStateTest, ActivateComparesWholeSecondsNotDays) {
  Fleet f = BaseFleet();
  // Both have 50 whole days left; "AM-A" a second more, and the smaller key.
  f.accounts[0].licenses.push_back(Pool("AM-A", "alarm-management", 90, kNow - 40 * kDay + 1));
  f.accounts[0].licenses.push_back(Pool("AM-B", "alarm-management", 90, kNow - 40 * kDay));
  SimState s = Load(f);
  Mutation m =
      Do(s, s.DecideActivate("acme", CameraId(s, "S2"), "alarm-management", false, kByKey));
  EXPECT_EQ(m.key, "AM-B");
}

TEST(SimStateTest, ALicenseExpiredInAnAccountAtTheFleetsNowIsRefused) {
  // R7 takes a license out of its account when it expires: no portal state
  // has one there afterwards (sim_clock_test.cc covers expiry itself).
  Fleet f = BaseFleet();
  f.accounts[0].licenses.push_back(Pool("AM-OLD", "alarm-management", 90, kNow - 1000 * kDay));
  Result<SimState> s = SimState::FromFleet(f);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("'AM-OLD' expired at"), std::string::npos)
      << s.status().message();
}

TEST(SimStateTest, TiesGoToTheSmallestKeyOrASeededRandomOne) {
  Fleet f = BaseFleet();
  for (const char* key : {"T-3", "T-1", "T-4", "T-2", "T-5"}) {
    f.accounts[0].licenses.push_back(Pool(key, "video", 365));
  }
  f.accounts[0].licenses.push_back(Pool("T-0-LONGER", "video", 1825));
  SimState s = Load(f);
  const std::string s2 = CameraId(s, "S2");
  EXPECT_EQ(s.DecideActivate("acme", s2, "video", false, kByKey).mutation().key, "T-1");

  std::set<std::string> picked;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    const TieBreak random{TieBreak::Order::kRandom, seed};
    const std::string key = s.DecideActivate("acme", s2, "video", false, random).mutation().key;
    // Reproducible for a seed and a state, and never outside the tie.
    EXPECT_EQ(key, s.DecideActivate("acme", s2, "video", false, random).mutation().key);
    EXPECT_NE(key, "T-0-LONGER");
    picked.insert(key);
  }
  EXPECT_GT(picked.size(), 1u) << "64 seeds all broke the tie the same way";
}

TEST(SimStateTest, ActivateRefusals) {
  SimState s = Load(BaseFleet());
  const std::string s1 = CameraId(s, "S1");
  const std::string s2 = CameraId(s, "S2");
  EXPECT_EQ(s.DecideActivate("acme", "nope", "alarm-management", false, kByKey).refusal(),
            Refusal::kUnknownCamera);
  EXPECT_EQ(s.DecideActivate("acme", s1, "alarm-management", false, kByKey).refusal(),
            Refusal::kServiceActive);
  EXPECT_EQ(s.DecideActivate("acme", s2, "remote-maintenance", false, kByKey).refusal(),
            Refusal::kNoLicenseInPool);
}

TEST(SimStateTest, RemoveCameraReleasesEveryServiceAndTheClockKeepsRunning) {
  SimState s = Load(BaseFleet());
  const std::string s1 = CameraId(s, "S1");
  Do(s, s.DecideRemoveCamera("acme", s1));
  EXPECT_EQ(s.FindCamera("acme", s1), nullptr);
  for (const char* key : {"AM-HELD", "RM-HELD"}) {
    const SimLicense& l = *s.FindLicense(key);
    EXPECT_EQ(l.camera_id, "") << key;
    EXPECT_EQ(l.account, "acme") << key;
    EXPECT_TRUE(l.activated_at.has_value()) << key;
  }
  // RM-HELD is the only remote-maintenance license in the pool now.
  const std::string s2 = CameraId(s, "S2");
  EXPECT_EQ(s.DecideActivate("acme", s2, "remote-maintenance", false, kByKey).mutation().key,
            "RM-HELD");
  EXPECT_EQ(s.DecideRemoveCamera("acme", s1).refusal(), Refusal::kUnknownCamera);
}

TEST(SimStateTest, AddedCamerasGetNewIdsThatAvoidFleetIdsAndAreNeverReused) {
  Fleet f = BaseFleet();
  f.accounts[0].cameras.push_back({"S4", "four", "HQ", "c-000005"});
  SimState s = Load(f);
  EXPECT_EQ(CameraId(s, "S1"), "c-000001");
  EXPECT_EQ(CameraId(s, "S4"), "c-000005");
  const std::string old_id = CameraId(s, "S3");
  EXPECT_EQ(old_id, "c-000003");

  Do(s, s.DecideRemoveCamera("acme", old_id));
  Mutation added = Do(s, s.DecideAddCamera("acme", "S3", "three", "HQ"));
  EXPECT_EQ(added.camera_id, "c-000004");
  Mutation next = Do(s, s.DecideAddCamera("acme", "S9", "nine", "HQ"));
  EXPECT_EQ(next.camera_id, "c-000006");  // c-000005 is the fleet's
  EXPECT_EQ(s.FindCamera("acme", added.camera_id)->services.size(), 0u);
  EXPECT_EQ(s.DecideAddCamera("acme", "S9", "", "").refusal(), Refusal::kCameraExists);
}

TEST(SimStateTest, ParkOnlyUnassignedAndUnparkOnlyFreeKnownKeys) {
  SimState s = Load(BaseFleet());
  EXPECT_EQ(s.DecidePark("acme", "AM-HELD").refusal(), Refusal::kLicenseAssigned);
  EXPECT_EQ(s.DecidePark("acme", "GX-1").refusal(), Refusal::kUnknownLicense);
  EXPECT_EQ(s.DecidePark("acme", "NOPE").refusal(), Refusal::kUnknownLicense);

  Do(s, s.DecidePark("acme", "AM-1Y"));
  EXPECT_EQ(s.FindLicense("AM-1Y")->account, "");
  EXPECT_EQ(s.FindAccount("acme")->keys.count("AM-1Y"), 0u);
  // Parked: the pool no longer offers it.
  EXPECT_EQ(
      s.DecideActivate("acme", CameraId(s, "S2"), "alarm-management", false, kByKey).mutation().key,
      "AM-5Y");

  EXPECT_EQ(s.DecideUnpark("acme", "NOPE").refusal(), Refusal::kUnknownKey);
  EXPECT_EQ(s.DecideUnpark("acme", "GX-1").refusal(), Refusal::kKeyInAccount);
  EXPECT_EQ(s.DecideUnpark("acme", "AM-5Y").refusal(), Refusal::kKeyInAccount);
  Do(s, s.DecideUnpark("globex", "AM-1Y"));  // a parked key may go to any account
  EXPECT_EQ(s.FindLicense("AM-1Y")->account, "globex");
  Do(s, s.DecideUnpark("acme", "REG-1"));
  EXPECT_EQ(s.FindLicense("REG-1")->account, "acme");
}

TEST(SimStateTest, ApplyRejectsAMutationTheStateDoesNotAllowAndChangesNothing) {
  SimState s = Load(BaseFleet());
  Mutation bad;
  bad.kind = Mutation::Kind::kActivate;
  bad.account = "acme";
  bad.camera_id = CameraId(s, "S2");
  bad.service = "alarm-management";
  bad.key = "AM-HELD";  // assigned elsewhere
  EXPECT_EQ(s.Apply(bad).code(), Status::Code::kCorruption);
  EXPECT_EQ(s.FindLicense("AM-HELD")->camera_id, CameraId(s, "S1"));
  EXPECT_TRUE(s.FindCamera("acme", CameraId(s, "S2"))->services.empty());

  Mutation reused;
  reused.kind = Mutation::Kind::kAddCamera;
  reused.account = "acme";
  reused.camera_id = CameraId(s, "S1");
  reused.serial = "NEW";
  EXPECT_EQ(s.Apply(reused).code(), Status::Code::kCorruption);
}

TEST(SimStateTest, ReplayingTheMutationsRebuildsTheSameState) {
  SimState live = Load(BaseFleet());
  const TieBreak random{TieBreak::Order::kRandom, 7};
  std::vector<Mutation> log;
  log.push_back(Do(live, live.DecideRemoveCamera("acme", CameraId(live, "S1"))));
  log.push_back(Do(live, live.DecideAddCamera("acme", "S1", "one", "HQ")));
  log.push_back(Do(
      live, live.DecideActivate("acme", CameraId(live, "S1"), "alarm-management", true, random)));
  log.push_back(Do(live, live.DecidePark("acme", "RM-HELD")));
  log.push_back(Do(live, live.DecideUnpark("acme", "REG-1")));

  SimState replayed = Load(BaseFleet());
  for (const Mutation& m : log) ASSERT_TRUE(replayed.Apply(m).ok());
  EXPECT_EQ(replayed.NextCameraId(), live.NextCameraId());
  EXPECT_EQ(replayed.activations(), live.activations());
  for (const auto& [key, l] : live.licenses()) {
    const SimLicense& r = *replayed.FindLicense(key);
    EXPECT_EQ(r.account, l.account) << key;
    EXPECT_EQ(r.camera_id, l.camera_id) << key;
    EXPECT_EQ(r.activated_at, l.activated_at) << key;
  }
}

}  // namespace
}  // namespace licmove::sim
