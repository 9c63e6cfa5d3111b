#include "executor/adaptive_limit.h"

#include <algorithm>
#include <cmath>

namespace licmove {

namespace {

constexpr int kLatencyWindow = 256;
constexpr double kEwmaWeight = 0.1;
// Below this, the successes since the first 429 are too few to be a rate.
constexpr std::chrono::milliseconds kRateWindowMin{1000};

double Seconds(AdaptiveLimit::Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

AdaptiveLimit::AdaptiveLimit(AdaptiveLimitOptions options)
    : options_(options), limit_(std::clamp(options.initial, 1.0, std::max(1.0, options.max))) {
  options_.max = std::max(1.0, options_.max);
}

int AdaptiveLimit::limit() const {
  // Rounded, not floored: at a few calls in flight (a rate limit at low
  // latency) flooring 2.9 to 2 would leave a third of the rate unused.
  return std::clamp(static_cast<int>(std::lround(limit_)), 1, static_cast<int>(options_.max));
}

double AdaptiveLimit::Ceiling() const {
  if (rate_ceiling_ <= 0) return options_.max;
  return std::clamp(rate_ceiling_, 1.0, options_.max);
}

void AdaptiveLimit::Decrease(double factor, Clock::time_point now) {
  limit_ = std::clamp(limit_ * factor, 1.0, options_.max);
  last_decrease_ = now;
}

void AdaptiveLimit::OnAnswer(Clock::time_point sent, Clock::time_point now, bool saturated) {
  const double latency = std::max(Seconds(now - sent), 1e-6);
  if (first_429_seen_) ++ok_since_first_429_;
  latency_ewma_ =
      latency_ewma_ == 0 ? latency : (1 - kEwmaWeight) * latency_ewma_ + kEwmaWeight * latency;
  if (window_samples_ == kLatencyWindow) {
    min_previous_ = min_current_;
    min_current_ = 0;
    window_samples_ = 0;
  }
  ++window_samples_;
  min_current_ = min_current_ == 0 ? latency : std::min(min_current_, latency);
  const double min_latency =
      min_previous_ == 0 ? min_current_ : std::min(min_previous_, min_current_);

  const bool fresh = sent >= last_decrease_;  // sent under the current limit
  if (latency > options_.latency_tolerance * min_latency) {
    if (fresh) Decrease(options_.backoff_on_latency, now);
    return;
  }
  if (!saturated || now < hold_until_) return;
  // About one more per round trip: a full limit's worth of answers adds one;
  // past the ceiling, one per probe_slowdown round trips.
  const double step = limit_ < Ceiling() ? 1.0 / limit_ : 1.0 / (limit_ * options_.probe_slowdown);
  limit_ = std::min(options_.max, limit_ + step);
}

void AdaptiveLimit::OnRateLimited(Clock::time_point sent, Clock::time_point now) {
  if (!first_429_seen_) {
    first_429_seen_ = true;
    first_429_ = now;
  } else if (now - first_429_ >= kRateWindowMin && latency_ewma_ > 0) {
    const double rate = static_cast<double>(ok_since_first_429_) / Seconds(now - first_429_);
    rate_ceiling_ = std::max(1.0, rate * latency_ewma_ * options_.rate_headroom);
  }
  hold_until_ = now + options_.hold_after_429;
  if (sent >= last_decrease_) Decrease(options_.backoff_on_429, now);
  // Above the ceiling, the bucket empties again within seconds.
  if (rate_ceiling_ > 0) limit_ = std::min(limit_, Ceiling());
}

}  // namespace licmove
