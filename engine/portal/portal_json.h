// The portal API's JSON bodies (schemas/portal-api.v1.yaml) decoded into
// plain structs, and its error bodies into Status. Pure: no I/O, so every
// malformed answer can be tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"
#include "model/timestamp.h"

namespace licmove {

struct PortalIdentity {
  std::string user;
  std::string role;  // "admin" | "viewer"
  std::vector<std::string> accounts;
};

struct PortalService {
  std::string service;
  std::string license_key;
  bool auto_renew = false;
};

struct PortalCamera {
  std::string id;
  std::string serial;
  std::string name;
  std::string site;
  std::vector<PortalService> services;
};

struct PortalLicense {
  std::string key;
  std::string service;
  int term_days = 0;
  std::optional<UnixSeconds> activated_at;
  std::optional<UnixSeconds> expires_at;
  int remaining_days = 0;
  std::string assigned_to;  // camera id; empty in the pool
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty at the end
};

Result<PortalIdentity> DecodeIdentity(std::string_view body);
Result<PortalCamera> DecodeCamera(std::string_view body);
Result<Page<PortalCamera>> DecodeCameraPage(std::string_view body);
Result<Page<PortalLicense>> DecodeLicensePage(std::string_view body);

// A non-2xx answer as a Status whose message names the call:
// "GET /api/v1/accounts/acme/cameras: 403 forbidden: viewer tokens cannot ...".
// 401/403 → PermissionDenied, 404 → NotFound, 409 → Conflict,
// 429/502/503/504 → Unavailable, 400/422 → InvalidArgument, else Internal.
Status DecodeError(unsigned http_status, std::string_view body, std::string_view call);

}  // namespace licmove
