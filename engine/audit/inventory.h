// What an account holds right now, service by service (DESIGN §7): the
// first part of `licmove audit`. Pure: a snapshot in, counts out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/account.h"

namespace licmove {

// Pool licenses by remaining validity at the snapshot's `now`. A license
// that was never activated keeps its whole term whatever the date, so it has
// its own band.
struct RemainingBands {
  int under_30d = 0;
  int d30_to_90 = 0;   // 30 <= days < 90
  int d90_to_365 = 0;  // 90 <= days < 365
  int over_365d = 0;   // 365 days or more
  int never_activated = 0;
};

struct ServiceInventory {
  std::string service;
  int assigned = 0;                 // cameras holding a license of the service
  int pool = 0;                     // licenses of the service in the pool
  std::map<int, int> pool_by_term;  // term_days -> pool licenses of that term
  RemainingBands pool_by_remaining;
  int cameras_without = 0;  // cameras of the account without the service
  int auto_renew_on = 0;    // among `assigned`
  int auto_renew_off = 0;
};

struct Inventory {
  std::string account;
  UnixSeconds now = 0;
  int cameras = 0;
  int licenses = 0;
  std::vector<ServiceInventory> services;  // by service name
};

Inventory TakeInventory(const AccountSnapshot& snapshot);

// "<30d", "30-90d", "90-365d", ">=365d", "never activated", in that order,
// with the band's count: for renderers that list the bands.
std::vector<std::pair<std::string, int>> BandList(const RemainingBands& bands);

}  // namespace licmove
