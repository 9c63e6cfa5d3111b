// A bulk assign planned by the planner and applied to the real portal-sim
// over loopback HTTP, with the simulator breaking ties in random orders: the
// activations of a run of interchangeable keys go out side by side
// (docs/PLANNER.md §4), so which key lands where is up to the portal, and the
// outcome must still be what the plan predicts.
#include <map>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "executor/executor.h"
#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fleet_generator.h"
#include "planner/planner.h"
#include "portal/account_reader.h"
#include "portal_sim/portal_sim.h"

namespace licmove {
namespace {

namespace asio = boost::asio;

TEST(ExecutorSim, BulkAssignSideBySideLandsUnderRandomTies) {
  FleetGenOptions o;
  o.cameras = 400;
  o.moves = 0;
  o.assigns = 40;
  o.seed = 7;
  const GeneratedFleet files = GenerateFleet(o);
  Result<Fleet> fleet = ParseFleet(files.fleet_yaml, "fleet.yaml");
  Result<Plan> plan = ParsePlan(files.plan_yaml, "plan.yaml");
  ASSERT_TRUE(fleet.ok() && plan.ok());
  ASSERT_EQ(plan->assigns.size(), 1u);
  const std::string service = plan->assigns.front().service;

  for (std::uint64_t seed : {1u, 2u, 3u}) {
    sim::SimOptions so;
    so.fleet = *fleet;
    so.tie_break = {sim::TieBreak::Order::kRandom, seed};
    auto started = sim::PortalSim::Start(so);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    HttpClientOptions http;
    http.url = *ParsePortalUrl((*started)->url(), false);
    http.token = "admin-secret";
    http.timeout = std::chrono::seconds(5);
    const std::string account = plan->account;
    Result<AccountSnapshot> before = ReadAccountBlocking(http, account);
    ASSERT_TRUE(before.ok()) << before.status().ToString();

    PlannerOptions po;
    po.parallelism = 8;
    Result<PlannedChange> planned = BuildPlan(*plan, *before, po);
    ASSERT_TRUE(planned.ok()) << planned.status().ToString();
    ASSERT_GT(planned->summary.parks, 0);
    // The 40 activations are one run: first, the rest side by side, last.
    EXPECT_LE(planned->summary.critical_path, 5);

    std::map<std::string, std::string> ids;
    for (const Camera& c : before->account.cameras) ids[c.serial] = c.id;
    asio::io_context io;
    HttpClient client(io.get_executor(), http);
    Schedule schedule(planned->graph);
    ExecutorOptions eo;
    eo.run_id = "bulk-" + std::to_string(seed);
    eo.parallelism = 8;
    Executor executor(io.get_executor(), account, planned->graph, schedule, client, nullptr, ids,
                      eo, nullptr);
    ExecutionSummary s;
    asio::co_spawn(io, executor.Run(), [&](std::exception_ptr e, ExecutionSummary r) {
      EXPECT_FALSE(e);
      s = std::move(r);
    });
    io.run();
    EXPECT_TRUE(s.complete()) << "tie seed " << seed << ": " << s.first_error;
    EXPECT_FALSE(s.verification_failed) << "tie seed " << seed;

    Result<AccountSnapshot> after = ReadAccountBlocking(http, account);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->account.licenses.size(), before->account.licenses.size())
        << "every parked key is back";
    for (const PredictedCamera& c : planned->predicted.cameras) {
      for (const PredictedService& want : c.after) {
        const License* got = after->account.LicenseOn(c.serial, want.service);
        ASSERT_NE(got, nullptr) << c.serial;
        if (want.acceptable_keys.empty()) {
          EXPECT_EQ(got->key, want.key) << c.serial;
        } else {
          EXPECT_TRUE(want.acceptable_keys.contains(got->key)) << c.serial << " got " << got->key;
        }
      }
    }
  }
}

}  // namespace
}  // namespace licmove
