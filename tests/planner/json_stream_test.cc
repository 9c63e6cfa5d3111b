// The JSON output and saved plans are written piece by piece (json_stream.h)
// so that a large plan is never held as boost::json values at once; the text
// must stay exactly what serializing the whole document gives.
#include "planner/json_stream.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixtures.h"
#include "planner/ops_json.h"
#include "planner/planner.h"
#include "planner/render.h"
#include "planner/saved_plan.h"

namespace licmove::testing {
namespace {

namespace json = boost::json;

TEST(JsonStream, WritesWhatSerializeWrites) {
  const json::value whole = json::parse(
      R"({"a":1,"quote\"d key":"tab\there \u00e9","nested":{"empty":{},"list":[1,[2,[]],{"x":null}]},)"
      R"("after":[true,false,-3,1.5],"last":[]})");
  std::string text;
  JsonStream out(text);
  out.BeginObject();
  for (const auto& [key, value] : whole.get_object()) {
    out.Key(key);
    if (key == "nested") {  // written member by member too
      out.BeginObject();
      for (const auto& [k, v] : value.get_object()) {
        out.Key(k);
        out.Value(v);
      }
      out.EndObject();
    } else if (value.is_array()) {  // element by element
      out.BeginArray();
      for (const json::value& v : value.get_array()) out.Value(v);
      out.EndArray();
    } else {
      out.Value(value);
    }
  }
  out.EndObject();
  EXPECT_EQ(text, json::serialize(whole));
}

// A bulk assign (shared acceptable keys, "acceptable_keys_as") and a move with
// a restoration: every kind of op and predicted entry.
PlannedChange BulkPlan(AccountSnapshot& s) {
  s = AccountBuilder()
          .Camera("CAM-1")
          .Camera("CAM-7")
          .Camera("CAM-8")
          .Camera("CAM-9")
          .Key("AM-1", "am", 1825, 546, "CAM-1", true)
          .Key("RM-1", "rm", 365, 273, "CAM-1")
          .Key("AM-DEMO", "am", 90)
          .Key("AM-5Y-A", "am", 1825)
          .Key("AM-5Y-B", "am", 1825)
          .Key("AM-5Y-C", "am", 1825)
          .Build();
  Result<PlannedChange> p = BuildPlan(
      MakePlan({Move("CAM-1", "CAM-7", "am", 3)}, {Assign({"CAM-8", "CAM-9"}, "am", "5y", 4)}), s);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(*p);
}

TEST(JsonStream, PlanJsonIsTheSerializedDocument) {
  AccountSnapshot s;
  const PlannedChange p = BulkPlan(s);
  json::object o;
  o["format_version"] = 1;
  o["plan_file"] = p.plan_file;
  o["plan_identity"] = p.plan_identity;
  o["account"] = p.account;
  o["snapshot_now"] = FormatTimestamp(p.now);
  o["ops"] = OpsToJson(p.graph);
  o["summary"] = SummaryToJson(p.summary);
  o["predicted"] = PredictedToJson(p.predicted, p.graph);
  const std::string text = RenderJson(p);
  EXPECT_EQ(text, json::serialize(o) + "\n");
  EXPECT_NE(text.find("\"acceptable_keys_as\""), std::string::npos);
}

TEST(JsonStream, SavedPlanIsTheSerializedDocumentAndLoads) {
  AccountSnapshot s;
  const PlannedChange p = BulkPlan(s);
  for (const std::optional<ForecastBasis>& basis :
       {std::optional<ForecastBasis>{}, std::optional<ForecastBasis>{{kNow, kNow + 86400}}}) {
    const std::string text = SaveGraph(p, s, "0.1.0", basis);
    // Parsed and serialized again (boost::json keeps member order): the same text.
    EXPECT_EQ(text, json::serialize(json::parse(text)) + "\n");
    const json::value parsed = json::parse(text);
    const json::object& doc = parsed.as_object();
    EXPECT_EQ(doc.contains("forecast"), basis.has_value());
    EXPECT_EQ(doc.at("ops"), OpsToJson(p.graph));
    EXPECT_EQ(doc.at("summary"), SummaryToJson(p.summary));
    Result<SavedPlan> loaded = LoadSavedPlan(text, "saved.json");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->graph.size(), p.graph.size());
    EXPECT_EQ(loaded->forecast.has_value(), basis.has_value());
  }
}

}  // namespace
}  // namespace licmove::testing
