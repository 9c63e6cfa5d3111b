// When to try a portal call again, and after how long. Pure, so the policy is
// tested without clocks.
//
// Retried: transport failures (refused, reset, timeout, dropped answer), 429,
// 502, 503, 504. Never retried: any other answer, which is the portal's
// verdict on the request. Every retry of a mutation carries the same
// Idempotency-Key, so a retry never doubles an effect.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace licmove {

struct RetryPolicy {
  int max_attempts = 8;  // first try included
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{10000};
  std::chrono::milliseconds max_retry_after{60000};  // cap on the portal's Retry-After
};

// http_status 0 means the request failed in transport.
bool IsRetryable(unsigned http_status);

// The wait before attempt `attempt + 1` (attempt counts from 1). With a
// Retry-After from the portal, that (capped); otherwise exponential backoff
// with full jitter: uniform in [0, min(max, base * 2^(attempt-1))], drawn from
// `random` (any 64-bit value, e.g. from a seeded generator).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt,
                                     std::optional<int> retry_after_seconds, std::uint64_t random);

}  // namespace licmove
