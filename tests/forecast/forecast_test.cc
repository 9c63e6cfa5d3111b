// The forecast rule by rule (DESIGN §1 R7), on accounts small enough to work
// out by hand.
#include "forecast/forecast.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "forecast/purchase_advice.h"

namespace licmove::testing {
namespace {

using Kind = ForecastEvent::Kind;
using Reason = ForecastEvent::LapseReason;

AccountSnapshot Snap(std::vector<Camera> cameras, std::vector<License> licenses) {
  AccountSnapshot s;
  s.account.name = "acme";
  s.account.cameras = std::move(cameras);
  s.account.licenses = std::move(licenses);
  s.now = kNow;
  return s;
}

Forecast Play(const AccountSnapshot& s, UnixSeconds until) {
  Result<Forecast> f = ForecastAccount(s, until);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : Forecast{};
}

int PoolEmptyLapses(const Forecast& f) {
  return static_cast<int>(std::count_if(f.events.begin(), f.events.end(), [](const auto& e) {
    return e.kind == Kind::kLapsed && e.reason == Reason::kPoolEmpty;
  }));
}

TEST(Forecast, HorizonBeforeNowIsInvalid) {
  Result<Forecast> f = ForecastAccount(Snap({}, {}), kNow - 1);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Status::Code::kInvalidArgument);
}

TEST(Forecast, NamesKindsAndReasons) {
  EXPECT_EQ(ForecastEventKindName(Kind::kRenewed), "renewed");
  EXPECT_EQ(ForecastEventKindName(Kind::kLapsed), "lapsed");
  EXPECT_EQ(ForecastEventKindName(Kind::kExpiredInPool), "expired_in_pool");
  EXPECT_EQ(LapseReasonName(Reason::kPoolEmpty), "pool_empty");
  EXPECT_EQ(LapseReasonName(Reason::kAutoRenewOff), "auto_renew_off");
}

TEST(Forecast, SameInstantCamerasGoInSerialOrder) {
  // Both expire on day 10; the one pool key goes to the smaller serial even
  // though CAM-B's license comes first in the account.
  Forecast f =
      Play(Snap({Cam("CAM-B"), Cam("CAM-A")},
                {Running("kb", "alarm", 365, 10, "CAM-B", true),
                 Running("ka", "alarm", 365, 10, "CAM-A", true), Fresh("p1", "alarm", 365)}),
           Day(20));
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[0].camera, "CAM-A");
  EXPECT_EQ(f.events[0].kind, Kind::kRenewed);
  EXPECT_EQ(f.events[0].new_key, "p1");
  EXPECT_EQ(f.events[0].at, Day(10));
  EXPECT_EQ(f.events[1].camera, "CAM-B");
  EXPECT_EQ(f.events[1].kind, Kind::kLapsed);
  EXPECT_EQ(f.events[1].reason, Reason::kPoolEmpty);
}

TEST(Forecast, PoolExpiryComesBeforeTheRenewalsOfTheSameInstant) {
  // "zz" in the pool would be the smallest remaining validity, but it
  // expires at the same instant as the camera's license, so it is gone first.
  Forecast f =
      Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 5, "CAM-1", true),
                                 Running("zz", "alarm", 365, 5), Fresh("f1", "alarm", 90)}),
           Day(30));
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[0].kind, Kind::kExpiredInPool);
  EXPECT_EQ(f.events[0].expired_key, "zz");
  EXPECT_EQ(f.events[1].kind, Kind::kRenewed);
  EXPECT_EQ(f.events[1].new_key, "f1");
  EXPECT_EQ(f.events[1].new_key_term_days, 90);
}

TEST(Forecast, NeverActivatedLicenseNeverExpires) {
  Forecast f = Play(Snap({}, {Fresh("f1", "alarm", 90)}), Day(3650));
  EXPECT_TRUE(f.events.empty());
  ASSERT_EQ(f.at_until.account.licenses.size(), 1u);
  EXPECT_FALSE(f.at_until.account.licenses[0].activated_at);
  EXPECT_TRUE(f.changed_keys.empty());
  EXPECT_EQ(f.at_until.now, Day(3650));
}

