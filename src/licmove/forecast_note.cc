#include "forecast_note.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace licmove {

Result<UnixSeconds> ParseAtTime(std::string_view text, UnixSeconds now) {
  std::optional<UnixSeconds> at;
  if (!text.empty() && text.front() == '+') {
    if (std::optional<std::int64_t> offset = ParseDuration(text.substr(1))) at = now + *offset;
  } else {
    at = ParseTimestamp(text);
  }
  if (!at) {
    return Status::InvalidArgument("--at " + std::string(text) +
                                   ": not a time (RFC 3339, e.g. 2027-01-15T02:00:00Z, or an "
                                   "offset from the account's now such as +7d, +36h, +2w)");
  }
  if (*at < now) {
    return Status::InvalidArgument("--at " + std::string(text) + " (" + FormatTimestamp(*at) +
                                   ") is before the account's now " + FormatTimestamp(now));
  }
  return *at;
}

bool TieMattersToPlan(const ForecastEvent& e, const Binding& binding) {
  if (e.kind != ForecastEvent::Kind::kRenewed || !e.tie) return false;
  auto camera = [&](const BoundCamera& c) { return c.serial == e.camera; };
  auto key = [&](const BoundLicense& l) { return l.key == e.new_key; };
  auto pool = [&](const BoundPool& p) { return p.service == e.service; };
  return std::any_of(binding.cameras.begin(), binding.cameras.end(), camera) ||
         std::any_of(binding.licenses.begin(), binding.licenses.end(), key) ||
         std::any_of(binding.pools.begin(), binding.pools.end(), pool);
}

namespace {

std::string EventLine(const ForecastEvent& e) {
  std::ostringstream s;
  s << FormatTimestamp(e.at) << "  " << ForecastEventKindName(e.kind) << "  " << e.service;
  if (!e.camera.empty()) s << "  " << e.camera;
  s << "  " << e.expired_key;
  switch (e.kind) {
    case ForecastEvent::Kind::kRenewed:
      s << " -> " << e.new_key << " (" << TermLabelForDays(e.new_key_term_days) << ")"
        << (e.tie ? " [tie]" : "");
      break;
    case ForecastEvent::Kind::kLapsed:
      s << " (" << LapseReasonName(e.reason) << ")";
      break;
    case ForecastEvent::Kind::kExpiredInPool:
      s << " (" << e.wasted_days << " days unused)";
      break;
  }
  return s.str();
}

}  // namespace

std::string ForecastNoteText(const Forecast& f, const Binding& binding, std::size_t max_events) {
  std::ostringstream s;
  s << "planned against the forecast at " << FormatTimestamp(f.until) << " (the account as read at "
    << FormatTimestamp(f.from) << ", played forward by R7): " << f.events.size()
    << (f.events.size() == 1 ? " event" : " events") << " in between\n";
  std::size_t shown = 0;
  for (const ForecastEvent& e : f.events) {
    if (max_events != 0 && shown == max_events) {
      s << "  ... and " << (f.events.size() - shown) << " more (--detailed lists them all)\n";
      break;
    }
    s << "  " << EventLine(e) << "\n";
    ++shown;
  }
  for (const ForecastEvent& e : f.events) {
    if (!TieMattersToPlan(e, binding)) continue;
    s << "guess: on " << FormatTimestamp(e.at) << " the renewal of " << e.camera << " takes "
      << e.new_key << " or another " << e.service
      << " key with the same remaining validity (the portal's choice); the plan assumes "
      << e.new_key << ", and apply refuses it if the portal chose otherwise\n";
  }
  return s.str();
}

boost::json::object ForecastNoteJson(const Forecast& f, const Binding& binding) {
  boost::json::array events, guesses;
  for (const ForecastEvent& e : f.events) {
    boost::json::object o{{"at", FormatTimestamp(e.at)},
                          {"kind", ForecastEventKindName(e.kind)},
                          {"service", e.service},
                          {"expired_key", e.expired_key}};
    if (!e.camera.empty()) o["camera"] = e.camera;
    if (e.kind == ForecastEvent::Kind::kRenewed) {
      o["new_key"] = e.new_key;
      o["new_key_term_days"] = e.new_key_term_days;
      o["tie"] = e.tie;
    }
    if (e.kind == ForecastEvent::Kind::kLapsed) o["reason"] = LapseReasonName(e.reason);
    if (e.kind == ForecastEvent::Kind::kExpiredInPool) o["wasted_days"] = e.wasted_days;
    if (TieMattersToPlan(e, binding)) {
      guesses.emplace_back(boost::json::object{
          {"at", FormatTimestamp(e.at)}, {"camera", e.camera}, {"key", e.new_key}});
    }
    events.emplace_back(std::move(o));
  }
  return boost::json::object{{"read_at", FormatTimestamp(f.from)},
                             {"at", FormatTimestamp(f.until)},
                             {"events", std::move(events)},
                             {"guesses", std::move(guesses)}};
}

}  // namespace licmove
