#include <boost/json.hpp>

#include "planner/ops_json.h"
#include "planner/render.h"

namespace licmove {

// Written piece by piece (json_stream.h): the same text as one
// boost::json::object serialized, without the whole plan as values at once.
std::string RenderJson(const PlannedChange& plan) {
  std::string text;
  JsonStream out(text);
  out.BeginObject();
  out.Key("format_version");
  out.Value(1);
  out.Key("plan_file");
  out.Value(boost::json::string(plan.plan_file));
  out.Key("plan_identity");
  out.Value(boost::json::string(plan.plan_identity));
  out.Key("account");
  out.Value(boost::json::string(plan.account));
  out.Key("snapshot_now");
  out.Value(boost::json::string(FormatTimestamp(plan.now)));
  out.Key("ops");
  WriteOpsJson(plan.graph, out);
  out.Key("summary");
  out.Value(SummaryToJson(plan.summary));
  out.Key("predicted");
  WritePredictedJson(plan.predicted, plan.graph, out);
  out.EndObject();
  text += '\n';
  return text;
}

}  // namespace licmove
