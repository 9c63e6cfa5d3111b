// Internal to licmove_files: everything after YAML parsing (version, schema,
// decoding, the rules that span values), shared by Parse*/Load* and by
// ValidateFile so that a file is parsed once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "files/diagnostic.h"
#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "files/yaml_document.h"

namespace licmove {

// Append every problem to `out`; the result is complete only when none was
// added. Decoding keeps one item per list entry, even a broken one, so that
// item i of a decoded list is entry i of the document.
Plan CheckPlanDocument(const YamlDocument& doc, Diagnostics& out);
Fleet CheckFleetDocument(const YamlDocument& doc, Diagnostics& out);

// A plan's `moves_csv` file (plan_csv.cc) read into a document shaped like
// a plan, {"version": 1, "account": "csv", "moves": [{"from": ..., ...}]},
// whose positions are the CSV's cells and whose `file` is the CSV's path, so
// that the plan schema and the plan rules check its moves as they check the
// YAML's and point at the CSV. A row's member is left out for an empty cell
// or one already reported (a bad auto_renew); rows that are blank or have the
// wrong number of fields are left out. nullopt, reported at `moves_csv`,
// when the file cannot be read.
std::optional<YamlDocument> ReadMovesCsv(const YamlDocument& plan, Diagnostics& out);
YamlDocument MovesCsvDocument(std::string_view text, const std::string& file, Diagnostics& out);
// `moves_csv` as named relative to the plan file's folder ("plans/x.yaml",
// "swaps.csv" -> "plans/swaps.csv"); an absolute path stays as it is.
std::string MovesCsvPath(const std::string& plan_file, const std::string& moves_csv);

// The rules that span values (plan_rules.cc, fleet_rules.cc). They skip
// fields that decoded empty: those are already reported. `csv` is the
// plan's ReadMovesCsv document, or null: the moves whose `file` is set came
// from it, in its order, after the YAML's.
void CheckPlanRules(const Plan& plan, const YamlDocument& doc, const YamlDocument* csv,
                    Diagnostics& out);
void CheckFleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out);

}  // namespace licmove
