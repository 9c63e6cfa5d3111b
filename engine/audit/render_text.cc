// The audit as text for a terminal: the verdict first, then each part.
#include <sstream>

#include "audit/render.h"
#include "model/license.h"

namespace licmove {

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void WriteEvent(std::ostream& out, const ForecastEvent& e) {
  out << "  " << FormatTimestamp(e.at) << "  " << e.service << "  ";
  switch (e.kind) {
    case ForecastEvent::Kind::kRenewed:
      out << e.camera << " renews: " << e.expired_key << " -> " << e.new_key << " ("
          << TermLabelForDays(e.new_key_term_days) << ")" << (e.tie ? " [tie]" : "");
      break;
    case ForecastEvent::Kind::kLapsed:
      out << e.camera << " LAPSES: " << e.expired_key << " expires, " << LapseReasonText(e.reason);
      break;
    case ForecastEvent::Kind::kExpiredInPool:
      out << e.expired_key << " expires unused in the pool (" << static_cast<long>(e.wasted_days)
          << " license-days wasted)";
      break;
  }
  out << "\n";
}

}  // namespace

std::string RenderAuditText(const Audit& a) {
  std::ostringstream out;
  const Forecast& f = a.forecast;
  out << "audit of account " << a.account << " from " << a.source << " at "
      << FormatTimestamp(a.inventory.now) << ", forecast to " << FormatTimestamp(f.until) << "\n";
  const std::vector<std::string> why = AttentionReasons(a);
  if (why.empty()) {
    out << "verdict: nothing due by " << FormatDay(f.until) << "\n";
  } else {
    out << "verdict: needs attention\n";
    for (const std::string& w : why) out << "  - " << w << "\n";
  }

  out << "\ninventory: " << a.inventory.cameras << " cameras, " << a.inventory.licenses
      << " licenses\n";
  for (const ServiceInventory& s : a.inventory.services) {
    out << "  " << s.service << ": " << s.assigned << " assigned (auto-renew " << s.auto_renew_on
        << " on, " << s.auto_renew_off << " off), " << s.pool << " in the pool, "
        << s.cameras_without << " cameras without it\n";
    out << "    pool by term:";
    if (s.pool_by_term.empty()) out << " none";
    for (const auto& [days, n] : s.pool_by_term) out << " " << TermLabelForDays(days) << " " << n;
    out << "\n    pool by remaining validity:";
    for (const auto& [band, n] : BandList(s.pool_by_remaining))
      out << " " << band << " " << n << ";";
    out << "\n";
  }

  out << "\nunfinished runs in " << a.state << ": ";
  if (a.runs.empty()) out << "none";
  out << "\n";
  for (const UnfinishedRunAudit& r : a.runs) {
    out << "  " << r.run_id << "  " << r.kind << "  " << r.result << "  started "
        << FormatTimestamp(r.started_at) << "\n";
    if (!r.error.empty()) out << "    unreadable: " << r.error << "\n";
    if (!r.parked_keys.empty()) {
      out << "    " << r.parked_keys.size()
          << " keys parked outside the account: " << Join(r.parked_keys) << "\n";
    }
    if (!r.maybe_parked_keys.empty()) {
      out << "    parked or not (outcome unknown): " << Join(r.maybe_parked_keys) << "\n";
    }
    if (!r.removed_cameras.empty()) {
      out << "    cameras removed and not added back: " << Join(r.removed_cameras) << "\n";
    }
  }

  out << "\nforecast to " << FormatDay(f.until) << " (" << f.events.size() << " events):\n";
  for (const auto& [service, s] : f.services) {
    out << "  " << service << ": " << s.renewals << " renewals, " << s.lapses << " lapses, "
        << s.expired_in_pool << " expire unused (" << static_cast<long>(s.wasted_days)
        << " license-days wasted), pool "
        << (s.pool_dry_at ? "runs dry on " + FormatDay(*s.pool_dry_at)
                          : std::string("never runs dry"))
        << "\n";
  }
  for (const ForecastEvent& e : f.events) WriteEvent(out, e);
  if (!f.purchases.empty()) {
    out << "\nto buy:\n";
    for (const PurchaseAdvice& p : f.purchases) {
      out << "  " << p.count << " x " << p.service << " " << TermLabelForDays(p.term_days) << " by "
          << FormatDay(p.buy_by) << "\n";
    }
  }

  if (a.window) {
    out << "\nwindow " << FormatTimestamp(a.window->start) << " .. "
        << FormatTimestamp(a.window->end) << ": ";
    if (a.window->events.empty()) out << "nothing expires or renews";
    out << "\n";
    for (const ForecastEvent& e : a.window->events) WriteEvent(out, e);
  }
  if (a.plan) {
    const PlanKeysAudit& p = a.plan.value();
    out << "\nplan " << p.plan_file << ": " << p.guard_keys.size() << " guard keys, "
        << p.carried_keys.size() << " keys its moves carry";
    if (!p.plan_error.empty()) out << " (not plannable now: " << p.plan_error << ")";
    out << "\n  changed by " << FormatTimestamp(p.by) << ": "
        << (p.changed_keys.empty() ? std::string("none") : Join(p.changed_keys)) << "\n";
  }
  return out.str();
}

}  // namespace licmove
