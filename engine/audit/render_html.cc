// The audit as ONE self-contained HTML file: inline CSS (with a print
// stylesheet) and inline SVG charts; no script, no font, no image or style
// fetched from anywhere, so that it opens offline, from a CI artifact or a
// mail, and prints as it shows. Key figures carry ids (lapse-count,
// pool-dry-SERVICE, ...) so that tools and tests find them in the DOM.
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include "audit/render.h"
#include "audit/svg_chart.h"
#include "model/license.h"

namespace licmove {

namespace {

constexpr const char* kStyle = R"(
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5dae3; --ok: #1f7a4d;
        --warn: #b3261e; --accent: #2f5fb3; --waste: #c77700; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       margin: 0 auto; padding: 24px; max-width: 1100px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); }
.verdict { padding: 12px 16px; border-radius: 6px; margin: 16px 0; border-left: 6px solid; }
.verdict.ok { background: #eaf6ef; border-color: var(--ok); }
.verdict.attention { background: #fdeceb; border-color: var(--warn); }
.verdict ul { margin: 6px 0 0 18px; padding: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.figure b { display: block; font-size: 22px; }
.figure.bad b { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f9; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; }
.lapsed { color: var(--warn); font-weight: 600; }
.tie { color: var(--muted); font-style: italic; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.charts .wide { grid-column: 1 / -1; }
svg.chart { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .level { fill: none; stroke: var(--accent); stroke-width: 2.5; }
svg .dry { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .drylabel { font-size: 11px; fill: var(--warn); }
svg rect.renewed { fill: var(--accent); }
svg rect.lapsed { fill: var(--warn); }
svg rect.wasted { fill: var(--waste); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { padding: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  table, svg.chart, .figure, .verdict { break-inside: avoid; }
  .verdict, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts { grid-template-columns: 1fr 1fr; }
}
)";

std::string H(const std::string& s) {
  return EscapeHtml(s);
}

std::string Slug(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out;
}

std::string KeyList(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& k : keys)
    out += (out.empty() ? "" : ", ") + ("<code>" + H(k) + "</code>");
  return out;
}

void Figure(std::ostream& out, const std::string& id, const std::string& label,
            const std::string& value, bool bad) {
  out << "<div class=\"figure" << (bad ? " bad" : "") << "\"><b id=\"" << id << "\">" << H(value)
      << "</b>" << H(label) << "</div>";
}

void EventsTable(std::ostream& out, const std::vector<ForecastEvent>& events) {
  out << "<table><thead><tr><th>when</th><th>service</th><th>camera</th><th>what</th>"
         "<th>expiring key</th><th>key taken</th></tr></thead><tbody>";
  for (const ForecastEvent& e : events) {
    out << "<tr><td>" << FormatDay(e.at) << "</td><td>" << H(e.service) << "</td><td>"
        << (e.camera.empty() ? "" : "<code>" + H(e.camera) + "</code>") << "</td><td>";
    switch (e.kind) {
      case ForecastEvent::Kind::kRenewed:
        out << "renews (" << TermLabelForDays(e.new_key_term_days) << ")"
            << (e.tie ? " <span class=\"tie\">tie: the portal picks among equals</span>" : "");
        break;
      case ForecastEvent::Kind::kLapsed:
        out << "<span class=\"lapsed\">lapses: " << H(LapseReasonText(e.reason)) << "</span>";
        break;
      case ForecastEvent::Kind::kExpiredInPool:
        out << "expires unused: " << static_cast<long>(e.wasted_days) << " license-days wasted";
        break;
    }
    out << "</td><td><code>" << H(e.expired_key) << "</code></td><td>"
        << (e.new_key.empty() ? "" : "<code>" + H(e.new_key) + "</code>") << "</td></tr>";
  }
  out << "</tbody></table>";
}

std::vector<MonthCounts> Months(const Forecast& f) {
  std::map<std::string, MonthCounts> by_month;
  // Every month of the horizon, so that quiet months show as gaps.
  for (UnixSeconds t = f.from; t <= f.until; t += 28 * kSecondsPerDay) {
    const std::string m = FormatTimestamp(t).substr(0, 7);
    by_month[m].month = m;
  }
  const std::string last = FormatTimestamp(f.until).substr(0, 7);
  by_month[last].month = last;
  for (const ForecastEvent& e : f.events) {
    const std::string m = FormatTimestamp(e.at).substr(0, 7);
    MonthCounts& c = by_month[m];
    c.month = m;
    if (e.kind == ForecastEvent::Kind::kRenewed) ++c.renewals;
    if (e.kind == ForecastEvent::Kind::kLapsed) ++c.lapses;
  }
  std::vector<MonthCounts> out;
  for (auto& [m, c] : by_month) out.push_back(c);
  return out;
}

}  // namespace

std::string RenderAuditHtml(const Audit& a) {
  std::ostringstream out;
  const Forecast& f = a.forecast;
  const std::vector<std::string> why = AttentionReasons(a);
  const int lapses = CountEvents(f, ForecastEvent::Kind::kLapsed);
  const int renewals = CountEvents(f, ForecastEvent::Kind::kRenewed);
  double wasted = 0;
  for (const auto& [s, sf] : f.services) wasted += sf.wasted_days;
  int parked = 0;
  for (const UnfinishedRunAudit& r : a.runs) parked += static_cast<int>(r.parked_keys.size());

  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>licmove audit: " << H(a.account) << "</title><style>" << kStyle
      << "</style></head><body>\n";
  out << "<h1>License audit: account <code>" << H(a.account) << "</code></h1>"
      << "<p class=\"meta\">From <code>" << H(a.source) << "</code> at "
      << FormatTimestamp(a.inventory.now) << "; forecast to <span id=\"horizon\">"
      << FormatTimestamp(f.until) << "</span>; runs from <code>" << H(a.state) << "</code>.</p>\n";

  out << "<div class=\"verdict " << (why.empty() ? "ok" : "attention") << "\" id=\"verdict\">";
  if (why.empty()) {
    out << "<b>Nothing due</b> by " << FormatDay(f.until) << ".";
  } else {
    out << "<b>Needs attention</b><ul>";
    for (const std::string& w : why) out << "<li>" << H(w) << "</li>";
    out << "</ul>";
  }
  out << "</div>\n<div class=\"figures\">";
  Figure(out, "lapse-count", "lapses", std::to_string(lapses), lapses > 0);
  Figure(out, "renewal-count", "renewals", std::to_string(renewals), false);
  Figure(out, "wasted-days", "license-days wasted", std::to_string(std::lround(wasted)),
         wasted > 0);
  Figure(out, "unfinished-runs", "unfinished runs", std::to_string(a.runs.size()), !a.runs.empty());
  Figure(out, "parked-keys", "keys parked out", std::to_string(parked), parked > 0);
  out << "</div>\n";

  out << "<h2>Inventory</h2><p>" << a.inventory.cameras << " cameras, " << a.inventory.licenses
      << " licenses.</p><table><thead><tr><th>service</th><th class=\"n\">assigned</th>"
         "<th class=\"n\">auto-renew on</th><th class=\"n\">off</th><th class=\"n\">pool</th>"
         "<th>pool by term</th><th class=\"n\">&lt;30d</th><th class=\"n\">30–90d</th>"
         "<th class=\"n\">90–365d</th><th class=\"n\">≥365d</th><th class=\"n\">never "
         "activated</th><th class=\"n\">cameras without</th></tr></thead><tbody>";
  for (const ServiceInventory& s : a.inventory.services) {
    std::string terms;
    for (const auto& [days, n] : s.pool_by_term) {
      terms += (terms.empty() ? "" : ", ") + TermLabelForDays(days) + ": " + std::to_string(n);
    }
    out << "<tr><td>" << H(s.service) << "</td><td class=\"n\">" << s.assigned
        << "</td><td class=\"n\">" << s.auto_renew_on << "</td><td class=\"n\">" << s.auto_renew_off
        << "</td><td class=\"n\">" << s.pool << "</td><td>" << terms << "</td>";
    for (const auto& [band, n] : BandList(s.pool_by_remaining))
      out << "<td class=\"n\">" << n << "</td>";
    out << "<td class=\"n\">" << s.cameras_without << "</td></tr>";
  }
  out << "</tbody></table>\n";

  out << "<h2>Unfinished runs</h2>";
  if (a.runs.empty()) {
    out << "<p>None.</p>";
  } else {
    out << "<table><thead><tr><th>run</th><th>kind</th><th>state</th><th>started</th>"
           "<th>keys parked outside the account</th><th>cameras not added back</th></tr></thead>"
           "<tbody>";
    for (const UnfinishedRunAudit& r : a.runs) {
      out << "<tr><td><code>" << H(r.run_id) << "</code></td><td>" << H(r.kind) << "</td><td>"
          << H(r.result) << (r.error.empty() ? "" : ": " + H(r.error)) << "</td><td>"
          << FormatTimestamp(r.started_at) << "</td><td>" << KeyList(r.parked_keys)
          << (r.maybe_parked_keys.empty()
                  ? ""
                  : " (outcome unknown: " + KeyList(r.maybe_parked_keys) + ")")
          << "</td><td>" << KeyList(r.removed_cameras) << "</td></tr>";
    }
    out << "</tbody></table>";
  }

  out << "\n<h2>Forecast to " << FormatDay(f.until) << "</h2>"
      << "<table><thead><tr><th>service</th><th class=\"n\">renewals</th><th "
         "class=\"n\">lapses</th>"
         "<th class=\"n\">expire unused</th><th class=\"n\">license-days wasted</th>"
         "<th>pool runs dry</th></tr></thead><tbody>";
  for (const auto& [service, s] : f.services) {
    out << "<tr><td>" << H(service) << "</td><td class=\"n\">" << s.renewals
        << "</td><td class=\"n\">" << s.lapses << "</td><td class=\"n\">" << s.expired_in_pool
        << "</td><td class=\"n\">" << std::lround(s.wasted_days) << "</td><td id=\"pool-dry-"
        << Slug(service) << "\">" << (s.pool_dry_at ? FormatDay(*s.pool_dry_at) : "never")
        << "</td></tr>";
  }
  out << "</tbody></table>";
  if (!f.purchases.empty()) {
    out << "<h3>To buy</h3><ul id=\"purchases\">";
    for (const PurchaseAdvice& p : f.purchases) {
      out << "<li>" << p.count << " × " << H(p.service) << " " << TermLabelForDays(p.term_days)
          << " by " << FormatDay(p.buy_by) << "</li>";
    }
    out << "</ul>";
  }

  out << "\n<h2>Charts</h2><div class=\"charts\">";
  for (const auto& [service, s] : f.services) {
    const UnixSeconds* dry = s.pool_dry_at ? &*s.pool_dry_at : nullptr;
    out << "<div><h3>Pool of " << H(service) << "</h3>"
        << PoolLevelChart(PoolLevels(a, service), f.from, f.until, dry) << "</div>";
  }
  out << "<div class=\"wide\"><h3>Renewals and lapses per month</h3>" << MonthlyBarsChart(Months(f))
      << "</div>";
  std::vector<std::pair<std::string, double>> waste;
  for (const auto& [service, s] : f.services) waste.emplace_back(service, s.wasted_days);
  out << "<div><h3>License-days wasted in the pool</h3>"
      << HorizontalBarsChart(waste, "license-days") << "</div></div>\n";

  if (a.window) {
    out << "<h2>Window " << FormatTimestamp(a.window->start) << " – "
        << FormatTimestamp(a.window->end) << "</h2>";
    if (a.window->events.empty()) {
      out << "<p>Nothing expires or renews during the window.</p>";
    } else {
      EventsTable(out, a.window->events);
    }
  }
  if (a.plan) {
    const PlanKeysAudit& p = a.plan.value();
    out << "<h2>Plan <code>" << H(p.plan_file) << "</code></h2><p>" << p.guard_keys.size()
        << " guard keys, " << p.carried_keys.size() << " keys its moves carry. Changed by "
        << FormatTimestamp(p.by) << ": <span id=\"plan-changed\">"
        << (p.changed_keys.empty() ? "none" : KeyList(p.changed_keys)) << "</span>.</p>";
    if (!p.plan_error.empty()) out << "<p>Not plannable now: " << H(p.plan_error) << "</p>";
  }

  out << "\n<h2>Events</h2>";
  if (f.events.empty()) {
    out << "<p>No license expires by " << FormatDay(f.until) << ".</p>";
  } else {
    EventsTable(out, f.events);
  }
  out << "<footer>licmove audit, format " << kAuditFormatVersion
      << ". Renewals follow the portal's rule: the pool's license with the shortest remaining "
         "validity; a tie means the portal picks among keys of equal validity.</footer>\n"
      << "</body></html>\n";
  return out.str();
}

}  // namespace licmove
