#include "executor/schedule.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "executor/op_call.h"
#include "planner/ops_json.h"

namespace licmove {
namespace {

// The seed's procedure for one move with one shorter pool license:
// park ─┐
// remove source ─┬─> activate dest ─> unpark
//                └─> add source
const char* kMovePlan = R"({"format_version":1,"account":"acme","ops":[
  {"id":0,"kind":"park","key":"AM-1Y-0010","after":[]},
  {"id":1,"kind":"remove_camera","camera":"CAM-0001","after":[]},
  {"id":2,"kind":"activate","camera":"CAM-0007","service":"alarm-management",
   "expect_key":"AM-5Y-0001","auto_renew":true,"after":[0,1]},
  {"id":3,"kind":"unpark","key":"AM-1Y-0010","after":[2]},
  {"id":4,"kind":"add_camera","camera":"CAM-0001","name":"Lobby","site":"HQ","after":[1]}]})";

OpGraph Graph(const char* plan_json) {
  const boost::json::value v = boost::json::parse(plan_json);
  auto graph = OpsFromJson(v.at("ops"));
  EXPECT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_TRUE(graph->Validate().ok());
  return graph.ok() ? std::move(graph.value()) : OpGraph();
}

TEST(OpCall, DescribesAndBuildsRequests) {
  const OpGraph g = Graph(kMovePlan);
  const Op& act = g.op(2);
  EXPECT_EQ(DescribeOpForLog(act), "activate alarm-management on CAM-0007 (expect ...0001)");
  EXPECT_TRUE(IsAcceptableKey(act, "AM-5Y-0001"));
  EXPECT_FALSE(IsAcceptableKey(act, "AM-1Y-0010"));
  const HttpRequest r = BuildOpRequest(act, "acme", "c 7", "run-op2");
  EXPECT_EQ(r.method, HttpMethod::kPost);
  EXPECT_EQ(r.target, "/api/v1/accounts/acme/cameras/c%207/services/alarm-management/activate");
  EXPECT_EQ(r.body, R"({"auto_renew":true})");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "run-op2");
  const HttpRequest add = BuildOpRequest(g.op(4), "acme", "", "k");
  EXPECT_EQ(add.target, "/api/v1/accounts/acme/cameras");
  EXPECT_EQ(add.body, R"({"serial":"CAM-0001","name":"Lobby","site":"HQ"})");
  EXPECT_EQ(BuildOpRequest(g.op(0), "acme", "", "k").target,
            "/api/v1/accounts/acme/licenses/AM-1Y-0010");
  EXPECT_EQ(BuildOpRequest(g.op(3), "acme", "", "k").body, R"({"key":"AM-1Y-0010"})");
  // How errors name a park: its key masked in the path too (docs/EXECUTOR.md).
  EXPECT_EQ(DescribeCall(g.op(0), BuildOpRequest(g.op(0), "acme", "", "k")),
            "park ...0010 (DELETE /api/v1/accounts/acme/licenses/...0010)");
  EXPECT_EQ(IdempotencyKeyFor("20261129T232301Z-4f1c", 17), "20261129T232301Z-4f1c-op17");
}

TEST(Schedule, RunsCriticalPathFirstAndRespectsEdges) {
  const OpGraph g = Graph(kMovePlan);
  Schedule s(g);
  EXPECT_EQ(s.critical_path(), 3);
  // remove_camera (chain of 3) before park (chain of 3, higher id) — both
  // ready; ties go by id.
  EXPECT_EQ(s.TakeReady(), 0);
  EXPECT_EQ(s.TakeReady(), 1);
  EXPECT_EQ(s.TakeReady(), -1);
  s.Finished(1);
  EXPECT_EQ(s.TakeReady(), 4);  // add_camera; activate still waits for the park
  EXPECT_EQ(s.TakeReady(), -1);
  s.Finished(0);
  EXPECT_EQ(s.TakeReady(), 2);
  s.Finished(2);
  s.Finished(4);
  EXPECT_EQ(s.TakeReady(), 3);
  s.Finished(3);
  EXPECT_TRUE(s.Quiescent());
  EXPECT_EQ(s.Count(Schedule::State::kDone), 5u);
}

