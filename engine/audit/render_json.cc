// The audit as one JSON document, "licmove-audit": every figure the other
// formats show, for tools. Fields are only added within a format_version.
#include <boost/json.hpp>

#include "audit/render.h"
#include "model/license.h"

namespace licmove {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return a;
}

json::value DayOrNull(const std::optional<UnixSeconds>& t) {
  return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
}

json::object EventToJson(const ForecastEvent& e) {
  json::object o;
  o["at"] = FormatTimestamp(e.at);
  o["kind"] = std::string(ForecastEventKindName(e.kind));
  o["service"] = e.service;
  o["camera"] = e.camera.empty() ? json::value(nullptr) : json::value(e.camera);
  o["expired_key"] = e.expired_key;
  if (e.kind == ForecastEvent::Kind::kRenewed) {
    o["new_key"] = e.new_key;
    o["new_key_term_days"] = e.new_key_term_days;
    o["tie"] = e.tie;
  }
  if (e.kind == ForecastEvent::Kind::kLapsed) {
    o["reason"] = std::string(LapseReasonName(e.reason));
  }
  if (e.kind == ForecastEvent::Kind::kExpiredInPool) o["wasted_days"] = e.wasted_days;
  return o;
}

json::array Events(const std::vector<ForecastEvent>& events) {
  json::array a;
  for (const ForecastEvent& e : events) a.push_back(EventToJson(e));
  return a;
}

json::object InventoryToJson(const Inventory& inv) {
  json::array services;
  for (const ServiceInventory& s : inv.services) {
    json::object by_term;
    for (const auto& [days, n] : s.pool_by_term) by_term[TermLabelForDays(days)] = n;
    const RemainingBands& b = s.pool_by_remaining;
    services.push_back(
        json::object{{"service", s.service},
                     {"assigned", s.assigned},
                     {"pool", s.pool},
                     {"pool_by_term", std::move(by_term)},
                     {"pool_by_remaining", json::object{{"under_30d", b.under_30d},
                                                        {"30_to_90d", b.d30_to_90},
                                                        {"90_to_365d", b.d90_to_365},
                                                        {"over_365d", b.over_365d},
                                                        {"never_activated", b.never_activated}}},
                     {"cameras_without", s.cameras_without},
                     {"auto_renew_on", s.auto_renew_on},
                     {"auto_renew_off", s.auto_renew_off}});
  }
  return json::object{
      {"cameras", inv.cameras}, {"licenses", inv.licenses}, {"services", std::move(services)}};
}

json::object ForecastToJson(const Forecast& f) {
  json::array services;
  for (const auto& [name, s] : f.services) {
    services.push_back(json::object{{"service", name},
                                    {"pool_dry_at", DayOrNull(s.pool_dry_at)},
                                    {"renewals", s.renewals},
                                    {"lapses", s.lapses},
                                    {"expired_in_pool", s.expired_in_pool},
                                    {"wasted_days", s.wasted_days}});
  }
  json::array purchases;
  for (const PurchaseAdvice& p : f.purchases) {
    purchases.push_back(json::object{{"service", p.service},
                                     {"term_days", p.term_days},
                                     {"count", p.count},
                                     {"buy_by", FormatTimestamp(p.buy_by)}});
  }
  return json::object{{"from", FormatTimestamp(f.from)},
                      {"until", FormatTimestamp(f.until)},
                      {"renewals", CountEvents(f, ForecastEvent::Kind::kRenewed)},
                      {"lapses", CountEvents(f, ForecastEvent::Kind::kLapsed)},
                      {"expired_in_pool", CountEvents(f, ForecastEvent::Kind::kExpiredInPool)},
                      {"services", std::move(services)},
                      {"events", Events(f.events)},
                      {"purchases", std::move(purchases)}};
}

}  // namespace

std::string RenderAuditJson(const Audit& a) {
  json::array runs;
  for (const UnfinishedRunAudit& r : a.runs) {
    json::object o{{"run_id", r.run_id},
                   {"kind", r.kind},
                   {"result", r.result},
                   {"started_at", FormatTimestamp(r.started_at)},
                   {"parked_keys", Strings(r.parked_keys)},
                   {"maybe_parked_keys", Strings(r.maybe_parked_keys)},
                   {"removed_cameras", Strings(r.removed_cameras)}};
    if (!r.error.empty()) o["error"] = r.error;
    runs.push_back(std::move(o));
  }
  const std::vector<std::string> why = AttentionReasons(a);
  json::object doc{{"format", "licmove-audit"},
                   {"format_version", kAuditFormatVersion},
                   {"account", a.account},
                   {"source", a.source},
                   {"state", a.state},
                   {"now", FormatTimestamp(a.inventory.now)},
                   {"needs_attention", !why.empty()},
                   {"attention", Strings(why)},
                   {"inventory", InventoryToJson(a.inventory)},
                   {"unfinished_runs", std::move(runs)},
                   {"forecast", ForecastToJson(a.forecast)}};
  if (a.window) {
    doc["window"] = json::object{{"start", FormatTimestamp(a.window->start)},
                                 {"end", FormatTimestamp(a.window->end)},
                                 {"events", Events(a.window->events)}};
  }
  if (a.plan) {
    json::object p{{"plan_file", a.plan->plan_file},
                   {"by", FormatTimestamp(a.plan->by)},
                   {"guard_keys", Strings(a.plan->guard_keys)},
                   {"carried_keys", Strings(a.plan->carried_keys)},
                   {"changed_keys", Strings(a.plan->changed_keys)}};
    if (!a.plan->plan_error.empty()) p["plan_error"] = a.plan->plan_error;
    doc["plan"] = std::move(p);
  }
  return json::serialize(doc) + "\n";
}

}  // namespace licmove
