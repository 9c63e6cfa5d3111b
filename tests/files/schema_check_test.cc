#include "files/schema_check.h"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "diagnostics_matchers.h"

namespace licmove {
namespace {

namespace json = boost::json;

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(LICMOVE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SchemaCheck, EmbeddedSchemasAreTheFilesInSchemas) {
  EXPECT_EQ(SchemaText(FileKind::kPlan), ReadSource("schemas/plan.v1.schema.json"));
  EXPECT_EQ(SchemaText(FileKind::kFleet), ReadSource("schemas/fleet.v1.schema.json"));
}

TEST(SchemaCheck, SchemasAreDraft7AndClosed) {
  for (FileKind kind : {FileKind::kPlan, FileKind::kFleet}) {
    const json::value schema = json::parse(SchemaText(kind));
    EXPECT_EQ(schema.at("$schema"), json::value("http://json-schema.org/draft-07/schema#"));
    EXPECT_EQ(schema.at("additionalProperties"), json::value(false));
    EXPECT_EQ(schema.at("properties").at("version").at("const"), json::value(1));
    // Every object in the schema is closed: an unknown key is a typo.
    for (const auto& def : schema.at("definitions").as_object()) {
      if (def.value().as_object().contains("properties")) {
        EXPECT_EQ(def.value().at("additionalProperties"), json::value(false)) << def.key();
      }
    }
  }
}

// What an editor shows on hover (docs/FILES.md, "Validation as you type"):
// every definition and every property has a title and a description.
void ExpectTitled(const json::object& schema, const std::string& where) {
  EXPECT_TRUE(schema.contains("title")) << where;
  EXPECT_TRUE(schema.contains("description")) << where;
  if (const json::value* props = schema.if_contains("properties")) {
    for (const auto& p : props->as_object()) {
      ExpectTitled(p.value().as_object(), where + "/properties/" + std::string(p.key()));
    }
  }
}

TEST(SchemaCheck, EveryFieldHasATitleAndADescription) {
  for (FileKind kind : {FileKind::kPlan, FileKind::kFleet}) {
    const json::value schema = json::parse(SchemaText(kind));
    const std::string name(FileKindName(kind));
    ExpectTitled(schema.as_object(), name);
    for (const auto& def : schema.at("definitions").as_object()) {
      ExpectTitled(def.value().as_object(), name + "/definitions/" + std::string(def.key()));
    }
  }
}

TEST(SchemaCheck, KindNames) {
  EXPECT_EQ(FileKindName(FileKind::kPlan), "plan");
  EXPECT_EQ(FileKindName(FileKind::kFleet), "fleet");
  EXPECT_EQ(FileKindName(FileKind::kUnknown), "unknown");
}

Diagnostics Check(std::string_view text, FileKind kind) {
  Diagnostics out;
  std::optional<YamlDocument> doc = ParseYamlDocument(text, "f.yaml", out);
  if (doc) (void)CheckVersionAndSchema(*doc, kind, out);
  SortDiagnostics(out);
  return out;
}

TEST(SchemaCheck, RootOfTheWrongType) {
  Diagnostics ds = Check("- version: 1\n", FileKind::kPlan);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "f.yaml:1:1: the plan must be a mapping (key: value lines), not a list");
  ds = Check("42\n", FileKind::kFleet);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "f.yaml:1:1: the fleet file must be a mapping (key: value lines), not the number 42");
}

TEST(SchemaCheck, NeverTheValidatorsOwnWords) {
  Diagnostics ds = Check(R"(version: 1
now: 5
users:
  - {token: "has space", name: "", role: admin, accounts: [a, a, a]}
accounts:
  - name: a
    cameras: {serial: X}
    licenses:
      - {key: K, service: s, term_days: 5, assigned_to: [X]}
)",
                         FileKind::kFleet);
  EXPECT_TRUE(HasDiagnostic(ds, 2, 6, "now must be text, not the number 5; put it in quotes"));
  EXPECT_TRUE(
      HasDiagnostic(ds, 4, 13, "token \"has space\" must be printable ASCII without spaces"));
  EXPECT_TRUE(HasDiagnostic(ds, 4, 32, "name must not be empty"));
  EXPECT_TRUE(HasDiagnostic(ds, 4, 63, "\"a\" is listed twice in accounts (first at line 4)"));
  EXPECT_TRUE(HasDiagnostic(ds, 4, 66, "\"a\" is listed twice in accounts (first at line 4)"));
  EXPECT_TRUE(HasDiagnostic(ds, 7, 14, "cameras must be a list, not a mapping"));
  EXPECT_TRUE(HasDiagnostic(ds, 9, 57, "assigned_to must be text or empty, not a list"));
  EXPECT_EQ(ds.size(), 7u) << ListDiagnostics(ds);
  for (const Diagnostic& d : ds) {
    EXPECT_EQ(d.message.find("constraint"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("Failed"), std::string::npos) << d.message;
  }
}

}  // namespace
}  // namespace licmove
