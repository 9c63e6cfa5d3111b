// Plan files (schemas/plan.v1.schema.json): what an operator wants moved.
// Intents keep where they were written so that every later error, in the
// planner too, can name the plan file line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "files/diagnostic.h"
#include "model/license.h"
#include "model/status.h"

namespace licmove {

// The license of `service` on camera `from` ends on camera `to`.
struct MoveIntent {
  std::string from;                         // camera serial
  std::string to;                           // camera serial
  std::optional<std::string> service;       // may be left out when `from` holds one service
  std::optional<std::string> key;           // guard: `from` must hold exactly this key
  std::optional<bool> auto_renew;           // nullopt keeps the source's setting
  std::optional<bool> release_destination;  // nullopt: options.release_destinations
  TextPosition where;                       // the list item, or the CSV row
  std::string file;                         // the file `where` is in; empty: the plan file
  // The `from`, `to` and `key` values, for an error about one of them; line
  // 0 (not read from the plan file, or a CSV row) means `where`.
  TextPosition from_where, to_where, key_where;
};

// `cameras` each get a license of `service`, chosen by `term` (5-year-first).
struct AssignIntent {
  std::vector<std::string> cameras;
  std::vector<TextPosition> camera_where;  // one per camera
  std::string service;
  TermChoice term;
  std::optional<bool> auto_renew;  // nullopt: false
  TextPosition where;
};

struct PlanOptions {
  bool restore_sources = true;        // re-add removed sources with their other services
  bool release_destinations = false;  // a destination's own license of the service may go
};

struct Plan {
  std::string file;  // as given on the command line
  int version = 1;
  std::string account;
  TextPosition account_where;     // the `account` value; line 0 when not read from a file
  std::vector<MoveIntent> moves;  // those of `moves`, then those of `moves_csv`
  std::vector<AssignIntent> assigns;
  PlanOptions options;
};

// Parses and fully validates (YAML, schema, semantics that need no account).
// On failure the Status message holds every diagnostic, one a line.
Result<Plan> LoadPlanFile(const std::string& path);
Result<Plan> ParsePlan(std::string_view text, const std::string& file);

// What `licmove validate` runs: tells plan from fleet by content and returns
// every problem found (empty when the file is valid). Never throws.
Diagnostics ValidateFile(const std::string& path);

}  // namespace licmove
