// Key-guarded moves found already done in an account the ledger knows
// nothing of: only those whose key sits on the destination are.
#include "planner/already_done.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

MoveIntent Move(const std::string& from, const std::string& to, std::optional<std::string> key,
                std::optional<std::string> service = "alarm-management") {
  MoveIntent m;
  m.from = from;
  m.to = to;
  m.key = std::move(key);
  m.service = std::move(service);
  return m;
}

License On(const std::string& key, const std::string& service, const std::string& camera) {
  License l;
  l.key = key;
  l.service = service;
  l.term_days = 365;
  l.assigned_to = camera;
  return l;
}

Account Acme() {
  Account a;
  a.name = "acme";
  for (const char* s : {"CAM-1", "CAM-2", "CAM-3", "CAM-4"}) a.cameras.push_back({s, s, "HQ", ""});
  a.licenses = {On("AM-1", "alarm-management", "CAM-2"),    // moved CAM-1 -> CAM-2
                On("AM-2", "alarm-management", "CAM-3"),    // still on its source
                On("RM-1", "remote-maintenance", "CAM-4"),  // on the destination, other service
                On("AM-3", "alarm-management", "")};        // in the pool
  return a;
}

std::vector<std::string> Keys(const std::vector<MoveIntent>& moves) {
  std::vector<std::string> out;
  for (const MoveIntent& m : moves) out.push_back(m.key.value_or("(none)"));
  return out;
}

TEST(AlreadyDone, AKeyOnItsDestinationIsDoneAndOnlyThat) {
  Plan plan;
  plan.account = "acme";
  plan.moves = {Move("CAM-1", "CAM-2", "AM-1"),                      // done
                Move("CAM-3", "CAM-4", "AM-2"),                      // to do
                Move("CAM-1", "CAM-4", "RM-1", "alarm-management"),  // wrong service: left
                Move("CAM-1", "CAM-4", "RM-1", std::nullopt),        // no service: done
                Move("CAM-1", "CAM-3", "AM-3"),                      // pool: not done
                Move("CAM-1", "CAM-2", std::nullopt),                // no guard: left
                Move("CAM-1", "CAM-3", "AM-9")};                     // unknown key: left
  const PlanRemainder r = SplitAlreadyDoneMoves(plan, Acme());
  EXPECT_EQ(Keys(r.done), (std::vector<std::string>{"AM-1", "RM-1"}));
  EXPECT_EQ(Keys(r.plan.moves),
            (std::vector<std::string>{"AM-2", "RM-1", "AM-3", "(none)", "AM-9"}));
  EXPECT_EQ(r.plan.account, "acme");
  EXPECT_FALSE(PlanIsEmpty(r.plan));
}

TEST(AlreadyDone, APlanWhoseMovesAreAllDoneIsEmptyUnlessItAssigns) {
  Plan plan;
  plan.moves = {Move("CAM-1", "CAM-2", "AM-1")};
  PlanRemainder r = SplitAlreadyDoneMoves(plan, Acme());
  EXPECT_TRUE(PlanIsEmpty(r.plan));
  AssignIntent assign;
  assign.service = "alarm-management";
  assign.cameras = {"CAM-1"};
  plan.assigns.push_back(assign);
  r = SplitAlreadyDoneMoves(plan, Acme());
  EXPECT_FALSE(PlanIsEmpty(r.plan));
  EXPECT_EQ(r.plan.assigns.size(), 1u);
}

}  // namespace
}  // namespace licmove
