// schemas/portal-api.v1.yaml against the server, as a validating proxy would
// check it: the same routes both ways; every status the real server sends on
// each operation is documented there (schema, headers, an error code that
// belongs to the status), and every status documented there is one the
// server really sends; which calls take a body; the Idempotency-Key pattern;
// and examples for every request and answer, so that a mock built from the
// file alone answers sensibly. The OpenAPI linter itself runs as the ctest
// `openapi_lint`.
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "model/timestamp.h"
#include "portal_sim/routes.h"
#include "sim_fixture.h"

namespace licmove::sim::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const char* const kMethods[] = {"get", "post", "put", "delete", "patch", "head", "options"};

// The error codes each status may carry (docs/PORTAL_SIM.md, "Error codes").
const std::map<int, std::set<std::string>>& CodesByStatus() {
  static const std::map<int, std::set<std::string>> codes = {
      {400, {"bad_request"}},
      {401, {"unauthorized"}},
      {403, {"forbidden"}},
      {404, {"not_found", "unknown_key"}},
      {405, {"method_not_allowed"}},
      {409,
       {"camera_exists", "service_active", "no_license_in_pool", "license_assigned",
        "key_in_account", "license_expired"}},
      {413, {"payload_too_large"}},
      {415, {"unsupported_media_type"}},
      {422, {"idempotency_mismatch"}},
      {429, {"rate_limited"}},
      {500, {"internal"}},
      {503, {"unavailable"}},
  };
  return codes;
}

// YAML -> JSON. Plain scalars are resolved as YAML's core schema does (null,
// booleans, integers, floats); quoted ones stay strings.
json::value ToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json::object o;
      for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json::array a;
      for (const auto& item : n) a.push_back(ToJson(item));
      return a;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.as<std::string>();
      if (n.Tag() == "!") return json::value(s);  // quoted
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      static const std::regex kInteger("-?[0-9]+");
      static const std::regex kFloat(R"(-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)");
      if (std::regex_match(s, kInteger)) return json::value(std::stoll(s));
      if (std::regex_match(s, kFloat)) return json::value(std::stod(s));
      return json::value(s);
    }
    default:
      return nullptr;
  }
}

const json::value& Doc() {
  static const json::value doc =
      ToJson(YAML::LoadFile(std::string(LICMOVE_SOURCE_DIR) + "/schemas/portal-api.v1.yaml"));
  return doc;
}

