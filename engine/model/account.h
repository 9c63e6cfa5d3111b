// An account as the engine sees it: cameras (tracked by serial, since the
// portal gives a re-added camera a new id) and every license in it, assigned
// or in the pool. Plain data; the planner builds its own indexes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/license.h"
#include "model/timestamp.h"

namespace licmove {

struct Camera {
  std::string serial;  // stable identity
  std::string name;
  std::string site;
  std::string id;  // the portal's id; empty in a fleet file that gives none
};

struct Account {
  std::string name;
  std::vector<Camera> cameras;
  std::vector<License> licenses;  // assigned ones name their camera's serial

  const Camera* FindCamera(std::string_view serial) const;
  const License* FindLicense(std::string_view key) const;
  // The license of `service` on the camera with `serial`, if any.
  const License* LicenseOn(std::string_view serial, std::string_view service) const;
};

// An account as read at one moment: from a fleet file (its `now`) or from the
// portal (the clock of its answers). Remaining validity is relative to `now`.
struct AccountSnapshot {
  Account account;
  UnixSeconds now = 0;
};

}  // namespace licmove
