#include "state/state_backend.h"

namespace licmove {

Result<std::vector<RollbackRun>> FindRollbacksOf(StateBackend& state, const std::string& run_id) {
  auto runs = state.ListRuns();
  if (!runs.ok()) return runs.status();
  return FindRollbacksOf(*runs, run_id);
}

bool LeftNothingToFinish(StateBackend& state, const std::string& run_id) {
  auto run = state.FindRun(run_id);
  if (!run.ok()) return false;  // cannot tell: keep the lock
  return !run->has_value() || ((*run)->end && (*run)->end->result == RunEnd::Result::kCompleted);
}

std::string LockConflictMessage(const std::string& account, const LockRecord& held,
                                const std::string& stale_reason) {
  std::string m = "account " + account + " is locked by " + DescribeLock(held);
  if (!stale_reason.empty()) {
    return m + ", which is stale: " + stale_reason + ". Finish or undo that run (licmove resume " +
           held.owner.run_id + " / licmove rollback " + held.owner.run_id +
           "), or if you are sure nothing is running, clear it with: licmove unlock " + account;
  }
  return m + ". Wait for it to finish; its lease is renewed while it runs";
}

}  // namespace licmove