const json::value& Resolve(const json::value& v) {
  const json::object* o = v.if_object();
  if (!o || !o->contains("$ref")) return v;
  std::string ref(o->at("$ref").as_string());  // "#/components/schemas/X"
  const json::value* at = &Doc();
  std::size_t pos = 2;
  while (pos < ref.size()) {
    const std::size_t slash = ref.find('/', pos);
    const std::string part =
        ref.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    at = &at->at(part);
    pos = slash == std::string::npos ? ref.size() : slash + 1;
  }
  return Resolve(*at);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void Validate(const json::value& schema_ref, const json::value& v, const std::string& where,
              std::vector<std::string>* errors) {
  const json::object& s = Resolve(schema_ref).as_object();
  auto fail = [&](const std::string& what) { errors->push_back(where + ": " + what); };
  if (v.is_null()) {
    if (!(s.contains("nullable") && s.at("nullable") == json::value(true)))
      fail("null but not nullable");
    return;
  }
  const std::string type = s.contains("type") ? std::string(s.at("type").as_string()) : "";
  if (type == "object") {
    if (!v.is_object()) return fail("not an object");
    const json::object& o = v.as_object();
    if (const json::value* required = s.if_contains("required")) {
      for (const auto& name : required->as_array()) {
        if (!o.contains(name.as_string())) fail("missing required field " + Str(name));
      }
    }
    const json::object* props =
        s.contains("properties") ? &s.at("properties").as_object() : nullptr;
    const json::value* extra = s.if_contains("additionalProperties");
    for (const auto& field : o) {
      const std::string name(field.key());
      if (props && props->contains(name)) {
        Validate(props->at(name), field.value(), where + "." + name, errors);
      } else if (extra && extra->is_object()) {
        Validate(*extra, field.value(), where + "." + name, errors);
      } else if (extra && *extra == json::value(false)) {
        fail("undocumented field " + name);
      }
    }
  } else if (type == "array") {
    if (!v.is_array()) return fail("not an array");
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
      Validate(s.at("items"), v.as_array()[i], where + "[" + std::to_string(i) + "]", errors);
    }
  } else if (type == "string") {
    if (!v.is_string()) return fail("not a string");
    if (s.contains("format") && s.at("format") == json::value("date-time") &&
        !ParseTimestamp(v.as_string())) {
      fail("not a date-time");
    }
    if (const json::value* min = s.if_contains("minLength");
        min && v.as_string().size() < min->to_number<std::size_t>()) {
      fail("shorter than minLength");
    }
  } else if (type == "integer") {
    if (!v.is_int64() && !v.is_uint64()) return fail("not an integer");
  } else if (type == "number") {
    if (!v.is_number()) return fail("not a number");
  } else if (type == "boolean") {
    if (!v.is_bool()) return fail("not a boolean");
  }
  if (const json::value* e = s.if_contains("enum")) {
    bool found = false;
    for (const auto& option : e->as_array()) found = found || option == v;
    if (!found) fail("value " + json::serialize(v) + " is not in the enum");
  }
  if (const json::value* min = s.if_contains("minimum"); min && v.is_number()) {
    if (v.to_number<double>() < min->to_number<double>()) fail("below the minimum");
  }
  if (const json::value* max = s.if_contains("maximum"); max && v.is_number()) {
    if (v.to_number<double>() > max->to_number<double>()) fail("above the maximum");
  }
}

std::vector<std::string> Errors(const json::value& schema, const json::value& v,
                                const std::string& where) {
  std::vector<std::string> errors;
  Validate(schema, v, where, &errors);
  return errors;
}

// "GET /api/v1/me" -> its operation object.
const json::object& Operation(const std::string& route) {
  const std::size_t space = route.find(' ');
  return Doc()
      .at("paths")
      .at(route.substr(space + 1))
      .at(Lower(route.substr(0, space)))
      .as_object();
}

std::set<std::string> RoutesInFile() {
  std::set<std::string> routes;
  for (const auto& [path, item] : Doc().at("paths").as_object()) {
    for (const char* method : kMethods) {
      if (item.as_object().contains(method)) routes.insert(Upper(method) + " " + std::string(path));
    }
  }
  return routes;
}

std::set<int> DocumentedStatuses(const std::string& route) {
  std::set<int> statuses;
  for (const auto& [status, response] : Operation(route).at("responses").as_object())
    statuses.insert(std::stoi(std::string(status)));
  return statuses;
}

// Headers every answer may carry without the file naming them.
bool IsGeneralHeader(const std::string& lower_name) {
  return lower_name == "content-type" || lower_name == "content-length" || lower_name == "date" ||
         lower_name == "connection";
}

