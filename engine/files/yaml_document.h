// YAML text as a JSON value plus where each value was written, so that the
// schema and the semantic checks can point at the text.
//
// Scalars follow the YAML 1.2 core schema: plain `true`/`false`, `null`/`~`/
// empty, integers and floats are typed; everything else, and every quoted or
// block scalar, is a string (so `2026-11-29T00:00:00Z` stays text and `yes`
// is not a boolean). Values are addressed by JSON Pointer (RFC 6901):
// "" is the root, "/moves/0/to" the `to` of the first move.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/value.hpp>

#include "files/diagnostic.h"

namespace licmove {

// "/moves" + "from" -> "/moves/from", escaping "~" and "/" in the key.
std::string PointerChild(std::string_view parent, std::string_view key);
std::string PointerChild(std::string_view parent, std::size_t index);

class LocationIndex {
 public:
  void Reserve(std::size_t entries) { entries_.reserve(entries); }
  void Add(std::string pointer, TextPosition value, TextPosition key);
  // Where the value at `pointer` starts. For a pointer that is not in the
  // index (a member that is missing), its nearest recorded ancestor's.
  TextPosition ValueAt(std::string_view pointer) const;
  // For a mapping member, where its key starts; otherwise as ValueAt.
  TextPosition KeyAt(std::string_view pointer) const;

 private:
  struct Entry {
    TextPosition value;
    TextPosition key;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  const Entry* Find(std::string_view pointer) const;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

struct YamlDocument {
  std::string file;
  boost::json::value root;
  LocationIndex locations;

  // A diagnostic at the value (or, for AtKey, the key) that `pointer` names.
  Diagnostic At(std::string_view pointer, std::string message) const;
  Diagnostic AtKey(std::string_view pointer, std::string message) const;
};

// Parses `text`, which must hold one YAML document. Appends every problem
// found on the way (duplicate keys, nesting too deep, ...) to `out`. Returns
// nullopt when nothing further can be checked: a syntax error, an empty
// file, text that is not UTF-8. Never throws.
std::optional<YamlDocument> ParseYamlDocument(std::string_view text, const std::string& file,
                                              Diagnostics& out);

}  // namespace licmove
