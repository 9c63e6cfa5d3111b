// RenderMarkdown's size: a change ticket or a pull-request comment holds a
// limited amount of text, so the plan in Markdown stays under 65,000 bytes:
// small plans whole and open, long lists folded, and cut with a line that
// says how many rows are left out and where the full plan is.
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fixtures.h"
#include "fleet_generator.h"
#include "planner/render.h"

namespace licmove::testing {
namespace {

constexpr std::size_t kLimit = 65000;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The plan for a generated fleet; `plan_text` overrides the generated plan.
PlannedChange PlanFor(const FleetGenOptions& o, const std::string& plan_file,
                      const std::string& plan_text = "") {
  const GeneratedFleet g = GenerateFleet(o);
  Result<Fleet> fleet = ParseFleet(g.fleet_yaml, "fleet.yaml");
  EXPECT_TRUE(fleet.ok()) << fleet.status().ToString();
  Result<Plan> plan = ParsePlan(plan_text.empty() ? g.plan_yaml : plan_text, plan_file);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!fleet.ok() || !plan.ok()) return {};
  Result<PlannedChange> r = BuildPlan(*plan, {fleet->accounts.front(), fleet->now});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : PlannedChange{};
}

// Rows shown plus the "N more ... not shown" count, for a list folded in
// <details> whose summary says "<total> <what>".
void ExpectRowsAccountedFor(const std::string& md, const std::string& what, int total, int shown) {
  const std::regex more("\n([0-9]+) more " + what + " not shown; the full plan: ");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(md, m, more)) << what;
  EXPECT_EQ(shown + std::stoi(m[1]), total) << what;
}

TEST(PlanMarkdown, SmallPlanIsWholeAndOpen) {
  AccountSnapshot s = AccountBuilder()
                          .Camera("CAM-1")
                          .Camera("CAM-7")
                          .Key("AM-1", "am", 1825, 546, "CAM-1")
                          .Key("RM-1", "rm", 365, 273, "CAM-1")
                          .Build();
  Result<PlannedChange> p = BuildPlan(MakePlan({Move("CAM-1", "CAM-7", "am", 3)}), s);
  ASSERT_TRUE(p.ok());
  const std::string md = RenderMarkdown(*p);
  EXPECT_FALSE(Has(md, "<details>")) << md;
  EXPECT_FALSE(Has(md, "not shown")) << md;
  EXPECT_TRUE(Has(md, "| CAM-1 | Cam CAM-1 | HQ | am: `AM-1`<br>rm: `RM-1` | rm: `RM-1` | yes |"))
      << md;
  EXPECT_TRUE(Has(md, "\n## Operations\n\nOps of one step may run side by side.\n\n1. ")) << md;
}

// More than 100 cameras, yet short enough to show whole: folded, not cut.
TEST(PlanMarkdown, LongListsFoldWithoutCuttingWhenTheyFit) {
  FleetGenOptions o;
  o.cameras = 1000;
  o.moves = 60;
  o.seed = 3;
  const PlannedChange plan = PlanFor(o, "plans/medium.yaml");
  ASSERT_GT(plan.predicted.cameras.size(), 100u);
  const std::string md = RenderMarkdown(plan);
  ASSERT_LT(md.size(), kLimit);
  EXPECT_TRUE(Has(md, "<details><summary>" + std::to_string(plan.predicted.cameras.size()) +
                          " cameras</summary>\n\n| Camera |"))
      << md.substr(0, 2000);
  EXPECT_FALSE(Has(md, "not shown"));
  for (const PredictedCamera& c : plan.predicted.cameras) {
    EXPECT_TRUE(Has(md, "| " + c.serial + " | ")) << c.serial;
  }
}

// plans/bulk-10k.yaml on the fleet its first line names (licmove-fleetgen
// --cameras 10000 --licenses 15000 --registry 10 --moves 1000 --assigns 50
// --seed 7 --account acme): 692,303 bytes of Markdown before the limit.
TEST(PlanMarkdown, BulkPlanStaysUnderTheLimit) {
  FleetGenOptions o;
  o.cameras = 10000;
  o.licenses = 15000;
  o.registry = 10;
  o.moves = 1000;
  o.assigns = 50;
  o.seed = 7;
  std::ifstream in(std::string(LICMOVE_SOURCE_DIR) + "/plans/bulk-10k.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const PlannedChange plan = PlanFor(o, "plans/bulk-10k.yaml", text.str());
  ASSERT_EQ(plan.summary.moves, 1000);

  const std::string md = RenderMarkdown(plan);
  EXPECT_LT(md.size(), kLimit);
  EXPECT_GT(md.size(), kLimit * 9 / 10);  // the room is used, not wasted
  // The summary whole.
  EXPECT_TRUE(Has(md, "| Moves | 1000 |\n| Cameras assigned a license | 50 |\n"));
  EXPECT_TRUE(
      Has(md, "| Portal calls | " + std::to_string(plan.summary.calls) + " (the minimum) |"));
  EXPECT_TRUE(
      Has(md, "| Critical path | " + std::to_string(plan.summary.critical_path) + " steps |\n"));
  // The cameras folded and cut, every camera either shown or counted.
  const int cameras = static_cast<int>(plan.predicted.cameras.size());
  EXPECT_TRUE(Has(md, "## Cameras\n\n<details><summary>" + std::to_string(cameras) +
                          " cameras</summary>\n\n| Camera |"));
  int shown = 0;
  for (const PredictedCamera& c : plan.predicted.cameras) shown += Has(md, "| " + c.serial + " | ");
  EXPECT_GT(shown, 100);
  ExpectRowsAccountedFor(md, "cameras", cameras, shown);
  EXPECT_TRUE(Has(md,
                  " more cameras not shown; the full plan: `licmove plan plans/bulk-10k.yaml "
                  "--format text` or the saved plan (`--out`).\n"));
  EXPECT_TRUE(Has(md, " more parked keys not shown; the full plan: "));
  EXPECT_TRUE(Has(md, " more steps ("));
  // Each fold is closed before its "not shown" line.
  EXPECT_EQ(md.find("</details>\n\n"), md.find("</details>\n\n" + std::to_string(cameras - shown)));
}

}  // namespace
}  // namespace licmove::testing