TEST(Schedule, TellsWhenTheBestReadyOpIsOnTheCriticalPath) {
  const OpGraph g = Graph(kMovePlan);
  Schedule s(g);
  EXPECT_TRUE(s.ReadyIsCritical());  // park and remove both start chains of 3
  ASSERT_EQ(s.TakeReady(), 0);
  ASSERT_EQ(s.TakeReady(), 1);
  s.Finished(1);
  // Ready: add_camera (chain of 1); unfinished: the park (3), activate (2).
  EXPECT_FALSE(s.ReadyIsCritical());
  s.Finished(0);
  EXPECT_TRUE(s.ReadyIsCritical());  // activate (2) is ready and heaviest now
  EXPECT_EQ(s.TakeReady(), 2);
  EXPECT_FALSE(s.ReadyIsCritical());  // add_camera (1) while activate runs
  s.Finished(2);
  EXPECT_TRUE(s.ReadyIsCritical());  // only chains of 1 are left
}

TEST(Schedule, KeepsASlotForTheCriticalPathOnlyWithCapacityToSpare) {
  // bulk-10k: 9,631 ops, critical path 1,175 (1,140 shaped for 32).
  EXPECT_FALSE(KeepSlotForCriticalPath(9631, 1175, 10));
  EXPECT_FALSE(KeepSlotForCriticalPath(9631, 1175, 16));
  EXPECT_TRUE(KeepSlotForCriticalPath(9631, 1140, 32));
  EXPECT_FALSE(KeepSlotForCriticalPath(5, 5, 1));   // one slot is never kept back
  EXPECT_TRUE(KeepSlotForCriticalPath(10, 10, 3));  // a chain: nothing else to run
}

TEST(Schedule, FailureBlocksOnlyDependents) {
  const OpGraph g = Graph(kMovePlan);
  Schedule s(g);
  ASSERT_EQ(s.TakeReady(), 0);
  ASSERT_EQ(s.TakeReady(), 1);
  s.Failed(0);  // the park failed: activate and unpark never run
  s.Finished(1);
  EXPECT_EQ(s.TakeReady(), 4);  // the source still comes back
  s.Finished(4);
  EXPECT_EQ(s.TakeReady(), -1);
  EXPECT_TRUE(s.Quiescent());
  EXPECT_EQ(s.state(2), Schedule::State::kBlocked);
  EXPECT_EQ(s.state(3), Schedule::State::kBlocked);
  EXPECT_EQ(s.Count(Schedule::State::kDone), 2u);
}

TEST(Schedule, StopStartsNothingNewButLetsRunningFinish) {
  const OpGraph g = Graph(kMovePlan);
  Schedule s(g);
  ASSERT_EQ(s.TakeReady(), 0);
  s.Stop();
  EXPECT_EQ(s.TakeReady(), -1);
  EXPECT_FALSE(s.Quiescent());  // op 0 still running
  s.Finished(0);
  EXPECT_TRUE(s.Quiescent());
}

TEST(Schedule, ResumeSkipsWhatWasDone) {
  const OpGraph g = Graph(kMovePlan);
  Schedule s(g);
  s.MarkDoneBeforeStart(0);
  s.MarkDoneBeforeStart(1);
  s.MarkDoneBeforeStart(4);
  EXPECT_EQ(s.TakeReady(), 2);
  EXPECT_EQ(s.TakeReady(), -1);
  s.Finished(2);
  EXPECT_EQ(s.TakeReady(), 3);
}

// For any DAG and any order of completions, every op runs exactly once and
// never before all of its dependencies are done.
RC_GTEST_PROP(Schedule, AnyCompletionOrderRespectsEdges, ()) {
  const int n = *rc::gen::inRange(1, 40);
  OpGraph graph;
  for (int i = 0; i < n; ++i) {
    Op op;
    op.kind = OpKind::kPark;
    op.key = "K" + std::to_string(i);
    for (int j = 0; j < i; ++j) {
      if (*rc::gen::inRange(0, 5) == 0) op.after.push_back(j);
    }
    graph.Add(op);
  }
  graph.Finish();
  Schedule s(graph);
  std::vector<bool> done(n, false);
  std::vector<int> running;
  int finished = 0;
  while (finished < n) {
    for (int op; (op = s.TakeReady()) != -1;) {
      for (int d : graph.op(op).after) RC_ASSERT(done[d]);
      running.push_back(op);
    }
    RC_ASSERT(!running.empty());
    const std::size_t pick = *rc::gen::inRange<std::size_t>(0, running.size());
    const int op = running[pick];
    running.erase(running.begin() + pick);
    RC_ASSERT(!done[op]);
    done[op] = true;
    s.Finished(op);
    ++finished;
  }
  RC_ASSERT(s.Quiescent());
  RC_ASSERT(s.Count(Schedule::State::kDone) == static_cast<std::size_t>(n));
}

}  // namespace
}  // namespace licmove
