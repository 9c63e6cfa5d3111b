#include "files/schema_fast_check.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "files/schema_pattern.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

namespace json = boost::json;

// JSON Schema's types as bits, with valijson's strong-type meaning: an
// integer is an int64 value (1825.0 is typed as one by licmove's readers),
// a number any of int64, uint64 and double.
enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNumber = 8,
  kString = 16,
  kArray = 32,
  kObject = 64,
  kAnyType = 127,
};

std::optional<unsigned> TypeBitOf(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "integer") return kInteger;
  if (name == "number") return kNumber;
  if (name == "string") return kString;
  if (name == "array") return kArray;
  if (name == "object") return kObject;
  return std::nullopt;
}

// The types `value` has: an int64 is an integer and a number.
unsigned TypesOf(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return kNull;
    case json::kind::bool_:
      return kBoolean;
    case json::kind::int64:
      return kInteger | kNumber;
    case json::kind::uint64:
    case json::kind::double_:
      return kNumber;
    case json::kind::string:
      return kString;
    case json::kind::array:
      return kArray;
    case json::kind::object:
      return kObject;
  }
  return 0;
}

// Equal by a rule that is surely valijson's too (same kind and value); a
// double, a large integer or a collection is "not sure", so unequal.
bool SurelyEqual(const json::value& a, const json::value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case json::kind::null:
      return true;
    case json::kind::bool_:
      return a.get_bool() == b.get_bool();
    case json::kind::int64:
      return a.get_int64() == b.get_int64();
    case json::kind::string:
      return a.get_string() == b.get_string();
    default:
      return false;
  }
}

// Characters as valijson counts them for minLength: UTF-8 code points up to
// the first NUL (it measures the C string).
std::size_t CodePointsBeforeNul(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if (c == '\0') break;
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsAnnotation(std::string_view keyword) {
  return keyword == "title" || keyword == "description" || keyword == "default" ||
         keyword == "$comment" || keyword == "examples" || keyword == "$schema" ||
         keyword == "$id" || keyword == "definitions";
}

}  // namespace

struct SchemaFastCheck::Compiled {
  struct Node {
    unsigned types = kAnyType;
    std::optional<json::value> constant;
    std::optional<std::vector<json::value>> one_of_values;  // enum
    std::optional<std::size_t> min_length;
    std::optional<std::size_t> min_items;
    std::optional<double> minimum;
    std::optional<double> maximum;
    bool unique_items = false;
    int pattern = -1;                                  // into patterns
    std::vector<std::pair<std::string, int>> members;  // properties
    std::vector<std::string> required;
    bool closed = false;  // additionalProperties: false
    int items = -1;
  };
  std::vector<Node> nodes;
  int root = 0;
  std::vector<SchemaPattern> patterns;

  bool Valid(int n, const json::value& v) const;
  bool ValidObject(const Node& s, const json::object& o) const;
  bool ValidArray(const Node& s, const json::array& a) const;
};

namespace {

// Builds the nodes; a definition is compiled once, where first referred to.
class Compiler {
 public:
  Compiler(const json::object& root, SchemaFastCheck::Compiled& out) : root_(root), out_(out) {}

  Result<int> Node(const json::value& schema, const std::string& at) {
    const json::object* s = schema.if_object();
    if (!s) return Unknown(at, "a schema that is not an object");
    if (const json::value* ref = s->if_contains("$ref")) {
      for (const auto& member : *s) {
        if (member.key() != "$ref" && !IsAnnotation(member.key())) {
          return Unknown(PointerChild(at, member.key()), "a keyword beside $ref");
        }
      }
      return Reference(*ref, PointerChild(at, "$ref"));
    }
    // The node is built apart and stored at the end: compiling a child
    // grows out_.nodes.
    const int index = static_cast<int>(out_.nodes.size());
    out_.nodes.emplace_back();
    SchemaFastCheck::Compiled::Node node;
    for (const auto& member : *s) {
      if (IsAnnotation(member.key())) continue;
      Status status = Keyword(member.key(), member.value(), PointerChild(at, member.key()), node);
      if (!status.ok()) return status;
    }
    out_.nodes[index] = std::move(node);
    return index;
  }

