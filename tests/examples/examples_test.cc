// The shipped examples stay valid and the generator stays deterministic and
// consistent with the bulk plan committed in plans/.
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fleet_generator.h"

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
  for (const char* dir : {"examples/fleets", "plans"}) {
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
  EXPECT_EQ(GenerateFleet(o).plan_yaml, ReadText(kSource / "plans/bulk-10k.yaml"));
}

}  // namespace
}  // namespace licmove
