#include "reference_forecast.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace licmove::testing {

namespace {

struct Slot {
  License license;
  bool present = true;
};

std::optional<UnixSeconds> ExpiryOf(const License& l) {
  if (!l.activated_at) return std::nullopt;
  return *l.activated_at + static_cast<UnixSeconds>(l.term_days) * 86400;
}

std::int64_t RemainingAt(const License& l, UnixSeconds t) {
  if (auto exp = ExpiryOf(l)) return *exp - t;
  return static_cast<std::int64_t>(l.term_days) * 86400;
}

int PoolCount(const std::vector<Slot>& slots, const std::string& service) {
  int n = 0;
  for (const Slot& s : slots) {
    if (s.present && s.license.service == service && s.license.assigned_to.empty()) ++n;
  }
  return n;
}

}  // namespace

Forecast ReferenceForecast(const AccountSnapshot& snapshot, UnixSeconds until) {
  Forecast out;
  out.from = snapshot.now;
  out.until = until;
  std::vector<Slot> slots;
  for (const License& l : snapshot.account.licenses) slots.push_back({l, true});
  std::map<std::string, bool> held_at_start;
  for (const Slot& s : slots) {
    out.services[s.license.service].service = s.license.service;
    held_at_start[s.license.service] |= s.license.assigned_to.empty();
  }
  auto note_dry = [&](const std::string& service, UnixSeconds t) {
    ServiceForecast& sf = out.services[service];
    if (held_at_start[service] && !sf.pool_dry_at && PoolCount(slots, service) == 0) {
      sf.pool_dry_at = t;
    }
  };

  for (;;) {
    std::optional<UnixSeconds> next;
    for (const Slot& s : slots) {
      auto exp = ExpiryOf(s.license);
      if (s.present && exp && *exp <= until && (!next || *exp < *next)) next = exp;
    }
    if (!next) break;
    const UnixSeconds t = *next;
    std::vector<std::size_t> due_pool, due_camera;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      auto exp = ExpiryOf(slots[i].license);
      if (!slots[i].present || !exp || *exp != t) continue;
      (slots[i].license.assigned_to.empty() ? due_pool : due_camera).push_back(i);
    }
    for (std::size_t i : due_pool) slots[i].present = false;
    for (std::size_t i : due_camera) slots[i].present = false;
    std::sort(due_pool.begin(), due_pool.end(), [&](std::size_t a, std::size_t b) {
      return slots[a].license.key < slots[b].license.key;
    });
    std::sort(due_camera.begin(), due_camera.end(), [&](std::size_t a, std::size_t b) {
      const License& x = slots[a].license;
      const License& y = slots[b].license;
      return std::tie(x.assigned_to, x.service) < std::tie(y.assigned_to, y.service);
    });
    for (std::size_t i : due_pool) {
      const License& l = slots[i].license;
      ForecastEvent e;
      e.at = t;
      e.kind = ForecastEvent::Kind::kExpiredInPool;
      e.service = l.service;
      e.expired_key = l.key;
      const UnixSeconds since = std::max(snapshot.now, *l.activated_at);
      e.wasted_days = t > since ? static_cast<double>((t - since) / 86400) : 0.0;
      ServiceForecast& sf = out.services[l.service];
      sf.expired_in_pool++;
      sf.wasted_days += e.wasted_days;
      out.events.push_back(e);
      note_dry(l.service, t);
    }
    for (std::size_t i : due_camera) {
      const License old = slots[i].license;
      ForecastEvent e;
      e.at = t;
      e.service = old.service;
      e.camera = old.assigned_to;
      e.expired_key = old.key;
      std::optional<std::size_t> best;
      int equal = 0;
      if (old.auto_renew) {
        for (std::size_t j = 0; j < slots.size(); ++j) {
          const Slot& c = slots[j];
          if (!c.present || c.license.service != old.service || !c.license.assigned_to.empty()) {
            continue;
          }
          if (!best) {
            best = j;
            equal = 1;
            continue;
          }
          const std::int64_t rc = RemainingAt(c.license, t);
          const std::int64_t rb = RemainingAt(slots[*best].license, t);
          if (rc < rb) {
            best = j;
            equal = 1;
          } else if (rc == rb) {
            ++equal;
            if (c.license.key < slots[*best].license.key) best = j;
          }
        }
      }
      ServiceForecast& sf = out.services[old.service];
      if (!best) {
        e.kind = ForecastEvent::Kind::kLapsed;
        e.reason = old.auto_renew ? ForecastEvent::LapseReason::kPoolEmpty
                                  : ForecastEvent::LapseReason::kAutoRenewOff;
        sf.lapses++;
        if (old.auto_renew && !held_at_start[old.service] && !sf.pool_dry_at) {
          sf.pool_dry_at = snapshot.now;
        }
        out.events.push_back(e);
        continue;
      }
      License& taken = slots[*best].license;
      if (!taken.activated_at) taken.activated_at = t;
      taken.assigned_to = old.assigned_to;
      taken.auto_renew = true;
      e.kind = ForecastEvent::Kind::kRenewed;
      e.new_key = taken.key;
      e.new_key_term_days = taken.term_days;
      e.tie = equal > 1;
      sf.renewals++;
      out.events.push_back(e);
      note_dry(old.service, t);
    }
  }

  out.at_until.now = until;
  out.at_until.account.name = snapshot.account.name;
  out.at_until.account.cameras = snapshot.account.cameras;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const License& before = snapshot.account.licenses[i];
    if (!slots[i].present || slots[i].license.assigned_to != before.assigned_to) {
      out.changed_keys.push_back(before.key);
    }
    if (slots[i].present) out.at_until.account.licenses.push_back(slots[i].license);
  }
  std::sort(out.changed_keys.begin(), out.changed_keys.end());
  return out;
}

}  // namespace licmove::testing
