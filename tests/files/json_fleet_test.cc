// JSON fleets (chosen by the .json extension): the same checks as YAML
// fleets, every problem at the line:col of the JSON text, and a JSON fleet
// reads to the same Fleet as its YAML rendering.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "diagnostics_matchers.h"
#include "files/document_checks.h"
#include "files/fleet_file.h"
#include "files/json_document.h"
#include "files/validate.h"
#include "fleet_generator.h"

namespace licmove {
namespace {

Diagnostics JsonFleetProblems(std::string_view text) {
  Diagnostics out;
  if (std::optional<YamlDocument> doc = ParseJsonDocument(text, "fleet.json", out)) {
    (void)CheckFleetDocument(*doc, out);
  }
  SortDiagnostics(out);
  return out;
}

// Where `needle` first starts in `text`, counted independently of the
// parser: 1-based line, and column in characters.
TextPosition PositionOf(std::string_view text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  if (at == std::string_view::npos) return {};
  TextPosition p{1, 1};
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++p.line, p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

::testing::AssertionResult HasDiagnosticAt(const Diagnostics& ds, std::string_view text,
                                           std::string_view needle, std::string_view phrase) {
  const TextPosition p = PositionOf(text, needle);
  return HasDiagnostic(ds, p.line, p.column, phrase);
}

// A valid fleet, kHead of fleet_file_test.cc written as JSON.
const std::string kFleet = R"({
  "version": 1,
  "now": "2026-11-29T00:00:00Z",
  "users": [{"token": "admin-secret", "name": "ops@acme", "role": "admin", "accounts": ["acme"]}],
  "accounts": [{
    "name": "acme",
    "cameras": [
      {"serial": "CAM-1", "name": "Lobby", "site": "HQ", "id": "c1"},
      {"serial": "CAM-2"}
    ],
    "licenses": [
      {"key": "AM-1", "service": "alarm-management", "term_days": 1825, "activated_at": "2025-01-10T00:00:00Z", "assigned_to": "CAM-1"}
    ]
  }]
}
)";

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// A fleet as text, every field: equal text, equal fleets.
std::string Canonical(const Fleet& f) {
  std::ostringstream out;
  out << f.version << " " << f.now << "\n";
  for (const FleetUser& u : f.users) {
    out << "user " << u.token << "|" << u.name << "|" << u.role;
    for (const std::string& a : u.accounts) out << "|" << a;
    out << "\n";
  }
  auto license = [&](const License& l) {
    out << l.key << "|" << l.service << "|" << l.term_days << "|"
        << (l.activated_at ? std::to_string(*l.activated_at) : "-") << "|" << l.assigned_to << "|"
        << l.auto_renew << "\n";
  };
  for (const Account& a : f.accounts) {
    out << "account " << a.name << "\n";
    for (const Camera& c : a.cameras) {
      out << c.serial << "|" << c.name << "|" << c.site << "|" << c.id << "\n";
    }
    for (const License& l : a.licenses) license(l);
  }
  out << "registry\n";
  for (const License& l : f.registry) license(l);
  return out.str();
}

TEST(JsonFleet, TheBaseFleetIsValidAndReadsAsItsYaml) {
  Diagnostics ds = JsonFleetProblems(kFleet);
  EXPECT_TRUE(ds.empty()) << ListDiagnostics(ds);
  Result<Fleet> json = ParseFleet(kFleet, "fleet.json");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  Result<Fleet> yaml = ParseFleet(R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: admin-secret, name: ops@acme, role: admin, accounts: [acme]}
accounts:
  - name: acme
    cameras:
      - {serial: CAM-1, name: Lobby, site: HQ, id: c1}
      - {serial: CAM-2}
    licenses:
      - {key: AM-1, service: alarm-management, term_days: 1825, activated_at: "2025-01-10T00:00:00Z", assigned_to: CAM-1}
)",
                                  "fleet.yaml");
  ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
  EXPECT_EQ(Canonical(*json), Canonical(*yaml));
}

