#include "portal_sim/api.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <mutex>

#include "model/timestamp.h"
#include "portal_sim/routes.h"
#include "portal_sim/state_json.h"

namespace licmove::sim {
namespace json = boost::json;
namespace {

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr std::string_view kLogFormat = "licmove-portal-sim-log";
// Version 3: advance_clock entries (R7), and /sim/state's `expired` list in
// the fleet digest. Version 2: an idempotency record's scope names the token
// by its SHA-256 (IdempotencyStore::Scope); version 1 kept the token itself.
constexpr std::int64_t kLogVersion = 3;
// The longest single clock advance: a century, far beyond any license term,
// and far from overflowing UnixSeconds.
constexpr std::int64_t kMaxAdvanceSeconds = 100LL * 366 * kSecondsPerDay;

ApiResponse JsonResponse(int status, const json::value& v) {
  ApiResponse r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

// ---- request bodies -------------------------------------------------------

Result<json::object> ParseObject(std::string_view body, bool allow_empty) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    if (allow_empty) return json::object();
    return Status::InvalidArgument("the request needs a JSON object body");
  }
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Status::InvalidArgument("the body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return std::move(v.as_object());
}

Status OnlyFields(const json::object& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& field : o) {
    if (std::find(allowed.begin(), allowed.end(), field.key()) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Status::InvalidArgument("unknown field '" + std::string(field.key()) +
                                     "'; this call takes: " + list);
    }
  }
  return Status::Ok();
}

Status GetString(const json::object& o, std::string_view name, bool required, std::string* out) {
  const json::value* v = o.if_contains(name);
  if (!v) {
    return required ? Status::InvalidArgument("field '" + std::string(name) + "' is required")
                    : Status::Ok();
  }
  if (!v->is_string() || (required && v->as_string().empty())) {
    return Status::InvalidArgument("field '" + std::string(name) + "' must be a" +
                                   (required ? " non-empty" : "") + " string");
  }
  *out = std::string(v->as_string());
  return Status::Ok();
}

Status GetBool(const json::object& o, std::string_view name, bool* out) {
  const json::value* v = o.if_contains(name);
  if (!v) return Status::Ok();
  if (!v->is_bool())
    return Status::InvalidArgument("field '" + std::string(name) + "' must be true or false");
  *out = v->as_bool();
  return Status::Ok();
}

Status GetNumber(const json::object& o, std::string_view name, double* out) {
  const json::value* v = o.if_contains(name);
  if (!v) return Status::Ok();
  if (!v->is_number())
    return Status::InvalidArgument("field '" + std::string(name) + "' must be a number");
  *out = v->to_number<double>();
  return Status::Ok();
}

// A number that is whole (5 or 5.0, not 5.5) and within [min, max]: checked
// before it is converted, since a double out of T's range cannot be cast.
template <typename T>
Status GetWholeNumber(const json::object& o, std::string_view name, T min, T max, T* out) {
  const json::value* v = o.if_contains(name);
  if (!v) return Status::Ok();
  boost::system::error_code ec;
  const T n = v->is_number() ? v->to_number<T>(ec) : T();
  if (!v->is_number() || ec || n < min || n > max) {
    return Status::InvalidArgument("field '" + std::string(name) +
                                   "' must be a whole number from " + std::to_string(min) + " to " +
                                   std::to_string(max));
  }
  *out = n;
  return Status::Ok();
}

struct Page {
  std::size_t limit = kDefaultLimit;
  std::optional<std::string> after;
};

Result<Page> ParsePage(const std::unordered_map<std::string, std::string>& query,
                       std::string_view list) {
  Page page;
  if (auto it = query.find("limit"); it != query.end()) {
    const std::string& text = it->second;
    std::size_t limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > kMaxLimit) {
      return Status::InvalidArgument("limit '" + text + "' must be a whole number from 1 to " +
                                     std::to_string(kMaxLimit));
    }
    page.limit = limit;
  }
  if (auto it = query.find("cursor"); it != query.end() && !it->second.empty()) {
    page.after = DecodeCursor(list, it->second);
    if (!page.after) {
      return Status::InvalidArgument("cursor '" + it->second + "' is not one this list handed out");
    }
  }
  return page;
}

