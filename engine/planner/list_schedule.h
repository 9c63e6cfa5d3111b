// How long a graph takes with a given number of calls in flight, in units of
// one call's latency: the executor's policy (a ready op with the longest
// chain after it goes first) played out with every call taking the same time.
// The planner uses it to choose between equally cheap graphs; `licmove plan`
// shows it as the expected duration.
#pragma once

#include "planner/op_graph.h"

namespace licmove {

// Rounds of `parallelism` calls (each op one round) until every op is done:
// at least the critical path and at least ops / parallelism, and more when
// the graph keeps ops waiting in bunches. parallelism < 1 counts as 1.
// REQUIRES: graph.Validate() is OK.
int ListScheduleRounds(const OpGraph& graph, int parallelism);
int ListScheduleRounds(const OpShape& shape, int parallelism);

}  // namespace licmove
