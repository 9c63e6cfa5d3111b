// Where the portal is: parsed from --portal. Deciding whether plain HTTP is
// acceptable lives here so that every command applies the same policy.
#pragma once

#include <string>
#include <string_view>

#include "model/status.h"

namespace licmove {

struct PortalUrl {
  enum class Scheme { kHttp, kHttps, kSim };
  Scheme scheme = Scheme::kHttps;
  std::string host;       // empty for sim://
  std::string port;       // "443", "80" or explicit
  std::string base_path;  // "" or "/prefix" (no trailing slash)
  std::string sim_fleet;  // sim://FLEET.yaml: the fleet file path

  bool IsLoopback() const;
  std::string ToString() const;  // "https://host:port/prefix"
};

// `text` as it may be shown: whatever could be a credential (user info such
// as user:password@ or a token as the user, the query, the fragment) becomes
// "***". Works on text that is not a URL too: "https://***@host/path?***".
std::string RedactUrl(std::string_view text);

// Accepts http://HOST[:PORT][/PATH], https://... and sim://FLEET.yaml.
// Refusals name the URL as RedactUrl shows it.
// Plain http to a host that is not loopback is refused unless
// `allow_insecure_http`: a bearer token would cross the network in clear.
Result<PortalUrl> ParsePortalUrl(const std::string& text, bool allow_insecure_http);

}  // namespace licmove
