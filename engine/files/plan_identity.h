// A plan's identity for the ledger (DESIGN §6): a hash of its canonical
// content. Two plan files that say the same thing (other comments,
// whitespace, indentation or key order) have the same identity; any change of
// an intent, an option or the account gives another. The order of the moves
// and assigns counts: it is the order the file states them in, and a reordered
// plan is planned afresh rather than taken for one already applied.
#pragma once

#include <string>

#include "files/plan_file.h"

namespace licmove {

// The canonical content the identity hashes: compact JSON, keys sorted, every
// optional field written (null when left out), so that leaving a field out and
// writing its default stay distinct intents.
std::string CanonicalPlanText(const Plan& plan);

// "sha256:" and 64 lowercase hex digits of CanonicalPlanText(plan).
std::string PlanIdentity(const Plan& plan);

}  // namespace licmove
