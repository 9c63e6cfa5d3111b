// Every portal call licmove makes goes through one retry loop: the
// preflight, account pages, reconciliation reads and the executor's
// mutations alike. What is retried and how long to wait is RetryPolicy's
// (retry_policy.h); this is the loop that applies it to real requests.
#pragma once

#include <chrono>
#include <functional>
#include <random>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "model/status.h"
#include "portal/http_client.h"
#include "portal/retry_policy.h"

namespace licmove {

// Optional hooks for a caller that paces or reports its calls.
struct RetryHooks {
  // Before every attempt: how long to wait first (a rate limiter's answer).
  std::function<std::chrono::steady_clock::duration()> before_attempt;
  // After every attempt, with its HTTP status (0: no answer): an adaptive
  // limit learns from each one, retried or not.
  std::function<void(unsigned http_status)> after_attempt;
  // After a failed attempt that will be retried after `delay`; `why` is
  // "HTTP 503" or the transport error.
  std::function<void(int attempt, const std::string& why, std::chrono::milliseconds delay)>
      on_retry;
};

struct RetriedResponse {
  Result<HttpResponse> response;  // the last attempt's
  int attempts = 0;
};

// Sends `request` until an answer that is not retryable, or until the
// policy's attempts are used up. A mutation must carry its Idempotency-Key in
// `request` so that every attempt is the same request to the portal.
// `hooks` is taken by value: the coroutine may outlive the caller's
// expression (co_spawn), and a reference to a temporary would dangle. The
// rest must outlive the coroutine.
boost::asio::awaitable<RetriedResponse> SendWithRetry(HttpClient& http, HttpRequest request,
                                                      const RetryPolicy& policy,
                                                      std::mt19937_64& random,
                                                      RetryHooks hooks = {});

// The same on a private io_context, for the few synchronous calls.
RetriedResponse SendBlockingWithRetry(const HttpClientOptions& options, HttpRequest request,
                                      const RetryPolicy& policy = {});

}  // namespace licmove