TEST(Forecast, ChainedRenewalsTakeTheSmallestRemainingValidityEachTime) {
  // Day 10: the pool holds a30 (20 days left) and f90 (90 days) -> a30.
  // Day 30: a30 expires on the camera -> f90, the only one left. Day 120:
  // f90 expires, the pool is empty -> lapse.
  Forecast f =
      Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 10, "CAM-1", true),
                                 Running("a30", "alarm", 365, 30), Fresh("f90", "alarm", 90)}),
           Day(400));
  ASSERT_EQ(f.events.size(), 3u);
  EXPECT_EQ(f.events[0].at, Day(10));
  EXPECT_EQ(f.events[0].new_key, "a30");
  EXPECT_FALSE(f.events[0].tie);
  EXPECT_EQ(f.events[1].at, Day(30));
  EXPECT_EQ(f.events[1].expired_key, "a30");
  EXPECT_EQ(f.events[1].new_key, "f90");
  EXPECT_EQ(f.events[2].at, Day(120));
  EXPECT_EQ(f.events[2].kind, Kind::kLapsed);
  EXPECT_EQ(f.events[2].reason, Reason::kPoolEmpty);
  EXPECT_EQ(f.services["alarm"].renewals, 2);
  EXPECT_EQ(f.services["alarm"].lapses, 1);
  EXPECT_TRUE(f.at_until.account.licenses.empty());
  EXPECT_EQ(f.changed_keys, (std::vector<std::string>{"a30", "f90", "k1"}));
}

TEST(Forecast, EqualRemainingValidityIsATieResolvedToTheSmallestKey) {
  // Two fresh 1y keys tie; a running key with exactly 365 days left at the
  // renewal ties with them too.
  Forecast f = Play(Snap({Cam("CAM-1")},
                         {Running("k1", "alarm", 90, 10, "CAM-1", true), Fresh("f2", "alarm", 365),
                          Fresh("f1", "alarm", 365), Running("r0", "alarm", 1095, 375)}),
                    Day(11));
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_TRUE(f.events[0].tie);
  EXPECT_EQ(f.events[0].new_key, "f1");

  Forecast g =
      Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 90, 10, "CAM-1", true),
                                 Fresh("f2", "alarm", 365), Running("a0", "alarm", 1095, 375)}),
           Day(11));
  ASSERT_EQ(g.events.size(), 1u);
  EXPECT_TRUE(g.events[0].tie);
  EXPECT_EQ(g.events[0].new_key, "a0");

  Forecast h = Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 90, 10, "CAM-1", true),
                                          Fresh("f2", "alarm", 365), Fresh("f3", "alarm", 1825)}),
                    Day(11));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_FALSE(h.events[0].tie);
}

TEST(Forecast, LapseReasons) {
  Forecast f =
      Play(Snap({Cam("CAM-1"), Cam("CAM-2")}, {Running("k1", "alarm", 365, 10, "CAM-1", false),
                                               Running("k2", "alarm", 365, 20, "CAM-2", true)}),
           Day(30));
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[0].reason, Reason::kAutoRenewOff);
  EXPECT_EQ(f.events[1].reason, Reason::kPoolEmpty);
  EXPECT_EQ(f.services["alarm"].lapses, 2);
}

TEST(Forecast, AutoRenewOffLeavesThePoolAlone) {
  Forecast f = Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 10, "CAM-1", false),
                                          Fresh("f1", "alarm", 365)}),
                    Day(30));
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].reason, Reason::kAutoRenewOff);
  EXPECT_FALSE(f.services["alarm"].pool_dry_at);
}

TEST(Forecast, PoolDryDate) {
  Forecast f = Play(Snap({Cam("CAM-1"), Cam("CAM-2")},
                         {Running("k1", "alarm", 365, 10, "CAM-1", true), Fresh("f1", "alarm", 365),
                          Running("v1", "video", 365, 5, "CAM-2", true), Fresh("m1", "maint", 90)}),
                    Day(100));
  ASSERT_TRUE(f.services["alarm"].pool_dry_at);
  EXPECT_EQ(*f.services["alarm"].pool_dry_at, Day(10));
  // Empty from the start and wanted: dry already at the start.
  ASSERT_TRUE(f.services["video"].pool_dry_at);
  EXPECT_EQ(*f.services["video"].pool_dry_at, kNow);
  EXPECT_FALSE(f.services["maint"].pool_dry_at);
}

