#include "portal_sim/routes.h"

#include <algorithm>

namespace licmove::sim {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

}  // namespace

const std::vector<RouteSpec>& RouteSpecs() {
  static const std::vector<RouteSpec> specs = {
      {RouteId::kMe, "/api/v1/me", {"GET"}, {}},
      {RouteId::kCameras, "/api/v1/accounts/{a}/cameras", {"GET", "POST"}, {"POST"}},
      {RouteId::kCamera, "/api/v1/accounts/{a}/cameras/{id}", {"GET", "DELETE"}, {}},
      {RouteId::kActivate,
       "/api/v1/accounts/{a}/cameras/{id}/services/{service}/activate",
       {"POST"},
       {"POST"}},
      {RouteId::kLicenses, "/api/v1/accounts/{a}/licenses", {"GET", "POST"}, {"POST"}},
      {RouteId::kLicense, "/api/v1/accounts/{a}/licenses/{key}", {"DELETE"}, {}},
      {RouteId::kSimState, "/sim/state", {"GET"}, {}},
      {RouteId::kSimStats, "/sim/stats", {"GET"}, {}},
      {RouteId::kSimReset, "/sim/reset", {"POST"}, {}},
      {RouteId::kSimFaults, "/sim/faults", {"GET", "PUT"}, {"PUT"}},
      {RouteId::kSimClock, "/sim/clock", {"GET", "POST"}, {"POST"}},
  };
  return specs;
}

bool TakesBody(const RouteSpec& spec, std::string_view method) {
  return std::find(spec.body_methods.begin(), spec.body_methods.end(), method) !=
         spec.body_methods.end();
}

// nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

RouteMatch MatchRoute(std::string_view path) {
  RouteMatch m;
  const std::vector<std::string_view> got = Split(path, '/');
  auto is_param = [](std::string_view segment) {
    return !segment.empty() && segment.front() == '{';
  };
  for (const RouteSpec& spec : RouteSpecs()) {
    const std::vector<std::string_view> want = Split(spec.path, '/');
    if (want.size() != got.size()) continue;
    // Literal segments first: a bad escape is the route's 400 only on a path
    // the route has; elsewhere it is no route (404).
    bool match = true;
    for (std::size_t i = 0; i < want.size() && match; ++i) {
      match = is_param(want[i]) || want[i] == got[i];
    }
    std::vector<std::string> params;
    for (std::size_t i = 0; i < want.size() && match; ++i) {
      if (!is_param(want[i])) continue;
      std::optional<std::string> value = PercentDecode(got[i], false);
      if (!value) {
        m.spec = &spec;
        m.bad_encoding = true;
        return m;
      }
      match = !value->empty();
      params.push_back(std::move(*value));
    }
    if (match) {
      m.spec = &spec;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

bool IsSimRoute(RouteId id) {
  return id == RouteId::kSimState || id == RouteId::kSimStats || id == RouteId::kSimReset ||
         id == RouteId::kSimFaults || id == RouteId::kSimClock;
}

std::string RouteTemplate(std::string_view method, std::string_view target) {
  const RouteMatch m = MatchRoute(target.substr(0, target.find('?')));
  std::string route(method);
  route += ' ';
  route += m.spec ? m.spec->path : "(no route)";
  return route;
}

const std::vector<std::string>& RouteTemplates() {
  static const std::vector<std::string> routes = [] {
    std::vector<std::string> r;
    for (const RouteSpec& spec : RouteSpecs()) {
      for (std::string_view method : spec.methods)
        r.push_back(std::string(method) + " " + std::string(spec.path));
    }
    return r;
  }();
  return routes;
}

Result<std::unordered_map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::unordered_map<std::string, std::string> params;
  if (query.empty()) return params;
  for (std::string_view part : Split(query, '&')) {
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto name = PercentDecode(part.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!name || !value) return Status::InvalidArgument("malformed percent-encoding in the query");
    params[*name] = *value;
  }
  return params;
}

// Cursors are opaque to clients: hex of "<list>:<last item>". Items are listed
// in key order, so a page resumes after the last item even if the list
// changed in between.
std::string EncodeCursor(std::string_view list, std::string_view last) {
  static const char kHex[] = "0123456789abcdef";
  std::string plain = std::string(list) + ":" + std::string(last);
  std::string out;
  for (unsigned char c : plain) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> DecodeCursor(std::string_view list, std::string_view cursor) {
  if (cursor.size() % 2 != 0) return std::nullopt;
  std::string plain;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    const int hi = HexValue(cursor[i]);
    const int lo = HexValue(cursor[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    plain.push_back(static_cast<char>(hi * 16 + lo));
  }
  const std::string prefix = std::string(list) + ":";
  if (plain.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return plain.substr(prefix.size());
}

}  // namespace licmove::sim
