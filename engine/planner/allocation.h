// Target allocation: where every license touched by a plan ends, and which
// cameras have to be removed (and re-added) to get there.
//
// The portal only frees a license by removing its camera (R3), which frees
// ALL the camera's licenses; so a move's source is removed and re-added, and
// its other services are restored with their same keys (unless the plan says
// restore_sources: false, in which case they stay in the pool). A released
// destination is removed the same way; its old license of the moved service
// stays in the pool, its other services are restored.
#pragma once

#include <vector>

#include "files/plan_file.h"
#include "planner/account_index.h"
#include "planner/resolve.h"

namespace licmove {

enum class PlacementKind { kMove, kRestore, kAssign };

// One activation the plan performs: `license` ends on `camera`.
struct TargetPlacement {
  PlacementKind kind = PlacementKind::kMove;
  int camera = -1;  // destination (AccountIndex camera)
  int service = -1;
  int license = -1;  // the exact key (move, restore) or the key picked (assign)
  bool auto_renew = false;
  TextPosition where;  // the intent; zero for restorations
  int from = -1;       // moves: the source camera
  std::string file;    // the file `where` is in, when not the plan (moves_csv)
};

struct Allocation {
  std::vector<int> removed;  // cameras removed and re-added, ascending
  std::vector<TargetPlacement> placements;
  std::vector<int> left_in_pool;     // released by a removal and placed nowhere
  std::vector<bool> camera_removed;  // by AccountIndex camera
};

// REQUIRES: `placements` came from ResolvePlan on the same index (no errors).
Allocation AllocateTargets(const Placements& placements, const AccountIndex& index);

}  // namespace licmove
