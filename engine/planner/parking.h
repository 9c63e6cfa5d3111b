// Where parking gets decided.
//
// The portal hands out the pool license of a service with the smallest
// remaining validity (R2), ties in no promised order. A planned activation is
// therefore only safe when its key is the unique minimum of its service's pool
// (or every tied minimum is interchangeable with it, for an assign). Two tools
// make that so: parking a key (2 calls: park, unpark) and ordering — a key
// still on a camera that is not yet removed cannot be in the way.
//
// The removals, adds and activations are fixed by the targets, so the only
// thing to minimise is the number of parked keys. DecideParking simulates the
// plan: activations fire as soon as their key is the minimum; a camera is
// removed as soon as that can no longer force a park ("harmless"); at a real
// choice it either removes a camera or parks the keys at a stuck minimum. It
// takes the greedy choice on large problems, looks one choice ahead on
// mid-size ones, and searches every choice on small ones. The result is one valid sequential order
// (the witness), from which edges.cc derives only the dependencies that order really needs.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/status.h"
#include "planner/problem.h"

namespace licmove {

struct WitnessEvent {
  enum class Kind : std::uint8_t { kPark, kRemove, kActivate, kUnpark };
  Kind kind = Kind::kPark;
  int id = -1;   // ProblemKey (park, unpark), ProblemCamera (remove), ProblemActivation
  int key = -1;  // activate: the ProblemKey it takes
};

struct Witness {
  std::vector<WitnessEvent> events;  // a valid sequential order of the whole plan
  std::vector<int> parked;           // ProblemKeys parked, each exactly once
  int lower_bound = 0;               // parks no order can avoid (see ParkingLowerBound)
  bool exhaustive = false;           // every choice was searched
  // Exhaustive, or parks == lower_bound; and no park of one call possible
  // (a key activated onto a camera before its removal, which the search does
  // not make) unless nothing is parked.
  bool proven_optimal = false;
  std::vector<int> removal_order;  // ProblemCameras, the decided order
  // (group, activations that took a parked key of it) for groups of
  // interchangeable keys: an activation may take a parked key or wait for
  // another key of its group; a replay of the decision does as it did.
  std::vector<std::pair<int, int>> parked_takes;
  int deferred_rounds = 0;         // rounds of cameras removed at the end (0: none)
  int bands = 1;                   // each deferred round's bands (ReplayInBands)
  bool first_by_priority = false;  // the first round reordered (ReplayInBands)
};

// Above the lower bound, the greedy result is improved by the pilot method
// (one step of lookahead with greedy rollouts), then by an exhaustive search.
struct ParkingOptions {
  int pilot_max_cameras = 300;  // rollouts cost a whole simulation each
  int pilot_width = 6;          // choices tried at each standstill
  int exhaustive_max_cameras = 10;
  std::int64_t exhaustive_max_nodes = 200000;
};

// Internal error only if the simulation breaks its own invariants.
Result<Witness> DecideParking(const Problem& problem, const ParkingOptions& options = {});

// The same decision (keys parked, removal order) replayed with each round of
// deferred cameras split into `bands` bands by priority, the highest band
// first. A key parked for the whole plan goes back after the last activation
// it would block; when the plan ends with one ascending run, that is the last
// activation of its service, and every such unpark waits for the very end.
// Bands end the plan with its lowest activations, so those unparks spread
// over the last bands, at the price of a removal step per band on the
// critical path. With `first_by_priority` the first round's cameras are also
// removed in their priority order (their key in the busiest service) rather
// than the order the parking search decided, which on generated fleets gives
// a shorter critical path. Same calls, same parks; nullopt when this order
// does not replay (the caller keeps the plain witness).
std::optional<Witness> ReplayInBands(const Problem& problem, const Witness& decided, int bands,
                                     bool first_by_priority = false);

// Keys that must be parked whatever the order: pool keys nobody needs that sit
// at or below a target's validity, pool keys of different groups tied with
// each other, a released destination's old key below its new one, and tied
// swaps.
int ParkingLowerBound(const Problem& problem);

}  // namespace licmove
