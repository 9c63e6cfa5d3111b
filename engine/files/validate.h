// What `licmove validate` runs on each file: tell a plan from a fleet by
// its content, check it fully, and keep what it decoded to for a summary.
// ValidateFile (plan_file.h) is the short form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "files/diagnostic.h"
#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "files/schema_check.h"

namespace licmove {

struct FileCheck {
  FileKind kind = FileKind::kUnknown;  // unknown when the text is not YAML or tells neither
  Diagnostics diagnostics;             // sorted; empty when the file is valid
  std::optional<Plan> plan;            // set when a valid plan
  std::optional<Fleet> fleet;          // set when a valid fleet file

  bool valid() const { return diagnostics.empty(); }
};

// A mapping with `accounts`, `now`, `users` or `registry` at the top is a
// fleet file; one with `moves`, `moves_csv`, `assign`, `account` or `options` a plan.
FileKind DetectFileKind(const YamlDocument& doc);

// Never throws; an unreadable file is a diagnostic at line 0.
FileCheck CheckFile(const std::string& path);
FileCheck CheckText(std::string_view text, const std::string& file);

}  // namespace licmove
