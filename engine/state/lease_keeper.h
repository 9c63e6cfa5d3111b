// Keeps a held lock's lease alive while a run works, and fences the journal
// with it: no intent is written (so no request leaves) unless the lease is
// known to be held.
//
// The lease is renewed every third of its length on a thread of its own; a
// failed renewal is tried again every second. The lease counts as lost once
// the last successful renewal is older than five sixths of its length (this
// process's monotonic clock, so a jump of the wall clock changes nothing),
// or when the lock turned out to be someone else's.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "journal/journal.h"
#include "state/state_backend.h"

namespace licmove {

class LeaseKeeper {
 public:
  LeaseKeeper(HeldLock& lock, std::chrono::seconds lease);
  ~LeaseKeeper();  // stops renewing (the lock itself is released by its owner)
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // OK while the lease is known to be held; otherwise why not.
  Status Check() const;

 private:
  void Run();
  HeldLock& lock_;
  const std::chrono::seconds lease_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point renewed_;
  Status lost_;  // set for good when the lock is no longer ours
  std::string last_error_ = "no renewal answered yet";
  std::thread thread_;
};

// `journal`, with every RecordIntents refused once `keeper` says the lease
// is not held.
std::unique_ptr<JournalWriter> FenceJournal(std::unique_ptr<JournalWriter> journal,
                                            const LeaseKeeper& keeper);

}  // namespace licmove
