#include <boost/json.hpp>

#include "planner/ops_json.h"
#include "planner/render.h"

namespace licmove {

std::string RenderJson(const PlannedChange& plan) {
  boost::json::object o;
  o["format_version"] = 1;
  o["plan_file"] = plan.plan_file;
  o["plan_identity"] = plan.plan_identity;
  o["account"] = plan.account;
  o["snapshot_now"] = FormatTimestamp(plan.now);
  o["ops"] = OpsToJson(plan.graph);
  o["summary"] = SummaryToJson(plan.summary);
  o["predicted"] = PredictedToJson(plan.predicted, plan.graph);
  return boost::json::serialize(o) + "\n";
}

}  // namespace licmove
