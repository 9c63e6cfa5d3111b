// Ops, the summary and the predicted state as JSON: shared by the JSON output
// and saved plans, so that both spell an op the same way (docs/PLANNER.md).
#pragma once

#include <boost/json.hpp>

#include "model/status.h"
#include "planner/json_stream.h"
#include "planner/op_graph.h"
#include "planner/planner.h"

namespace licmove {

// An assign's interchangeable keys are listed once, on the first activation
// that may take any of them ("acceptable_keys"); later activations of the same
// group say "acceptable_keys_as": that op's id. Output stays linear in size.
boost::json::array OpsToJson(const OpGraph& graph);
// The same text as serializing OpsToJson, written one op at a time.
void WriteOpsJson(const OpGraph& graph, JsonStream& out);
// Checks kinds, required fields and ids; not the graph's shape (Validate()).
Result<OpGraph> OpsFromJson(const boost::json::value& ops);

boost::json::object SummaryToJson(const PlanSummary& summary);
// An assign's end state names the op that lists its acceptable keys.
boost::json::object PredictedToJson(const PredictedState& predicted, const OpGraph& graph);
// The same text as serializing PredictedToJson, one camera or key at a time.
void WritePredictedJson(const PredictedState& predicted, const OpGraph& graph, JsonStream& out);

}  // namespace licmove
