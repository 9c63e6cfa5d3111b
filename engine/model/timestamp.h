// Points in time as whole seconds since the Unix epoch, UTC.
//
// The portal and the fleet files speak RFC 3339 ("2026-11-29T00:00:00Z").
// Remaining validity is compared in whole seconds, by the simulator and the
// planner alike, so that two licenses tie exactly when their seconds agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace licmove {

using UnixSeconds = std::int64_t;
inline constexpr std::int64_t kSecondsPerDay = 86400;

// Accepts "YYYY-MM-DDTHH:MM:SS" with an optional ".fraction" (dropped) and a
// "Z" or "+HH:MM"/"-HH:MM" offset. nullopt for anything else, including
// out-of-range fields such as month 13 or February 30.
std::optional<UnixSeconds> ParseTimestamp(std::string_view text);

// HTTP's Date header, IMF-fixdate only ("Sun, 29 Nov 2026 00:00:00 GMT"), the
// form RFC 9110 says senders must use.
std::optional<UnixSeconds> ParseHttpDate(std::string_view text);

// IMF-fixdate, for a Date header: "Sun, 29 Nov 2026 00:00:00 GMT".
std::string FormatHttpDate(UnixSeconds t);

// Always "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTimestamp(UnixSeconds t);

// A span of time as operators write it: a whole number and one unit, s, m, h,
// d, w or y (365 days): "30d", "36h", "2y". Seconds, or nullopt for anything
// else, negative or over 200 years (no overflow, no real horizon is longer).
// The one reading of --expiring-within, --horizon and --at +OFFSET.
std::optional<std::int64_t> ParseDuration(std::string_view text);

}  // namespace licmove
