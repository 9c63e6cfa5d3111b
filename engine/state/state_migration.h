// `licmove state migrate`: copies runs from one state backend to another (a
// laptop's directory to a team's database), journals intact. Each journal is
// read with its checksums checked, stored all at once in the destination,
// read back and compared record by record. A run already in the destination
// with the same records (or with them and more: it was continued there) is
// left alone; a different run of the same id, or a run still running at
// the source (its account's lock is live and its own), is refused and never
// overwritten. The source is left as it was.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "state/state_backend.h"

namespace licmove {

struct MigratedRun {
  enum class What { kCopied, kAlreadyThere, kRefused };
  std::string run_id;
  What what = What::kCopied;
  int records = 0;
  std::string why;  // kRefused: why; kAlreadyThere: what was found
};

struct MigrationReport {
  std::vector<MigratedRun> runs;
  int Count(MigratedRun::What what) const;
};

// Copies every run of `from` into `to`, telling `progress` (may be empty)
// of each as it is done. An error only when `from`'s run index cannot be
// read; a run that cannot be copied is in the report as refused.
Result<MigrationReport> MigrateRuns(StateBackend& from, StateBackend& to,
                                    const std::function<void(const MigratedRun&)>& progress = {});

}  // namespace licmove
