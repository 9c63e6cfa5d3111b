// Resolution: a plan's intents checked against one account snapshot and
// turned into placements (which key ends on which camera). Every problem is
// reported, each pointing at the plan file line that caused it:
//   plans/x.yaml:12:5: camera CAM-9 is not in account acme
#pragma once

#include <vector>

#include "files/plan_file.h"
#include "model/status.h"
#include "planner/account_index.h"

namespace licmove {

// A move with its key and cameras found. Indices are AccountIndex indices.
struct ResolvedMove {
  int from = -1;
  int to = -1;
  int service = -1;
  int license = -1;  // the key that moves
  bool auto_renew = false;
  bool release_destination = false;  // effective (the move's, else the plan's option)
  TextPosition where;
  std::string file;       // the file `where` is in (a moves_csv file); empty: the plan
  TextPosition to_where;  // the `to` value, for errors about the destination
};

// One camera of an `assign`, with the pool license picked for it.
struct ResolvedAssign {
  int camera = -1;
  int service = -1;
  int license = -1;  // picked: longest remaining validity of the term (or overall)
  TermChoice term;
  bool auto_renew = false;
  bool release_destination = false;  // the plan's options.release_destinations
  TextPosition where;
};

struct Placements {
  std::vector<ResolvedMove> moves;
  std::vector<ResolvedAssign> assigns;
  bool restore_sources = true;
};

// On failure the Status (InvalidArgument) message holds every resolution error,
// one "file:line:col: message" a line, in line order.
Result<Placements> ResolvePlan(const Plan& plan, const AccountIndex& index);

}  // namespace licmove
