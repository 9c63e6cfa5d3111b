// The one place that includes valijson: its templates are heavy to compile.
#include "files/schema_check.h"

#include "files/edit_distance.h"
#include "files/schema_fast_check.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace licmove::schemas {
extern const std::string_view kPlanV1SchemaJson;
extern const std::string_view kFleetV1SchemaJson;
}  // namespace licmove::schemas

namespace licmove {
namespace {

namespace json = boost::json;

// What a text that fails a `pattern` must be, by the JSON Pointer of the
// subschema that holds the pattern: "from \"CAM/1\" must be a camera serial:
// ...". Kept here, not in the schemas: a keyword of our own there (ajv-errors'
// errorMessage was one) is an unknown keyword to a strict validator, and the
// schemas must compile in any (ctest schema_lint). A schema with a pattern
// that has no wording here does not load, so none is missed.
struct PatternWording {
  FileKind kind;
  std::string_view at;
  std::string_view rule;
};
constexpr std::string_view kServiceRule =
    "must be lowercase letters, digits and dashes, such as alarm-management";
constexpr PatternWording kPatternWordings[] = {
    {FileKind::kPlan, "/properties/account",
     "must be an account name: one word, no spaces or slashes"},
    {FileKind::kPlan, "/definitions/serial",
     "must be a camera serial: one word, no spaces or slashes"},
    {FileKind::kPlan, "/definitions/service", kServiceRule},
    {FileKind::kPlan, "/definitions/move/properties/key",
     "must be a license key: one word, no spaces or slashes"},
    {FileKind::kFleet, "/definitions/word", "must be one word: no spaces or slashes"},
    {FileKind::kFleet, "/definitions/service", kServiceRule},
    {FileKind::kFleet, "/definitions/user/properties/token",
     "must be printable ASCII without spaces"},
};

struct CompiledSchema {
  json::value text;  // for wording messages: enums, bounds, property names
  std::unique_ptr<valijson::Schema> schema;
  // The subschemas of `text` that hold a pattern, and its wording.
  std::map<const json::object*, std::string_view> pattern_rules;
  std::string error;  // set when the embedded schema itself is broken: a bug
  // What most files take instead of valijson; null (and why in fast_error)
  // when the schema uses a keyword the fast check does not know.
  std::shared_ptr<const SchemaFastCheck> fast;
  std::string fast_error;
};

// Finds the patterns in `value`, at `pointer` in the schema of `kind`, and
// their wordings; the pointer of one without a wording goes to `unworded`.
void FindPatterns(const json::value& value, const std::string& pointer, FileKind kind,
                  CompiledSchema& compiled, std::string& unworded) {
  if (const json::object* o = value.if_object()) {
    if (o->contains("pattern")) {
      const auto w =
          std::find_if(std::begin(kPatternWordings), std::end(kPatternWordings),
                       [&](const PatternWording& p) { return p.kind == kind && p.at == pointer; });
      if (w == std::end(kPatternWordings)) unworded = pointer;
      if (w != std::end(kPatternWordings)) compiled.pattern_rules[o] = w->rule;
    }
    for (const auto& member : *o) {
      FindPatterns(member.value(), PointerChild(pointer, member.key()), kind, compiled, unworded);
    }
  } else if (const json::array* a = value.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      FindPatterns((*a)[i], PointerChild(pointer, i), kind, compiled, unworded);
    }
  }
}

// The schema as valijson gets it: without `format`. valijson 1.0 checks a
// date-time's format on null too (a nullable timestamp fails) and builds a
// regular expression for every value; licmove's own rule reads every
// timestamp with ParseTimestamp, which accepts less than format date-time
// does ("not an RFC 3339 time").
json::value WithoutFormats(json::value value) {
  if (json::object* o = value.if_object()) {
    o->erase("format");
    for (auto& member : *o) member.value() = WithoutFormats(std::move(member.value()));
  } else if (json::array* a = value.if_array()) {
    for (json::value& v : *a) v = WithoutFormats(std::move(v));
  }
  return value;
}

std::unique_ptr<CompiledSchema> Compile(std::string_view source, FileKind kind) {
  auto compiled = std::make_unique<CompiledSchema>();
  try {
    compiled->text = json::parse(source);
    std::string unworded;
    FindPatterns(compiled->text, "", kind, *compiled, unworded);
    if (!unworded.empty()) {
      compiled->error = "the pattern at " + unworded + " has no wording in schema_check.cc";
      return compiled;
    }
    const json::value checked = WithoutFormats(compiled->text);
    compiled->schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(checked), *compiled->schema);
    Result<std::shared_ptr<const SchemaFastCheck>> fast = SchemaFastCheck::Compile(checked);
    if (fast.ok()) {
      compiled->fast = *fast;
    } else {
      compiled->fast_error = fast.status().message();
    }
  } catch (const std::exception& e) {
    compiled->schema.reset();
    compiled->error = e.what();
  }
  return compiled;
}

