#include "portal/retrying_send.h"

#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace licmove {

namespace asio = boost::asio;

namespace {

asio::awaitable<void> Sleep(std::chrono::steady_clock::duration d) {
  if (d <= std::chrono::steady_clock::duration::zero()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

asio::awaitable<RetriedResponse> SendWithRetry(HttpClient& http, HttpRequest request,
                                               const RetryPolicy& policy, std::mt19937_64& random,
                                               RetryHooks hooks) {
  RetriedResponse out{Status::Internal("not sent"), 0};
  for (int attempt = 1;; ++attempt) {
    if (hooks.before_attempt) co_await Sleep(hooks.before_attempt());
    out.attempts = attempt;
    // A named copy, moved in: g++ 12 destroys a braced temporary passed to a
    // coroutine twice.
    HttpRequest copy = request;
    copy.attempt = attempt;
    out.response = co_await http.Send(std::move(copy));
    const Result<HttpResponse>& res = out.response;
    const unsigned status = res.ok() ? res->status : 0;
    if (hooks.after_attempt) hooks.after_attempt(status);
    if (!IsRetryable(status) || attempt >= policy.max_attempts) co_return out;
    const std::chrono::milliseconds delay =
        RetryDelay(policy, attempt, res.ok() ? res->retry_after_seconds : std::nullopt, random());
    if (hooks.on_retry) {
      hooks.on_retry(attempt, res.ok() ? "HTTP " + std::to_string(status) : res.status().message(),
                     delay);
    }
    co_await Sleep(delay);
  }
}

RetriedResponse SendBlockingWithRetry(const HttpClientOptions& options, HttpRequest request,
                                      const RetryPolicy& policy) {
  asio::io_context io;
  HttpClient client(io.get_executor(), options);
  std::mt19937_64 random(std::random_device{}());
  RetriedResponse out{Status::Internal("the request was never completed"), 0};
  asio::co_spawn(io, SendWithRetry(client, std::move(request), policy, random),
                 [&out](std::exception_ptr e, RetriedResponse r) {
                   if (!e) out = std::move(r);
                 });
  io.run();
  return out;
}

}  // namespace licmove
