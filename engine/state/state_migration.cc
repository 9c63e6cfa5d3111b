#include "state/state_migration.h"

#include <algorithm>

namespace licmove {

namespace {

bool SameRecords(const std::vector<LogRecord>& a, const std::vector<LogRecord>& b,
                 std::size_t count) {
  if (a.size() < count || b.size() < count) return false;
  return std::equal(a.begin(), a.begin() + count, b.begin(),
                    [](const LogRecord& x, const LogRecord& y) {
                      return x.type == y.type && x.payload == y.payload;
                    });
}

MigratedRun MigrateOne(StateBackend& from, StateBackend& to, const RunInfo& info) {
  MigratedRun out;
  out.run_id = info.run_id;
  auto refuse = [&](std::string why) {
    out.what = MigratedRun::What::kRefused;
    out.why = std::move(why);
    return out;
  };
  // A run whose process still holds its account's lock is still writing.
  if (!info.end) {
    auto view = from.ReadLock(info.account);
    if (view.ok() && view->lock && view->lock->owner.run_id == info.run_id &&
        StaleReason(*view->lock, view->now).empty()) {
      return refuse("it is still running (account " + info.account + " is locked by " +
                    DescribeLock(*view->lock) + "); migrate it when it has stopped");
    }
  }
  auto records = from.ReadJournalRecords(info.run_id);
  if (!records.ok()) return refuse("cannot read it: " + records.status().message());
  out.records = static_cast<int>(records->size());

  auto there = to.FindRun(info.run_id);
  if (!there.ok())
    return refuse("cannot look it up in the destination: " + there.status().message());
  if (there->has_value()) {
    auto theirs = to.ReadJournalRecords(info.run_id);
    if (!theirs.ok()) {
      return refuse("the destination has a run of this id that cannot be read: " +
                    theirs.status().message());
    }
    if (!SameRecords(*records, *theirs, records->size())) {
      return refuse("the destination has a different run of this id (" +
                    std::to_string(theirs->size()) + " records, " +
                    std::to_string(records->size()) + " here); left both as they are");
    }
    out.what = MigratedRun::What::kAlreadyThere;
    out.why = theirs->size() == records->size()
                  ? "identical"
                  : "identical, and continued there (" +
                        std::to_string(theirs->size() - records->size()) + " more records)";
    return out;
  }
  if (Status s = to.ImportJournal(*records); !s.ok()) return refuse("not copied: " + s.message());
  auto back = to.ReadJournalRecords(info.run_id);
  if (!back.ok()) return refuse("copied, but reading it back failed: " + back.status().message());
  if (back->size() != records->size() || !SameRecords(*records, *back, records->size())) {
    return refuse("copied, but what was read back differs from the source");
  }
  out.what = MigratedRun::What::kCopied;
  return out;
}

}  // namespace

int MigrationReport::Count(MigratedRun::What what) const {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(),
                                        [&](const MigratedRun& r) { return r.what == what; }));
}

Result<MigrationReport> MigrateRuns(StateBackend& from, StateBackend& to,
                                    const std::function<void(const MigratedRun&)>& progress) {
  auto runs = from.ListRuns();
  if (!runs.ok()) return runs.status();
  MigrationReport report;
  for (const RunInfo& info : *runs) {
    report.runs.push_back(MigrateOne(from, to, info));
    if (progress) progress(report.runs.back());
  }
  return report;
}

}  // namespace licmove
