#include "planner/already_done.h"

namespace licmove {

namespace {

bool AlreadyDone(const MoveIntent& m, const Account& account) {
  if (!m.key) return false;
  const License* license = account.FindLicense(*m.key);
  if (!license || license->assigned_to != m.to) return false;
  // On the destination, so not on the source (a key sits on one camera).
  return !m.service || license->service == *m.service;
}

}  // namespace

PlanRemainder SplitAlreadyDoneMoves(const Plan& plan, const Account& account) {
  PlanRemainder out;
  out.plan = plan;
  out.plan.moves.clear();
  for (const MoveIntent& m : plan.moves) {
    (AlreadyDone(m, account) ? out.done : out.plan.moves).push_back(m);
  }
  return out;
}

bool PlanIsEmpty(const Plan& plan) {
  for (const AssignIntent& a : plan.assigns) {
    if (!a.cameras.empty()) return false;
  }
  return plan.moves.empty();
}

}  // namespace licmove
