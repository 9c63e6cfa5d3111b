#include "portal/retry_policy.h"

#include <algorithm>

namespace licmove {

bool IsRetryable(unsigned http_status) {
  return http_status == 0 || http_status == 429 || http_status == 502 || http_status == 503 ||
         http_status == 504;
}

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt,
                                     std::optional<int> retry_after_seconds, std::uint64_t random) {
  using std::chrono::milliseconds;
  if (retry_after_seconds && *retry_after_seconds >= 0) {
    return std::min(milliseconds(std::int64_t{*retry_after_seconds} * 1000),
                    policy.max_retry_after);
  }
  const int shift = std::clamp(attempt - 1, 0, 30);
  const std::int64_t cap =
      std::min<std::int64_t>(policy.max_delay.count(), policy.base_delay.count() << shift);
  return milliseconds(cap <= 0 ? 0 : static_cast<std::int64_t>(random % (cap + 1)));
}

}  // namespace licmove
