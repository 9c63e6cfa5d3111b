// The shipped examples stay valid and the generator stays deterministic and
// consistent with the bulk plan committed in plans/.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fleet_generator.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = LICMOVE_SOURCE_DIR;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Examples, EveryShippedFleetAndPlanValidates) {
  int checked = 0;
  for (const char* dir : {"examples/fleets", "plans", "examples/ci/plans"}) {
    for (const auto& entry : fs::directory_iterator(kSource / dir)) {
      if (entry.path().extension() != ".yaml") continue;
      if (entry.path().filename() == "template.yaml") continue;  // placeholders by design
      const Diagnostics d = ValidateFile(entry.path().string());
      EXPECT_TRUE(d.empty()) << entry.path() << ":\n" << FormatDiagnostics(d);
      ++checked;
    }
  }
  EXPECT_GE(checked, 4);
}

// The first line of a file, as `# yaml-language-server: $schema=REF`: the
// schema REF names, relative to the file; empty when the line is not there.
fs::path SchemaNamedOnFirstLine(const fs::path& file) {
  const std::string text = ReadText(file);
  constexpr std::string_view kPrefix = "# yaml-language-server: $schema=";
  if (text.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  const std::string ref = text.substr(kPrefix.size(), text.find('\n') - kPrefix.size());
  return file.parent_path() / ref;
}

// Editors that use yaml-language-server (VS Code's YAML extension, ...)
// validate a file as it is typed against the schema its first line names.
TEST(Examples, EveryShippedFileNamesItsSchemaOnItsFirstLine) {
  int checked = 0;
  for (const auto& [dir, schema] : {std::pair{"plans", "schemas/plan.v1.schema.json"},
                                    std::pair{"examples/ci/plans", "schemas/plan.v1.schema.json"},
                                    std::pair{"examples/fleets", "schemas/fleet.v1.schema.json"}}) {
    for (const auto& entry : fs::directory_iterator(kSource / dir)) {
      if (entry.path().extension() != ".yaml") continue;
      const fs::path named = SchemaNamedOnFirstLine(entry.path());
      ASSERT_FALSE(named.empty()) << entry.path();
      ASSERT_TRUE(fs::exists(named)) << entry.path() << " names " << named;
      EXPECT_TRUE(fs::equivalent(named, kSource / schema)) << entry.path() << " names " << named;
      ++checked;
    }
  }
  EXPECT_GE(checked, 5);
}

TEST(Examples, TemplateOnlyFailsOnItsPlaceholders) {
  // The template is syntactically a plan; only the semantic check that a
  // serial moves somewhere else may trip on placeholders, never the schema.
  auto plan = LoadPlanFile((kSource / "plans/template.yaml").string());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->account, "YOUR-ACCOUNT");
}