TEST(JsonFleet, TheExtensionChoosesTheParser) {
  EXPECT_TRUE(IsJsonFileName("snap.json"));
  EXPECT_TRUE(IsJsonFileName("dir/SNAP.JSON"));
  EXPECT_FALSE(IsJsonFileName("fleet.yaml"));
  EXPECT_FALSE(IsJsonFileName("json"));
  // The same text, named .yaml, is read by the YAML parser (JSON is YAML):
  // also valid.
  EXPECT_TRUE(ParseFleet(kFleet, "fleet.yaml").ok());
  // Only the JSON parser refuses a YAML-only spelling.
  const std::string yaml_only = Replace(kFleet, R"("name": "acme")", R"(name: "acme")");
  EXPECT_TRUE(ParseFleet(yaml_only, "fleet.yaml").ok());
  Result<Fleet> json = ParseFleet(yaml_only, "fleet.json");
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.status().message().find("fleet.json:6:5: a key in double quotes"),
            std::string::npos)
      << json.status().message();
}

TEST(JsonFleet, SyntaxErrorsPointAtTheText) {
  struct Case {
    std::string text;
    std::string needle;  // where the error is
    std::string phrase;
  };
  const std::vector<Case> cases = {
      {Replace(kFleet, R"({"serial": "CAM-2"})", R"({"serial": "CAM-2"},)"), "],\n    \"licenses",
       "a ',' before ']'"},
      {Replace(kFleet, R"("site": "HQ",)", R"("site": "HQ",})"), "} \"id\"", "a ',' before '}'"},
      {Replace(kFleet, R"("name": "Lobby")", R"("name" "Lobby")"), "\"Lobby\"", "':' was expected"},
      {Replace(kFleet, R"("term_days": 1825)", R"("term_days": 01825)"), "01825",
       "no leading zero"},
      {Replace(kFleet, R"("site": "HQ")", R"("site": 'HQ')"), "'HQ'", "double quotes"},
      {Replace(kFleet, R"("site": "HQ")", R"("site": HQ)"), "HQ,", "a value was expected"},
      {Replace(kFleet, R"("Lobby")", R"("Lo\qbby")"), "\\q", "unknown escape '\\q'"},
      {Replace(kFleet, R"("version": 1,)", R"("version": /* one */ 1,)"), "/* one */",
       "no comments"},
      {kFleet + "{}", "{}", "text after the end of the JSON value"},
      {Replace(kFleet, R"("Lobby", "site")", "\"Lobby, \"site\""), "site\": \"HQ\"",
       "',' or '}' was expected after a member"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.phrase);
    Diagnostics ds = JsonFleetProblems(c.text);
    ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
    EXPECT_TRUE(HasDiagnosticAt(ds, c.text, c.needle, c.phrase));
  }
}

TEST(JsonFleet, TruncatedAndEmptyTextAreReported) {
  Diagnostics ds = JsonFleetProblems(kFleet.substr(0, kFleet.find("\"licenses\"")));
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_NE(ds[0].message.find("the text ends"), std::string::npos) << ListDiagnostics(ds);
  ds = JsonFleetProblems(kFleet.substr(0, kFleet.find("Lobby")));
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, kFleet, "\"Lobby", "a string is never closed"));
  ds = JsonFleetProblems(" \n\t");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].ToString(), "fleet.json: the file is empty");
  ds = JsonFleetProblems(Replace(kFleet, "Lobby", "Lob\xff"));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(HasDiagnosticAt(ds, kFleet, "by\"", "not valid UTF-8 (byte 0xFF here)"));
}

TEST(JsonFleet, SchemaErrorsPointAtTheValueOrKey) {
  const std::string text =
      Replace(Replace(Replace(kFleet, R"("term_days": 1825)", R"("term_days": "long")"),
                      R"("role": "admin")", R"("role": "boss")"),
              R"({"serial": "CAM-2"})", R"({"serial": "CAM-2", "colour": "red"})");
  Diagnostics ds = JsonFleetProblems(text);
  ASSERT_EQ(ds.size(), 3u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("long")", "long"));
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("boss")", "boss"));
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("colour")", "colour"));
}

TEST(JsonFleet, FleetRulesPointAtTheJson) {
  const std::string text = Replace(kFleet, R"("assigned_to": "CAM-1"})",
                                   R"("assigned_to": "CAM-1"},
      {"key": "AM-2", "service": "alarm-management", "term_days": 90, "activated_at": "2026-01-01T00:00:00Z", "assigned_to": "CAM-404"},
      {"key": "AM-1", "service": "alarm-management", "term_days": 365})");
  Diagnostics ds = JsonFleetProblems(text);
  ASSERT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("CAM-404")",
                              "license AM-2 is assigned to CAM-404, which is not a camera of "
                              "account acme"));
  EXPECT_TRUE(HasDiagnosticAt(ds, text,
                              R"("AM-1", "service": "alarm-management", "term_days": 365)",
                              "key AM-1 is already listed at line 12"));
  const std::string bad_now =
      Replace(kFleet, R"("now": "2026-11-29T00:00:00Z")", R"("now": "2026-11-31T00:00:00Z")");
  ds = JsonFleetProblems(bad_now);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, bad_now, R"("2026-11-31T00:00:00Z")", "is not a valid time"));
}

