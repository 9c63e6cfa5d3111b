// The adaptive limit as a pure state machine: latency samples and 429s in,
// the limit out. Time is a number the tests move; nothing waits.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <deque>
#include <queue>

#include "executor/adaptive_limit.h"

namespace licmove {
namespace {

using Clock = AdaptiveLimit::Clock;
using std::chrono::milliseconds;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

// Answers `n` requests of `latency_ms`, each sent when the previous was
// answered, with the limit full; returns the time after the last.
Clock::time_point AnswerFast(AdaptiveLimit& l, Clock::time_point t, int n, int latency_ms = 20) {
  for (int i = 0; i < n; ++i) {
    l.OnAnswer(t, t + milliseconds(latency_ms), /*saturated=*/true);
    t += milliseconds(latency_ms);
  }
  return t;
}

TEST(AdaptiveLimit, StartsSmallAndGrowsAboutOnePerRoundTrip) {
  AdaptiveLimit l;
  EXPECT_EQ(l.limit(), 4);
  // A full limit's worth of fast answers adds one: 4 answers at 4, 5 at 5.
  Clock::time_point t = AnswerFast(l, kStart, 4);
  EXPECT_EQ(l.limit(), 5);
  t = AnswerFast(l, t, 5);
  EXPECT_EQ(l.limit(), 6);
  AnswerFast(l, t, 2000);
  EXPECT_EQ(l.limit(), 64);  // the cap
}

TEST(AdaptiveLimit, AnUnusedLimitDoesNotGrow) {
  AdaptiveLimit l;
  Clock::time_point t = kStart;
  for (int i = 0; i < 100; ++i, t += milliseconds(20)) {
    l.OnAnswer(t, t + milliseconds(20), /*saturated=*/false);
  }
  EXPECT_EQ(l.limit(), 4);
}

TEST(AdaptiveLimit, A429HalvesItOncePerRoundTripAndHoldsGrowth) {
  AdaptiveLimitOptions o;
  o.initial = 32;
  o.hold_after_429 = milliseconds(200);
  AdaptiveLimit l(o);
  const Clock::time_point sent = kStart;
  const Clock::time_point answered = sent + milliseconds(20);
  l.OnRateLimited(sent, answered);
  EXPECT_EQ(l.limit(), 16);
  // The other calls in flight with it, sent before the decrease, were sent
  // under the old limit: their 429s say nothing new.
  for (int i = 0; i < 10; ++i) l.OnRateLimited(sent + milliseconds(1), answered + milliseconds(1));
  EXPECT_EQ(l.limit(), 16);
  // The portal asked for a pause: no growth during it...
  Clock::time_point t = AnswerFast(l, answered + milliseconds(1), 9);
  EXPECT_EQ(l.limit(), 16);
  // ...and after it, growth again.
  t = AnswerFast(l, answered + o.hold_after_429, 20);
  EXPECT_GT(l.limit(), 16);
  // A 429 to a request sent after the decrease decreases again (within a
  // second of the first: no ceiling learned yet).
  const double before = l.exact_limit();
  l.OnRateLimited(t, t + milliseconds(20));
  EXPECT_DOUBLE_EQ(l.exact_limit(), before / 2);
}

TEST(AdaptiveLimit, SlowerAnswersShrinkIt) {
  AdaptiveLimitOptions o;
  o.initial = 20;
  AdaptiveLimit l(o);
  Clock::time_point t = AnswerFast(l, kStart, 10);  // the minimum: 20 ms
  const double before = l.exact_limit();
  l.OnAnswer(t, t + milliseconds(50), true);  // 2.5 times the minimum
  EXPECT_EQ(l.limit(), static_cast<int>(std::lround(l.exact_limit())));
  EXPECT_DOUBLE_EQ(l.exact_limit(), before * o.backoff_on_latency);
  // Answers within the tolerance (1.5x) neither shrink it nor count as slow.
  const double after = l.exact_limit();
  l.OnAnswer(t + milliseconds(60), t + milliseconds(90), true);
  EXPECT_GE(l.exact_limit(), after);
}

TEST(AdaptiveLimit, ALastingSlowerPathIsAdoptedAsTheNewMinimum) {
  AdaptiveLimit l;
  Clock::time_point t = AnswerFast(l, kStart, 300, 20);
  // The portal is now 60 ms away for good: after a while (two windows of
  // samples) 60 ms is the minimum, and the limit grows again.
  t = AnswerFast(l, t, 600, 60);
  const double settled = l.exact_limit();
  AnswerFast(l, t, 200, 60);
  EXPECT_GT(l.exact_limit(), settled);
}

TEST(AdaptiveLimit, LearnsACeilingFromTheRateBetween429s) {
  AdaptiveLimit l;
  EXPECT_EQ(l.rate_ceiling(), 0);
  // A portal sustaining 100 answers a second at 20 ms: 2 in flight.
  Clock::time_point t = kStart;
  l.OnRateLimited(t, t + milliseconds(20));
  for (int i = 0; i < 300; ++i) {  // 3 s at 100 a second
    l.OnAnswer(t, t + milliseconds(20), true);
    t += milliseconds(10);
  }
  l.OnRateLimited(t, t + milliseconds(20));
  EXPECT_NEAR(l.rate_ceiling(), 100 * 0.020 * 1.1, 0.05);
  // The limit is brought down to the ceiling (2.2 calls: a limit of 2)...
  EXPECT_EQ(l.limit(), 2);
  // ...and past it grows one per 64 round trips: 100 answers at about 2 in
  // flight are 50 round trips (without a ceiling, 100 answers add about 15).
  AnswerFast(l, t + std::chrono::seconds(2), 100);
  EXPECT_LE(l.limit(), 3);
  EXPECT_GT(l.exact_limit(), 2.2);
}

// A token-bucket portal (as portal-sim's --rate-limit: R tokens a second,
// a bucket of R, a 429 with Retry-After 1 s when empty) answering after a
// fixed latency, and an executor with endless work kept at the limit; calls
// that got a 429 hold their slot for the Retry-After. Discrete events, no
// clock. Returns {seconds, 429s} for `calls` successful calls.
struct ModelRun {
  double seconds = 0;
  int rate_limited = 0;
  int sent = 0;
};
ModelRun RunAgainstBucket(double rate, double latency_s, int calls) {
  AdaptiveLimit l;
  struct Event {
    double at;
    double sent;
    bool retry;  // a retry's turn to be sent, not an answer
    bool ok;
    bool saturated;
    bool operator>(const Event& o) const { return at > o.at; }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  double tokens = rate, refilled = 0;
  int started = 0, in_flight = 0, done = 0;
  ModelRun run;
  auto tp = [](double s) {
    return kStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  auto send = [&](double now, bool saturated) {
    ++run.sent;
    tokens = std::min(rate, tokens + (now - refilled) * rate);
    refilled = now;
    const bool ok = tokens >= 1;
    if (ok) tokens -= 1;
    events.push({now + latency_s, now, false, ok, saturated});
  };
  auto fill = [&](double now) {
    while (started < calls && in_flight < l.limit()) {
      ++started;
      ++in_flight;
      send(now, in_flight >= l.limit());
    }
  };
  fill(0);
  while (!events.empty()) {
    const Event e = events.top();
    events.pop();
    run.seconds = e.at;
    if (e.retry) {
      send(e.at, true);
    } else if (!e.ok) {
      ++run.rate_limited;
      l.OnRateLimited(tp(e.sent), tp(e.at));
      events.push({e.at + 1.0, 0, true, false, false});
    } else {
      ++done;
      --in_flight;
      l.OnAnswer(tp(e.sent), tp(e.at), e.saturated);
    }
    fill(e.at);
  }
  EXPECT_EQ(done, calls);
  return run;
}

TEST(AdaptiveLimit, AgainstATokenBucketItKeepsTheRateWithFew429s) {
  for (double rate : {50.0, 100.0, 200.0, 300.0}) {
    const int calls = 9631;  // bulk-10k's
    const ModelRun run = RunAgainstBucket(rate, 0.0205, calls);
    EXPECT_LE(run.seconds, 1.1 * calls / rate) << "rate " << rate;
    EXPECT_LT(run.rate_limited, run.sent / 100) << "rate " << rate;
  }
}

// Properties over any sequence of answers, slow answers and 429s.
RC_GTEST_PROP(AdaptiveLimit, StaysWithinOneAndTheCapAndNeverGrowsOnA429, ()) {
  AdaptiveLimitOptions o;
  o.max = *rc::gen::inRange(1, 300);
  o.initial = *rc::gen::inRange(1, 400);
  AdaptiveLimit l(o);
  Clock::time_point t = kStart;
  const int steps = *rc::gen::inRange(1, 400);
  for (int i = 0; i < steps; ++i) {
    t += milliseconds(*rc::gen::inRange(0, 2000));
    const Clock::time_point sent = t - milliseconds(*rc::gen::inRange(0, 3000));
    const double before = l.exact_limit();
    if (*rc::gen::inRange(0, 4) == 0) {
      l.OnRateLimited(sent, t);
      RC_ASSERT(l.exact_limit() <= before);
    } else {
      l.OnAnswer(sent, t, *rc::gen::arbitrary<bool>());
    }
    RC_ASSERT(l.limit() >= 1);
    RC_ASSERT(l.limit() <= o.max);
    RC_ASSERT(l.exact_limit() >= 1.0);
  }
}

RC_GTEST_PROP(AdaptiveLimit, AFresh429AboveOneDecreases, ()) {
  AdaptiveLimitOptions o;
  o.initial = *rc::gen::inRange(2, 64);
  AdaptiveLimit l(o);
  Clock::time_point t = AnswerFast(l, kStart, *rc::gen::inRange(0, 500));
  const double before = l.exact_limit();
  l.OnRateLimited(t, t + milliseconds(20));  // sent after any decrease
  RC_ASSERT(l.exact_limit() < before);
  RC_ASSERT(l.exact_limit() >= 1.0);
}

}  // namespace
}  // namespace licmove
