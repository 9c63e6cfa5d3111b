#include "executor/rate_limiter.h"

#include <algorithm>

namespace licmove {

RateLimiter::RateLimiter(double rate, double burst)
    : rate_(rate), burst_(std::max(1.0, burst)), tokens_(std::max(1.0, burst)) {}

RateLimiter::Clock::duration RateLimiter::Acquire(Clock::time_point now) {
  if (rate_ <= 0) return Clock::duration::zero();
  if (started_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed) * rate_);
  }
  started_ = true;
  last_ = now;
  tokens_ -= 1.0;  // may go negative: later callers wait behind this one
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / rate_));
}

}  // namespace licmove
