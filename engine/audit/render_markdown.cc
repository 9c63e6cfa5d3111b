// The audit as Markdown for a CI job summary or a merge-request note. The
// event list stops after kMarkdownEvents rows (saying how many are left
// out), so that a big fleet's summary stays within what CI systems accept.
#include <sstream>

#include "audit/render.h"
#include "model/license.h"

namespace licmove {

namespace {

constexpr std::size_t kMarkdownEvents = 200;

// A table cell: a pipe or a line break would end it.
std::string Cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Code(const std::string& text) {
  return text.empty() ? "" : "`" + Cell(text) + "`";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + Code(s);
  return out;
}

void WriteEvents(std::ostream& out, const std::vector<ForecastEvent>& events) {
  out << "| when | service | camera | what | key |\n| --- | --- | --- | --- | --- |\n";
  std::size_t shown = 0;
  for (const ForecastEvent& e : events) {
    if (shown++ == kMarkdownEvents) break;
    out << "| " << FormatDay(e.at) << " | " << Cell(e.service) << " | " << Code(e.camera) << " | ";
    switch (e.kind) {
      case ForecastEvent::Kind::kRenewed:
        out << "renews with " << TermLabelForDays(e.new_key_term_days) << (e.tie ? " (tie)" : "")
            << " | " << Code(e.expired_key) << " → " << Code(e.new_key);
        break;
      case ForecastEvent::Kind::kLapsed:
        out << "**lapses**: " << LapseReasonText(e.reason) << " | " << Code(e.expired_key);
        break;
      case ForecastEvent::Kind::kExpiredInPool:
        out << "expires unused, " << static_cast<long>(e.wasted_days) << " license-days | "
            << Code(e.expired_key);
        break;
    }
    out << " |\n";
  }
  if (events.size() > kMarkdownEvents) {
    out << "\n"
        << events.size() - kMarkdownEvents
        << " more events not shown; `--format json` or `--format html` lists all.\n";
  }
}

}  // namespace

std::string RenderAuditMarkdown(const Audit& a) {
  std::ostringstream out;
  const Forecast& f = a.forecast;
  out << "## licmove audit: account `" << Cell(a.account) << "`\n\n"
      << "From " << Code(a.source) << " at " << FormatTimestamp(a.inventory.now) << ", forecast to "
      << FormatTimestamp(f.until) << ".\n\n";
  const std::vector<std::string> why = AttentionReasons(a);
  if (why.empty()) {
    out << "**Nothing due** by " << FormatDay(f.until) << ".\n\n";
  } else {
    out << "**Needs attention:**\n\n";
    for (const std::string& w : why) out << "- " << Cell(w) << "\n";
    out << "\n";
  }

  out << "### Inventory\n\n"
      << a.inventory.cameras << " cameras, " << a.inventory.licenses << " licenses.\n\n"
      << "| service | assigned | auto-renew on | off | pool | pool by term | <30d | 30-90d | "
         "90-365d | >=365d | never activated | cameras without |\n"
      << "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const ServiceInventory& s : a.inventory.services) {
    std::string terms;
    for (const auto& [days, n] : s.pool_by_term) {
      terms += (terms.empty() ? "" : ", ") + TermLabelForDays(days) + ": " + std::to_string(n);
    }
    out << "| " << Cell(s.service) << " | " << s.assigned << " | " << s.auto_renew_on << " | "
        << s.auto_renew_off << " | " << s.pool << " | " << terms;
    for (const auto& [band, n] : BandList(s.pool_by_remaining)) out << " | " << n;
    out << " | " << s.cameras_without << " |\n";
  }

  out << "\n### Unfinished runs\n\n";
  if (a.runs.empty()) out << "None in " << Code(a.state) << ".\n";
  for (const UnfinishedRunAudit& r : a.runs) {
    out << "- " << Code(r.run_id) << " (" << Cell(r.kind) << ", " << Cell(r.result) << ", started "
        << FormatTimestamp(r.started_at) << ")";
    if (!r.error.empty()) out << ": unreadable: " << Cell(r.error);
    if (!r.parked_keys.empty()) {
      out << "; " << r.parked_keys.size()
          << " keys parked outside the account: " << Join(r.parked_keys);
    }
    if (!r.maybe_parked_keys.empty()) {
      out << "; parked or not (outcome unknown): " << Join(r.maybe_parked_keys);
    }
    if (!r.removed_cameras.empty()) out << "; cameras not added back: " << Join(r.removed_cameras);
    out << "\n";
  }

  out << "\n### Forecast\n\n"
      << "| service | renewals | lapses | expire unused | license-days wasted | pool runs dry |\n"
      << "| --- | ---: | ---: | ---: | ---: | --- |\n";
  for (const auto& [service, s] : f.services) {
    out << "| " << Cell(service) << " | " << s.renewals << " | " << s.lapses << " | "
        << s.expired_in_pool << " | " << static_cast<long>(s.wasted_days) << " | "
        << (s.pool_dry_at ? FormatDay(*s.pool_dry_at) : std::string("never")) << " |\n";
  }
  if (!f.purchases.empty()) {
    out << "\nTo buy:\n\n";
    for (const PurchaseAdvice& p : f.purchases) {
      out << "- " << p.count << " × " << Cell(p.service) << " " << TermLabelForDays(p.term_days)
          << " by " << FormatDay(p.buy_by) << "\n";
    }
  }
  if (!f.events.empty()) {
    out << "\n";
    WriteEvents(out, f.events);
  }

  if (a.window) {
    out << "\n### Window " << FormatTimestamp(a.window->start) << " .. "
        << FormatTimestamp(a.window->end) << "\n\n";
    if (a.window->events.empty()) {
      out << "Nothing expires or renews during the window.\n";
    } else {
      WriteEvents(out, a.window->events);
    }
  }
  if (a.plan) {
    const PlanKeysAudit& p = a.plan.value();
    out << "\n### Plan " << Code(p.plan_file) << "\n\n"
        << p.guard_keys.size() << " guard keys, " << p.carried_keys.size()
        << " keys its moves carry; changed by " << FormatTimestamp(p.by) << ": "
        << (p.changed_keys.empty() ? std::string("none") : Join(p.changed_keys)) << ".\n";
    if (!p.plan_error.empty()) out << "\nNot plannable now: " << Cell(p.plan_error) << "\n";
  }
  return out.str();
}

}  // namespace licmove
