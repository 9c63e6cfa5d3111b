// schemas/portal-api.v1.yaml against the server: the same routes both ways,
// and real answers (successes and every error status) checked against the
// documented schemas, required fields, nullability, enums, extra fields and
// headers. The OpenAPI linter itself runs as the ctest `openapi_lint`.
#include <yaml-cpp/yaml.h>

#include <set>

#include "model/timestamp.h"
#include "portal_sim/routes.h"
#include "sim_fixture.h"

namespace licmove::sim::testing {
namespace {

namespace json = boost::json;

const char* const kMethods[] = {"get", "post", "put", "delete", "patch"};

// YAML -> JSON; scalars stay strings except true/false.
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
      if (s == "true") return true;
      if (s == "false") return false;
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

double Number(const json::value& v) {
  return v.is_string() ? std::stod(std::string(v.as_string())) : v.to_number<double>();
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
  } else if (type == "integer") {
    if (!v.is_int64() && !v.is_uint64()) return fail("not an integer");
  } else if (type == "number") {
    if (!v.is_number()) return fail("not a number");
  } else if (type == "boolean") {
    if (!v.is_bool()) return fail("not a boolean");
  }
  if (const json::value* e = s.if_contains("enum")) {
    const json::value as_text = v.is_string() ? v : json::value(json::serialize(v));
    bool found = false;
    for (const auto& option : e->as_array()) found = found || option == as_text;
    if (!found) fail("value " + json::serialize(v) + " is not in the enum");
  }
  if (const json::value* min = s.if_contains("minimum"); min && v.is_number()) {
    if (v.to_number<double>() < Number(*min)) fail("below the minimum");
  }
}

std::set<std::string> RoutesInFile() {
  std::set<std::string> routes;
  for (const auto& [path, item] : Doc().at("paths").as_object()) {
    for (const char* method : kMethods) {
      if (item.as_object().contains(method)) {
        std::string m = method;
        for (char& c : m) c = static_cast<char>(std::toupper(c));
        routes.insert(m + " " + std::string(path));
      }
    }
  }
  return routes;
}

// Checks a real answer against what the file documents for that route and status.
void ExpectDocumented(const std::string& route, const HttpReply& reply) {
  SCOPED_TRACE(route + " -> " + std::to_string(reply.status) + " " + reply.body);
  const std::size_t space = route.find(' ');
  std::string method = route.substr(0, space);
  for (char& c : method) c = static_cast<char>(std::tolower(c));
  const json::value& op = Doc().at("paths").at(route.substr(space + 1)).at(method);
  const json::object& responses = op.at("responses").as_object();
  const std::string status = std::to_string(reply.status);
  ASSERT_TRUE(responses.contains(status)) << "status " << status << " is not documented";
  const json::object& response = Resolve(responses.at(status)).as_object();
  if (const json::value* headers = response.if_contains("headers")) {
    for (const auto& [name, header] : headers->as_object()) {
      if (name == "Idempotent-Replayed") continue;  // only on replays
      std::string lower(name);
      for (char& c : lower) c = static_cast<char>(std::tolower(c));
      EXPECT_EQ(reply.headers.count(lower), 1u)
          << "documented header " << std::string(name) << " missing";
    }
  }
  const json::value& schema = response.at("content").at("application/json").at("schema");
  std::vector<std::string> errors;
  Validate(schema, reply.json(), "body", &errors);
  for (const std::string& e : errors) ADD_FAILURE() << e;
}

// Concrete values for the path parameters, from rules.yaml.
std::string Target(const std::string& path_template) {
  std::string t = path_template;
  for (auto [param, value] : {std::pair{"{a}", "acme"},
                              {"{id}", "c-000003"},
                              {"{service}", "alarm-management"},
                              {"{key}", "AM-1Y-NEW"}}) {
    if (auto at = t.find(param); at != std::string::npos)
      t.replace(at, std::string(param).size(), value);
  }
  return t;
}

std::string BodyFor(const std::string& route) {
  if (route == "POST /api/v1/accounts/{a}/cameras")
    return R"({"serial":"NEW-1","name":"n","site":"s"})";
  if (route == "POST /api/v1/accounts/{a}/licenses") return R"({"key":"REG-AM-5Y"})";
  if (route.find("/activate") != std::string::npos) return R"({"auto_renew":true})";
  if (route == "PUT /sim/faults") return R"({"latency_ms":0})";
  return "";
}

TEST(OpenApiTest, TheFileAndTheServerHaveTheSameRoutes) {
  const std::vector<std::string>& server = RouteTemplates();
  EXPECT_EQ(RoutesInFile(), std::set<std::string>(server.begin(), server.end()));
}

TEST(OpenApiTest, EveryOperationHasAnIdAndEveryMutationTakesAnIdempotencyKey) {
  for (const std::string& route : RoutesInFile()) {
    const std::size_t space = route.find(' ');
    std::string method = route.substr(0, space);
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    const json::value& op = Doc().at("paths").at(route.substr(space + 1)).at(method);
    EXPECT_TRUE(op.as_object().contains("operationId")) << route;
    if (route.rfind("GET", 0) == 0 || route.find("/sim/") != std::string::npos) continue;
    bool keyed = false;
    for (const auto& p : op.at("parameters").as_array())
      keyed = keyed || Resolve(p).at("name") == "Idempotency-Key";
    EXPECT_TRUE(keyed) << route;
  }
}

TEST(OpenApiTest, EverySuccessfulAnswerMatchesItsSchema) {
  for (const std::string& route : RoutesInFile()) {
    auto sim = StartSim(RulesOptions());  // a fresh state for each call
    ASSERT_NE(sim, nullptr);
    TestClient admin(sim->port(), "admin-token");
    const std::size_t space = route.find(' ');
    Result<HttpReply> r =
        admin.Send(route.substr(0, space), Target(route.substr(space + 1)), BodyFor(route));
    ASSERT_TRUE(r.ok()) << route;
    EXPECT_LT(r->status, 300) << route << ": " << r->body;
    ExpectDocumented(route, *r);
  }
}

TEST(OpenApiTest, EveryErrorAnswerMatchesItsSchemaAndHeaders) {
  auto sim = StartSim(RulesOptions());
  ASSERT_NE(sim, nullptr);
  TestClient admin(sim->port(), "admin-token");
  TestClient viewer(sim->port(), "viewer-token");
  TestClient anonymous(sim->port());
  const std::string cameras = "POST /api/v1/accounts/{a}/cameras";
  const std::string activate = "POST /api/v1/accounts/{a}/cameras/{id}/services/{service}/activate";
  const std::string park = "DELETE /api/v1/accounts/{a}/licenses/{key}";
  const std::string unpark = "POST /api/v1/accounts/{a}/licenses";

  ExpectDocumented("GET /api/v1/me", anonymous.Get("/api/v1/me"));               // 401
  ExpectDocumented(cameras, admin.Post("/api/v1/accounts/acme/cameras", "{}"));  // 400
  ExpectDocumented(cameras,
                   viewer.Post("/api/v1/accounts/acme/cameras", R"({"serial":"X"})"));  // 403
  ExpectDocumented("GET /api/v1/accounts/{a}/cameras/{id}",
                   admin.Get("/api/v1/accounts/acme/cameras/none"));  // 404
  ExpectDocumented(cameras,
                   admin.Post("/api/v1/accounts/acme/cameras", R"({"serial":"CAM-1"})"));  // 409
  ExpectDocumented(
      activate,
      admin.Post("/api/v1/accounts/acme/cameras/fleet-cam-1/services/alarm-management/activate",
                 "{}"));                                                              // 409
  ExpectDocumented(park, admin.Delete("/api/v1/accounts/acme/licenses/AM-5Y-HELD"));  // 409
  ExpectDocumented(unpark,
                   admin.Post("/api/v1/accounts/acme/licenses", R"({"key":"NOPE"})"));  // 404
  ExpectDocumented("GET /api/v1/accounts/{a}/licenses",
                   admin.Get("/api/v1/accounts/acme/licenses?limit=0"));  // 400
  admin.Post("/api/v1/accounts/acme/cameras", R"({"serial":"I-1"})", "idem");
  ExpectDocumented(
      cameras, admin.Post("/api/v1/accounts/acme/cameras", R"({"serial":"I-2"})", "idem"));  // 422
  ExpectDocumented("PUT /sim/faults",
                   anonymous.Send("PUT", "/sim/faults", R"({"drop_rate":3})").value());  // 400

  FaultOptions f;
  f.error_rate = 1;
  ASSERT_TRUE(sim->SetFaults(f).ok());
  ExpectDocumented("GET /api/v1/me", admin.Get("/api/v1/me"));  // 503
  f.error_rate = 0;
  f.rate_limit = 1;
  ASSERT_TRUE(sim->SetFaults(f).ok());
  HttpReply limited;
  for (int i = 0; i < 1000 && limited.status != 429; ++i) limited = admin.Get("/api/v1/me");
  ExpectDocumented("GET /api/v1/me", limited);  // 429 with Retry-After
}

}  // namespace
}  // namespace licmove::sim::testing
