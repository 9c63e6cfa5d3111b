// The API's routes and the parts of a request target: path templates with
// {params}, percent-decoding, query strings and list cursors. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/status.h"

namespace licmove::sim {

enum class RouteId {
  kMe,
  kCameras,
  kCamera,
  kActivate,
  kLicenses,
  kLicense,
  kSimState,
  kSimStats,
  kSimReset,
  kSimFaults,
  kSimClock,
};

struct RouteSpec {
  RouteId id;
  std::string_view path;  // segments in braces match any one non-empty segment
  std::vector<std::string_view> methods;
  // Those of `methods` whose request carries a JSON body (sent with
  // Content-Type: application/json, else 415); the others ignore a body.
  std::vector<std::string_view> body_methods;
};
bool TakesBody(const RouteSpec& spec, std::string_view method);

// Every route, /api/ and /sim/.
const std::vector<RouteSpec>& RouteSpecs();
bool IsSimRoute(RouteId id);

struct RouteMatch {
  const RouteSpec* spec = nullptr;  // null: no route has this path
  std::vector<std::string> params;  // decoded, in path order
  bool bad_encoding = false;        // `spec`'s path, but a parameter's %-escape is malformed
};
RouteMatch MatchRoute(std::string_view path);

// "GET /api/v1/accounts/{a}/cameras/{id}" for a request that matches that
// route; "GET (no route)" for one that matches none.
std::string RouteTemplate(std::string_view method, std::string_view target);
// Every route the server answers, "METHOD /path/{param}".
const std::vector<std::string>& RouteTemplates();

// nullopt for a malformed %-escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}; InvalidArgument for a malformed escape.
Result<std::unordered_map<std::string, std::string>> ParseQuery(std::string_view query);

// Cursors are opaque to clients: hex of "<list>:<last item>". Lists are in
// key order, so a page resumes after the last item even if the list changed.
std::string EncodeCursor(std::string_view list, std::string_view last);
// nullopt for a cursor that `list` did not hand out.
std::optional<std::string> DecodeCursor(std::string_view list, std::string_view cursor);

}  // namespace licmove::sim
