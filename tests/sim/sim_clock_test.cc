// R7 in the simulator's rules model, without HTTP: expiry, auto-renewal and
// their order (DESIGN §1 R7), fleets built in code. Each expectation is
// worked out by hand from the rule, never from licmove's own forecast.
#include <gtest/gtest.h>

#include <set>

#include "model/timestamp.h"
#include "portal_sim/sim_state.h"

namespace licmove::sim {
namespace {

constexpr std::int64_t kDay = 86400;
const UnixSeconds kNow = *ParseTimestamp("2026-01-01T00:00:00Z");
const TieBreak kByKey{TieBreak::Order::kKey, 0};
constexpr const char* kAm = "alarm-management";

License Lic(std::string key, int term_days, std::optional<UnixSeconds> activated_at = std::nullopt,
            std::string serial = "", bool auto_renew = false) {
  License l;
  l.key = std::move(key);
  l.service = kAm;
  l.term_days = term_days;
  l.activated_at = activated_at;
  l.assigned_to = std::move(serial);
  l.auto_renew = auto_renew;
  return l;
}

// Account "acme" with `cameras` (by serial) and `licenses`.
Fleet MakeFleet(std::vector<std::string> serials, std::vector<License> licenses,
                std::vector<License> registry = {}) {
  Fleet f;
  f.now = kNow;
  f.users = {{"t-admin", "admin", "admin", {"acme"}}};
  Account a;
  a.name = "acme";
  for (const std::string& s : serials) a.cameras.push_back({s, s, "HQ", ""});
  a.licenses = std::move(licenses);
  f.accounts.push_back(std::move(a));
  f.registry = std::move(registry);
  return f;
}

SimState Load(const Fleet& f) {
  Result<SimState> s = SimState::FromFleet(f);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : SimState();
}

struct Advanced {
  std::vector<ClockEvent> events;
  std::vector<RenewalPick> picks;
};

Advanced Advance(SimState& s, UnixSeconds to, const TieBreak& tie_break = kByKey) {
  Advanced a;
  s.AdvanceClock(to, tie_break, &a.picks, &a.events);
  EXPECT_EQ(s.now(), to);
  return a;
}

// "kind serial/key expired_key->new_key reason" per event, for readable checks.
std::vector<std::string> Summary(const std::vector<ClockEvent>& events) {
  std::vector<std::string> out;
  for (const ClockEvent& e : events) {
    std::string line = FormatTimestamp(e.at) + " " + std::string(ClockEventKindName(e.kind));
    if (!e.serial.empty()) line += " " + e.serial;
    line += " " + e.expired_key;
    if (!e.new_key.empty()) line += "->" + e.new_key;
    if (!e.reason.empty()) line += " " + e.reason;
    out.push_back(line);
  }
  return out;
}

std::string At(std::int64_t days_after_now, std::int64_t seconds = 0) {
  return FormatTimestamp(kNow + days_after_now * kDay + seconds);
}

std::string Holder(const SimState& s, const std::string& serial) {
  const SimAccount& a = *s.FindAccount("acme");
  const SimCamera& c = a.cameras.at(a.ids_by_serial.at(serial));
  auto it = c.services.find(kAm);
  return it == c.services.end() ? "" : it->second;
}

TEST(SimClockTest, ANeverActivatedLicenseNeverExpires) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("POOL-90", 90)}));
  Advanced a = Advance(s, kNow + 100 * 366 * kDay);
  EXPECT_TRUE(a.events.empty());
  const SimLicense& l = *s.FindLicense("POOL-90");
  EXPECT_FALSE(l.expired);
  EXPECT_EQ(l.account, "acme");
  EXPECT_EQ(s.RemainingSeconds(l), 90 * kDay);
}

TEST(SimClockTest, APoolLicenseExpiresAtItsInstantAndLeavesTheAccount) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("USED", 365, kNow - 300 * kDay), Lic("NEW", 365)}));
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("USED")), 65 * kDay);
  // One second before: nothing; remaining validity moved with the clock.
  EXPECT_TRUE(Advance(s, kNow + 65 * kDay - 1).events.empty());
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("USED")), 1);
  Advanced a = Advance(s, kNow + 65 * kDay);
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(65) + " expired_in_pool USED"});
  EXPECT_EQ(a.events[0].account, "acme");
  const SimLicense& l = *s.FindLicense("USED");
  EXPECT_TRUE(l.expired);
  EXPECT_EQ(l.account, "");
  EXPECT_EQ(s.FindAccount("acme")->keys.count("USED"), 0u);
  EXPECT_EQ(s.PoolFront(*s.FindAccount("acme"), kAm), std::vector<std::string>{"NEW"});
  // Gone for good: neither parkable nor addable back.
  EXPECT_EQ(s.DecidePark("acme", "USED").refusal(), Refusal::kUnknownLicense);
  EXPECT_EQ(s.DecideUnpark("acme", "USED").refusal(), Refusal::kLicenseExpired);
}