// Checks a real answer against what the file documents for that route and
// status: the status, its headers both ways (required ones present, none
// undocumented), its body's schema, and an error code that belongs to the
// status. An answer to HEAD is checked without a body: it must have none.
void ExpectDocumented(const std::string& route, const HttpReply& reply, bool head = false) {
  SCOPED_TRACE(route + " -> " + std::to_string(reply.status) + " " + reply.body);
  const json::object& responses = Operation(route).at("responses").as_object();
  const std::string status = std::to_string(reply.status);
  ASSERT_TRUE(responses.contains(status)) << "status " << status << " is not documented";
  const json::object& response = Resolve(responses.at(status)).as_object();
  std::set<std::string> documented;
  if (const json::value* headers = response.if_contains("headers")) {
    for (const auto& [name, header] : headers->as_object()) {
      documented.insert(Lower(std::string(name)));
      const json::value& h = Resolve(header);
      if (h.as_object().contains("required") && h.at("required") == json::value(true)) {
        EXPECT_EQ(reply.headers.count(Lower(std::string(name))), 1u)
            << "required header " << std::string(name) << " missing";
      }
    }
  }
  for (const auto& [name, value] : reply.headers) {
    EXPECT_TRUE(IsGeneralHeader(name) || documented.count(name))
        << "header " << name << ": " << value << " is not documented";
  }
  const json::object& content = response.at("content").as_object();
  ASSERT_TRUE(content.contains("application/json"));
  if (head) {
    EXPECT_EQ(reply.body, "");
    return;
  }
  EXPECT_EQ(reply.headers.at("content-type"), "application/json");
  for (const std::string& e :
       Errors(content.at("application/json").at("schema"), reply.json(), "body")) {
    ADD_FAILURE() << e;
  }
  if (reply.status >= 400) {
    EXPECT_EQ(CodesByStatus().at(reply.status).count(reply.error_code()), 1u)
        << "code '" << reply.error_code() << "' does not belong to status " << status;
  }
}

// Concrete values for the path parameters, from rules.yaml.
std::string Target(const std::string& path_template,
                   const std::map<std::string, std::string>& values = {}) {
  std::map<std::string, std::string> all = {{"{a}", "acme"},
                                            {"{id}", "c-000003"},
                                            {"{service}", "alarm-management"},
                                            {"{key}", "AM-1Y-NEW"}};
  for (const auto& [param, value] : values) all[param] = value;
  std::string t = path_template;
  for (const auto& [param, value] : all) {
    if (auto at = t.find(param); at != std::string::npos) t.replace(at, param.size(), value);
  }
  return t;
}

std::string PathOf(const std::string& route) {
  return route.substr(route.find(' ') + 1);
}
std::string MethodOf(const std::string& route) {
  return route.substr(0, route.find(' '));
}
bool IsApi(const std::string& route) {
  return PathOf(route).rfind("/api/", 0) == 0;
}
bool IsMutation(const std::string& route) {
  return IsApi(route) && MethodOf(route) != "GET";
}
bool TakesBodyInFile(const std::string& route) {
  return Operation(route).contains("requestBody");
}

std::string BodyFor(const std::string& route) {
  if (route == "POST /api/v1/accounts/{a}/cameras")
    return R"({"serial":"NEW-1","name":"n","site":"s"})";
  if (route == "POST /api/v1/accounts/{a}/licenses") return R"({"key":"REG-AM-5Y"})";
  if (route.find("/activate") != std::string::npos) return R"({"auto_renew":true})";
  if (route == "PUT /sim/faults") return R"({"latency_ms":0})";
  if (route == "POST /sim/clock") return R"({"advance_seconds":86400})";
  return "";
}

// A valid body for the same call that is another request than BodyFor's.
std::string OtherBodyFor(const std::string& route) {
  if (route == "POST /api/v1/accounts/{a}/cameras") return R"({"serial":"OTHER-1"})";
  if (route == "POST /api/v1/accounts/{a}/licenses") return R"({"key":"REG-AM-USED"})";
  if (route.find("/activate") != std::string::npos) return R"({"auto_renew":false})";
  return "";
}

// Every status each operation answered, as the matrix test saw them.
class Observed {
 public:
  void Check(const std::string& route, const HttpReply& reply, bool head = false) {
    ExpectDocumented(route, reply, head);
    seen_[route].insert(reply.status);
  }
  void Check(const std::string& route, const Result<HttpReply>& reply) {
    ASSERT_TRUE(reply.ok()) << route << ": " << reply.status().ToString();
    Check(route, *reply);
  }
  const std::set<int>& seen(const std::string& route) { return seen_[route]; }

 private:
  std::map<std::string, std::set<int>> seen_;
};

TEST(OpenApiTest, TheFileAndTheServerHaveTheSameRoutes) {
  const std::vector<std::string>& server = RouteTemplates();
  EXPECT_EQ(RoutesInFile(), std::set<std::string>(server.begin(), server.end()));
}

