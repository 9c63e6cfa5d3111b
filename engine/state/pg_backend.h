// The PostgreSQL state backend: runs, journals, locks and the ledger in
// tables of a schema licmove creates and migrates itself (DESIGN §6), so
// that any machine that reaches the database can list, resume, roll back or
// report any run.
//
//   SCHEMA.schema_version (version)                 refused when newer than kPgSchemaVersion
//   SCHEMA.runs     (run_id PK, account, kind, parent_run, plan_identity, portal, host, pid,
//                    started_at, end_result, end_message, ended_at, synced_at)
//   SCHEMA.journal  (run_id, seq, type, payload, crc)   the journal's records, in order
//   SCHEMA.locks    (account PK, run_id, host, machine, pid, started_at,
//                    lease_expires_at, token)
//
// Durability: the header, each batch of intents and the end are each one
// transaction committed with synchronous_commit on: durable before the call
// returns (group commit). Outcomes are committed as answers arrive with
// synchronous_commit off, and become durable with the next synchronous
// commit, as the file journal's outcomes do with the next fsync. Each record
// carries its masked CRC-32C, checked when the journal is read.
//
// Locks are rows, not advisory locks (whose ids collide across schemas), with
// a lease on the database's clock. A lock is held through a connection of
// its own, so that renewing it never waits for the journal.
#pragma once

#include <memory>
#include <string>

#include "journal/file_journal.h"
#include "state/pg_connection.h"
#include "state/state_backend.h"

namespace licmove {

inline constexpr int kPgSchemaVersion = 1;

// Where a PostgreSQL backend is: a libpq URI (postgres:// or postgresql://),
// with licmove's own parameter `schema` (default "licmove") taken out.
struct PgLocation {
  std::string conninfo;  // what libpq gets
  std::string schema = "licmove";
  std::string display;  // the URI with its password masked
};
Result<PgLocation> ParsePgLocation(const std::string& uri);

class PgBackend final : public StateBackend {
 public:
  // Connects, creates the schema or migrates it to kPgSchemaVersion, and
  // refuses a schema newer than this licmove knows.
  static Result<std::unique_ptr<PgBackend>> Open(const PgLocation& where,
                                                 DurableWriteHook hook = {});
  ~PgBackend() override;

  std::string Description() const override { return where_.display; }
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

  // "licmove"."runs": a table of this backend's schema, quoted.
  std::string Table(const std::string& name) const;

 private:
  PgBackend(PgLocation where, std::unique_ptr<PgConnection> conn, DurableWriteHook hook)
      : where_(std::move(where)), conn_(std::move(conn)), hook_(std::move(hook)) {}
  // The journal's rows, in order and checksums checked.
  Result<std::vector<LogRecord>> ReadRows(const std::string& run_id, bool header_only);
  Result<JournalContents> ReadRecords(const std::string& run_id, bool header_only);
  PgLocation where_;
  std::unique_ptr<PgConnection> conn_;
  DurableWriteHook hook_;
};

}  // namespace licmove