TEST(Examples, SmallFleetHasWhatTheDemoNeeds) {
  auto fleet = LoadFleetFile((kSource / "examples/fleets/small.yaml").string());
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  const Account* acme = fleet->FindAccount("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->cameras.size(), 10u);
  // Every term is present, and the pool holds alarm-management licenses
  // shorter than the 5-year key the move plan places, so parking matters.
  std::set<int> terms;
  int shorter_in_pool = 0;
  const License* five = acme->FindLicense("AM-5Y-0001");
  ASSERT_NE(five, nullptr);
  for (const License& l : acme->licenses) {
    terms.insert(l.term_days);
    if (!l.assigned() && l.service == five->service &&
        RemainingSeconds(l, fleet->now) <= RemainingSeconds(*five, fleet->now)) {
      ++shorter_in_pool;
    }
  }
  EXPECT_EQ(terms, (std::set<int>{90, 365, 1095, 1825}));
  EXPECT_GE(shorter_in_pool, 3);
  // CAM-0001 holds two services: moving one means restoring the other.
  EXPECT_NE(acme->LicenseOn("CAM-0001", "remote-maintenance"), nullptr);
}

TEST(Generator, SameSeedSameBytesOtherSeedOtherBytes) {
  FleetGenOptions o;
  o.cameras = 300;
  o.moves = 20;
  o.assigns = 5;
  const GeneratedFleet a = GenerateFleet(o);
  const GeneratedFleet b = GenerateFleet(o);
  EXPECT_EQ(a.fleet_yaml, b.fleet_yaml);
  EXPECT_EQ(a.plan_yaml, b.plan_yaml);
  o.seed = 2;
  EXPECT_NE(GenerateFleet(o).fleet_yaml, a.fleet_yaml);
}

TEST(Generator, FleetAndPlanAreValidAndConsistent) {
  FleetGenOptions o;
  o.cameras = 2000;
  o.licenses = 3500;
  o.moves = 200;
  o.assigns = 20;
  o.seed = 11;
  const GeneratedFleet g = GenerateFleet(o);
  EXPECT_EQ(g.cameras, 2000);
  EXPECT_EQ(g.licenses, 3500);
  EXPECT_EQ(g.moves, 200);
  EXPECT_EQ(g.assigns, 20);

  auto fleet = ParseFleet(g.fleet_yaml, "generated-fleet.yaml");
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  auto plan = ParsePlan(g.plan_yaml, "generated-plan.yaml");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const Account& account = fleet->accounts.at(0);
  EXPECT_EQ(account.licenses.size(), 3500u);
  ASSERT_EQ(plan->moves.size(), 200u);
  for (const MoveIntent& m : plan->moves) {
    const License* l = account.LicenseOn(m.from, *m.service);
    ASSERT_NE(l, nullptr) << m.from;
    EXPECT_EQ(l->key, *m.key);
    EXPECT_EQ(account.LicenseOn(m.to, *m.service), nullptr) << m.to;
  }
  ASSERT_EQ(plan->assigns.size(), 1u);
  EXPECT_EQ(plan->assigns[0].cameras.size(), 20u);
}

TEST(Generator, CommittedBulkPlanMatchesItsGeneratorCommand) {
  // plans/bulk-10k.yaml names the command that made it; making it again must
  // give the same bytes, so the plan always fits the fleet the demo generates.
  FleetGenOptions o;
  o.cameras = 10000;
  o.moves = 1000;
  o.assigns = 50;
  o.seed = 7;
  // As licmove-fleetgen writes it with --plan-out plans/bulk-10k.yaml.
  o.plan_schema = SchemaReference((kSource / "plans/bulk-10k.yaml").string(),
                                  (kSource / "schemas/plan.v1.schema.json").string());
  EXPECT_EQ(o.plan_schema, "../schemas/plan.v1.schema.json");
  EXPECT_EQ(GenerateFleet(o).plan_yaml, ReadText(kSource / "plans/bulk-10k.yaml"));
}

// licmove-fleetgen's files name the schemas of the checkout it was built
// from, relative to wherever they are written, or under --schema-dir's URL.
TEST(Generator, WrittenFilesNameTheirSchemasFromWhereTheyAre) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("fleetgen_" + std::to_string(getpid()));
  fs::create_directories(dir / "deeper/still");
  const fs::path fleet = dir / "deeper/still/fleet.yaml";
  const fs::path plan = dir / "plan.yaml";
  const std::string fleetgen = LICMOVE_BINARY_DIR "/examples/generator/licmove-fleetgen";
  const std::string log = (dir / "out.txt").string();
  ASSERT_EQ(testing::RunProcess({fleetgen, "--cameras", "20", "--moves", "2", "--fleet-out",
                                 fleet.string(), "--plan-out", plan.string()},
                                {}, log),
            0)
      << ReadText(log);
  EXPECT_TRUE(
      fs::equivalent(SchemaNamedOnFirstLine(fleet), kSource / "schemas/fleet.v1.schema.json"));
  EXPECT_TRUE(
      fs::equivalent(SchemaNamedOnFirstLine(plan), kSource / "schemas/plan.v1.schema.json"));
  EXPECT_TRUE(ValidateFile(fleet.string()).empty());
  EXPECT_TRUE(ValidateFile(plan.string()).empty());

  ASSERT_EQ(testing::RunProcess({fleetgen, "--cameras", "20", "--fleet-out", fleet.string(),
                                 "--schema-dir", "https://example.org/licmove/schemas"},
                                {}, log),
            0)
      << ReadText(log);
  EXPECT_EQ(ReadText(fleet).substr(0, ReadText(fleet).find('\n')),
            "# yaml-language-server: $schema=https://example.org/licmove/schemas/"
            "fleet.v1.schema.json");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace licmove
