// The check before anything changes: GET /api/v1/me says whether the token
// works, which accounts it may touch and whether it may mutate. A viewer
// token, a foreign account or a bad token fails here, before any mutation,
// with a message that says which and what to do. Transport failures, 429 and
// 502/503/504 are retried under `retry`, as every portal call is.
#pragma once

#include <string>

#include "model/status.h"
#include "portal/http_client.h"
#include "portal/portal_json.h"
#include "portal/retry_policy.h"

namespace licmove {

Result<PortalIdentity> Preflight(const HttpClientOptions& options, const std::string& account,
                                 bool need_admin, const RetryPolicy& retry = {});

}  // namespace licmove
