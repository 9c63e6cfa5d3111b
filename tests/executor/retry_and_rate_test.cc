#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "executor/rate_limiter.h"
#include "portal/retry_policy.h"

namespace licmove {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, WhatIsRetried) {
  for (unsigned s : {0u, 429u, 502u, 503u, 504u}) EXPECT_TRUE(IsRetryable(s)) << s;
  for (unsigned s : {200u, 201u, 400u, 401u, 403u, 404u, 409u, 422u, 500u}) {
    EXPECT_FALSE(IsRetryable(s)) << s;
  }
}

TEST(RetryPolicy, RetryAfterWinsAndIsCapped) {
  RetryPolicy p;
  EXPECT_EQ(RetryDelay(p, 1, 2, 12345), milliseconds(2000));
  EXPECT_EQ(RetryDelay(p, 1, 3600, 0), p.max_retry_after);
  EXPECT_EQ(RetryDelay(p, 1, 0, 999), milliseconds(0));
}

RC_GTEST_PROP(RetryPolicy, FullJitterStaysWithinTheExponentialCap, (std::uint64_t random)) {
  RetryPolicy p;
  const int attempt = *rc::gen::inRange(1, 40);
  const auto d = RetryDelay(p, attempt, std::nullopt, random);
  const std::int64_t cap = std::min<std::int64_t>(
      p.max_delay.count(), p.base_delay.count() << std::min(attempt - 1, 30));
  RC_ASSERT(d.count() >= 0);
  RC_ASSERT(d.count() <= cap);
}

TEST(RateLimiter, UnlimitedNeverWaits) {
  RateLimiter r(0, 1);
  const auto t = RateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(r.Acquire(t), RateLimiter::Clock::duration::zero());
}

TEST(RateLimiter, BurstThenSteadyRate) {
  RateLimiter r(10, 2);  // 10/s, burst 2
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(r.Acquire(t0), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(r.Acquire(t0), RateLimiter::Clock::duration::zero());
  // The third call at the same instant waits one token's time, the fourth two.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(r.Acquire(t0)), milliseconds(100));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(r.Acquire(t0)), milliseconds(200));
  // A second later the debt is paid and the bucket refilled to its burst.
  const auto t1 = t0 + std::chrono::seconds(1);
  EXPECT_EQ(r.Acquire(t1), RateLimiter::Clock::duration::zero());
}

RC_GTEST_PROP(RateLimiter, NeverExceedsRatePlusBurst, ()) {
  const double rate = *rc::gen::inRange(1, 200);
  const int burst = *rc::gen::inRange(1, 10);
  RateLimiter r(rate, burst);
  auto now = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  const auto start = now;
  const int calls = *rc::gen::inRange(1, 300);
  RateLimiter::Clock::time_point last_start = now;
  for (int i = 0; i < calls; ++i) {
    now += std::chrono::microseconds(*rc::gen::inRange(0, 20000));
    const auto wait = r.Acquire(now);
    last_start = std::max(last_start, now + wait);
  }
  // n calls need at least (n - burst) / rate seconds.
  const double span = std::chrono::duration<double>(last_start - start).count();
  RC_ASSERT(span + 1e-6 >= (calls - burst) / rate);
}

}  // namespace
}  // namespace licmove
