// Test oracle: an exhaustive breadth-first search over the portal's rules
// (DESIGN §1, R2–R6) for small accounts (up to 8 cameras and 11 licenses),
// giving the fewest portal calls that reach a goal state. Independent of the
// planner's code: it knows nothing of parking strategies or edges.
//
// Moves allowed from a state: remove a present camera (its licenses go to the
// pool), add an absent camera, park a pool license, unpark a parked one, and
// activate a service on a present camera without it — only when the goal
// gives that camera a license of that service (no license is ever activated
// where the plan does not place it) and the portal's pick is certain: the
// unique shortest-remaining pool license, or, for a goal that accepts any
// interchangeable key, every tied shortest one is such a key.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/account.h"

namespace licmove::testing {

// What one camera must hold at the end, per service.
struct GoalService {
  std::string key;
  bool any_interchangeable = false;  // an assign: any key of the same service,
                                     // term and remaining seconds that no goal
                                     // places exactly
  bool auto_renew = false;           // a key left in place keeps its flag; an activation sets it
};

struct OracleProblem {
  AccountSnapshot snapshot;
  // Every camera of the snapshot: its services at the end. Cameras must all be
  // present at the end, nothing parked.
  std::map<std::string, std::map<std::string, GoalService>> goal;
  // false: no activation onto a camera that still holds a key its goal does
  // not give it. Such a camera must be removed later, which brings the key
  // back to the pool: a park of one call, which the planner never makes
  // (docs/PLANNER.md, Open). Its minimum is then the planner's to match.
  bool activate_before_removal = true;
  // A rollback's start (restore.h): licenses of the snapshot that are parked
  // outside the account, and cameras of the snapshot that are missing (their
  // services then listed nowhere: a missing camera holds nothing).
  std::vector<std::string> start_parked;
  std::vector<std::string> start_absent;
};

// The fewest calls from the snapshot to the goal, or -1 if more than
// `max_calls` are needed (or the goal is unreachable).
// With `path`, also the calls of one best way ("remove CAM-1", "park K", ...).
int OracleMinCalls(const OracleProblem& problem, int max_calls,
                   std::vector<std::string>* path = nullptr);

}  // namespace licmove::testing
