#include "portal/portal_json.h"

#include <boost/json.hpp>

namespace licmove {

namespace json = boost::json;

namespace {

// Field readers that turn a missing or mistyped field into a message instead
// of an exception: a portal that answers something unexpected is an error an
// operator can read, not a crash.
struct Reader {
  const json::object& obj;
  std::string what;  // "camera", "license", ...
  std::string error;

  std::string String(std::string_view field, bool required = true) {
    const json::value* v = obj.if_contains(field);
    if (v && v->is_string()) return std::string(v->get_string());
    if ((!v || v->is_null()) && !required) return {};
    Fail(field, "a string");
    return {};
  }
  std::int64_t Int(std::string_view field) {
    const json::value* v = obj.if_contains(field);
    if (v && v->is_int64()) return v->get_int64();
    if (v && v->is_uint64() && v->get_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    Fail(field, "an integer");
    return 0;
  }
  bool Bool(std::string_view field) {
    const json::value* v = obj.if_contains(field);
    if (v && v->is_bool()) return v->get_bool();
    Fail(field, "true or false");
    return false;
  }
  std::optional<UnixSeconds> Time(std::string_view field) {
    const json::value* v = obj.if_contains(field);
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_string()) {
      if (auto t = ParseTimestamp(std::string_view(v->get_string()))) return t;
    }
    Fail(field, "an RFC 3339 time or null");
    return std::nullopt;
  }
  const json::array* Array(std::string_view field) {
    const json::value* v = obj.if_contains(field);
    if (v && v->is_array()) return &v->get_array();
    Fail(field, "an array");
    return nullptr;
  }
  void Fail(std::string_view field, std::string_view expected) {
    if (error.empty()) {
      error = "portal answer: " + what + " field \"" + std::string(field) + "\" is not " +
              std::string(expected);
    }
  }
};

Result<json::value> Parse(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Status::Internal("portal answer is not JSON: " + ec.message());
  return v;
}

Result<PortalCamera> CameraFrom(const json::value& v) {
  if (!v.is_object()) return Status::Internal("portal answer: a camera is not an object");
  Reader r{v.get_object(), "camera"};
  PortalCamera c;
  c.id = r.String("id");
  c.serial = r.String("serial");
  c.name = r.String("name", false);
  c.site = r.String("site", false);
  if (const json::array* services = r.Array("services")) {
    for (const json::value& s : *services) {
      if (!s.is_object())
        return Status::Internal("portal answer: a camera service is not an object");
      Reader sr{s.get_object(), "camera service"};
      PortalService ps{sr.String("service"), sr.String("license_key"), sr.Bool("auto_renew")};
      if (!sr.error.empty()) return Status::Internal(sr.error);
      c.services.push_back(std::move(ps));
    }
  }
  if (!r.error.empty()) return Status::Internal(r.error);
  return c;
}

Result<PortalLicense> LicenseFrom(const json::value& v) {
  if (!v.is_object()) return Status::Internal("portal answer: a license is not an object");
  Reader r{v.get_object(), "license"};
  PortalLicense l;
  l.key = r.String("key");
  l.service = r.String("service");
  l.term_days = static_cast<int>(r.Int("term_days"));
  l.activated_at = r.Time("activated_at");
  l.expires_at = r.Time("expires_at");
  l.remaining_days = static_cast<int>(r.Int("remaining_days"));
  l.assigned_to = r.String("assigned_to", false);
  if (!r.error.empty()) return Status::Internal(r.error);
  return l;
}

template <typename T, typename Decode>
Result<Page<T>> PageFrom(std::string_view body, Decode decode) {
  auto parsed = Parse(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) return Status::Internal("portal answer: a page is not an object");
  Reader r{parsed->get_object(), "page"};
  Page<T> page;
  page.next_cursor = r.String("next_cursor", false);
  if (const json::array* items = r.Array("items")) {
    page.items.reserve(items->size());
    for (const json::value& item : *items) {
      auto decoded = decode(item);
      if (!decoded.ok()) return decoded.status();
      page.items.push_back(std::move(decoded.value()));
    }
  }
  if (!r.error.empty()) return Status::Internal(r.error);
  return page;
}

}  // namespace

Result<PortalIdentity> DecodeIdentity(std::string_view body) {
  auto parsed = Parse(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) return Status::Internal("portal answer: /me is not an object");
  Reader r{parsed->get_object(), "me"};
  PortalIdentity me;
  me.user = r.String("user");
  me.role = r.String("role");
  if (const json::array* accounts = r.Array("accounts")) {
    for (const json::value& a : *accounts) {
      if (!a.is_string()) return Status::Internal("portal answer: /me accounts are not strings");
      me.accounts.emplace_back(a.get_string());
    }
  }
  if (!r.error.empty()) return Status::Internal(r.error);
  return me;
}

Result<PortalCamera> DecodeCamera(std::string_view body) {
  auto parsed = Parse(body);
  if (!parsed.ok()) return parsed.status();
  return CameraFrom(*parsed);
}

Result<Page<PortalCamera>> DecodeCameraPage(std::string_view body) {
  return PageFrom<PortalCamera>(body, CameraFrom);
}

Result<Page<PortalLicense>> DecodeLicensePage(std::string_view body) {
  return PageFrom<PortalLicense>(body, LicenseFrom);
}

Status DecodeError(unsigned http_status, std::string_view body, std::string_view call) {
  std::string detail;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    if (const json::value* e = v.get_object().if_contains("error"); e && e->is_object()) {
      const json::object& err = e->get_object();
      if (const json::value* c = err.if_contains("code"); c && c->is_string()) {
        detail = std::string(c->get_string());
      }
      if (const json::value* m = err.if_contains("message"); m && m->is_string()) {
        detail += (detail.empty() ? "" : ": ") + std::string(m->get_string());
      }
    }
  }
  if (detail.empty()) detail = body.substr(0, 200);
  std::string message =
      std::string(call) + ": " + std::to_string(http_status) + (detail.empty() ? "" : " " + detail);
  switch (http_status) {
    case 401:
    case 403:
      return Status::PermissionDenied(std::move(message));
    case 404:
      return Status::NotFound(std::move(message));
    case 409:
      return Status::Conflict(std::move(message));
    case 400:
    case 422:
      return Status::InvalidArgument(std::move(message));
    case 429:
    case 502:
    case 503:
    case 504:
      return Status::Unavailable(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

}  // namespace licmove
