// JSON text as the same document a YAML file gives (a JSON value plus where
// each value was written), so that the schema check, the decoders and the
// rules point at `file:line:col` in a JSON fleet exactly as in a YAML one.
// licmove's own scanner rather than YAML (JSON is YAML): yaml-cpp reads a
// 100,000-camera fleet in seconds, this in a fraction of one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "files/diagnostic.h"
#include "files/yaml_document.h"

namespace licmove {

// Parses `text`, which must hold one JSON value (RFC 8259; a leading UTF-8
// byte order mark is skipped). Numbers are typed as the YAML reader types
// them (1825.0 is the integer 1825). Appends every problem to `out`: a
// syntax error ends the parse (nullopt); a duplicate key or an over-long
// string is reported and the parse goes on. Never throws but for allocation.
std::optional<YamlDocument> ParseJsonDocument(std::string_view text, const std::string& file,
                                              Diagnostics& out);

// True when `file` names a JSON file (".json", any case): such files are read
// by ParseJsonDocument, every other by ParseYamlDocument.
bool IsJsonFileName(std::string_view file);

// ParseJsonDocument or ParseYamlDocument, by IsJsonFileName(file).
std::optional<YamlDocument> ParseDocument(std::string_view text, const std::string& file,
                                          Diagnostics& out);

}  // namespace licmove
