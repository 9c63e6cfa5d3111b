// Random small accounts and plans for the oracle and property tests, with
// many ties: demo (90 days) and 1-year keys, fresh or partly used so that
// remaining validities collide within and across terms.
#pragma once

#include <functional>
#include <random>
#include <string>

#include "files/plan_file.h"
#include "model/account.h"
#include "oracle.h"
#include "planner/op_graph.h"
#include "planner/planner.h"
#include "portal_model.h"

namespace licmove::testing {

struct InstanceShape {
  int max_cameras = 4;
  int max_keys = 6;
  int max_services = 2;  // up to 3
  int max_moves = 3;
  bool three_year = false;     // also 3-year keys
  int max_assign_cameras = 2;  // cameras of the one assign, if any (bulk assigns: more)
  int fresh_pool_keys = 0;     // > 0: that many never-activated am 1-year keys in the
  // pool (one big group) and always an assign of am 1y
};

struct Instance {
  AccountSnapshot snapshot;
  Plan plan;
};

Instance RandomInstance(std::mt19937_64& rng, const InstanceShape& shape);

// The benchmark's kind of fleet and plan (bench/planner_bench.cc:
// licmove-fleetgen, seed 7), parsed; smaller. The generator lists licenses
// by number, not by key.
Instance GeneratedInstance(int cameras, int moves, int assigns);

// The oracle's goal: the planner's target allocation (its predicted state),
// other cameras as they are.
OracleProblem GoalOf(const Instance& instance, const PlannedChange& planned);

enum class TieBreak { kRandom, kFirst, kLast };

// Runs the graph in a random order that respects its edges, against `model`,
// breaking ties among interchangeable keys by `ties`. "" or the first failure.
// `stop_after` >= 0: stops after that many ops, as a run stopped early (then
// "" unless an op failed).
std::string RunRandomOrder(const OpGraph& graph, PortalModel& model, std::mt19937_64& rng,
                           TieBreak ties = TieBreak::kRandom, int stop_after = -1);

// A readable dump of an instance, for failure messages.
std::string Describe(const Instance& instance);

}  // namespace licmove::testing
