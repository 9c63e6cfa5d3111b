// The directory state backend: journals as files (journal/file_journal.h)
// and one lock file per account,
//
//   STATE_DIR/locks/ACCOUNT.lock   {"host","machine","pid","started_at","run_id",
//                                   "lease_expires_at","token"}   mode 0600
//
// created with O_EXCL, renewed by replacing it atomically. Every decision on
// a lock file (stale or not, take over, renew, release, break) is made under
// an flock(2) on STATE_DIR/locks/.guard, so that deciding and acting are one
// step for every process on this machine. The lease is measured on this
// machine's clock.
#pragma once

#include <memory>
#include <string>

#include "journal/file_journal.h"
#include "state/state_backend.h"

namespace licmove {

class DirBackend final : public StateBackend {
 public:
  // `fs` and `hook` are what journals are written through (fault injection
  // for tests); `dir` is created (0700) when first written.
  DirBackend(std::string dir, FileSystem& fs, DurableWriteHook hook = {});

  const std::string& dir() const { return dir_; }
  std::string Description() const override { return dir_; }
  std::string JournalLocation(const std::string& run_id) const override;

  Result<std::unique_ptr<JournalWriter>> CreateJournal(const RunHeader& header) override;
  Result<std::unique_ptr<JournalWriter>> ReopenJournal(const std::string& run_id) override;
  Result<JournalContents> ReadJournal(const std::string& run_id) override;
  Result<RunHeader> ReadRunHeader(const std::string& run_id) override;
  Result<std::vector<LogRecord>> ReadJournalRecords(const std::string& run_id) override;
  Status ImportJournal(const std::vector<LogRecord>& records) override;
  Result<std::optional<RunInfo>> FindRun(const std::string& run_id) override;
  Result<std::vector<RunInfo>> ListRuns() override;

  Result<std::unique_ptr<HeldLock>> AcquireLock(const std::string& account, const LockOwner& owner,
                                                const std::string& take_over_run,
                                                std::chrono::seconds lease) override;
  Result<LockView> ReadLock(const std::string& account) override;
  Status BreakLock(const std::string& account, const std::string& token) override;

 private:
  std::string dir_;
  FileSystem& fs_;
  DurableWriteHook hook_;
};

std::string LockPath(const std::string& state_dir, const std::string& account);

}  // namespace licmove
