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

// GET /cameras and /licenses?state=all until next_cursor is null, each page
// retried under `retry` on transport failures, 429 and 502/503/504. `now` is the
// portal's clock, from the Date header of the last answer (the system clock if
// the portal sends none). Fails with a message naming the call on any non-2xx,
// when the pages disagree (a license assigned to a camera id not listed: the
// account changed while it was read), and when the portal repeats a cursor or
// keeps sending empty pages (it would be read forever).
boost::asio::awaitable<Result<AccountSnapshot>> ReadAccount(HttpClient& http,
                                                            const std::string& account,
                                                            int page_size = 1000,
                                                            RetryPolicy retry = {});

// The same on a private io_context, for commands that only read.
Result<AccountSnapshot> ReadAccountBlocking(const HttpClientOptions& options,
                                            const std::string& account, int page_size = 1000,
                                            RetryPolicy retry = {});

}  // namespace licmove
