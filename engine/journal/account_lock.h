// One apply per account at a time. The lock is a file that names its owner,
//
//   STATE_DIR/locks/ACCOUNT.lock   {"host","pid","started_at","run_id"}
//
// created with O_EXCL so that two runs cannot both believe they hold it. A
// lock whose owner is gone (same host, process not running) is stale: it is
// reported with how to clear it, never cleared silently, because the run that
// held it may have left unfinished work that `licmove resume` should finish.
// Two exceptions, where it left none: a run with no journal (it died before
// its first record) and a run whose journal says it completed.
#pragma once

#include <memory>
#include <string>

#include "model/status.h"
#include "model/timestamp.h"

namespace licmove {

struct LockOwner {
  std::string host;
  int pid = 0;
  UnixSeconds started_at = 0;
  std::string run_id;
};

class AccountLock {
 public:
  // Takes the lock or says who holds it (Status::Conflict, with the owner, and
  // for a stale lock the command that clears it). A stale lock left by run
  // `take_over_run` (the run being resumed or rolled back) is taken over:
  // finishing that run's work is exactly what the lock protects; so is one
  // whose run left nothing to finish (see above).
  static Result<std::unique_ptr<AccountLock>> Acquire(const std::string& state_dir,
                                                      const std::string& account,
                                                      const LockOwner& owner,
                                                      const std::string& take_over_run = "");
  ~AccountLock();  // releases
  AccountLock(const AccountLock&) = delete;
  AccountLock& operator=(const AccountLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  explicit AccountLock(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string LockPath(const std::string& state_dir, const std::string& account);
// This machine's host name, for lock owners and journals.
std::string HostName();

}  // namespace licmove