const CompiledSchema& SchemaFor(FileKind kind) {
  // Compiled once, on first use; C++ makes this initialisation thread-safe.
  static const std::unique_ptr<CompiledSchema> plan =
      Compile(schemas::kPlanV1SchemaJson, FileKind::kPlan);
  static const std::unique_ptr<CompiledSchema> fleet =
      Compile(schemas::kFleetV1SchemaJson, FileKind::kFleet);
  return kind == FileKind::kPlan ? *plan : *fleet;
}

std::string Shorten(std::string_view s) {
  return s.size() <= 60 ? std::string(s) : std::string(s.substr(0, 57)) + "...";
}

// The code points beyond ASCII that ECMAScript's \s matches: the ones the
// one-word patterns spell out (see the schemas' $comment).
bool IsWideSpace(char32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Text with control characters and whitespace other than the plain space as
// \u escapes: invisible or line-breaking as they are, an operator could not
// see what is wrong ("CAM\u00A00001").
std::string EscapeInvisible(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    // The text is UTF-8 (checked when it was read); Shorten may have cut
    // the last character short.
    const unsigned char lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if (cp < 0x20 || cp == 0x7F || IsWideSpace(cp)) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(cp));
      out += escape;
    } else {
      out += s.substr(i, length);
    }
    i += length;
  }
  return out;
}

// A value as an operator wrote it: "2y" quoted, 5 bare.
std::string Render(const json::value& v) {
  if (v.is_string()) return "\"" + EscapeInvisible(Shorten(v.get_string())) + "\"";
  if (v.is_null()) return "empty";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "a mapping";
  if (v.is_double()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.15g", v.get_double());
    return buffer;
  }
  return Shorten(json::serialize(v));
}

std::string KindOfValue(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "empty";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "text";
    case json::kind::array:
      return "a list";
    case json::kind::object:
      return "a mapping";
  }
  return "a value";
}

std::string TypeWords(std::string_view type) {
  if (type == "string") return "text";
  if (type == "integer") return "a whole number";
  if (type == "number") return "a number";
  if (type == "boolean") return "true or false";
  if (type == "array") return "a list";
  if (type == "object") return "a mapping (key: value lines)";
  if (type == "null") return "empty";
  return std::string(type);
}

std::string JoinWords(const std::vector<std::string>& words, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? std::string(last_sep) : std::string(", ");
    out += words[i];
  }
  return out;
}

}  // namespace

namespace {

// One step of a path into the document: a mapping key or a list index.
struct Step {
  std::string key;
  bool is_index = false;
};

// Words each validator failure, knowing the schema and the document.
class Wording {
 public:
  Wording(const YamlDocument& doc, FileKind kind, Diagnostics& out)
      : doc_(doc), kind_(kind), compiled_(SchemaFor(kind)), schema_(compiled_.text), out_(out) {}

