// Reads a whole account from the portal, page by page, into the same
// AccountSnapshot a fleet file gives, so that the planner cannot tell where
// its input came from.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "model/account.h"
#include "portal/http_client.h"
#include "portal/retry_policy.h"

namespace licmove {

// How the listings are walked. Each listing is a chain of pages (a page's
// cursor comes from the one before), so a chain costs one round trip a page;
// what can overlap is the chains.
enum class ReadOrder {
  // Three chains at once over the client's connection pool: /cameras,
  // /licenses?state=assigned and /licenses?state=pool. A 100,000-camera
  // account is then about as many round trips as its longest chain (~106
  // pages) instead of all of them one after another (~250).
  kConcurrent,
  // /cameras, then /licenses?state=all, one page at a time: the reference
  // the concurrent read is tested against.
  kSequential,
};

// The portal's largest page (the OpenAPI's `limit` maximum).
inline constexpr int kMaxPageSize = 1000;

// GETs the listings until next_cursor is null, each page retried under
// `retry` on transport failures, 429 and 502/503/504. `now` is the portal's
// clock, from the Date header of the last answer (the system clock if the
// portal sends none). Fails with a message naming the call on any non-2xx,
// when the pages disagree (the account changed while it was read: a license
// assigned to a camera id not listed, a key listed twice, a camera holding a
// key the license list lacks), and when the portal repeats a cursor or keeps
// sending empty pages (it would be read forever).
boost::asio::awaitable<Result<AccountSnapshot>> ReadAccount(
    HttpClient& http, const std::string& account, int page_size = kMaxPageSize,
    RetryPolicy retry = {}, ReadOrder order = ReadOrder::kConcurrent);

// The same on a private io_context, for commands that only read.
Result<AccountSnapshot> ReadAccountBlocking(const HttpClientOptions& options,
                                            const std::string& account,
                                            int page_size = kMaxPageSize, RetryPolicy retry = {},
                                            ReadOrder order = ReadOrder::kConcurrent);

}  // namespace licmove