TEST(JsonFleet, DuplicateMembersAreReportedAndTheFirstKept) {
  const std::string text = Replace(kFleet, R"("site": "HQ",)", R"("site": "HQ", "site": "Dock",)");
  Diagnostics ds = JsonFleetProblems(text);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("site": "Dock")",
                              "key \"site\" appears twice in this object (first at line 8)"));
}

TEST(JsonFleet, OneLineJsonAndEscapesAndNumbers) {
  // No line breaks: columns run long. Escapes decode; 1825.0 is an integer.
  const std::string text =
      R"({"version": 1, "now": "2026-11-29T00:00:00Z", "accounts": [{"name": "acme", )"
      R"("cameras": [{"serial": "CAM-1", "name": "Caf\u00e9 \"Nord\"", "site": "H\/Q"}], )"
      R"("licenses": [{"key": "AM-1", "service": "alarm-management", "term_days": 1825.0, )"
      R"("activated_at": "2026-01-01T00:00:00Z", )"
      R"("assigned_to": "CAM-404"}]}]})";
  Diagnostics ds = JsonFleetProblems(text);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnosticAt(ds, text, R"("CAM-404")", "CAM-404, which is not a camera"));
  Result<Fleet> fleet = ParseFleet(Replace(text, "CAM-404", "CAM-1"), "f.json");
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  EXPECT_EQ(fleet->accounts[0].cameras[0].name, "Caf\xc3\xa9 \"Nord\"");
  EXPECT_EQ(fleet->accounts[0].cameras[0].site, "H/Q");
  EXPECT_EQ(fleet->accounts[0].licenses[0].term_days, 1825);
}

TEST(JsonFleet, ValidateAndLoadReadJsonFiles) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("licmove-json-fleet-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "good.json").string();
  const std::string bad = (dir / "bad.json").string();
  std::ofstream(good) << kFleet;
  const std::string broken = Replace(kFleet, R"("term_days": 1825)", R"("term_days": -5)");
  std::ofstream(bad) << broken;
  EXPECT_TRUE(LoadFleetFile(good).ok());
  EXPECT_TRUE(ValidateFile(good).empty()) << ListDiagnostics(ValidateFile(good));
  Diagnostics ds = ValidateFile(bad);
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  const TextPosition p = PositionOf(broken, "-5");
  EXPECT_EQ(ds[0].file, bad);
  EXPECT_EQ(ds[0].line, p.line);
  EXPECT_EQ(ds[0].column, p.column);
  std::filesystem::remove_all(dir);
}

// The same generated fleet, written as YAML and as JSON, reads to the same
// Fleet: the two parsers agree on every value.
RC_GTEST_PROP(JsonFleet, YamlAndJsonRenderingsReadTheSame, ()) {
  FleetGenOptions o;
  o.cameras = *rc::gen::inRange(1, 60);
  o.licenses = *rc::gen::inRange(0, 120);
  o.registry = *rc::gen::inRange(0, 5);
  o.seed = *rc::gen::arbitrary<std::uint64_t>();
  o.account = *rc::gen::element<std::string>("acme", "beta-2", "x");
  const std::string yaml = GenerateFleet(o).fleet_yaml;
  o.json_fleet = true;
  const std::string json = GenerateFleet(o).fleet_json;
  RC_ASSERT(!json.empty());
  Result<Fleet> from_yaml = ParseFleet(yaml, "fleet.yaml");
  Result<Fleet> from_json = ParseFleet(json, "fleet.json");
  RC_ASSERT(from_yaml.ok());
  RC_ASSERT(from_json.ok());
  RC_ASSERT(Canonical(*from_yaml) == Canonical(*from_json));
}

}  // namespace
}  // namespace licmove