TEST(SimClockTest, AParkedKeyExpiresTooAndCanNeverBeUnparked) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("USED", 90, kNow - 30 * kDay)},
                              {Lic("REG-OLD", 90, kNow - 90 * kDay), Lic("REG-NEW", 90)}));
  // A registry key that expired before the fleet's now loads as expired.
  EXPECT_TRUE(s.FindLicense("REG-OLD")->expired);
  EXPECT_EQ(s.DecideUnpark("acme", "REG-OLD").refusal(), Refusal::kLicenseExpired);

  ASSERT_TRUE(s.Apply(s.DecidePark("acme", "USED").mutation()).ok());
  Advanced a = Advance(s, kNow + 60 * kDay);
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(60) + " expired_parked USED"});
  EXPECT_EQ(a.events[0].account, "");
  const Decision d = s.DecideUnpark("acme", "USED");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.refusal(), Refusal::kLicenseExpired);
  EXPECT_NE(d.message().find("expired"), std::string::npos) << d.message();
  // A parked key that never ran does not expire: it may come back.
  EXPECT_TRUE(s.DecideUnpark("acme", "REG-NEW").ok());
}

TEST(SimClockTest, ACameraLapsesWithAutoRenewOffOrAnEmptyPool) {
  SimState s = Load(MakeFleet({"OFF", "ON"}, {Lic("H-OFF", 90, kNow - 80 * kDay, "OFF", false),
                                              Lic("H-ON", 90, kNow - 70 * kDay, "ON", true)}));
  Advanced a = Advance(s, kNow + 30 * kDay);
  EXPECT_EQ(Summary(a.events), (std::vector<std::string>{
                                   At(10) + " lapsed OFF H-OFF auto_renew_off",
                                   At(20) + " lapsed ON H-ON pool_empty",
                               }));
  EXPECT_EQ(Holder(s, "OFF"), "");
  EXPECT_EQ(Holder(s, "ON"), "");
  EXPECT_TRUE(s.FindLicense("H-ON")->expired);
  EXPECT_EQ(a.events[1].camera_id, s.FindAccount("acme")->ids_by_serial.at("ON"));
  EXPECT_EQ(a.events[1].account, "acme");
}

TEST(SimClockTest, AutoRenewOffLapsesEvenWithLicensesInThePool) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("H", 90, kNow - 80 * kDay, "S1", false), Lic("P", 90)}));
  Advanced a = Advance(s, kNow + 10 * kDay);
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(10) + " lapsed S1 H auto_renew_off"});
  EXPECT_EQ(s.FindLicense("P")->camera_id, "");
  EXPECT_FALSE(s.FindLicense("P")->activated_at.has_value());
}

// The pool's order changes with time: at the fleet's now the unused 1y
// (365 days) is shorter than the started 5y (400 days left); 35 days on they
// tie, and after that the 5y is the shorter.
TEST(SimClockTest, ThePoolsOrderMovesWithTheClock) {
  SimState s = Load(MakeFleet(
      {"S1"}, {Lic("P-1Y", 365), Lic("P-5Y-USED", 1825, kNow - 1425 * kDay), Lic("P-3Y", 1095)}));
  const SimAccount& a = *s.FindAccount("acme");
  EXPECT_EQ(s.PoolFront(a, kAm), std::vector<std::string>{"P-1Y"});
  Advance(s, kNow + 35 * kDay);
  EXPECT_EQ(s.PoolFront(a, kAm), (std::vector<std::string>{"P-1Y", "P-5Y-USED"}));
  Advance(s, kNow + 35 * kDay + 1);
  EXPECT_EQ(s.PoolFront(a, kAm), std::vector<std::string>{"P-5Y-USED"});
  // An R2 activation at the new time takes it too.
  const std::string id = a.ids_by_serial.at("S1");
  EXPECT_EQ(s.DecideActivate("acme", id, kAm, false, kByKey).mutation().key, "P-5Y-USED");
}