 private:
  Status Keyword(std::string_view keyword, const json::value& v, const std::string& at,
                 SchemaFastCheck::Compiled::Node& node) {
    if (keyword == "type") {
      node.types = 0;
      if (v.is_string()) return AddType(v.get_string(), at, node);
      if (!v.is_array()) return Unknown(at, "a type that is neither a name nor a list");
      for (const json::value& t : v.get_array()) {
        if (!t.is_string()) return Unknown(at, "a type that is not a name");
        if (Status s = AddType(t.get_string(), at, node); !s.ok()) return s;
      }
      return Status::Ok();
    }
    if (keyword == "const") {
      node.constant = v;
      return Status::Ok();
    }
    if (keyword == "enum") {
      if (!v.is_array()) return Unknown(at, "an enum that is not a list");
      node.one_of_values.emplace(v.get_array().begin(), v.get_array().end());
      return Status::Ok();
    }
    if (keyword == "minLength" || keyword == "minItems") {
      if (!v.is_int64() || v.get_int64() < 0) return Unknown(at, "a count that is not whole");
      (keyword == "minLength" ? node.min_length : node.min_items) =
          static_cast<std::size_t>(v.get_int64());
      return Status::Ok();
    }
    if (keyword == "minimum" || keyword == "maximum") {
      if (!v.is_number()) return Unknown(at, "a bound that is not a number");
      (keyword == "minimum" ? node.minimum : node.maximum) = v.to_number<double>();
      return Status::Ok();
    }
    if (keyword == "uniqueItems") {
      if (!v.is_bool()) return Unknown(at, "uniqueItems that is not true or false");
      node.unique_items = v.get_bool();
      return Status::Ok();
    }
    if (keyword == "pattern") {
      if (!v.is_string()) return Unknown(at, "a pattern that is not text");
      Result<SchemaPattern> pattern = SchemaPattern::Compile(v.get_string());
      if (!pattern.ok()) return pattern.status();
      node.pattern = static_cast<int>(out_.patterns.size());
      out_.patterns.push_back(std::move(*pattern));
      return Status::Ok();
    }
    if (keyword == "required") {
      if (!v.is_array()) return Unknown(at, "required that is not a list");
      for (const json::value& name : v.get_array()) {
        if (!name.is_string()) return Unknown(at, "a required name that is not text");
        node.required.emplace_back(name.get_string());
      }
      return Status::Ok();
    }
    if (keyword == "additionalProperties") {
      if (!v.is_bool()) return Unknown(at, "additionalProperties that is a schema");
      node.closed = !v.get_bool();
      return Status::Ok();
    }
    if (keyword == "properties") {
      if (!v.is_object()) return Unknown(at, "properties that are not a mapping");
      for (const auto& p : v.get_object()) {
        Result<int> child = Node(p.value(), PointerChild(at, p.key()));
        if (!child.ok()) return child.status();
        node.members.emplace_back(std::string(p.key()), *child);
      }
      return Status::Ok();
    }
    if (keyword == "items") {
      if (!v.is_object()) return Unknown(at, "items that are a list of schemas");
      Result<int> child = Node(v, at);
      if (!child.ok()) return child.status();
      node.items = *child;
      return Status::Ok();
    }
    return Unknown(at, "the keyword " + std::string(keyword));
  }

  Status AddType(std::string_view name, const std::string& at,
                 SchemaFastCheck::Compiled::Node& node) {
    const std::optional<unsigned> bit = TypeBitOf(name);
    if (!bit) return Unknown(at, "the type " + std::string(name));
    // "number" admits integers too.
    node.types |= *bit == kNumber ? (kNumber | kInteger) : *bit;
    return Status::Ok();
  }

  Result<int> Reference(const json::value& ref, const std::string& at) {
    constexpr std::string_view kPrefix = "#/definitions/";
    const std::string_view r = ref.is_string() ? std::string_view(ref.get_string()) : "";
    if (r.substr(0, kPrefix.size()) != kPrefix) return Unknown(at, "a $ref outside definitions");
    const std::string name(r.substr(kPrefix.size()));
    if (auto it = definitions_.find(name); it != definitions_.end()) {
      if (it->second < 0) return Unknown(at, "a $ref that refers to itself");
      return it->second;
    }
    const json::value* defs = root_.if_contains("definitions");
    const json::value* target =
        defs && defs->is_object() ? defs->get_object().if_contains(name) : nullptr;
    if (!target) return Unknown(at, "a $ref to a missing definition");
    definitions_[name] = -1;  // being compiled
    Result<int> node = Node(*target, "/definitions/" + name);
    if (!node.ok()) return node.status();
    definitions_[name] = *node;
    return *node;
  }

