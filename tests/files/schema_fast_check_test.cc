// The fast schema check (files/schema_fast_check.h) may send a valid file on
// to valijson, but must never pass one that valijson refuses; its patterns
// (files/schema_pattern.h, PCRE2) must match what valijson's std::regex
// matches. Both are checked on generated input against valijson and
// std::regex themselves, and the shipped and generated files must take the
// fast way (or the speed is lost without a failing test).
#include <algorithm>
#include <cstdint>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <boost/json.hpp>

#include "files/json_document.h"
#include "files/schema_check.h"
#include "files/schema_fast_check.h"
#include "files/schema_pattern.h"
#include "files/text_file.h"
#include "fleet_generator.h"

namespace licmove {
namespace {

namespace json = boost::json;

// Every `pattern` of a schema, wherever it is.
void CollectPatterns(const json::value& v, std::vector<std::string>& out) {
  if (const json::object* o = v.if_object()) {
    for (const auto& member : *o) {
      if (member.key() == "pattern" && member.value().is_string()) {
        out.emplace_back(member.value().get_string());
      }
      CollectPatterns(member.value(), out);
    }
  } else if (const json::array* a = v.if_array()) {
    for (const json::value& e : *a) CollectPatterns(e, out);
  }
}

std::vector<std::string> ShippedPatterns() {
  std::vector<std::string> patterns;
  for (FileKind kind : {FileKind::kPlan, FileKind::kFleet}) {
    CollectPatterns(json::parse(SchemaText(kind)), patterns);
  }
  return patterns;
}

// Pieces of text that the patterns treat differently: ASCII word characters,
// the slash, ASCII and wider whitespace (U+00A0, U+2000, U+3000, U+FEFF),
// control characters and NUL, other multi-byte characters, a bare byte.
const std::vector<std::string> kPieces = {
    "a",
    "Z",
    "0",
    "9",
    "-",
    "--",
    "/",
    " ",
    "\t",
    "\n",
    "\r",
    "\v",
    "\f",
    "~",
    "!",
    ".",
    "_",
    std::string(1, '\0'),
    "\x7f",
    "é",
    "\xC2\xA0",
    "\xE1\x9A\x80",
    "\xE2\x80\x80",
    "\xE2\x80\x8A",
    "\xE2\x80\xA8",
    "\xE3\x80\x80",
    "\xEF\xBB\xBF",
    "\xE2\x82\xAC",
    "\xF0\x9F\x98\x80",
    "\xC2",
};

std::string Join(const std::vector<int>& picks) {
  std::string s;
  for (int p : picks) s += kPieces[static_cast<std::size_t>(p) % kPieces.size()];
  return s;
}

// A generated fleet (JSON, as `licmove snapshot` writes it) and its plan,
// parsed as licmove parses them.
struct GeneratedDocuments {
  std::optional<YamlDocument> fleet;
  std::optional<YamlDocument> plan;
};
GeneratedDocuments Generate(int cameras) {
  FleetGenOptions options;
  options.cameras = cameras;
  options.moves = std::max(1, cameras / 10);
  options.assigns = std::max(1, cameras / 100);
  options.json_fleet = true;
  const GeneratedFleet generated = GenerateFleet(options);
  Diagnostics out;
  return {ParseDocument(generated.fleet_json, "f.json", out),
          ParseDocument(generated.plan_yaml, "p.yaml", out)};
}

TEST(SchemaFastCheck, BothShippedSchemasHaveOne) {
  EXPECT_EQ(SchemaFastCheckMissing(FileKind::kPlan), "");
  EXPECT_EQ(SchemaFastCheckMissing(FileKind::kFleet), "");
}

TEST(SchemaFastCheck, AKeywordItDoesNotKnowIsNamedAndRefused) {
  const json::value schema =
      json::parse(R"({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})");
  Result<std::shared_ptr<const SchemaFastCheck>> fast = SchemaFastCheck::Compile(schema);
  ASSERT_FALSE(fast.ok());
  EXPECT_NE(fast.status().message().find("oneOf"), std::string::npos) << fast.status().message();
  EXPECT_NE(fast.status().message().find("/properties/a/oneOf"), std::string::npos);
}

TEST(SchemaFastCheck, WhatItIsNotSureOfGoesToTheValidator) {
  const json::value schema = json::parse(R"({
    "type": "object", "additionalProperties": false, "required": ["n"],
    "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 10},
                   "tags": {"type": "array", "uniqueItems": true}}})");
  Result<std::shared_ptr<const SchemaFastCheck>> fast = SchemaFastCheck::Compile(schema);
  ASSERT_TRUE(fast.ok()) << fast.status().message();
  const SchemaFastCheck& check = **fast;
  EXPECT_TRUE(check.SurelyValid(json::parse(R"({"n": 5, "tags": ["a", "b"]})")));
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({"n": 11})")));
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({})")));
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({"n": 5, "x": 1})")));
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({"n": 5, "tags": ["a", "a"]})")));
  // Not sure: a double is no integer to valijson's strong types; equal
  // collections are compared by valijson only.
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({"n": 5.5})")));
  EXPECT_FALSE(check.SurelyValid(json::parse(R"({"n": 5, "tags": [[1], [2]]})")));
}