TEST(OpenApiTest, EveryOperationHasAnIdAndEveryMutationTakesAnIdempotencyKey) {
  for (const std::string& route : RoutesInFile()) {
    const json::object& op = Operation(route);
    EXPECT_TRUE(op.contains("operationId")) << route;
    if (!IsMutation(route)) continue;
    bool keyed = false;
    for (const auto& p : op.at("parameters").as_array())
      keyed = keyed || Resolve(p).at("name") == "Idempotency-Key";
    EXPECT_TRUE(keyed) << route;
  }
}

// The calls the file gives a requestBody are those the server reads one
// from, and the only media type they take is application/json.
TEST(OpenApiTest, TheFileAndTheServerAgreeOnWhichCallsTakeAJsonBody) {
  for (const RouteSpec& spec : RouteSpecs()) {
    for (std::string_view method : spec.methods) {
      const std::string route = std::string(method) + " " + std::string(spec.path);
      EXPECT_EQ(TakesBodyInFile(route), TakesBody(spec, method)) << route;
      if (!TakesBodyInFile(route)) continue;
      const json::object& content =
          Resolve(Operation(route).at("requestBody")).at("content").as_object();
      EXPECT_EQ(content.size(), 1u) << route;
      EXPECT_TRUE(content.contains("application/json")) << route;
    }
  }
}

// The documented key is exactly what the server takes: the file's pattern
// and lengths accept a key if and only if the server does not answer 400.
TEST(OpenApiTest, TheIdempotencyKeyPatternIsWhatTheServerAccepts) {
  const json::value& key = Resolve(Doc().at("components").at("parameters").at("IdempotencyKey"));
  const json::object& schema = key.at("schema").as_object();
  ASSERT_TRUE(schema.contains("pattern")) << "the Idempotency-Key has no pattern";
  const std::regex pattern(std::string(schema.at("pattern").as_string()));
  const std::size_t min = schema.at("minLength").to_number<std::size_t>();
  const std::size_t max = schema.at("maxLength").to_number<std::size_t>();

  auto sim = StartSim(RulesOptions());
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  int n = 0;
  for (const std::string& candidate :
       {std::string("k"), std::string("A-z_0.9~!#$%&'*+/=?@[]^`{|}"), std::string(255, 'k'),
        std::string(256, 'k'), std::string("a b"), std::string("caf\xc3\xa9"),
        std::string("tab\there"), std::string("quote\"d"), std::string("x\x80y")}) {
    const bool documented =
        std::regex_search(candidate, pattern) && candidate.size() >= min && candidate.size() <= max;
    Result<HttpReply> r = admin.Send("POST", "/api/v1/accounts/acme/cameras",
                                     R"({"serial":"IK-)" + std::to_string(++n) + R"("})",
                                     {{"Idempotency-Key", candidate}});
    ASSERT_TRUE(r.ok()) << candidate;
    EXPECT_EQ(r->status != 400, documented) << "'" << candidate << "' -> " << r->body;
  }
}

// Successes, each call on a fresh state.
void ProbeSuccesses(const std::set<std::string>& routes, Observed* seen) {
  for (const std::string& route : routes) {
    auto sim = StartSim(RulesOptions());
    ASSERT_NE(sim, nullptr);
    TestClient admin(sim->port(), "admin-token");
    Result<HttpReply> r = admin.Send(MethodOf(route), Target(PathOf(route)), BodyFor(route));
    ASSERT_TRUE(r.ok()) << route;
    EXPECT_LT(r->status, 300) << route << ": " << r->body;
    seen->Check(route, *r);
  }
}