  void Report(const valijson::ValidationResults::Error& error) {
    std::vector<Step> path;
    std::string pointer;
    const json::value* value = &doc_.root;
    // context[0] is "<root>"; each later element is "[key]" or "[index]".
    for (std::size_t i = 1; i < error.context.size(); ++i) {
      const std::string& c = error.context[i];
      const std::string step = c.size() >= 2 ? c.substr(1, c.size() - 2) : c;
      if (value && value->is_array()) {
        path.push_back({step, true});
        pointer = PointerChild(pointer, step);
        const std::size_t index = std::strtoul(step.c_str(), nullptr, 10);
        value = index < value->get_array().size() ? &value->get_array()[index] : nullptr;
      } else {
        path.push_back({step, false});
        pointer = PointerChild(pointer, step);
        value = value && value->is_object() ? value->get_object().if_contains(step) : nullptr;
      }
    }
    if (!value) return;  // cannot happen for paths the validator walked
    const std::string& d = error.description;
    if (pointer == "/version") return;  // CheckVersion words these
    const json::object* sub = SubschemaAt(path);
    const std::string name = Name(path);

    if (Starts(d, "Failed to validate item #") || Starts(d, "Failed to validate against")) {
      return;  // a wrapper around the failures inside it, reported on their own
    } else if (Starts(d, "Value type not permitted")) {
      if (ExceedsBound(sub, *value)) return;
      out_.push_back(doc_.At(pointer, TypeMessage(name, sub, *value)));
    } else if (Starts(d, "Failed to match against any enum values")) {
      out_.push_back(
          doc_.At(pointer, name + " " + Render(*value) + " is not one of " + AllowedValues(sub)));
    } else if (Starts(d, "Missing required property '")) {
      const std::string property = Quoted(d);
      if (pointer.empty() && property == "version") return;
      out_.push_back(doc_.At(pointer, ObjectName(path) + " is missing \"" + property + "\""));
    } else if (Starts(d, "Object contains a property that could not be validated")) {
      UnknownKeys(path, pointer, sub, *value);
    } else if (Starts(d, "Elements at indexes #")) {
      Duplicate(path, pointer, d, *value);
    } else if (Starts(d, "Expected number greater than")) {
      out_.push_back(doc_.At(pointer, name + " must be at least " + Bound(sub, "minimum") +
                                          ", not " + Render(*value)));
    } else if (Starts(d, "Expected number less than")) {
      out_.push_back(doc_.At(
          pointer, name + " must be at most " + Bound(sub, "maximum") + ", not " + Render(*value)));
    } else if (Starts(d, "String should be no fewer than")) {
      out_.push_back(doc_.At(pointer, name + " must not be empty"));
    } else if (Starts(d, "Array should contain no fewer than")) {
      out_.push_back(doc_.At(pointer, name + " is too short; list at least " +
                                          Bound(sub, "minItems") + " " + ItemName(path)));
    } else if (Starts(d, "Failed to match regex")) {
      out_.push_back(doc_.At(pointer, PatternMessage(name, sub, *value)));
    } else if (Starts(d, "Failed to match expected value set by 'const'")) {
      out_.push_back(doc_.At(pointer, name + " must be " + Bound(sub, "const")));
    } else {
      out_.push_back(doc_.At(pointer, name + ": " + d));
    }
  }

 private:
  static bool Starts(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
  }

  // The text between the first pair of single quotes.
  static std::string Quoted(const std::string& s) {
    const std::size_t open = s.find('\'');
    const std::size_t close = s.rfind('\'');
    return open == std::string::npos || close <= open ? "" : s.substr(open + 1, close - open - 1);
  }

  const json::object* Resolve(const json::object* s) const {
    for (int hops = 0; s && hops < 8; ++hops) {
      const json::value* ref = s->if_contains("$ref");
      if (!ref || !ref->is_string()) return s;
      const std::string_view r = ref->get_string();
      constexpr std::string_view kPrefix = "#/definitions/";
      if (r.substr(0, kPrefix.size()) != kPrefix) return s;
      const json::value* defs = schema_.get_object().if_contains("definitions");
      const json::value* target = defs && defs->is_object()
                                      ? defs->get_object().if_contains(r.substr(kPrefix.size()))
                                      : nullptr;
      s = target && target->is_object() ? &target->get_object() : nullptr;
    }
    return s;
  }

  // The subschema that applies at `path`, or null.
  const json::object* SubschemaAt(const std::vector<Step>& path) const {
    const json::object* s = schema_.is_object() ? &schema_.get_object() : nullptr;
    for (const Step& step : path) {
      s = Resolve(s);
      if (!s) return nullptr;
      const json::value* next = nullptr;
      if (step.is_index) {
        next = s->if_contains("items");
      } else if (const json::value* props = s->if_contains("properties");
                 props && props->is_object()) {
        next = props->get_object().if_contains(step.key);
      }
      s = next && next->is_object() ? &next->get_object() : nullptr;
    }
    return Resolve(s);
  }

  static std::string Singular(std::string_view list) {
    if (list == "moves") return "move";
    if (list == "assign") return "assign entry";
    if (list == "cameras") return "camera";
    if (list == "licenses") return "license";
    if (list == "accounts") return "account";
    if (list == "users") return "user";
    if (list == "registry") return "registry entry";
    return "entry of " + std::string(list);
  }

  std::string RootName() const { return kind_ == FileKind::kPlan ? "the plan" : "the fleet file"; }