TEST(SimClockTest, RenewalTakesThePoolsShortestAtTheExpiryInstant) {
  SimState s =
      Load(MakeFleet({"S1"}, {Lic("H", 90, kNow - 50 * kDay, "S1", true), Lic("P-1Y", 365),
                              Lic("P-5Y-USED", 1825, kNow - 1425 * kDay), Lic("P-3Y", 1095)}));
  Advanced a = Advance(s, kNow + 100 * kDay);
  // At +40d the 5y has 360 days left, less than the unused 1y's 365.
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(40) + " renewed S1 H->P-5Y-USED"});
  EXPECT_EQ(Holder(s, "S1"), "P-5Y-USED");
  EXPECT_TRUE(s.FindLicense("P-5Y-USED")->auto_renew);                      // auto_renew stays on
  EXPECT_EQ(s.FindLicense("P-5Y-USED")->activated_at, kNow - 1425 * kDay);  // kept its start
  EXPECT_TRUE(s.FindLicense("H")->expired);
}

TEST(SimClockTest, ARenewalStartsANeverUsedLicensesClockAtTheExpiryInstant) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("H", 90, kNow - 80 * kDay, "S1", true), Lic("P", 365)}));
  Advanced a = Advance(s, kNow + 20 * kDay);
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(10) + " renewed S1 H->P"});
  EXPECT_EQ(s.FindLicense("P")->activated_at, kNow + 10 * kDay);
  EXPECT_EQ(s.ExpiresAt(*s.FindLicense("P")), kNow + 375 * kDay);
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("P")), 355 * kDay);
  EXPECT_EQ(s.activations(), 1u);
}

TEST(SimClockTest, SameInstantExpiriesAreHandledInOrderOfSerial) {
  // Camera ids in the opposite order of serials: the id order must not matter.
  Fleet f = MakeFleet(
      {"S-C", "S-B", "S-A"},
      {Lic("H-C", 90, kNow - 80 * kDay, "S-C", true), Lic("H-B", 90, kNow - 80 * kDay, "S-B", true),
       Lic("H-A", 90, kNow - 80 * kDay, "S-A", true), Lic("P-LONG", 1825), Lic("P-SHORT", 90)});
  SimState s = Load(f);
  Advanced a = Advance(s, kNow + 10 * kDay);
  EXPECT_EQ(Summary(a.events), (std::vector<std::string>{
                                   At(10) + " renewed S-A H-A->P-SHORT",
                                   At(10) + " renewed S-B H-B->P-LONG",
                                   At(10) + " lapsed S-C H-C pool_empty",
                               }));
}

TEST(SimClockTest, PoolAndParkedExpiriesOfAnInstantComeBeforeItsCameras) {
  // The pool license expiring at the same instant cannot renew the camera.
  SimState s = Load(MakeFleet(
      {"S1"}, {Lic("H", 90, kNow - 80 * kDay, "S1", true), Lic("P-SAME", 90, kNow - 80 * kDay)}));
  Advanced a = Advance(s, kNow + 10 * kDay);
  EXPECT_EQ(Summary(a.events), (std::vector<std::string>{
                                   At(10) + " expired_in_pool P-SAME",
                                   At(10) + " lapsed S1 H pool_empty",
                               }));
}

TEST(SimClockTest, ChainedRenewalsWithinOneAdvanceAreEachHandledAtTheirOwnInstant) {
  // H expires at +10d, then each renewal in turn expires within the advance.
  // ... but first the started P-USED (40 days left at +10d) is the shortest.
  SimState s =
      Load(MakeFleet({"S1"}, {Lic("H", 90, kNow - 80 * kDay, "S1", true), Lic("P-DEMO", 90),
                              Lic("P-1Y", 365), Lic("P-USED", 365, kNow - 315 * kDay)}));
  Advanced a = Advance(s, kNow + 1000 * kDay);
  // At +10d P-USED (40 days left) is the shortest: it renews first.
  EXPECT_EQ(Summary(a.events), (std::vector<std::string>{
                                   At(10) + " renewed S1 H->P-USED",
                                   At(50) + " renewed S1 P-USED->P-DEMO",
                                   At(140) + " renewed S1 P-DEMO->P-1Y",
                                   At(505) + " lapsed S1 P-1Y pool_empty",
                               }));
  EXPECT_EQ(a.picks.size(), 3u);
  EXPECT_EQ(s.activations(), 3u);
  EXPECT_EQ(Holder(s, "S1"), "");
  EXPECT_TRUE(s.FindAccount("acme")->keys.empty());
}

