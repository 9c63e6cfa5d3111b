#include "audit/audit.h"

namespace licmove {

int CountEvents(const Forecast& forecast, ForecastEvent::Kind kind) {
  int n = 0;
  for (const ForecastEvent& e : forecast.events) n += e.kind == kind;
  return n;
}

std::vector<std::string> AttentionReasons(const Audit& a) {
  std::vector<std::string> why;
  const int lapses = CountEvents(a.forecast, ForecastEvent::Kind::kLapsed);
  if (lapses > 0) {
    why.push_back(std::to_string(lapses) + " camera service(s) lapse by " +
                  FormatDay(a.forecast.until));
  }
  for (const auto& [service, s] : a.forecast.services) {
    if (s.pool_dry_at) {
      why.push_back("the " + service + " pool runs dry on " + FormatDay(*s.pool_dry_at));
    }
  }
  int parked = 0;
  for (const UnfinishedRunAudit& r : a.runs) {
    parked += static_cast<int>(r.parked_keys.size() + r.maybe_parked_keys.size());
  }
  if (!a.runs.empty()) {
    why.push_back(std::to_string(a.runs.size()) + " unfinished run(s) on account " + a.account +
                  ": resume or roll them back first");
  }
  if (parked > 0) {
    why.push_back(std::to_string(parked) +
                  " key(s) parked outside the account by unfinished runs: a window must not "
                  "start with keys out");
  }
  if (a.plan && !a.plan->changed_keys.empty()) {
    why.push_back(std::to_string(a.plan->changed_keys.size()) + " key(s) that " +
                  a.plan->plan_file + " names change by " + FormatDay(a.plan->by));
  }
  return why;
}

std::vector<std::pair<UnixSeconds, int>> PoolLevels(const Audit& a, const std::string& service) {
  int level = 0;
  for (const ServiceInventory& s : a.inventory.services) {
    if (s.service == service) level = s.pool;
  }
  std::vector<std::pair<UnixSeconds, int>> out{{a.forecast.from, level}};
  for (const ForecastEvent& e : a.forecast.events) {
    if (e.service != service) continue;
    // A renewal takes a key from the pool; a license running out there
    // leaves it. A lapse changes nothing in the pool (that is why it lapsed,
    // or auto-renew was off).
    if (e.kind == ForecastEvent::Kind::kLapsed) continue;
    --level;
    if (out.back().first == e.at) {
      out.back().second = level;
    } else {
      out.emplace_back(e.at, level);
    }
  }
  return out;
}

std::string FormatDay(UnixSeconds t) {
  return FormatTimestamp(t).substr(0, 10);
}

std::string LapseReasonText(ForecastEvent::LapseReason reason) {
  switch (reason) {
    case ForecastEvent::LapseReason::kAutoRenewOff:
      return "auto-renew off";
    case ForecastEvent::LapseReason::kPoolEmpty:
      return "no license in the pool";
    case ForecastEvent::LapseReason::kNone:
      break;
  }
  return "";
}

}  // namespace licmove
