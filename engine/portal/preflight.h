// The check before anything changes: GET /api/v1/me says whether the token
// works, which accounts it may touch and whether it may mutate. A viewer
// token, a foreign account or a bad token fails here, before any mutation,
// with a message that says which and what to do.
#pragma once

#include <string>

#include "model/status.h"
#include "portal/http_client.h"
#include "portal/portal_json.h"

namespace licmove {

Result<PortalIdentity> Preflight(const HttpClientOptions& options, const std::string& account,
                                 bool need_admin);

}  // namespace licmove