  // What an operator calls the value at `path`: "term", "camera", "move".
  std::string Name(const std::vector<Step>& path) const {
    if (path.empty()) return RootName();
    if (!path.back().is_index) return path.back().key;
    return path.size() >= 2 ? Singular(path[path.size() - 2].key) : "entry";
  }
  // "camera" for the entries of `cameras`.
  std::string ItemName(const std::vector<Step>& path) const {
    std::vector<Step> item = path;
    item.push_back({"0", true});
    return Name(item);
  }
  std::string ObjectName(const std::vector<Step>& path) const {
    if (path.empty()) return RootName();
    return Name(path);
  }

  std::string TypeMessage(const std::string& name, const json::object* sub,
                          const json::value& value) const {
    std::vector<std::string> expected;
    if (sub) {
      if (const json::value* t = sub->if_contains("type")) {
        if (t->is_string()) expected.push_back(TypeWords(t->get_string()));
        if (t->is_array()) {
          for (const json::value& e : t->get_array()) {
            if (e.is_string()) expected.push_back(TypeWords(e.get_string()));
          }
        }
      }
    }
    const std::string want = expected.empty() ? "something else" : JoinWords(expected, " or ");
    if (value.is_null()) return name + " is empty; it must be " + want;
    std::string actual = KindOfValue(value);
    if (value.is_number()) actual = "the number " + Render(value);
    if (value.is_string()) actual = Render(value);
    std::string message = name + " must be " + want + ", not " + actual;
    const bool wants_text = !expected.empty() && expected.front() == "text";
    if (wants_text && (value.is_number() || value.is_bool())) message += "; put it in quotes";
    return message;
  }

  // A number too large for 64 bits fails both `type: integer` and its
  // `maximum`; the bound says it better.
  static bool ExceedsBound(const json::object* sub, const json::value& value) {
    const json::value* max = sub ? sub->if_contains("maximum") : nullptr;
    const json::value* min = sub ? sub->if_contains("minimum") : nullptr;
    if (!value.is_double()) return false;
    const double v = value.get_double();
    return (max && max->is_number() && v > max->to_number<double>()) ||
           (min && min->is_number() && v < min->to_number<double>());
  }

  std::string AllowedValues(const json::object* sub) const {
    std::vector<std::string> words;
    if (const json::value* e = sub ? sub->if_contains("enum") : nullptr; e && e->is_array()) {
      for (const json::value& v : e->get_array()) {
        words.push_back(v.is_string() ? std::string(v.get_string()) : json::serialize(v));
      }
    }
    return words.empty() ? "the allowed values" : JoinWords(words, ", ");
  }

  static std::string Bound(const json::object* sub, std::string_view keyword) {
    const json::value* v = sub ? sub->if_contains(keyword) : nullptr;
    return v ? json::serialize(*v) : "the limit";
  }

  std::string PatternMessage(const std::string& name, const json::object* sub,
                             const json::value& value) const {
    const auto why = sub ? compiled_.pattern_rules.find(sub) : compiled_.pattern_rules.end();
    const std::string rule =
        why != compiled_.pattern_rules.end() ? std::string(why->second) : "has the wrong form";
    if (value.is_string() && value.get_string().empty()) return name + " is empty; it " + rule;
    return name + " " + Render(value) + " " + rule;
  }

  void UnknownKeys(const std::vector<Step>& path, const std::string& pointer,
                   const json::object* sub, const json::value& value) {
    if (!value.is_object() || !sub) return;
    const json::value* props = sub->if_contains("properties");
    if (!props || !props->is_object()) return;
    std::vector<std::string> known;
    for (const auto& p : props->get_object()) known.emplace_back(p.key());
    for (const auto& member : value.get_object()) {
      const std::string_view key = member.key();
      if (props->get_object().contains(key)) continue;
      std::string message = "unknown key \"" + Shorten(key) + "\" in " + ObjectName(path);
      std::string best;
      std::size_t best_distance = 3;  // suggest only close misspellings
      for (const std::string& k : known) {
        const std::size_t d = static_cast<std::size_t>(EditDistance(key, k));
        if (d < best_distance) best = k, best_distance = d;
      }
      message += best.empty() ? "; expected one of " + JoinWords(known, ", ")
                              : "; did you mean \"" + best + "\"?";
      out_.push_back(doc_.AtKey(PointerChild(pointer, key), message));
    }
  }