TEST(SimClockTest, AnAdvanceInStepsEqualsOneAdvance) {
  Fleet f = MakeFleet({"S1", "S2"}, {Lic("H1", 90, kNow - 80 * kDay, "S1", true),
                                     Lic("H2", 365, kNow - 100 * kDay, "S2", true),
                                     Lic("P-DEMO", 90), Lic("P-1Y", 365), Lic("P-3Y", 1095)});
  SimState once = Load(f);
  Advanced all = Advance(once, kNow + 2000 * kDay);
  SimState steps = Load(f);
  std::vector<std::string> events;
  for (std::int64_t d = 7; d <= 2000; d += 7) {
    for (const std::string& e : Summary(Advance(steps, kNow + d * kDay).events))
      events.push_back(e);
  }
  for (const std::string& e : Summary(Advance(steps, kNow + 2000 * kDay).events))
    events.push_back(e);
  EXPECT_EQ(events, Summary(all.events));
  EXPECT_EQ(steps.activations(), once.activations());
}

TEST(SimClockTest, TiesUnderRandomTieBreakAreTakenAmongTheTiedAndReplayExactly) {
  std::vector<License> licenses = {Lic("H", 90, kNow - 80 * kDay, "S1", true), Lic("P-LONG", 1825)};
  for (const char* key : {"T-1", "T-2", "T-3", "T-4", "T-5"}) licenses.push_back(Lic(key, 365));
  // A started license with exactly 365 days left at the renewal: in the tie.
  licenses.push_back(Lic("T-STARTED", 730, kNow + 10 * kDay - 365 * kDay));
  const Fleet f = MakeFleet({"S1"}, licenses);
  std::set<std::string> picked;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    SimState live = Load(f);
    Advanced a = Advance(live, kNow + 20 * kDay, TieBreak{TieBreak::Order::kRandom, seed});
    ASSERT_EQ(a.picks.size(), 1u);
    const std::string key = a.picks[0].key;
    EXPECT_NE(key, "P-LONG");
    picked.insert(key);
    // Replaying the advance Mutation (as the log does) takes the same key,
    // whatever tie-break the replaying simulator would use.
    SimState replayed = Load(f);
    Mutation m = replayed.AdvanceMutation(kNow + 20 * kDay);
    m.renewals = a.picks;
    ASSERT_TRUE(replayed.Apply(m).ok());
    EXPECT_EQ(Holder(replayed, "S1"), key);
    EXPECT_EQ(replayed.now(), live.now());
    EXPECT_EQ(replayed.activations(), live.activations());
  }
  EXPECT_GT(picked.size(), 2u) << "64 seeds broke the tie in too few ways";
  const std::set<std::string> tied = {"T-1", "T-2", "T-3", "T-4", "T-5", "T-STARTED"};
  for (const std::string& key : picked) EXPECT_EQ(tied.count(key), 1u) << key;
}

TEST(SimClockTest, ALargeTieIsPickedFromItsFirstKeysAndReplayAcceptsAnyTiedKey) {
  std::vector<License> licenses = {Lic("H", 90, kNow - 80 * kDay, "S1", true)};
  for (int i = 10; i < 50; ++i) licenses.push_back(Lic("T-" + std::to_string(i), 365));
  const Fleet f = MakeFleet({"S1"}, licenses);
  std::set<std::string> picked;
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    SimState s = Load(f);
    Advanced a = Advance(s, kNow + 20 * kDay, TieBreak{TieBreak::Order::kRandom, seed});
    ASSERT_EQ(a.picks.size(), 1u);
    picked.insert(a.picks[0].key);
  }
  EXPECT_GT(picked.size(), 2u);
  for (const std::string& key : picked) EXPECT_LT(key, "T-26") << "outside the 16 first keys";
  // A log from a simulator that broke the tie otherwise still replays.
  SimState s = Load(f);
  Mutation m = s.AdvanceMutation(kNow + 20 * kDay);
  m.renewals.push_back(
      {kNow + 10 * kDay, "acme", s.FindAccount("acme")->ids_by_serial.at("S1"), kAm, "T-49"});
  ASSERT_TRUE(s.Apply(m).ok());
  EXPECT_EQ(Holder(s, "S1"), "T-49");
}

