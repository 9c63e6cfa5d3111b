#include "state/ledger.h"

namespace licmove {

namespace {

bool Completed(const RunInfo& run) {
  return run.end && run.end->result == RunEnd::Result::kCompleted;
}

const RunInfo* LatestRollbackOf(const std::vector<RunInfo>& runs, const std::string& run_id) {
  const RunInfo* latest = nullptr;
  for (const RunInfo& r : runs) {
    if (r.kind == "rollback" && r.parent_run == run_id) latest = &r;
  }
  return latest;
}

}  // namespace

std::string LedgerStateName(LedgerEntry::State state) {
  switch (state) {
    case LedgerEntry::State::kNeverApplied:
      return "never applied";
    case LedgerEntry::State::kCompleted:
      return "completed";
    case LedgerEntry::State::kUnfinished:
      return "unfinished";
    case LedgerEntry::State::kRolledBack:
      return "rolled back";
    case LedgerEntry::State::kRollingBack:
      return "being rolled back";
  }
  return "?";
}

LedgerEntry LookUpPlan(const std::vector<RunInfo>& runs, const std::string& account,
                       const std::string& plan_identity) {
  LedgerEntry entry;
  if (plan_identity.empty()) return entry;
  const RunInfo* latest = nullptr;
  int count = 0;
  for (const RunInfo& r : runs) {
    if (r.kind != "apply" || r.account != account || r.plan_identity != plan_identity) continue;
    // Run ids start with their start time: the index's order is the order
    // the runs started in, and the latest decides.
    latest = &r;
    ++count;
  }
  if (!latest) return entry;
  entry.run = *latest;
  entry.earlier_runs = count - 1;
  if (const RunInfo* rollback = LatestRollbackOf(runs, latest->run_id)) {
    entry.rollback = *rollback;
    entry.state =
        Completed(*rollback) ? LedgerEntry::State::kRolledBack : LedgerEntry::State::kRollingBack;
    return entry;
  }
  entry.state =
      Completed(*latest) ? LedgerEntry::State::kCompleted : LedgerEntry::State::kUnfinished;
  return entry;
}

Result<LedgerEntry> LookUpPlan(StateBackend& state, const std::string& account,
                               const std::string& plan_identity) {
  if (plan_identity.empty()) return LedgerEntry{};
  auto runs = state.ListRuns();
  if (!runs.ok()) return runs.status();
  return LookUpPlan(*runs, account, plan_identity);
}

std::vector<RunInfo> UnfinishedRuns(const std::vector<RunInfo>& runs, const std::string& account) {
  std::vector<RunInfo> out;
  for (const RunInfo& r : runs) {
    if (r.account != account || Completed(r)) continue;
    // A run undone by a completed rollback holds nothing any more.
    const RunInfo* rollback = LatestRollbackOf(runs, r.run_id);
    if (rollback && Completed(*rollback)) continue;
    out.push_back(r);
  }
  return out;
}

}  // namespace licmove