// What the rules refuse, first and replayed (a refusal is recorded under its
// Idempotency-Key and comes back with Idempotent-Replayed), and malformed
// queries and bodies.
void ProbeRefusals(Observed* seen) {
  auto sim = StartSim(RulesOptions());
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  struct Refusal {
    std::string route, target, body;
  };
  const std::string cameras = "POST /api/v1/accounts/{a}/cameras";
  const std::string camera = "/api/v1/accounts/{a}/cameras/{id}";
  const std::string activate = "POST /api/v1/accounts/{a}/cameras/{id}/services/{service}/activate";
  const std::string licenses = "POST /api/v1/accounts/{a}/licenses";
  const std::string license = "DELETE /api/v1/accounts/{a}/licenses/{key}";
  int n = 0;
  for (const Refusal& r : std::vector<Refusal>{
           {cameras, "", R"({"serial":"CAM-1"})"},                                 // 409
           {"DELETE " + camera, Target(camera, {{"{id}", "none"}}), ""},           // 404
           {activate, Target(PathOf(activate), {{"{id}", "none"}}), "{}"},         // 404
           {activate, Target(PathOf(activate), {{"{id}", "fleet-cam-1"}}), "{}"},  // 409
           {licenses, "", R"({"key":"NOPE"})"},                                    // 404
           {licenses, "", R"({"key":"AM-1Y-NEW"})"},                               // 409
           {license, Target(PathOf(license), {{"{key}", "NO-SUCH"}}), ""},         // 404
           {license, Target(PathOf(license), {{"{key}", "AM-5Y-HELD"}}), ""},      // 409
       }) {
    const std::string target = r.target.empty() ? Target(PathOf(r.route)) : r.target;
    const Headers key = {{"Idempotency-Key", "refusal-" + std::to_string(++n)}};
    Result<HttpReply> first = admin.Send(MethodOf(r.route), target, r.body, key);
    seen->Check(r.route, first);
    Result<HttpReply> replay = admin.Send(MethodOf(r.route), target, r.body, key);
    seen->Check(r.route, replay);
    ASSERT_TRUE(first.ok() && replay.ok());
    EXPECT_EQ(replay->headers["idempotent-replayed"], "true") << r.route;
    EXPECT_EQ(replay->status, first->status) << r.route;
  }
  seen->Check("GET " + camera, admin.Get(Target(camera, {{"{id}", "none"}})));  // 404
  seen->Check("GET /api/v1/accounts/{a}/cameras",
              admin.Get("/api/v1/accounts/acme/cameras?limit=0"));
  seen->Check("GET /api/v1/accounts/{a}/licenses",
              admin.Get("/api/v1/accounts/acme/licenses?state=parked"));
  seen->Check(cameras, admin.Post(Target(PathOf(cameras)), "{}"));
  seen->Check(activate, admin.Post(Target(PathOf(activate)), R"({"auto_renew":"yes"})"));
  seen->Check(licenses, admin.Post(Target(PathOf(licenses)), "{}"));
  seen->Check("PUT /sim/faults", admin.Send("PUT", "/sim/faults", R"({"drop_rate":3})"));
  seen->Check("POST /sim/clock", admin.Send("POST", "/sim/clock", R"({"advance_seconds":-1})"));
  // An expired key: unpark is 409 license_expired (REG-AM-USED ran out 2026-06-01).
  seen->Check("POST /sim/clock",
              admin.Send("POST", "/sim/clock", R"({"to":"2026-06-01T00:00:00Z"})"));
  seen->Check(licenses, admin.Post(Target(PathOf(licenses)), R"({"key":"REG-AM-USED"})"));
}

