// Small accounts for the forecast's tests, in days from a fixed now.
#pragma once

#include <optional>
#include <string>

#include "model/account.h"

namespace licmove::testing {

inline constexpr UnixSeconds kNow = 1'795'910'400;  // 2026-11-29T00:00:00Z

inline UnixSeconds Day(double days) {
  return kNow + static_cast<UnixSeconds>(days * kSecondsPerDay);
}

// A pool license never activated.
inline License Fresh(std::string key, std::string service, int term_days) {
  License l;
  l.key = std::move(key);
  l.service = std::move(service);
  l.term_days = term_days;
  return l;
}

// An activated license expiring `expires_in_days` after now, in the pool
// unless `camera` is given.
inline License Running(std::string key, std::string service, int term_days, double expires_in_days,
                       std::string camera = "", bool auto_renew = false) {
  License l = Fresh(std::move(key), std::move(service), term_days);
  l.activated_at = Day(expires_in_days) - static_cast<UnixSeconds>(term_days) * kSecondsPerDay;
  l.assigned_to = std::move(camera);
  l.auto_renew = auto_renew;
  return l;
}

inline Camera Cam(std::string serial) {
  Camera c;
  c.serial = serial;
  c.name = serial;
  c.site = "hq";
  return c;
}

}  // namespace licmove::testing
