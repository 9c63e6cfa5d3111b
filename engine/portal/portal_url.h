// Where the portal is: parsed from --portal. Deciding whether plain HTTP is
// acceptable lives here so that every command applies the same policy.
#pragma once

#include <string>

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

// Accepts http://HOST[:PORT][/PATH], https://... and sim://FLEET.yaml.
// Plain http to a host that is not loopback is refused unless
// `allow_insecure_http`: a bearer token would cross the network in clear.
Result<PortalUrl> ParsePortalUrl(const std::string& text, bool allow_insecure_http);

}  // namespace licmove