TEST(SimClockTest, ReplayRefusesARenewalTheRulesDoNotAllow) {
  const Fleet f = MakeFleet(
      {"S1"}, {Lic("H", 90, kNow - 80 * kDay, "S1", true), Lic("P-1Y", 365), Lic("P-5Y", 1825)});
  SimState s = Load(f);
  Mutation m = s.AdvanceMutation(kNow + 20 * kDay);
  m.renewals.push_back(
      {kNow + 10 * kDay, "acme", s.FindAccount("acme")->ids_by_serial.at("S1"), kAm, "P-5Y"});
  EXPECT_EQ(s.Apply(m).code(), Status::Code::kCorruption);  // not the shortest

  SimState t = Load(f);
  Mutation missing = t.AdvanceMutation(kNow + 20 * kDay);  // no renewal logged
  EXPECT_EQ(t.Apply(missing).code(), Status::Code::kCorruption);

  SimState u = Load(f);
  Advance(u, kNow + 5 * kDay);
  EXPECT_EQ(u.Apply(u.AdvanceMutation(kNow)).code(), Status::Code::kCorruption);  // backwards
}

TEST(SimClockTest, ActivationAfterAnAdvanceStartsTheClockAtTheNewTime) {
  SimState s = Load(MakeFleet({"S1"}, {Lic("P", 365)}));
  Advance(s, kNow + 30 * kDay);
  const std::string id = s.FindAccount("acme")->ids_by_serial.at("S1");
  ASSERT_TRUE(s.Apply(s.DecideActivate("acme", id, kAm, false, kByKey).mutation()).ok());
  EXPECT_EQ(s.FindLicense("P")->activated_at, kNow + 30 * kDay);
  Advanced a = Advance(s, kNow + 400 * kDay);
  EXPECT_EQ(Summary(a.events), std::vector<std::string>{At(395) + " lapsed S1 P auto_renew_off"});
}

TEST(SimClockTest, AReleasedLicenseRenewsAnotherCameraAndExpiresThere) {
  SimState s =
      Load(MakeFleet({"S1", "S2"}, {Lic("H1", 90, kNow - 80 * kDay, "S1", true),
                                    Lic("H2", 90, kNow - 85 * kDay, "S2", true), Lic("P", 90)}));
  const std::string s1 = s.FindAccount("acme")->ids_by_serial.at("S1");
  ASSERT_TRUE(s.Apply(s.DecideRemoveCamera("acme", s1).mutation()).ok());
  Advanced a = Advance(s, kNow + 10 * kDay);
  // H1 (back in the pool, 10 days left) renews S2 at +5d, then expires on S2.
  EXPECT_EQ(Summary(a.events), (std::vector<std::string>{
                                   At(5) + " renewed S2 H2->H1",
                                   At(10) + " renewed S2 H1->P",
                               }));
}

TEST(SimClockTest, AFleetWithALicenseExpiredInAnAccountIsRefused) {
  for (std::int64_t seconds_left : {std::int64_t{0}, std::int64_t{-1}, -400 * kDay}) {
    Fleet pool = MakeFleet({"S1"}, {Lic("OLD", 90, kNow - 90 * kDay + seconds_left)});
    Result<SimState> r = SimState::FromFleet(pool);
    ASSERT_FALSE(r.ok()) << seconds_left;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("'OLD' expired at"), std::string::npos)
        << r.status().message();
    Fleet held = MakeFleet({"S1"}, {Lic("OLD", 90, kNow - 90 * kDay + seconds_left, "S1", true)});
    EXPECT_EQ(SimState::FromFleet(held).status().code(), Status::Code::kInvalidArgument);
  }
  // One second left: loads, and expires one second later.
  SimState s = Load(MakeFleet({"S1"}, {Lic("SOON", 90, kNow - 90 * kDay + 1, "S1", true)}));
  EXPECT_EQ(s.RemainingSeconds(*s.FindLicense("SOON")), 1);
  EXPECT_EQ(Summary(Advance(s, kNow + 1).events),
            std::vector<std::string>{At(0, 1) + " lapsed S1 SOON pool_empty"});
}

}  // namespace
}  // namespace licmove::sim
