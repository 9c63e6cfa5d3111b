#include "model/license.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

const UnixSeconds kNow = *ParseTimestamp("2026-11-29T00:00:00Z");

TEST(License, NeverActivatedHasWholeTerm) {
  License l{"AM-5Y-1", "alarm-management", 1825};
  EXPECT_EQ(RemainingDays(l, kNow), 1825);
  EXPECT_EQ(RemainingSeconds(l, kNow), 1825 * kSecondsPerDay);
  EXPECT_FALSE(l.expires_at().has_value());
}

TEST(License, ActivatedCountsDownAndNeverGoesNegative) {
  License l{"AM-1Y-1", "alarm-management", 365, kNow - 100 * kSecondsPerDay};
  EXPECT_EQ(RemainingDays(l, kNow), 265);
  EXPECT_EQ(*l.expires_at(), kNow + 265 * kSecondsPerDay);
  l.activated_at = kNow - 400 * kSecondsPerDay;
  EXPECT_EQ(RemainingSeconds(l, kNow), 0);
}

TEST(License, PartialDaysRoundDown) {
  License l{"K", "s", 90, kNow - 3600};
  EXPECT_EQ(RemainingDays(l, kNow), 89);
  EXPECT_EQ(RemainingSeconds(l, kNow), 90 * kSecondsPerDay - 3600);
}

TEST(Term, NamesAndDays) {
  EXPECT_EQ(TermDays(Term::kFiveYears), 1825);
  EXPECT_EQ(TermFromName("3y"), Term::kThreeYears);
  EXPECT_EQ(TermFromDays(90), Term::kDemo);
  EXPECT_FALSE(TermFromName("2y").has_value());
  EXPECT_EQ(TermLabelForDays(400), "400d");
  EXPECT_TRUE(TermChoiceFromName("longest")->longest);
  EXPECT_EQ(TermChoiceName(*TermChoiceFromName("1y")), "1y");
  EXPECT_FALSE(TermChoiceFromName("forever").has_value());
}

}  // namespace
}  // namespace licmove
