// The predicted final state, and the invariants checked before a plan is
// shown: the graph is run once, in id order, against the planner's own model
// of the portal (R2–R6); every activation must hand out its expected key (a
// tie only among interchangeable keys), every key must be accounted for (none
// left parked, none lost), every camera present at the start must be present
// at the end, and the end must be the target allocation. A violation is an
// internal error: a bug in licmove, never a plan to show.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/status.h"
#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/op_graph.h"

namespace licmove {

struct PredictedService {
  std::string service;
  std::string key;
  KeyList acceptable_keys;  // an assign: any of these (includes key)
  bool auto_renew = false;
};

// A camera the plan removes or activates something on.
struct PredictedCamera {
  std::string serial;
  std::string name;
  std::string site;
  bool re_added = false;  // removed and added back (gets a new portal id)
  std::vector<PredictedService> before;
  std::vector<PredictedService> after;
};

// A key the plan moves, releases, restores or parks.
struct PredictedKey {
  std::string key;
  std::string service;
  std::string from;                    // camera serial at the start; empty: the pool
  std::string to;                      // camera serial at the end; empty: the pool
  std::int64_t remaining_seconds = 0;  // at the snapshot's now
  bool parked = false;                 // parked and unparked on the way
};

struct PredictedState {
  std::vector<PredictedCamera> cameras;  // by serial
  std::vector<PredictedKey> keys;        // by key
};

Result<PredictedState> PredictAndCheck(const OpGraph& graph, const Allocation& allocation,
                                       const AccountIndex& index);

}  // namespace licmove
