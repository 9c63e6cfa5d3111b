#include "portal/portal_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace licmove {

std::string RedactUrl(std::string_view text) {
  constexpr std::string_view kHidden = "***";
  const std::size_t scheme_end = text.find("://");
  const std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::string out(text.substr(0, authority));
  // The last '@' anywhere: a password may hold a raw '/', '?' or '#', and
  // hiding too much of a URL that has '@' in its path costs nothing here.
  std::string_view rest = text.substr(authority);
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    out += kHidden;
    rest.remove_prefix(at);
  }
  const std::size_t tail = rest.find_first_of("?#");
  out += rest.substr(0, tail);
  if (tail != std::string_view::npos) {
    out += rest[tail];
    out += kHidden;
  }
  return out;
}

bool PortalUrl::IsLoopback() const {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

std::string PortalUrl::ToString() const {
  switch (scheme) {
    case Scheme::kSim:
      return "sim://" + sim_fleet;
    case Scheme::kHttp:
      return "http://" + host + ":" + port + base_path;
    case Scheme::kHttps:
      return "https://" + host + ":" + port + base_path;
  }
  return "";
}

Result<PortalUrl> ParsePortalUrl(const std::string& text, bool allow_insecure_http) {
  PortalUrl out;
  const std::string sim_prefix = "sim://";
  if (text.rfind(sim_prefix, 0) == 0) {
    out.scheme = PortalUrl::Scheme::kSim;
    out.sim_fleet = text.substr(sim_prefix.size());
    if (out.sim_fleet.empty()) {
      return Status::InvalidArgument("--portal sim:// needs a fleet file: sim://FLEET.yaml");
    }
    return out;
  }
  // Every message names the URL as `shown`: it is printed, and CI logs keep it.
  const std::string shown = "--portal " + RedactUrl(text);
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    return Status::InvalidArgument(shown +
                                   ": not a URL (expected http(s)://HOST[:PORT] or sim://FLEET)");
  }
  const boost::urls::url_view& u = *parsed;
  const std::string scheme(u.scheme());
  if (scheme == "https") {
    out.scheme = PortalUrl::Scheme::kHttps;
    out.port = "443";
  } else if (scheme == "http") {
    out.scheme = PortalUrl::Scheme::kHttp;
    out.port = "80";
  } else {
    return Status::InvalidArgument(shown + ": scheme must be http, https or sim");
  }
  out.host = std::string(u.host_address());
  if (out.host.empty()) return Status::InvalidArgument(shown + ": no host");
  if (u.has_port()) out.port = std::string(u.port());
  out.base_path = std::string(u.encoded_path());
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  // An '@' anywhere is user info, even one a raw '/' in a password hid from
  // the URL grammar (which would read "user" as the host).
  if (u.has_query() || u.has_fragment() || u.has_userinfo() ||
      text.find('@') != std::string::npos) {
    return Status::InvalidArgument(shown +
                                   ": no user, query or fragment allowed in the portal URL");
  }
  if (out.scheme == PortalUrl::Scheme::kHttp && !out.IsLoopback() && !allow_insecure_http) {
    return Status::InvalidArgument(
        shown +
        ": plain http to a host that is not loopback would send the token in clear; use https, "
        "or pass --insecure-http if you really mean it");
  }
  return out;
}

}  // namespace licmove
