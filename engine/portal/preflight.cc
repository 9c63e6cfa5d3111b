#include "portal/preflight.h"

#include <algorithm>

#include "portal/retrying_send.h"

namespace licmove {

Result<PortalIdentity> Preflight(const HttpClientOptions& options, const std::string& account,
                                 bool need_admin, const RetryPolicy& retry) {
  HttpRequest request;
  request.target = "/api/v1/me";
  const RetriedResponse sent = SendBlockingWithRetry(options, std::move(request), retry);
  const Result<HttpResponse>& answer = sent.response;
  const std::string where = options.url.ToString();
  if (!answer.ok()) {
    return Status::Unavailable("cannot reach the portal at " + where + ": " +
                               answer.status().message() + " (GET /api/v1/me, " +
                               std::to_string(sent.attempts) + " attempts)");
  }
  const HttpResponse& res = answer.value();
  if (res.status == 401) {
    return Status::PermissionDenied("the portal at " + where +
                                    " does not accept the token (401): check --token-file or "
                                    "LICMOVE_TOKEN");
  }
  if (res.status != 200) return DecodeError(res.status, res.body, "GET /api/v1/me");
  auto me = DecodeIdentity(res.body);
  if (!me.ok()) return me.status();
  if (std::find(me->accounts.begin(), me->accounts.end(), account) == me->accounts.end()) {
    return Status::PermissionDenied("the token of " + me->user + " has no access to account " +
                                    account + " (it may use: " +
                                    (me->accounts.empty() ? std::string("none") : [&] {
                                      std::string s;
                                      for (const auto& a : me->accounts) {
                                        s += (s.empty() ? "" : ", ") + a;
                                      }
                                      return s;
                                    }()) +
                                    ")");
  }
  if (need_admin && me->role != "admin") {
    return Status::PermissionDenied("the token of " + me->user + " has the role " + me->role +
                                    ": changing licenses needs an admin token (a viewer token is "
                                    "enough for `licmove plan`)");
  }
  return me;
}

}  // namespace licmove
