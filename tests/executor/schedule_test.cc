#include "executor/schedule.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "executor/exec_plan.h"

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

TEST(ExecPlan, DecodesEveryField) {
  auto plan = DecodeExecPlan(kMovePlan);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->ops.size(), 5u);
  EXPECT_EQ(plan->account, "acme");
  const ExecOp& act = plan->ops[2];
  EXPECT_EQ(act.kind, OpKind::kActivate);
  EXPECT_EQ(act.camera, "CAM-0007");
  EXPECT_EQ(act.expect_key, "AM-5Y-0001");
  EXPECT_EQ(act.acceptable_keys, std::vector<std::string>{"AM-5Y-0001"});
  EXPECT_TRUE(act.auto_renew);
  EXPECT_EQ(act.after, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan->ops[4].name, "Lobby");
  EXPECT_EQ(plan->ops[0].key, "AM-1Y-0010");
  EXPECT_EQ(DescribeOp(act), "activate alarm-management on CAM-0007 (expect ...0001)");
}

TEST(ExecPlan, RejectsBrokenGraphs) {
  const char* bad[] = {
      "",
      "[]",
      R"({"format_version":2,"ops":[]})",
      R"({"format_version":1})",
      R"({"format_version":1,"ops":[{"id":1,"kind":"park","key":"K"}]})",
      R"({"format_version":1,"ops":[{"id":0,"kind":"fly"}]})",
      R"({"format_version":1,"ops":[{"id":0,"kind":"activate","camera":"C","service":"s"}]})",
      R"({"format_version":1,"ops":[{"id":0,"kind":"park","key":"K","after":[3]}]})",
      R"({"format_version":1,"ops":[{"id":0,"kind":"park","key":"K","after":[1]},
                                    {"id":1,"kind":"unpark","key":"K","after":[0]}]})",
  };
  for (const char* text : bad) EXPECT_FALSE(DecodeExecPlan(text).ok()) << text;
}

TEST(Schedule, RunsCriticalPathFirstAndRespectsEdges) {
  auto plan = DecodeExecPlan(kMovePlan);
  ASSERT_TRUE(plan.ok());
  Schedule s(*plan);
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

TEST(Schedule, FailureBlocksOnlyDependents) {
  auto plan = DecodeExecPlan(kMovePlan);
  Schedule s(*plan);
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
  auto plan = DecodeExecPlan(kMovePlan);
  Schedule s(*plan);
  ASSERT_EQ(s.TakeReady(), 0);
  s.Stop();
  EXPECT_EQ(s.TakeReady(), -1);
  EXPECT_FALSE(s.Quiescent());  // op 0 still running
  s.Finished(0);
  EXPECT_TRUE(s.Quiescent());
}

TEST(Schedule, ResumeSkipsWhatWasDone) {
  auto plan = DecodeExecPlan(kMovePlan);
  Schedule s(*plan);
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
  ExecPlan plan;
  for (int i = 0; i < n; ++i) {
    ExecOp op;
    op.id = i;
    op.kind = OpKind::kPark;
    op.key = "K" + std::to_string(i);
    for (int j = 0; j < i; ++j) {
      if (*rc::gen::inRange(0, 5) == 0) op.after.push_back(j);
    }
    plan.ops.push_back(op);
  }
  Schedule s(plan);
  std::vector<bool> done(n, false);
  std::vector<int> running;
  int finished = 0;
  while (finished < n) {
    for (int op; (op = s.TakeReady()) != -1;) {
      for (int d : plan.ops[op].after) RC_ASSERT(done[d]);
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
