// The HTML audit's charts as inline SVG: plain shapes and text, sized in
// the viewBox so that they scale to the page and print sharp. No script,
// no font files, nothing fetched.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/timestamp.h"

namespace licmove {

// `text` made safe for HTML and SVG text and attribute values (XmlEscape:
// &, <, >, " escaped, ill-formed UTF-8 replaced, forbidden controls dropped).
std::string EscapeHtml(const std::string& text);

// A step line of one service's pool size from `from` to `until`: (instant,
// level from then on), the first at `from`. `dry_at` marks the day it runs
// dry, if any.
std::string PoolLevelChart(const std::vector<std::pair<UnixSeconds, int>>& levels, UnixSeconds from,
                           UnixSeconds until, const UnixSeconds* dry_at);

struct MonthCounts {
  std::string month;  // "2027-03"
  int renewals = 0;
  int lapses = 0;
};
// Two bars a month: renewals and lapses.
std::string MonthlyBarsChart(const std::vector<MonthCounts>& months);

// One horizontal bar per (label, value), e.g. wasted license-days a service.
std::string HorizontalBarsChart(const std::vector<std::pair<std::string, double>>& bars,
                                const std::string& unit);

}  // namespace licmove