// What every call of a kind answers before the rules run: 413 on any call,
// 415, 400 for a bad escape, 401, 404 and 403 for the account, 403 for a
// viewer, 400 and 422 for Idempotency-Keys; and 405 with Allow on every path
// for every method it does not take (HEAD too, without content).
void ProbeGuards(const std::set<std::string>& routes, Observed* seen) {
  auto sim = StartSim(RulesOptions());
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  TestClient viewer(sim->port(), "viewer-token");
  TestClient globex(sim->port(), "globex-token");
  TestClient anonymous(sim->port());
  const std::string huge(2 << 20, ' ');
  std::map<std::string, std::set<std::string>> methods_of_path;
  int mutations = 0;
  for (const std::string& route : routes) {
    const std::string method = MethodOf(route);
    const std::string path = PathOf(route);
    const std::string target = Target(path);
    const std::string body = BodyFor(route);
    methods_of_path[path].insert(method);
    seen->Check(route, admin.Send(method, target, huge));  // 413
    if (TakesBodyInFile(route)) {                          // 415
      seen->Check(route, admin.Send(method, target, body, {{"Content-Type", "text/plain"}}));
    }
    if (const std::size_t open = path.rfind('{'); open != std::string::npos) {  // 400
      const std::string param = path.substr(open, path.find('}', open) - open + 1);
      seen->Check(route, admin.Send(method, Target(path, {{param, "bad%zz"}}), body));
    }
    if (!IsApi(route)) continue;
    seen->Check(route, anonymous.Send(method, target, body));  // 401
    if (path.find("{a}") != std::string::npos) {
      seen->Check(route, admin.Send(method, Target(path, {{"{a}", "nope"}}), body));  // 404
      seen->Check(route, globex.Send(method, target, body));  // 403: not its account
    }
    if (!IsMutation(route)) continue;
    seen->Check(route, viewer.Send(method, target, body));                               // 403
    seen->Check(route, admin.Send(method, target, body, {{"Idempotency-Key", "a b"}}));  // 400
    // 422: the same key for another request (another body, or another target).
    const Headers key = {{"Idempotency-Key", "mismatch-" + std::to_string(++mutations)}};
    seen->Check(route, admin.Send(method, target, body, key));
    seen->Check(route, body.empty() ? admin.Send(method, target + "-other", "", key)
                                    : admin.Send(method, target, OtherBodyFor(route), key));
  }
  for (const auto& [path, allowed] : methods_of_path) {
    for (const char* lower : kMethods) {
      const std::string method = Upper(lower);
      if (allowed.count(method)) continue;
      Result<HttpReply> r = anonymous.Send(method, Target(path));
      ASSERT_TRUE(r.ok()) << method << " " << path;
      for (const std::string& documented : allowed)
        seen->Check(documented + " " + path, *r, method == "HEAD");
    }
  }
}

// Injected faults: 503 and 429 on every /api/ call.
void ProbeFaults(const std::set<std::string>& routes, Observed* seen) {
  FaultOptions f;
  f.error_rate = 1;
  SimOptions o = RulesOptions();
  o.faults = f;
  auto sim = StartSim(o);
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  for (const std::string& route : routes) {
    if (!IsApi(route)) continue;
    seen->Check(route, admin.Send(MethodOf(route), Target(PathOf(route)), BodyFor(route)));
  }
  f.error_rate = 0;
  f.rate_limit = 1;
  for (const std::string& route : routes) {
    if (!IsApi(route)) continue;
    ASSERT_TRUE(sim->SetFaults(f).ok());  // a full bucket of one
    // Back-to-back calls meet the empty bucket long before a second has
    // passed (bounded, so a stalled machine cannot loop).
    HttpReply limited;
    for (int i = 0; i < 1000 && limited.status != 429; ++i) {
      Result<HttpReply> r = admin.Send(MethodOf(route), Target(PathOf(route)), BodyFor(route));
      ASSERT_TRUE(r.ok()) << route;
      limited = *r;
      seen->Check(route, limited);
    }
  }
}

// 500: a state dir that cannot be written. A directory in the way of the
// reset's temp file makes the reset fail, and the log's error sticks: every
// mutation that writes the log fails from then on.
void ProbeBrokenStateDir(const std::set<std::string>& routes, Observed* seen) {
  std::string templ = (fs::temp_directory_path() / "openapi-broken-XXXXXX").string();
  const fs::path dir = ::mkdtemp(templ.data());
  {
    SimOptions o = RulesOptions();
    o.state_dir = dir.string();
    auto sim = StartSim(o);
    ASSERT_NE(sim, nullptr);
    fs::create_directory(dir / "portal-sim.log.tmp");
    TestClient admin(sim->port(), "admin-token");
    seen->Check("POST /sim/reset", admin.Send("POST", "/sim/reset"));
    seen->Check("POST /sim/clock", admin.Send("POST", "/sim/clock", BodyFor("POST /sim/clock")));
    int n = 0;  // keyed: whatever the rules answer is written, and that fails
    for (const std::string& route : routes) {
      if (!IsMutation(route)) continue;
      seen->Check(route, admin.Send(MethodOf(route), Target(PathOf(route)), BodyFor(route),
                                    {{"Idempotency-Key", "broken-" + std::to_string(++n)}}));
    }
  }
  fs::remove_all(dir);
}

