// Internal to licmove_files: everything after YAML parsing (version, schema,
// decoding, the rules that span values), shared by Parse*/Load* and by
// ValidateFile so that a file is parsed once.
#pragma once

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

// The rules that span values (plan_rules.cc, fleet_rules.cc). They skip
// fields that decoded empty: those are already reported.
void CheckPlanRules(const Plan& plan, const YamlDocument& doc, Diagnostics& out);
void CheckFleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out);

}  // namespace licmove
