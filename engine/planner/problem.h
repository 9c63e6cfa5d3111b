// The scheduling problem in plain indices, built from a target allocation:
// the licenses that can be in the pool while the plan runs, the cameras that
// are removed, and the activations. parking.cc searches it; edges.cc turns
// the outcome into ops.
//
// Interchangeability: licenses nobody places exactly (pool licenses, and the
// ones a plan leaves in the pool) form groups of equal service, term and
// remaining seconds; an `assign` may end with any key of its group. A key a
// move or restoration places is a group of its own.
#pragma once

#include <cstdint>
#include <vector>

#include "planner/account_index.h"
#include "planner/allocation.h"

namespace licmove {

struct ProblemKey {
  int license = -1;  // AccountIndex license
  int service = -1;
  std::int64_t remaining = 0;
  int group = -1;
  int camera = -1;      // ProblemCamera whose removal releases it; -1: in the pool at the start
  int activation = -1;  // the activation that places exactly this key; -1: none
};

struct ProblemActivation {
  int placement = -1;  // Allocation::placements index
  int service = -1;
  std::int64_t remaining = 0;
  int group = -1;
  int key = -1;       // ProblemKey: the exact key, or the pick of an assign
  bool exact = true;  // false: any key of `group` will do
  int dest = -1;      // ProblemCamera when the destination is removed first, else -1
};

struct ProblemCamera {
  int camera = -1;            // AccountIndex camera
  std::vector<int> keys;      // released by its removal
  std::vector<int> incoming;  // activations onto it
};

struct Problem {
  int num_services = 0;
  std::vector<ProblemKey> keys;
  std::vector<ProblemCamera> cameras;
  std::vector<ProblemActivation> activations;
  std::vector<bool> group_exact;                // by group
  std::vector<std::vector<int>> group_members;  // keys of each group
  std::vector<int> key_of_license;              // AccountIndex license -> ProblemKey or -1
};

Problem BuildProblem(const Allocation& allocation, const AccountIndex& index);

}  // namespace licmove