// Every status the real server sends on each operation is documented there,
// with its headers and an error code that belongs to it; and every status
// documented is one the server really sends.
TEST(OpenApiTest, EveryStatusTheServerSendsIsDocumentedAndEveryDocumentedOneIsSent) {
  Observed seen;
  const std::set<std::string> routes = RoutesInFile();
  ProbeSuccesses(routes, &seen);
  ProbeRefusals(&seen);
  ProbeGuards(routes, &seen);
  ProbeFaults(routes, &seen);
  ProbeBrokenStateDir(routes, &seen);
  for (const std::string& route : routes) {
    EXPECT_EQ(seen.seen(route), DocumentedStatuses(route))
        << route << ": the statuses the server sent (left) and the documented ones (right)";
  }
}

// What a mock built from the file alone serves: every request body and every
// answer has examples, they match their schemas, an error example's code
// belongs to its status, and a page's first example is the last page (a
// client paging through a mock ends).
TEST(OpenApiTest, EveryOperationHasExamplesThatMatchTheirSchemasAndStatuses) {
  auto examples_of = [](const json::object& media) {
    std::vector<json::value> out;
    if (const json::value* e = media.if_contains("example")) out.push_back(*e);
    if (const json::value* named = media.if_contains("examples")) {
      for (const auto& [name, example] : named->as_object())
        out.push_back(Resolve(example).at("value"));
    }
    return out;
  };
  for (const std::string& route : RoutesInFile()) {
    SCOPED_TRACE(route);
    const json::object& op = Operation(route);
    if (op.contains("requestBody")) {
      const json::object& media =
          Resolve(op.at("requestBody")).at("content").at("application/json").as_object();
      const std::vector<json::value> examples = examples_of(media);
      EXPECT_FALSE(examples.empty()) << "no request example";
      for (const json::value& e : examples) {
        for (const std::string& error : Errors(media.at("schema"), e, "request example"))
          ADD_FAILURE() << error;
      }
    }
    for (const auto& [status_text, response_ref] : op.at("responses").as_object()) {
      const int status = std::stoi(std::string(status_text));
      SCOPED_TRACE(std::to_string(status));
      const json::object& media =
          Resolve(response_ref).at("content").at("application/json").as_object();
      const std::vector<json::value> examples = examples_of(media);
      EXPECT_FALSE(examples.empty()) << "no example";
      const json::object& schema = Resolve(media.at("schema")).as_object();
      for (const json::value& e : examples) {
        for (const std::string& error : Errors(media.at("schema"), e, "example"))
          ADD_FAILURE() << error;
      }
      if (status >= 400) {
        // The schema itself allows only the status's codes: a mock that
        // makes up a body from it cannot contradict the status either.
        std::set<std::string> codes;
        for (const auto& c :
             schema.at("properties").at("error").at("properties").at("code").at("enum").as_array())
          codes.insert(Str(c));
        EXPECT_EQ(codes, CodesByStatus().at(status));
        for (const json::value& e : examples) {
          EXPECT_EQ(CodesByStatus().at(status).count(Str(e.at("error").at("code"))), 1u)
              << json::serialize(e);
        }
      }
      if (schema.contains("properties") &&
          schema.at("properties").as_object().contains("next_cursor") && !examples.empty()) {
        EXPECT_TRUE(examples.front().at("next_cursor").is_null())
            << "the first example of a page must be the last page";
      }
    }
  }
}

}  // namespace
}  // namespace licmove::sim::testing
