// What `licmove plan --at TIME` adds to a plan: when TIME is, and what the
// forecast played between the account as read and TIME (renewals, lapses,
// expiries), with the ties that make a key the plan names a guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "forecast/forecast.h"
#include "model/status.h"
#include "planner/saved_plan.h"

namespace licmove {

// TIME as RFC 3339, or an offset from the account's `now`: "+7d", "+36h",
// "+2w", "+90m", "+3600s". InvalidArgument for anything else or a TIME
// before `now`.
Result<UnixSeconds> ParseAtTime(std::string_view text, UnixSeconds now);

// A renewal whose key is a tie and which the plan depends on: its camera or
// key is bound, or the plan activates its service (the key left in the pool
// is then a guess too).
bool TieMattersToPlan(const ForecastEvent& e, const Binding& binding);

// For text and markdown output: a header line and one line per event (at most
// `max_events`; 0: all), the ties the plan depends on last.
std::string ForecastNoteText(const Forecast& f, const Binding& binding, std::size_t max_events);
// For JSON output: {"read_at", "at", "events":[...], "guesses":[...]}.
boost::json::object ForecastNoteJson(const Forecast& f, const Binding& binding);

}  // namespace licmove
