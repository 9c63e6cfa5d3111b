#include "executor/op_call.h"

#include <algorithm>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "model/license.h"
#include "portal/portal_json.h"

namespace licmove {

namespace json = boost::json;

namespace {

std::string Seg(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

}  // namespace

std::string DescribeOpForLog(const Op& op) {
  switch (op.kind) {
    case OpKind::kRemoveCamera:
      return "remove camera " + op.camera;
    case OpKind::kAddCamera:
      return "add camera " + op.camera;
    case OpKind::kActivate:
      return "activate " + op.service + " on " + op.camera + " (expect " + MaskKey(op.expect_key) +
             ")";
    case OpKind::kPark:
      return "park " + MaskKey(op.key);
    case OpKind::kUnpark:
      return "unpark " + MaskKey(op.key);
  }
  return "?";
}

bool IsAcceptableKey(const Op& op, const std::string& key) {
  return key == op.expect_key || std::find(op.acceptable_keys.begin(), op.acceptable_keys.end(),
                                           key) != op.acceptable_keys.end();
}

std::string IdempotencyKeyFor(const std::string& run_id, int op) {
  return run_id + "-op" + std::to_string(op);
}

HttpRequest BuildOpRequest(const Op& op, const std::string& account, const std::string& camera_id,
                           const std::string& idempotency_key) {
  const std::string base = "/api/v1/accounts/" + Seg(account);
  HttpRequest r;
  r.headers.emplace_back("Idempotency-Key", idempotency_key);
  switch (op.kind) {
    case OpKind::kRemoveCamera:
      r.method = HttpMethod::kDelete;
      r.target = base + "/cameras/" + Seg(camera_id);
      break;
    case OpKind::kAddCamera:
      r.method = HttpMethod::kPost;
      r.target = base + "/cameras";
      r.body = json::serialize(
          json::object{{"serial", op.camera}, {"name", op.name}, {"site", op.site}});
      break;
    case OpKind::kActivate:
      r.method = HttpMethod::kPost;
      r.target = base + "/cameras/" + Seg(camera_id) + "/services/" + Seg(op.service) + "/activate";
      r.body = json::serialize(json::object{{"auto_renew", op.auto_renew}});
      break;
    case OpKind::kPark:
      r.method = HttpMethod::kDelete;
      r.target = base + "/licenses/" + Seg(op.key);
      break;
    case OpKind::kUnpark:
      r.method = HttpMethod::kPost;
      r.target = base + "/licenses";
      r.body = json::serialize(json::object{{"key", op.key}});
      break;
  }
  return r;
}

std::string DescribeCall(const Op& op, const HttpRequest& request) {
  // A park names its key in the path: masked, as DescribeOpForLog masks it,
  // since this goes into progress lines and the JSON events' messages.
  std::string target = request.target;
  if (op.kind == OpKind::kPark && !op.key.empty()) {
    if (auto at = target.rfind(op.key); at != std::string::npos) {
      target.replace(at, op.key.size(), MaskKey(op.key));
    }
  }
  return DescribeOpForLog(op) + " (" + HttpMethodName(request.method) + " " + target + ")";
}

Result<OpEffect> DecodeOpSuccess(const Op& op, const HttpResponse& response) {
  OpEffect effect;
  if (op.kind == OpKind::kAddCamera) {
    auto camera = DecodeCamera(response.body);
    if (!camera.ok()) return camera.status();
    effect.camera_id = camera->id;
  } else if (op.kind == OpKind::kActivate) {
    boost::system::error_code ec;
    json::value v = json::parse(response.body, ec);
    const json::value* key =
        !ec && v.is_object() ? v.get_object().if_contains("license_key") : nullptr;
    if (!key || !key->is_string()) {
      return Status::Internal("portal answer to activate has no license_key");
    }
    effect.license_key = std::string(key->get_string());
  }
  return effect;
}

}  // namespace licmove
