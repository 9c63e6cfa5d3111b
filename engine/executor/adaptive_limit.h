// `--parallelism auto`: how many portal calls may be in flight, learned from
// the answers (AIMD, as TCP's congestion window and adaptive-concurrency
// limiters do). It starts small and grows by about one per round trip while
// the limit is in use and answers stay fast; it shrinks multiplicatively on a
// 429 and when answers grow slow (a gradient on the minimum latency seen).
//
// A concurrency limit alone cannot find a portal's rate limit: a token
// bucket answers 429 only once it is empty, by then every call in flight
// hits it, and the Retry-After pause refills it for the next burst. So 429s
// also teach a ceiling: the rate of successful answers since the first 429
// (over whole cycles of burst and pause this is what the portal sustains)
// times the typical latency is how many calls keep that rate in flight; a
// limit above it is brought down to it, and grows past it only slowly.
//
// Pure state: times come in as arguments, so tests drive it without clocks.
#pragma once

#include <chrono>
#include <cstdint>

namespace licmove {

struct AdaptiveLimitOptions {
  double initial = 4;
  double max = 64;                  // never above (the cap)
  double backoff_on_429 = 0.5;      // multiplied on a 429
  double backoff_on_latency = 0.9;  // multiplied when answers grow slow
  // An answer slower than this many times the minimum latency counts as
  // the portal (or the path to it) queueing.
  double latency_tolerance = 2.0;
  // The ceiling is this many times the calls in flight that the rate
  // learned from 429s needs (a little above, so that the rate is used).
  double rate_headroom = 1.1;
  // Above the ceiling, growth is this many times slower: one more per 64
  // round trips probes whether the portal now allows more (the ceiling can
  // also be learned too low, from a window that held a pause).
  double probe_slowdown = 64;
  // After a 429, no growth for this long (the portal asked for a pause).
  std::chrono::milliseconds hold_after_429{1000};
};

class AdaptiveLimit {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AdaptiveLimit(AdaptiveLimitOptions options = {});

  // Calls that may be in flight now (the exact limit rounded): at least 1,
  // at most options.max.
  int limit() const;
  double exact_limit() const { return limit_; }
  // The ceiling learned from 429s (calls in flight), or 0 before it is known.
  double rate_ceiling() const { return rate_ceiling_; }

  // An answer other than 429 (an error too: it still measures latency):
  // sent at `sent`, answered at `now`. `saturated`: the limit was full when
  // it was sent (only a limit in use may grow).
  void OnAnswer(Clock::time_point sent, Clock::time_point now, bool saturated);
  // A 429 to a request sent at `sent`, answered at `now`.
  void OnRateLimited(Clock::time_point sent, Clock::time_point now);

 private:
  void Decrease(double factor, Clock::time_point now);
  double Ceiling() const;

  AdaptiveLimitOptions options_;
  double limit_;
  // One decrease per round trip: answers to requests sent before the last
  // decrease say nothing about the decreased limit.
  Clock::time_point last_decrease_{};
  Clock::time_point hold_until_{};
  // Minimum latency over the current and the previous window of samples,
  // so that a lasting change of the path is adopted.
  double min_current_ = 0, min_previous_ = 0;
  int window_samples_ = 0;
  double latency_ewma_ = 0;  // seconds
  bool first_429_seen_ = false;
  Clock::time_point first_429_{};
  std::uint64_t ok_since_first_429_ = 0;
  double rate_ceiling_ = 0;
};

}  // namespace licmove
