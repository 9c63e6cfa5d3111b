// The kinds of file licmove reads, their version stamps and their JSON
// Schemas (schemas/*.schema.json, compiled into the binary). Checking a
// document against its schema yields operator-worded diagnostics at the
// line:col of each offending value, never the validator's raw text.
#pragma once

#include "files/edit_distance.h"

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "files/diagnostic.h"
#include "files/yaml_document.h"

namespace licmove {

enum class FileKind { kUnknown, kPlan, kFleet };

// "plan", "fleet", "unknown".
std::string_view FileKindName(FileKind kind);

// The only format version of each kind this licmove reads. A file stamped
// with another version is refused as a whole: its other fields may mean
// something this licmove does not know.
inline constexpr int kPlanFormatVersion = 1;
inline constexpr int kFleetFormatVersion = 1;

// The JSON Schema text of a kind's current version. REQUIRES: kind is known.
std::string_view SchemaText(FileKind kind);

// Checks the `version` stamp, then the schema of that version. Returns
// false, with the reason in `out`, when the version is one this licmove does
// not read; then nothing else about the file is checked. A missing version is
// reported and the file checked as the current version.
// REQUIRES: kind is known.
bool CheckVersionAndSchema(const YamlDocument& doc, FileKind kind, Diagnostics& out);

// The two ways CheckVersionAndSchema decides, apart, for the tests that hold
// the fast one to valijson: surely valid by the schema's SchemaFastCheck
// (false when it has none), and valid by valijson alone.
bool SchemaSurelyValid(const boost::json::value& root, FileKind kind);
bool SchemaValidByValidator(const boost::json::value& root, FileKind kind);
// Why the kind's schema has no fast check; "" when it has one.
std::string SchemaFastCheckMissing(FileKind kind);

}  // namespace licmove