ApiResponse BadRequest(const Status& st) {
  return ErrorResponse(400, "bad_request", st.message());
}

ApiResponse RefusalResponse(const Decision& d) {
  switch (d.refusal()) {
    case Refusal::kUnknownCamera:
    case Refusal::kUnknownLicense:
      return ErrorResponse(404, "not_found", d.message());
    case Refusal::kCameraExists:
      return ErrorResponse(409, "camera_exists", d.message());
    case Refusal::kServiceActive:
      return ErrorResponse(409, "service_active", d.message());
    case Refusal::kNoLicenseInPool:
      return ErrorResponse(409, "no_license_in_pool", d.message());
    case Refusal::kLicenseAssigned:
      return ErrorResponse(409, "license_assigned", d.message());
    case Refusal::kKeyInAccount:
      return ErrorResponse(409, "key_in_account", d.message());
    case Refusal::kUnknownKey:
      return ErrorResponse(404, "unknown_key", d.message());
    case Refusal::kLicenseExpired:
      return ErrorResponse(409, "license_expired", d.message());
  }
  return ErrorResponse(500, "internal", d.message());
}

// REQUIRES: `lower_prefix` in lower case.
bool StartsWithIgnoringCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower_prefix[i]) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Bearer TOKEN" (scheme case-insensitive); empty when absent or malformed.
std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() || !StartsWithIgnoringCase(header, kScheme)) return {};
  return TrimSpaces(header.substr(kScheme.size()));
}

// "application/json" in any case, with or without parameters
// ("; charset=utf-8": JSON is UTF-8 whatever a parameter says).
bool IsJsonMediaType(std::string_view content_type) {
  constexpr std::string_view kJson = "application/json";
  const std::string_view type = TrimSpaces(content_type.substr(0, content_type.find(';')));
  return type.size() == kJson.size() && StartsWithIgnoringCase(type, kJson);
}

bool ValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKey) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// What a mutation asks, whitespace in its JSON body aside.
std::string Fingerprint(const ApiRequest& req) {
  std::string fp = std::string(req.method) + " " + std::string(req.target) + "\n";
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  fp += ec ? std::string(req.body) : json::serialize(v);
  return fp;
}

std::string Hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

}  // namespace

ApiResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  return JsonResponse(status,
                      json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

struct Api::Call {
  const ApiRequest& req;
  RouteId route;
  std::vector<std::string> params;  // decoded path parameters, in order
  std::string_view query;
  const SimUser* user = nullptr;
  std::string account;
};

Api::Api(const Fleet& fleet, const TieBreak& tie_break, FaultInjector* faults)
    : fleet_(fleet), tie_break_(tie_break), faults_(faults), now_(fleet.now) {}

Api::~Api() = default;

Result<std::unique_ptr<Api>> Api::Create(const Fleet& fleet, const TieBreak& tie_break,
                                         const std::string& state_dir, FaultInjector* faults) {
  Result<SimState> state = SimState::FromFleet(fleet);
  if (!state.ok()) return Status::InvalidArgument("fleet: " + state.status().message());
  std::unique_ptr<Api> api(new Api(fleet, tie_break, faults));
  api->state_ = std::move(state.value());
  api->fleet_digest_ = Hex32(Crc32c(json::serialize(StateJson(api->state_))));
  for (const SimUser& u : api->state_.users()) api->users_[u.token] = u;
  for (const auto& [name, a] : api->state_.accounts()) api->account_exists_[name] = true;

  if (!state_dir.empty()) {
    std::vector<LogRecord> records;
    Result<std::unique_ptr<DurableLog>> log =
        DurableLog::Open(state_dir, api->LogHeader(), &records);
    if (!log.ok()) return log.status();
    if (Status st = api->Replay(records); !st.ok()) {
      return Status(st.code() == Status::Code::kCorruption
                        ? Status::Corruption((*log)->path() + ": " + st.message())
                        : Status::InvalidArgument((*log)->path() + ": " + st.message()));
    }
    api->log_ = std::move(log.value());
  }
  api->now_ = api->state_.now();
  return api;
}

std::string Api::LogHeader() const {
  return json::serialize(json::object{
      {"format", kLogFormat}, {"version", kLogVersion}, {"fleet_digest", fleet_digest_}});
}

Status Api::Replay(const std::vector<LogRecord>& records) {
  if (records.empty() || records[0].type != kHeaderRecord) {
    return Status::Corruption("the log does not start with a header record");
  }
  boost::system::error_code ec;
  json::value header = json::parse(records[0].payload, ec);
  const json::object* h = ec ? nullptr : header.if_object();
  if (!h || !h->contains("format") || h->at("format") != json::value(kLogFormat)) {
    return Status::Corruption("the header is not a portal-sim log header");
  }
  if (!h->contains("version") || h->at("version") != json::value(kLogVersion)) {
    return Status::InvalidArgument(
        "log version " +
        json::serialize(h->contains("version") ? h->at("version") : json::value()) +
        " is not one this portal-sim reads (it reads version " + std::to_string(kLogVersion) +
        "; version 1 kept bearer tokens in clear, version 2 had no clock). The log is the "
        "simulated portal's state: "
        "remove it to start again from the fleet, or use another state dir");
  }
  if (!h->contains("fleet_digest") || h->at("fleet_digest") != json::value(fleet_digest_)) {
    return Status::InvalidArgument(
        "the log was written over another fleet (or another fleet file version); start with "
        "that fleet, or use another state dir");
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    const std::string where = "log entry " + std::to_string(i) + ": ";
    json::value entry = json::parse(records[i].payload, ec);
    const json::object* e = ec ? nullptr : entry.if_object();
    if (records[i].type != kEntryRecord || !e) return Status::Corruption(where + "not an entry");
    if (const json::value* mv = e->if_contains("mutation")) {
      Result<Mutation> m = MutationFromJson(*mv);
      if (!m.ok()) return Status::Corruption(where + m.status().message());
      if (Status st = state_.Apply(*m); !st.ok()) return Status::Corruption(where + st.message());
    }
    if (const json::value* iv = e->if_contains("idempotency")) {
      try {  // Boost.JSON's accessors throw on a wrong shape
        const json::object& io = iv->as_object();
        IdempotencyRecord r;
        r.fingerprint = io.at("fingerprint").as_string();
        r.status = static_cast<int>(io.at("status").as_int64());
        r.body = io.at("body").as_string();
        idempotency_.Insert(io.at("scope").as_string(), io.at("key").as_string(), std::move(r));
      } catch (const std::exception& ex) {
        return Status::Corruption(where + "not an idempotency record: " + ex.what());
      }
    }
  }
  return Status::Ok();
}

Status Api::Sync(std::uint64_t log_offset) {
  if (!log_ || log_offset == 0) return Status::Ok();
  return log_->Sync(log_offset);
}

ApiResponse Api::Handle(const ApiRequest& req) {
  const std::string_view path = req.target.substr(0, req.target.find('?'));
  const std::string_view query =
      path.size() < req.target.size() ? req.target.substr(path.size() + 1) : std::string_view();
  RouteMatch m = MatchRoute(path);
  if (!m.spec) return ErrorResponse(404, "not_found", "no route " + std::string(path));
  const auto& methods = m.spec->methods;
  if (std::find(methods.begin(), methods.end(), req.method) == methods.end()) {
    ApiResponse r =
        ErrorResponse(405, "method_not_allowed",
                      std::string(req.method) + " is not allowed on " + std::string(path));
    std::string allow;
    for (std::string_view method : methods)
      allow += (allow.empty() ? "" : ", ") + std::string(method);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  if (m.bad_encoding)
    return ErrorResponse(400, "bad_request", "malformed percent-encoding in the path");
  if (!req.body.empty() && TakesBody(*m.spec, req.method) && !IsJsonMediaType(req.content_type)) {
    ApiResponse r =
        ErrorResponse(415, "unsupported_media_type",
                      "the body must be JSON, sent with Content-Type: application/json (got '" +
                          std::string(req.content_type) + "')");
    r.headers.emplace_back("Accept", "application/json");
    return r;
  }
  Call call{req, m.spec->id, std::move(m.params), query};
  if (IsSimRoute(m.spec->id)) return HandleSim(call);

  const std::string_view token = BearerToken(req.authorization);
  if (token.empty()) {
    ApiResponse r =
        ErrorResponse(401, "unauthorized", "an Authorization: Bearer TOKEN header is required");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto user = users_.find(std::string(token));
  if (user == users_.end()) {
    ApiResponse r = ErrorResponse(401, "unauthorized", "the bearer token is not valid");
    r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  call.user = &user->second;
  if (m.spec->id == RouteId::kMe) return Me(call);

  call.account = call.params[0];
  if (!account_exists_.count(call.account)) {
    return ErrorResponse(404, "not_found", "no account '" + call.account + "'");
  }
  const auto& mine = call.user->accounts;
  if (std::find(mine.begin(), mine.end(), call.account) == mine.end()) {
    return ErrorResponse(
        403, "forbidden",
        "user " + call.user->name + " has no access to account '" + call.account + "'");
  }
  if (req.method != "GET" && !call.user->admin) {
    return ErrorResponse(
        403, "forbidden",
        "user " + call.user->name + " is a viewer; only an admin may change the account");
  }
  switch (m.spec->id) {
    case RouteId::kCameras:
      return req.method == "GET" ? ListCameras(call) : AddCamera(call);
    case RouteId::kCamera:
      return req.method == "GET" ? GetCamera(call) : RemoveCamera(call);
    case RouteId::kActivate:
      return Activate(call);
    case RouteId::kLicenses:
      return req.method == "GET" ? ListLicenses(call) : Unpark(call);
    case RouteId::kLicense:
      return Park(call);
    default:
      break;
  }
  return ErrorResponse(500, "internal", "route without a handler");
}

ApiResponse Api::Me(const Call& call) {
  json::array accounts;
  for (const std::string& a : call.user->accounts) accounts.push_back(json::value(a));
  return JsonResponse(200, json::object{{"user", call.user->name},
                                        {"role", call.user->admin ? "admin" : "viewer"},
                                        {"accounts", std::move(accounts)}});
}

ApiResponse Api::ListCameras(const Call& call) {
  auto query = ParseQuery(call.query);
  if (!query.ok()) return BadRequest(query.status());
  Result<Page> page = ParsePage(*query, "cameras");
  if (!page.ok()) return BadRequest(page.status());

  std::shared_lock<std::shared_mutex> lock(mu_);
  const SimAccount& a = *state_.FindAccount(call.account);
  auto it = page->after ? a.cameras.upper_bound(*page->after) : a.cameras.begin();
  json::array items;
  for (; it != a.cameras.end() && items.size() < page->limit; ++it) {
    items.push_back(CameraJson(state_, it->second));
  }
  json::value next = nullptr;
  if (it != a.cameras.end()) next = json::value(EncodeCursor("cameras", std::prev(it)->first));
  return JsonResponse(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

ApiResponse Api::GetCamera(const Call& call) {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const SimCamera* c = state_.FindCamera(call.account, call.params[1]);
  if (!c) {
    return ErrorResponse(404, "not_found",
                         "no camera '" + call.params[1] + "' in account '" + call.account + "'");
  }
  return JsonResponse(200, CameraJson(state_, *c));
}

ApiResponse Api::ListLicenses(const Call& call) {
  auto query = ParseQuery(call.query);
  if (!query.ok()) return BadRequest(query.status());
  Result<Page> page = ParsePage(*query, "licenses");
  if (!page.ok()) return BadRequest(page.status());
  std::string filter = "all";
  if (auto it = query->find("state"); it != query->end()) filter = it->second;
  if (filter != "all" && filter != "pool" && filter != "assigned") {
    return ErrorResponse(400, "bad_request",
                         "state '" + filter + "' must be pool, assigned or all");
  }

  std::shared_lock<std::shared_mutex> lock(mu_);
  const SimAccount& a = *state_.FindAccount(call.account);
  auto wanted = [&](const SimLicense& l) {
    return filter == "all" || (filter == "pool") == l.camera_id.empty();
  };
  auto it = page->after ? a.keys.upper_bound(*page->after) : a.keys.begin();
  json::array items;
  std::string last;
  for (; it != a.keys.end() && items.size() < page->limit; ++it) {
    const SimLicense& l = *state_.FindLicense(*it);
    if (!wanted(l)) continue;
    items.push_back(LicenseJson(state_, l));
    last = *it;
  }
  while (it != a.keys.end() && !wanted(*state_.FindLicense(*it))) ++it;
  json::value next = nullptr;
  if (it != a.keys.end()) next = json::value(EncodeCursor("licenses", last));
  return JsonResponse(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

ApiResponse Api::AddCamera(const Call& call) {
  Result<json::object> body = ParseObject(call.req.body, false);
  if (!body.ok()) return BadRequest(body.status());
  std::string serial, name, site;
  for (Status st :
       {OnlyFields(*body, {"serial", "name", "site"}), GetString(*body, "serial", true, &serial),
        GetString(*body, "name", false, &name), GetString(*body, "site", false, &site)}) {
    if (!st.ok()) return BadRequest(st);
  }
  return Mutate(
      call, [&](const SimState& s) { return s.DecideAddCamera(call.account, serial, name, site); },
      [&](const SimState& s, const Mutation& m) {
        return JsonResponse(201, CameraJson(s, *s.FindCamera(m.account, m.camera_id)));
      });
}

ApiResponse Api::RemoveCamera(const Call& call) {
  json::array released;
  return Mutate(
      call,
      [&](const SimState& s) {
        Decision d = s.DecideRemoveCamera(call.account, call.params[1]);
        if (d.ok()) {
          for (const auto& [service, key] : s.FindCamera(call.account, call.params[1])->services) {
            released.push_back(json::value(key));
          }
        }
        return d;
      },
      [&](const SimState&, const Mutation&) {
        return JsonResponse(200, json::object{{"released", std::move(released)}});
      });
}

ApiResponse Api::Activate(const Call& call) {
  Result<json::object> body = ParseObject(call.req.body, true);
  if (!body.ok()) return BadRequest(body.status());
  bool auto_renew = false;
  for (Status st : {OnlyFields(*body, {"auto_renew"}), GetBool(*body, "auto_renew", &auto_renew)}) {
    if (!st.ok()) return BadRequest(st);
  }
  const std::string& camera = call.params[1];
  const std::string& service = call.params[2];
  return Mutate(
      call,
      [&](const SimState& s) {
        return s.DecideActivate(call.account, camera, service, auto_renew, tie_break_);
      },
      [&](const SimState& s, const Mutation& m) {
        const SimLicense& l = *s.FindLicense(m.key);
        return JsonResponse(
            200, json::object{{"license_key", l.key}, {"expires_at", TimeOrNull(s.ExpiresAt(l))}});
      });
}

ApiResponse Api::Park(const Call& call) {
  const std::string& key = call.params[1];
  return Mutate(
      call, [&](const SimState& s) { return s.DecidePark(call.account, key); },
      [&](const SimState& s, const Mutation& m) {
        return JsonResponse(200, LicenseJson(s, *s.FindLicense(m.key)));
      });
}

ApiResponse Api::Unpark(const Call& call) {
  Result<json::object> body = ParseObject(call.req.body, false);
  if (!body.ok()) return BadRequest(body.status());
  std::string key;
  for (Status st : {OnlyFields(*body, {"key"}), GetString(*body, "key", true, &key)}) {
    if (!st.ok()) return BadRequest(st);
  }
  return Mutate(
      call, [&](const SimState& s) { return s.DecideUnpark(call.account, key); },
      [&](const SimState& s, const Mutation& m) {
        return JsonResponse(201, LicenseJson(s, *s.FindLicense(m.key)));
      });
}

ApiResponse Api::Mutate(const Call& call, const Decider& decide, const Renderer& render) {
  std::string scope, fingerprint;
  const bool keyed = call.req.idempotency_key.has_value();
  if (keyed) {
    if (!ValidIdempotencyKey(*call.req.idempotency_key)) {
      return ErrorResponse(400, "bad_request",
                           "Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    scope = IdempotencyStore::Scope(BearerToken(call.req.authorization), call.account);
    fingerprint = Fingerprint(call.req);
  }

  std::unique_lock<std::shared_mutex> lock(mu_);
  if (keyed) {
    if (const IdempotencyRecord* r = idempotency_.Find(scope, *call.req.idempotency_key)) {
      if (r->fingerprint != fingerprint) {
        return ErrorResponse(422, "idempotency_mismatch",
                             "Idempotency-Key '" + std::string(*call.req.idempotency_key) +
                                 "' was used for a different request");
      }
      ApiResponse replay;
      replay.status = r->status;
      replay.body = r->body;
      replay.headers.emplace_back("Idempotent-Replayed", "true");
      replay.log_offset = r->log_offset;  // the first answer may still be on its way to disk
      return replay;
    }
  }

  const Decision d = decide(state_);
  ApiResponse res;
  if (!d.ok()) {
    res = RefusalResponse(d);
  } else {
    if (Status st = state_.Apply(d.mutation()); !st.ok()) {
      return ErrorResponse(500, "internal", "the simulator broke its own rules: " + st.message());
    }
    res = render(state_, d.mutation());
  }

  if (log_ && (d.ok() || keyed)) {
    json::object entry;
    if (d.ok()) entry["mutation"] = MutationJson(d.mutation());
    if (keyed) {
      entry["idempotency"] = json::object{{"scope", scope},
                                          {"key", *call.req.idempotency_key},
                                          {"fingerprint", fingerprint},
                                          {"status", res.status},
                                          {"body", res.body}};
    }
    Result<std::uint64_t> offset = log_->Append(json::serialize(entry));
    if (!offset.ok()) {
      // Applied in memory but not durable: every later mutation fails the
      // same way (the log's error sticks) until the simulator is restarted.
      return ErrorResponse(500, "internal", "state dir: " + offset.status().message());
    }
    res.log_offset = *offset;
  }
  if (keyed) {
    idempotency_.Insert(scope, *call.req.idempotency_key,
                        IdempotencyRecord{fingerprint, res.status, res.body, res.log_offset});
  }
  return res;
}

ApiResponse Api::HandleSim(const Call& call) {
  switch (call.route) {
    case RouteId::kSimState: {
      std::shared_lock<std::shared_mutex> lock(mu_);
      json::object o = StateJson(state_);
      o["idempotency_records"] = idempotency_.size();
      return JsonResponse(200, o);
    }
    case RouteId::kSimStats: {
      json::object routes;
      for (const auto& [route, outcomes] : stats_.Snapshot()) {
        json::object counts;
        for (const auto& [outcome, n] : outcomes) counts[outcome] = n;
        routes[route] = std::move(counts);
      }
      return JsonResponse(200, json::object{{"routes", std::move(routes)}});
    }
    case RouteId::kSimReset:
      return Reset();
    case RouteId::kSimFaults:
      return Faults(call);
    case RouteId::kSimClock:
      return Clock(call);
    default:
      break;
  }
  return ErrorResponse(500, "internal", "sim route without a handler");
}

ApiResponse Api::Reset() {
  std::unique_lock<std::shared_mutex> lock(mu_);
  Result<SimState> fresh = SimState::FromFleet(fleet_);
  if (!fresh.ok()) return ErrorResponse(500, "internal", fresh.status().message());
  state_ = std::move(fresh.value());
  now_ = state_.now();
  idempotency_.Clear();
  if (log_) {
    if (Status st = log_->Reset(LogHeader()); !st.ok()) {
      return ErrorResponse(500, "internal", "state dir: " + st.message());
    }
  }
  stats_.Clear();
  return JsonResponse(200, json::object{{"reset", true}});
}

ApiResponse Api::Clock(const Call& call) {
  if (call.req.method == "GET") {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return JsonResponse(200, json::object{{"now", FormatTimestamp(state_.now())}});
  }
  Result<json::object> body = ParseObject(call.req.body, false);
  if (!body.ok()) return BadRequest(body.status());
  std::optional<std::int64_t> advance;
  std::optional<UnixSeconds> to;
  if (Status st = OnlyFields(*body, {"advance_seconds", "to"}); !st.ok()) return BadRequest(st);
  if (body->contains("advance_seconds") == body->contains("to")) {
    return ErrorResponse(400, "bad_request",
                         "give exactly one of advance_seconds (whole seconds) or to (RFC 3339)");
  }
  if (body->contains("advance_seconds")) {
    std::int64_t n = 0;
    if (Status st = GetWholeNumber<std::int64_t>(*body, "advance_seconds", -kMaxAdvanceSeconds,
                                                 kMaxAdvanceSeconds, &n);
        !st.ok()) {
      return BadRequest(st);
    }
    advance = n;
  } else {
    std::string text;
    if (Status st = GetString(*body, "to", true, &text); !st.ok()) return BadRequest(st);
    to = ParseTimestamp(text);
    if (!to) {
      return ErrorResponse(400, "bad_request",
                           "to '" + text + "' is not an RFC 3339 time like 2027-01-01T00:00:00Z");
    }
  }

  std::unique_lock<std::shared_mutex> lock(mu_);
  const UnixSeconds now = state_.now();
  const UnixSeconds target = advance ? now + *advance : *to;
  if (target < now) {
    return ErrorResponse(400, "bad_request",
                         "the clock never goes back: it is " + FormatTimestamp(now) + ", and " +
                             FormatTimestamp(target) + " is earlier");
  }
  if (target - now > kMaxAdvanceSeconds) {
    return ErrorResponse(400, "bad_request",
                         "one advance may move the clock by a century at most; " +
                             FormatTimestamp(target) + " is further from " + FormatTimestamp(now));
  }
  std::vector<RenewalPick> picks;
  std::vector<ClockEvent> events;
  ApiResponse res;
  if (target > now) {
    state_.AdvanceClock(target, tie_break_, &picks, &events);
    now_ = target;
    if (log_) {
      Mutation m = state_.AdvanceMutation(target);
      m.renewals = std::move(picks);
      Result<std::uint64_t> offset =
          log_->Append(json::serialize(json::object{{"mutation", MutationJson(m)}}));
      if (!offset.ok())
        return ErrorResponse(500, "internal", "state dir: " + offset.status().message());
      res.log_offset = *offset;
    }
  }
  json::array out;
  out.reserve(events.size());
  for (const ClockEvent& e : events) out.push_back(ClockEventJson(e));
  json::object answer{{"now", FormatTimestamp(state_.now())}, {"events", std::move(out)}};
  res.status = 200;
  res.body = json::serialize(answer);
  return res;
}

ApiResponse Api::Faults(const Call& call) {
  FaultOptions o = faults_->options();
  if (call.req.method == "PUT") {
    Result<json::object> body = ParseObject(call.req.body, false);
    if (!body.ok()) return BadRequest(body.status());
    constexpr int kMaxInt = std::numeric_limits<int>::max();
    for (Status st : {OnlyFields(*body, {"latency_ms", "jitter_ms", "error_rate", "rate_limit",
                                         "drop_rate", "reset_rate", "seed"}),
                      GetWholeNumber(*body, "latency_ms", 0, kMaxLatencyMs, &o.latency_ms),
                      GetWholeNumber(*body, "jitter_ms", 0, kMaxLatencyMs, &o.jitter_ms),
                      GetNumber(*body, "error_rate", &o.error_rate),
                      GetWholeNumber(*body, "rate_limit", 0, kMaxInt, &o.rate_limit),
                      GetNumber(*body, "drop_rate", &o.drop_rate),
                      GetNumber(*body, "reset_rate", &o.reset_rate),
                      GetWholeNumber<std::uint64_t>(
                          *body, "seed", 0, std::numeric_limits<std::uint64_t>::max(), &o.seed)}) {
      if (!st.ok()) return BadRequest(st);
    }
    if (Status st = ValidateFaults(o); !st.ok()) return BadRequest(st);
    faults_->Set(o);
  }
  return JsonResponse(200, json::object{{"latency_ms", o.latency_ms},
                                        {"jitter_ms", o.jitter_ms},
                                        {"error_rate", o.error_rate},
                                        {"rate_limit", o.rate_limit},
                                        {"drop_rate", o.drop_rate},
                                        {"reset_rate", o.reset_rate},
                                        {"seed", o.seed}});
}

}  // namespace licmove::sim