  void Duplicate(const std::vector<Step>& path, const std::string& pointer, const std::string& d,
                 const json::value& value) {
    // "Elements at indexes #A and #B violate uniqueness constraint."
    const std::size_t a = std::strtoul(d.c_str() + d.find('#') + 1, nullptr, 10);
    const std::size_t b = std::strtoul(d.c_str() + d.rfind('#') + 1, nullptr, 10);
    if (!value.is_array() || b >= value.get_array().size()) return;
    if (!reported_duplicates_.insert(PointerChild(pointer, b)).second) return;
    const std::string list = path.empty() || path.back().is_index ? "this list" : path.back().key;
    const TextPosition first = doc_.ValueAt(PointerChild(pointer, a));
    out_.push_back(doc_.At(PointerChild(pointer, b),
                           Render(value.get_array()[b]) + " is listed twice in " + list +
                               " (first at line " + std::to_string(first.line) + ")"));
  }

  const YamlDocument& doc_;
  FileKind kind_;
  const CompiledSchema& compiled_;
  const json::value& schema_;
  Diagnostics& out_;
  std::set<std::string> reported_duplicates_;
};

bool CheckVersion(const YamlDocument& doc, FileKind kind, Diagnostics& out) {
  const json::object* root = doc.root.if_object();
  if (!root) return true;  // the schema says what is wrong with the root
  const int current = kind == FileKind::kPlan ? kPlanFormatVersion : kFleetFormatVersion;
  const std::string kind_name(FileKindName(kind));
  const std::string reads =
      "this licmove reads " + kind_name + " files of version " + std::to_string(current);
  const json::value* version = root->if_contains("version");
  if (!version) {
    out.push_back(doc.At("", "the " + kind_name + " has no version; add \"version: " +
                                 std::to_string(current) + "\" as its first line"));
    return true;
  }
  if (version->is_int64() && version->get_int64() == current) return true;
  if (version->is_number()) {
    out.push_back(doc.At("/version", "version " + Render(*version) + " is not supported: " + reads +
                                         "; nothing else in the file was checked"));
    return false;
  }
  out.push_back(
      doc.At("/version", "version must be a whole number (\"version: " + std::to_string(current) +
                             "\"), not " + KindOfValue(*version)));
  return true;
}

}  // namespace

std::string_view FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kPlan:
      return "plan";
    case FileKind::kFleet:
      return "fleet";
    case FileKind::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view SchemaText(FileKind kind) {
  return kind == FileKind::kPlan ? schemas::kPlanV1SchemaJson : schemas::kFleetV1SchemaJson;
}

bool CheckVersionAndSchema(const YamlDocument& doc, FileKind kind, Diagnostics& out) {
  if (!CheckVersion(doc, kind, out)) return false;
  const CompiledSchema& compiled = SchemaFor(kind);
  if (!compiled.schema) {
    out.push_back({doc.file, 0, 0,
                   "internal error: the built-in " + std::string(FileKindName(kind)) +
                       " schema does not load (" + compiled.error + ")"});
    return true;
  }
  // A valid file, the common case, is known valid without valijson.
  if (compiled.fast && compiled.fast->SurelyValid(doc.root)) return true;
  try {
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    const bool valid = validator.validate(*compiled.schema,
                                          valijson::adapters::BoostJsonAdapter(doc.root), &results);
    Wording wording(doc, kind, out);
    for (const valijson::ValidationResults::Error& error : results) wording.Report(error);
    // A file is valid when it has no diagnostics, so a failure that the
    // wording left out (one it does not know) must still make it invalid.
    if (!valid && out.empty()) {
      const std::string why = results.numErrors() > 0 ? results.begin()->description : "";
      out.push_back(
          {doc.file, 0, 0,
           "the file does not match the " + std::string(FileKindName(kind)) + " schema: " + why});
    }
  } catch (const std::exception& e) {
    out.push_back({doc.file, 0, 0, std::string("the file could not be checked: ") + e.what()});
  }
  return true;
}

bool SchemaSurelyValid(const json::value& root, FileKind kind) {
  const CompiledSchema& compiled = SchemaFor(kind);
  return compiled.fast && compiled.fast->SurelyValid(root);
}

bool SchemaValidByValidator(const json::value& root, FileKind kind) {
  const CompiledSchema& compiled = SchemaFor(kind);
  if (!compiled.schema) return false;
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  return validator.validate(*compiled.schema, valijson::adapters::BoostJsonAdapter(root), nullptr);
}

std::string SchemaFastCheckMissing(FileKind kind) {
  const CompiledSchema& compiled = SchemaFor(kind);
  if (!compiled.schema) return compiled.error;
  return compiled.fast ? "" : compiled.fast_error;
}

}  // namespace licmove
