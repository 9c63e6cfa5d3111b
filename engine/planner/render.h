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

std::string RenderText(const PlannedChange& plan);
// {"format_version":1, "account", "ops", "summary", "predicted", ...}
std::string RenderJson(const PlannedChange& plan);
std::string RenderMarkdown(const PlannedChange& plan);
std::string RenderDot(const PlannedChange& plan);
std::string Render(const PlannedChange& plan, OutputFormat format);

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
