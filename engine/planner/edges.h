// From the witness (one valid sequential order) to the operation graph: only
// the dependencies that make EVERY interleaving the executor may pick as safe
// as the witness.
//
// What must hold in any order:
// - a camera is removed before it is added back, and added back before
//   anything is activated on it; a key is released (its camera removed, or it
//   is unparked) before it is activated or parked;
// - the activations of one service stay in the witness's order (two
//   activations of one service with keys that are not interchangeable can
//   never run side by side: one of the keys would be in the other's way);
//   a run of three or more interchangeable ones (a bulk assign) with nothing
//   in their way coming or going in between runs side by side between its
//   first and its last activation (docs/PLANNER.md §4);
// - no activation runs while a key with no more validity (and not
//   interchangeable with its own) is in the pool. For each key that is one
//   edge at each end of each stretch of time it spends in the pool: from the
//   last such activation before its release, from the last before its unpark,
//   to the first after its park. The service's chain carries the rest.
// Everything else (other services, other cameras, parks among themselves) is
// left parallel. Near-linear: one range query per key.
#pragma once

#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/op_graph.h"
#include "planner/parking.h"
#include "planner/problem.h"

namespace licmove {

OpGraph BuildOpGraph(const Problem& problem, const Witness& witness, const Allocation& allocation,
                     const AccountIndex& index);

// The same ops' kinds and edges, flat (no cameras, keys or names, no Op
// built): enough to compare how long two witnesses' graphs take, at a
// fraction of the cost.
OpShape BuildOpShape(const Problem& problem, const Witness& witness, const Allocation& allocation,
                     const AccountIndex& index);

}  // namespace licmove
