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
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "files/diagnostic.h"

namespace licmove {

// "/moves" + "from" -> "/moves/from", escaping "~" and "/" in the key.
std::string PointerChild(std::string_view parent, std::string_view key);
std::string PointerChild(std::string_view parent, std::size_t index);

// Where each value of a document was written. The index is a tree that
// mirrors the document's JSON value: a node's children are its list entries,
// or its mapping members in the order the JSON object keeps them. A pointer
// is resolved by walking the value and the tree together, so parsing builds
// no pointer string and stores no key: a 100,000-camera fleet has over a
// million values, and a string-keyed map of them cost more time and memory
// than the rest of reading the file.
class LocationIndex {
 public:
  using Node = std::uint32_t;

  // Nodes are numbered in the order they are added; the first is the root.
  Node Add(TextPosition value, TextPosition key);
  // Gives `parent` its children, in the order of its value's entries or
  // members. Called once a node, when the node is complete.
  void SetChildren(Node parent, const Node* first, std::size_t count);
  void Reserve(std::size_t nodes) {
    entries_.reserve(nodes);
    children_.reserve(nodes);  // every node but the root is one child
  }
  std::size_t size() const { return entries_.size(); }
  TextPosition KeyOf(Node node) const { return entries_[node].key; }

  // Where the value at `pointer` into `root` (the value this index was
  // built with) starts. For a pointer that is not in the index (a member that
  // is missing, an index out of range, a value inside an alias), its nearest
  // recorded ancestor's.
  TextPosition ValueAt(const boost::json::value& root, std::string_view pointer) const;
  // For a mapping member, where its key starts; otherwise as ValueAt.
  TextPosition KeyAt(const boost::json::value& root, std::string_view pointer) const;

 private:
  struct Entry {
    TextPosition value;
    TextPosition key;
    std::uint32_t first_child = 0;  // into children_
    std::uint32_t child_count = 0;
  };
  const Entry* Find(const boost::json::value& root, std::string_view pointer) const;
  std::vector<Entry> entries_;
  std::vector<Node> children_;
};

struct YamlDocument {
  std::string file;
  boost::json::value root;
  LocationIndex locations;

  // Where the value (or, for KeyAt, the key) that `pointer` names starts;
  // see LocationIndex.
  TextPosition ValueAt(std::string_view pointer) const { return locations.ValueAt(root, pointer); }
  TextPosition KeyAt(std::string_view pointer) const { return locations.KeyAt(root, pointer); }

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
