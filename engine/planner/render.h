// A planned change for people (text), tools (JSON, docs/PLANNER.md), change
// tickets (Markdown) and graph viewers (DOT). Plan output shows keys in full.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "planner/planner.h"

namespace licmove {

enum class OutputFormat { kText, kJson, kMarkdown, kDot };

// "text" | "json" | "markdown" | "dot".
std::optional<OutputFormat> OutputFormatFromName(std::string_view name);

// `max_lines` 0: every camera, parked key and step. Otherwise, when those
// sections together pass `max_lines` lines, each section shows its first
// share of them and says how many more it has ("N more steps not shown;
// --detailed prints all"); the header and the summary are always whole.
std::string RenderText(const PlannedChange& plan, std::size_t max_lines = 0);
// What `licmove plan` and `apply` show as text without --detailed.
inline constexpr std::size_t kTextPlanLines = 300;
// {"format_version":1, "account", "ops", "summary", "predicted", ...}
std::string RenderJson(const PlannedChange& plan);
std::string RenderMarkdown(const PlannedChange& plan);
std::string RenderDot(const PlannedChange& plan);
// `text_max_lines`: RenderText's `max_lines` (the other formats are whole).
std::string Render(const PlannedChange& plan, OutputFormat format, std::size_t text_max_lines = 0);

// One line about one op: "activate alarm-management on CAM-0007 -> AM-5Y-0001".
std::string DescribeOp(const Op& op);

// Per re-added camera and service it gets back: the steps between its removal
// and that activation when every op runs as early as it can.
struct Downtime {
  std::string camera;
  std::string service;
  int steps = 0;
};
std::vector<Downtime> ServiceDowntimes(const OpGraph& graph);

}  // namespace licmove