// Every pattern of the shipped schemas, against std::regex as valijson
// builds it (ECMAScript, default flags), on text made of the pieces above:
// mostly of the first seven, which the patterns accept, so that one odd
// piece, first, inside or last, decides.
RC_GTEST_PROP(SchemaFastCheck, PatternsMatchWhatStdRegexMatches, ()) {
  static const std::vector<std::string> sources = ShippedPatterns();
  static const std::vector<std::regex> references(sources.begin(), sources.end());
  RC_ASSERT(!sources.empty());
  // elementOf is uniform at every size (inRange favours its low end early).
  static const std::vector<int> plain = {0, 1, 2, 3, 4, 5, 6};
  static const std::vector<int> any = [] {
    std::vector<int> all(kPieces.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    return all;
  }();
  const auto pieces =
      rc::gen::weightedOneOf<int>({{6, rc::gen::elementOf(plain)}, {1, rc::gen::elementOf(any)}});
  for (int i = 0; i < 20; ++i) {
    const auto picks = *rc::gen::resize(8, rc::gen::container<std::vector<int>>(pieces));
    const std::string text = Join(picks);
    for (std::size_t p = 0; p < sources.size(); ++p) {
      Result<SchemaPattern> pattern = SchemaPattern::Compile(sources[p]);
      RC_ASSERT(pattern.ok());
      RC_ASSERT(pattern->Search(text) == std::regex_search(text, references[p]));
    }
  }
}

// The shipped files and a generated fleet take the fast way.
TEST(SchemaFastCheck, ShippedAndGeneratedFilesAreSurelyValid) {
  const std::vector<std::pair<std::string, FileKind>> files = {
      {LICMOVE_SOURCE_DIR "/plans/move.yaml", FileKind::kPlan},
      {LICMOVE_SOURCE_DIR "/plans/swaps.yaml", FileKind::kPlan},
      {LICMOVE_SOURCE_DIR "/plans/assign-5y.yaml", FileKind::kPlan},
      {LICMOVE_SOURCE_DIR "/plans/bulk-10k.yaml", FileKind::kPlan},
      {LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml", FileKind::kFleet},
      {LICMOVE_SOURCE_DIR "/examples/fleets/two-accounts.yaml", FileKind::kFleet},
  };
  for (const auto& [path, kind] : files) {
    Result<std::string> text = ReadTextFile(path);
    ASSERT_TRUE(text.ok()) << text.status().message();
    Diagnostics out;
    std::optional<YamlDocument> doc = ParseDocument(*text, path, out);
    ASSERT_TRUE(doc) << path;
    EXPECT_TRUE(SchemaSurelyValid(doc->root, kind)) << path;
  }
  const auto [fleet, plan] = Generate(2000);
  ASSERT_TRUE(fleet && plan);
  EXPECT_TRUE(SchemaSurelyValid(fleet->root, FileKind::kFleet));
  EXPECT_TRUE(SchemaSurelyValid(plan->root, FileKind::kPlan));
}

// Documents broken at random, the way the schema check sees them.
class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : random_(seed) {}

  void Mutate(json::value& root) {
    std::vector<json::value*> values;
    Collect(root, values);
    json::value& target = *values[Pick(values.size())];
    switch (Pick(6)) {
      case 0:
        target = Scalar();
        break;
      case 1:  // drop a member
        if (json::object* o = target.if_object(); o && !o->empty()) {
          o->erase(std::next(o->begin(), static_cast<std::ptrdiff_t>(Pick(o->size()))));
        }
        break;
      case 2:  // add a member, often a known name
        if (json::object* o = target.if_object()) (*o)[Name()] = Scalar();
        break;
      case 3:  // repeat a list entry
        if (json::array* a = target.if_array(); a && !a->empty()) {
          a->push_back(json::value((*a)[Pick(a->size())]));
        }
        break;
      case 4:  // text made a little wrong
        if (target.is_string()) {
          target = json::value(std::string(target.get_string()) + Text());
        }
        break;
      case 5:  // a list where a value was, or the other way round
        target =
            Pick(2) ? json::value(json::array{Scalar(), Scalar()}) : json::value(json::object{});
        break;
    }
  }

 private:
  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  static void Collect(json::value& v, std::vector<json::value*>& out) {
    out.push_back(&v);
    if (json::object* o = v.if_object()) {
      for (auto& member : *o) Collect(member.value(), out);
    } else if (json::array* a = v.if_array()) {
      for (json::value& e : *a) Collect(e, out);
    }
  }

  std::string Text() {
    std::vector<int> picks(Pick(4));
    for (int& p : picks) p = static_cast<int>(Pick(kPieces.size()));
    return Join(picks);
  }

  std::string Name() {
    static const std::vector<std::string> kNames = {"version",
                                                    "now",
                                                    "users",
                                                    "accounts",
                                                    "registry",
                                                    "name",
                                                    "cameras",
                                                    "licenses",
                                                    "serial",
                                                    "site",
                                                    "id",
                                                    "key",
                                                    "service",
                                                    "term_days",
                                                    "activated_at",
                                                    "assigned_to",
                                                    "auto_renew",
                                                    "token",
                                                    "role",
                                                    "moves",
                                                    "assign",
                                                    "options",
                                                    "from",
                                                    "to",
                                                    "term",
                                                    "release_destination",
                                                    "restore_sources",
                                                    "serials",
                                                    "x",
                                                    ""};
    return kNames[Pick(kNames.size())];
  }

  json::value Scalar() {
    switch (Pick(12)) {
      case 0:
        return json::value(Text());
      case 1:
        return json::value("alarm-management");
      case 2:
        return json::value(static_cast<std::int64_t>(Pick(3)) - 1);
      case 3:
        return json::value(static_cast<std::int64_t>(36501));
      case 4:
        return json::value(1825.0);
      case 5:
        return json::value(static_cast<std::uint64_t>(18446744073709551615ULL));
      case 6:
        return json::value(true);
      case 7:
        return json::value(nullptr);
      case 8:
        return json::value("5y");
      case 9:
        return json::value("2026-11-29T00:00:00Z");
      case 10:
        return json::value(json::array{json::value("acme"), json::value("acme")});
      default:
        return json::value("CAM-0001");
    }
  }

  std::mt19937 random_;
};

// The property the fast check stands on: it never passes a document that
// valijson refuses. Each seed breaks a valid plan or fleet in 1 to 3 places;
// both verdicts must occur often, or the test proves nothing.
TEST(SchemaFastCheck, NeverPassesWhatTheValidatorRefuses) {
  const auto [fleet, plan] = Generate(6);
  ASSERT_TRUE(fleet && plan);
  int surely_valid = 0, refused = 0;
  constexpr int kCases = 3000;
  for (int seed = 0; seed < kCases; ++seed) {
    Mutator mutator(static_cast<std::uint32_t>(seed));
    const bool is_plan = seed % 2 == 0;
    const FileKind kind = is_plan ? FileKind::kPlan : FileKind::kFleet;
    json::value doc = is_plan ? plan->root : fleet->root;
    for (int edits = 1 + seed % 3; edits > 0; --edits) mutator.Mutate(doc);
    const bool fast = SchemaSurelyValid(doc, kind);
    const bool valid = SchemaValidByValidator(doc, kind);
    surely_valid += fast;
    refused += !valid;
    ASSERT_TRUE(!fast || valid) << "seed " << seed << ": the fast check passed "
                                << json::serialize(doc);
  }
  EXPECT_GT(surely_valid, kCases / 10);
  EXPECT_GT(refused, kCases / 3);
}

}  // namespace
}  // namespace licmove