  static Status Unknown(const std::string& at, const std::string& what) {
    return Status::InvalidArgument("the fast schema check does not know " + what + " (at " +
                                   (at.empty() ? "/" : at) + ")");
  }

  const json::object& root_;
  SchemaFastCheck::Compiled& out_;
  std::map<std::string, int> definitions_;  // name -> node; -1 while compiling
};

}  // namespace

bool SchemaFastCheck::Compiled::Valid(int n, const json::value& v) const {
  const Node& s = nodes[n];
  if ((TypesOf(v) & s.types) == 0) return false;
  if (s.constant && !SurelyEqual(*s.constant, v)) return false;
  if (s.one_of_values && std::none_of(s.one_of_values->begin(), s.one_of_values->end(),
                                      [&](const json::value& e) { return SurelyEqual(e, v); })) {
    return false;
  }
  // Each keyword applies to its own kind of value only, as in valijson.
  switch (v.kind()) {
    case json::kind::string: {
      const std::string_view text = v.get_string();
      if (s.min_length && CodePointsBeforeNul(text) < *s.min_length) return false;
      return s.pattern < 0 || patterns[s.pattern].Search(text);
    }
    case json::kind::int64:
    case json::kind::double_: {
      const double d = v.is_int64() ? static_cast<double>(v.get_int64()) : v.get_double();
      return !(s.minimum && d < *s.minimum) && !(s.maximum && d > *s.maximum);
    }
    case json::kind::uint64:
      return !s.minimum && !s.maximum;  // not sure how it compares
    case json::kind::array:
      return ValidArray(s, v.get_array());
    case json::kind::object:
      return ValidObject(s, v.get_object());
    case json::kind::null:
    case json::kind::bool_:
      return true;
  }
  return false;
}

bool SchemaFastCheck::Compiled::ValidObject(const Node& s, const json::object& o) const {
  for (const std::string& name : s.required) {
    if (!o.contains(name)) return false;
  }
  for (const auto& member : o) {
    const auto it =
        std::find_if(s.members.begin(), s.members.end(),
                     [&](const std::pair<std::string, int>& m) { return m.first == member.key(); });
    if (it == s.members.end()) {
      if (s.closed) return false;
      continue;
    }
    if (!Valid(it->second, member.value())) return false;
  }
  return true;
}

bool SchemaFastCheck::Compiled::ValidArray(const Node& s, const json::array& a) const {
  if (s.min_items && a.size() < *s.min_items) return false;
  if (s.items >= 0) {
    for (const json::value& entry : a) {
      if (!Valid(s.items, entry)) return false;
    }
  }
  if (s.unique_items && a.size() > 1) {
    // Only text is surely compared as valijson compares it.
    std::vector<std::string_view> texts;
    texts.reserve(a.size());
    for (const json::value& entry : a) {
      if (!entry.is_string()) return false;
      texts.push_back(entry.get_string());
    }
    std::sort(texts.begin(), texts.end());
    if (std::adjacent_find(texts.begin(), texts.end()) != texts.end()) return false;
  }
  return true;
}

SchemaFastCheck::SchemaFastCheck(std::unique_ptr<Compiled> compiled)
    : compiled_(std::move(compiled)) {}
SchemaFastCheck::~SchemaFastCheck() = default;

Result<std::shared_ptr<const SchemaFastCheck>> SchemaFastCheck::Compile(const json::value& schema) {
  if (!schema.is_object()) return Status::InvalidArgument("the schema is not an object");
  auto compiled = std::make_unique<Compiled>();
  Compiler compiler(schema.get_object(), *compiled);
  Result<int> root = compiler.Node(schema, "");
  if (!root.ok()) return root.status();
  compiled->root = *root;
  return std::shared_ptr<const SchemaFastCheck>(
      std::make_shared<SchemaFastCheck>(std::move(compiled)));
}

bool SchemaFastCheck::SurelyValid(const json::value& document) const {
  return compiled_->Valid(compiled_->root, document);
}

}  // namespace licmove
