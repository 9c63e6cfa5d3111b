// A token bucket: at most `rate` calls a second on average, bursts up to
// `burst`. Pure arithmetic over a time the caller passes in, so tests need no
// clock; the executor waits the returned delay on an Asio timer.
#pragma once

#include <chrono>

namespace licmove {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0: unlimited.
  RateLimiter(double rate, double burst);

  // Takes one token at `now`: zero when one was there, else how long the
  // caller must wait (the token is reserved; calls queue fairly).
  Clock::duration Acquire(Clock::time_point now);

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_{};
  bool started_ = false;
};

}  // namespace licmove
