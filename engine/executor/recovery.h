// After a crash or an interrupt: which ops of a journaled run happened, and
// whether the account ended where the graph says. Pure: the journal, the
// binding (the before-state of everything the run touches) and a fresh read
// of the account in, decisions out.
#pragma once

#include <string>
#include <vector>

#include "journal/journal.h"
#include "model/account.h"
#include "planner/op_graph.h"
#include "planner/saved_plan.h"

namespace licmove {

struct ResumeDecision {
  std::vector<bool> done;          // by op id
  std::vector<std::string> notes;  // one line per op decided from the portal's state
  // Activations that ended with a key the plan did not expect, journaled or
  // found on the camera: a resume must not build on them.
  std::vector<std::string> mismatches;
};

// An op is done when the journal says so; when its outcome is missing or
// unknown, it is done when an op that depends on it was started (it could
// only start after this one finished), else when its post-condition holds
// in `now`:
//   remove_camera  the camera is gone, or back with another id
//   add_camera     the camera is there with an id other than before the run
//   activate       the camera holds the service
//   park / unpark  the key is out of / in the account
// An op whose intent was never written is not done. Never guesses.
ResumeDecision DecideResume(const OpGraph& graph, const JournalContents& journal,
                            const Binding& before, const AccountSnapshot& now);

// Differences between `now` and where a completed graph leaves the account:
// every activation's camera holds one of its acceptable keys, every camera
// the graph re-adds holds exactly the services activated on it, every
// unparked key is back, every camera of the binding is present. Empty when
// the account is as planned.
std::vector<std::string> Reconcile(const OpGraph& graph, const Binding& before,
                                   const AccountSnapshot& now);

}  // namespace licmove
