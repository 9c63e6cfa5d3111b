// Moves an account shows already done, for a plan the ledger knows nothing
// of (applied by hand, by another tool, or with another state): a move whose
// `key:` guard names a key that sits on its destination and not on its
// source has nothing left to do. Without the guard nothing says which key
// the move meant, so such a move is left to the planner (and its error).
#pragma once

#include <vector>

#include "files/plan_file.h"
#include "model/account.h"

namespace licmove {

struct PlanRemainder {
  Plan plan;                     // the plan without the moves already done
  std::vector<MoveIntent> done;  // the moves found done, in plan order
};

PlanRemainder SplitAlreadyDoneMoves(const Plan& plan, const Account& account);

// True when the plan asks for nothing (no moves, no assigned cameras).
bool PlanIsEmpty(const Plan& plan);

}  // namespace licmove
