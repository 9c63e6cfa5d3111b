// Where runs live (DESIGN §6): their journals, the run index and ledger, and
// the account locks, behind one interface with two implementations: a local
// directory (dir_backend.h) and PostgreSQL (pg_backend.h). Nothing above
// this knows which one it talks to.
//
// REQUIRES: a backend and the journals and locks it hands out are used from
// one thread at a time (the run driver's, or the executor's journal thread).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal.h"
#include "model/status.h"
#include "state/lock_owner.h"

namespace licmove {

// A lock this process holds. Released when destroyed (if still its own).
class HeldLock {
 public:
  virtual ~HeldLock() = default;
  // Gives the lock up now, if it is still this process's; later calls do
  // nothing. Safe from another thread while nothing else uses the lock.
  virtual void Release() = 0;
  // Extends the lease by its length from now. An error means the lock may
  // be lost: nothing more may be sent under it.
  [[nodiscard]] virtual Status Renew() = 0;
  virtual const LockRecord& record() const = 0;
};

class StateBackend {
 public:
  virtual ~StateBackend() = default;

  // For people and journals: a path, or a postgres URL without its password.
  virtual std::string Description() const = 0;
  // Where a run's journal is, for messages.
  virtual std::string JournalLocation(const std::string& run_id) const = 0;

  // Journals (journal.h: what durable means for each record).
  virtual Result<std::unique_ptr<JournalWriter>> CreateJournal(const RunHeader& header) = 0;
  virtual Result<std::unique_ptr<JournalWriter>> ReopenJournal(const std::string& run_id) = 0;
  virtual Result<JournalContents> ReadJournal(const std::string& run_id) = 0;
  virtual Result<RunHeader> ReadRunHeader(const std::string& run_id) = 0;
  // A journal's records as stored, checksums checked (a torn tail, never
  // synced, left out): what `licmove state migrate` copies.
  virtual Result<std::vector<LogRecord>> ReadJournalRecords(const std::string& run_id) = 0;
  // Stores a whole journal copied from another backend (its header first),
  // durable when this returns, and all or nothing. Conflict when the run
  // exists.
  [[nodiscard]] virtual Status ImportJournal(const std::vector<LogRecord>& records) = 0;
  // One run's index entry; nullopt when there is no such run.
  virtual Result<std::optional<RunInfo>> FindRun(const std::string& run_id) = 0;

  // The run index and ledger: every run, oldest first, with its end.
  virtual Result<std::vector<RunInfo>> ListRuns() = 0;

  // Takes `account`'s lock for `owner`, with a lease of `lease`; may take
  // over a stale lock as lock_owner.h says (`take_over_run`: the run a
  // resume or rollback continues or undoes). Status::Conflict names the
  // holder, and for a stale lock how to clear it.
  virtual Result<std::unique_ptr<HeldLock>> AcquireLock(const std::string& account,
                                                        const LockOwner& owner,
                                                        const std::string& take_over_run,
                                                        std::chrono::seconds lease) = 0;
  // The lock of `account` as stored, if any, and the backend's clock.
  struct LockView {
    std::optional<LockRecord> lock;
    UnixSeconds now = 0;
  };
  virtual Result<LockView> ReadLock(const std::string& account) = 0;
  // Removes `account`'s lock if it is still the one with `token`
  // (`licmove unlock`). NotFound when it is gone or another took it.
  [[nodiscard]] virtual Status BreakLock(const std::string& account, const std::string& token) = 0;
};

// The runs that undo `run_id`, from the backend's index.
Result<std::vector<RollbackRun>> FindRollbacksOf(StateBackend& state, const std::string& run_id);

// "account A is locked by ...", with what to do about it.
std::string LockConflictMessage(const std::string& account, const LockRecord& held,
                                const std::string& stale_reason);

// Whether dead run `run_id` left nothing for a lock to protect: it never
// wrote its journal, or its journal says it completed.
bool LeftNothingToFinish(StateBackend& state, const std::string& run_id);

}  // namespace licmove
