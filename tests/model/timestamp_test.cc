#include "model/timestamp.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace licmove {
namespace {

TEST(Timestamp, ParsesUtc) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2026-11-29T00:00:00Z"), 1795910400);
  EXPECT_EQ(ParseTimestamp("2024-02-29T12:30:15Z"), 1709209815);
}

TEST(Timestamp, AppliesOffsetAndDropsFraction) {
  EXPECT_EQ(ParseTimestamp("2026-11-29T02:00:00+02:00"), ParseTimestamp("2026-11-29T00:00:00Z"));
  EXPECT_EQ(ParseTimestamp("2026-11-28T22:00:00.123-02:00"),
            ParseTimestamp("2026-11-29T00:00:00Z"));
}

TEST(Timestamp, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-11-29", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-29T24:00:00Z",
        "2026-11-29T00:00:00", "2026-11-29T00:00:00Zx", "2026-11-29 00:00:00Z",
        "2026-11-29T00:00:00.Z", "abcd-11-29T00:00:00Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(Timestamp, ParsesHttpDate) {
  EXPECT_EQ(ParseHttpDate("Sun, 29 Nov 2026 00:00:00 GMT"), ParseTimestamp("2026-11-29T00:00:00Z"));
  EXPECT_EQ(ParseHttpDate("Thu, 29 Feb 2024 12:30:15 GMT"), 1709209815);
  EXPECT_FALSE(ParseHttpDate("Sun, 29 Foo 2026 00:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sunday, 29-Nov-26 00:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 31 Nov 2026 00:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("").has_value());
}

TEST(Timestamp, FormatsHttpDate) {
  EXPECT_EQ(FormatHttpDate(*ParseTimestamp("2026-11-29T00:00:00Z")),
            "Sun, 29 Nov 2026 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

RC_GTEST_PROP(Timestamp, HttpDateRoundTrips, ()) {
  const UnixSeconds t = *rc::gen::inRange<std::int64_t>(0, 7258118400LL);
  RC_ASSERT(ParseHttpDate(FormatHttpDate(t)) == std::optional<UnixSeconds>(t));
}

RC_GTEST_PROP(Timestamp, FormatThenParseIsIdentity, ()) {
  const UnixSeconds t = *rc::gen::inRange<std::int64_t>(-2208988800LL, 7258118400LL);
  const std::string text = FormatTimestamp(t);
  RC_ASSERT(ParseTimestamp(text) == std::optional<UnixSeconds>(t));
}

}  // namespace
}  // namespace licmove

namespace licmove {
namespace {

TEST(ParseDuration, ANumberAndOneUnit) {
  EXPECT_EQ(ParseDuration("90s"), 90);
  EXPECT_EQ(ParseDuration("15m"), 900);
  EXPECT_EQ(ParseDuration("36h"), 36 * 3600);
  EXPECT_EQ(ParseDuration("30d"), 30 * kSecondsPerDay);
  EXPECT_EQ(ParseDuration("2w"), 14 * kSecondsPerDay);
  EXPECT_EQ(ParseDuration("1y"), 365 * kSecondsPerDay);
  EXPECT_EQ(ParseDuration("0d"), 0);
}

TEST(ParseDuration, AnythingElseIsRefused) {
  for (const char* text : {"", "d", "30", "-1d", "+1d", "1.5d", "1 d", "1D", "1mo", "d30",
                           "99999999999999999999d", "201y"}) {
    EXPECT_EQ(ParseDuration(text), std::nullopt) << text;
  }
  EXPECT_EQ(ParseDuration("200y"), 200 * 365 * kSecondsPerDay);
}

}  // namespace
}  // namespace licmove