TEST(Forecast, WastedDaysCountWholeDaysUnusedFromTheStart) {
  Forecast f =
      Play(Snap({}, {Running("a1", "alarm", 365, 20.5), Running("a2", "alarm", 365, 3)}), Day(100));
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[0].expired_key, "a2");
  EXPECT_EQ(f.events[0].wasted_days, 3);
  EXPECT_EQ(f.events[1].wasted_days, 20);
  EXPECT_EQ(f.services["alarm"].wasted_days, 23);
  EXPECT_EQ(f.services["alarm"].expired_in_pool, 2);
  ASSERT_TRUE(f.services["alarm"].pool_dry_at);
  EXPECT_EQ(*f.services["alarm"].pool_dry_at, Day(20.5));
}

TEST(Forecast, AtUntilIsTheAccountAfterTheRenewals) {
  Forecast f = Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 10, "CAM-1", true),
                                          Fresh("f1", "alarm", 365), Fresh("f2", "alarm", 1825)}),
                    Day(11));
  const License* f1 = f.at_until.account.FindLicense("f1");
  ASSERT_NE(f1, nullptr);
  EXPECT_EQ(f1->assigned_to, "CAM-1");
  EXPECT_TRUE(f1->auto_renew);
  EXPECT_EQ(f1->activated_at, Day(10));
  EXPECT_EQ(f.at_until.account.FindLicense("k1"), nullptr);
  EXPECT_EQ(f.at_until.account.LicenseOn("CAM-1", "alarm"), f1);
  EXPECT_EQ(f.changed_keys, (std::vector<std::string>{"f1", "k1"}));
  EXPECT_EQ(f.at_until.account.cameras.size(), 1u);
}

TEST(Forecast, EventsAfterTheHorizonAreNotPlayed) {
  Forecast f =
      Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 10, "CAM-1", true)}), Day(10) - 1);
  EXPECT_TRUE(f.events.empty());
  Forecast g =
      Play(Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 10, "CAM-1", true)}), Day(10));
  EXPECT_EQ(g.events.size(), 1u);  // an expiry at `until` is played
}

TEST(Forecast, PurchaseAdviceLikeForLike) {
  // One 1y camera lapsing on day 30 with an empty pool, horizon two years:
  // a license on day 30 and another on day 395; day 760 is beyond it.
  AccountSnapshot s = Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 30, "CAM-1", true)});
  Forecast f = Play(s, Day(730));
  ASSERT_EQ(f.purchases.size(), 1u);
  EXPECT_EQ(f.purchases[0].service, "alarm");
  EXPECT_EQ(f.purchases[0].term_days, 365);
  EXPECT_EQ(f.purchases[0].count, 2);
  EXPECT_EQ(f.purchases[0].buy_by, Day(30));
}

TEST(Forecast, PurchaseAdviceRemovesEveryPoolEmptyLapse) {
  AccountSnapshot s =
      Snap({Cam("CAM-1"), Cam("CAM-2"), Cam("CAM-3"), Cam("CAM-4")},
           {Running("k1", "alarm", 365, 30, "CAM-1", true),
            Running("k2", "alarm", 90, 40, "CAM-2", true),
            Running("k3", "alarm", 1825, 50, "CAM-3", true),
            Running("k4", "alarm", 365, 60, "CAM-4", false), Fresh("p1", "alarm", 1825),
            Running("v1", "video", 90, 10, "CAM-1", true), Running("p2", "alarm", 365, 45)});
  Forecast f = Play(s, Day(1825));
  EXPECT_GT(PoolEmptyLapses(f), 0);
  ASSERT_FALSE(f.purchases.empty());
  AccountSnapshot with = s;
  for (License& l : PurchasedLicenses(f.purchases)) with.account.licenses.push_back(l);
  Forecast g = Play(with, Day(1825));
  EXPECT_EQ(PoolEmptyLapses(g), 0);
  // The auto-renew-off camera still lapses: buying does not help it.
  EXPECT_EQ(g.services["alarm"].lapses, 1);
}

TEST(Forecast, NoAdviceWhenAsked) {
  AccountSnapshot s = Snap({Cam("CAM-1")}, {Running("k1", "alarm", 365, 30, "CAM-1", true)});
  Result<Forecast> f = ForecastAccount(s, Day(730), ForecastOptions{.advise_purchases = false});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->purchases.empty());
  EXPECT_EQ(PoolEmptyLapses(*f), 1);
}

}  // namespace
}  // namespace licmove::testing
