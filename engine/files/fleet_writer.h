// Writes a Fleet as a fleet file (schemas/fleet.v1.schema.json), in YAML or
// JSON, for `licmove snapshot`. LoadFleetFile reads either back to the same
// fleet. Plain string building, one camera or license a line: a 100,000
// camera account is written in a few tens of milliseconds, where an emitter
// building a node tree would take seconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "files/fleet_file.h"

namespace licmove {

enum class FleetFormat { kYaml, kJson };

// By the file's extension: .yaml/.yml or .json; nullopt for anything else.
std::optional<FleetFormat> FleetFormatForPath(std::string_view path);

// The whole fleet, users (with their tokens) included when it has any; a
// caller that must not write tokens leaves `fleet.users` empty. `comment`
// (YAML only) becomes "# " lines at the top.
std::string WriteFleet(const Fleet& fleet, FleetFormat format, std::string_view comment = {});

// `text` as a double-quoted string that is both valid JSON and a valid YAML
// 1.2 double-quoted scalar: quote, backslash and every character YAML does
// not allow raw (controls, DEL, C1, U+FEFF, U+FFFE/U+FFFF) escaped as \uXXXX.
void AppendQuoted(std::string& out, std::string_view text);

}  // namespace licmove
