#include "audit/inventory.h"

#include <set>

namespace licmove {

namespace {

void CountRemaining(const License& license, UnixSeconds now, RemainingBands& bands) {
  if (!license.activated_at) {
    ++bands.never_activated;
    return;
  }
  const int days = RemainingDays(license, now);
  if (days < 30) {
    ++bands.under_30d;
  } else if (days < 90) {
    ++bands.d30_to_90;
  } else if (days < 365) {
    ++bands.d90_to_365;
  } else {
    ++bands.over_365d;
  }
}

}  // namespace

Inventory TakeInventory(const AccountSnapshot& snapshot) {
  const Account& a = snapshot.account;
  Inventory inv;
  inv.account = a.name;
  inv.now = snapshot.now;
  inv.cameras = static_cast<int>(a.cameras.size());
  inv.licenses = static_cast<int>(a.licenses.size());
  std::map<std::string, ServiceInventory> by_service;
  for (const License& l : a.licenses) {
    ServiceInventory& s = by_service[l.service];
    s.service = l.service;
    if (l.assigned()) {
      ++s.assigned;
      ++(l.auto_renew ? s.auto_renew_on : s.auto_renew_off);
    } else {
      ++s.pool;
      ++s.pool_by_term[l.term_days];
      CountRemaining(l, snapshot.now, s.pool_by_remaining);
    }
  }
  for (auto& [service, s] : by_service) {
    // Counted by distinct camera: a fleet never gives a camera two licenses
    // of one service (R2), but a miscounted snapshot must not go negative.
    std::set<std::string> with;
    for (const License& l : a.licenses) {
      if (l.service == service && l.assigned()) with.insert(l.assigned_to);
    }
    s.cameras_without = inv.cameras - static_cast<int>(with.size());
    if (s.cameras_without < 0) s.cameras_without = 0;
    inv.services.push_back(std::move(s));
  }
  return inv;
}

std::vector<std::pair<std::string, int>> BandList(const RemainingBands& b) {
  return {{"<30d", b.under_30d},
          {"30-90d", b.d30_to_90},
          {"90-365d", b.d90_to_365},
          {">=365d", b.over_365d},
          {"never activated", b.never_activated}};
}

}  // namespace licmove
