#include "state/pg_backend.h"

#include <cctype>
#include <cstdint>

#include "journal/record_log.h"

namespace licmove {

namespace {

std::string Quote(const std::string& identifier) {
  return "\"" + identifier + "\"";
}

bool ValidSchemaName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  if (!(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

std::uint32_t RecordCrc(std::uint8_t type, const std::string& payload) {
  const char t = static_cast<char>(type);
  return MaskCrc(Crc32c(payload, Crc32c(std::string_view(&t, 1))));
}

std::optional<RunEnd::Result> EndFromName(const std::string& name) {
  for (RunEnd::Result r : {RunEnd::Result::kCompleted, RunEnd::Result::kStopped,
                           RunEnd::Result::kFailed, RunEnd::Result::kInterrupted}) {
    if (name == RunEndName(r)) return r;
  }
  return std::nullopt;
}

const char* kRunColumns =
    "run_id, kind, parent_run, account, plan_identity, portal, host, pid, started_at, end_result, "
    "end_message, extract(epoch from ended_at)::bigint";

RunInfo RunInfoOfRow(const std::vector<std::optional<std::string>>& row) {
  auto s = [&](int i) { return row[i].value_or(""); };
  RunInfo r{s(0), s(1), s(2), s(3), s(4), s(5), s(6), std::stoi(s(7)), std::stoll(s(8)), {}};
  if (row[9]) {
    if (auto result = EndFromName(*row[9])) {
      r.end = RunEnd{*result, s(10), row[11] ? std::stoll(*row[11]) : 0};
    }
  }
  return r;
}

// The version-1 schema. `S` stands for the quoted schema name.
const char* kSchemaV1 = R"(
CREATE TABLE S.runs (
  run_id text PRIMARY KEY,
  account text NOT NULL,
  kind text NOT NULL,
  parent_run text NOT NULL DEFAULT '',
  plan_identity text NOT NULL DEFAULT '',
  portal text NOT NULL DEFAULT '',
  host text NOT NULL,
  pid integer NOT NULL,
  started_at bigint NOT NULL,
  end_result text,
  end_message text,
  ended_at timestamptz,
  synced_at timestamptz);
CREATE INDEX runs_account ON S.runs (account, plan_identity);
CREATE INDEX runs_parent ON S.runs (parent_run) WHERE parent_run <> '';
CREATE TABLE S.journal (
  run_id text NOT NULL REFERENCES S.runs (run_id) ON DELETE CASCADE,
  seq integer NOT NULL,
  type smallint NOT NULL,
  payload text NOT NULL,
  crc bigint NOT NULL,
  PRIMARY KEY (run_id, seq));
CREATE TABLE S.locks (
  account text PRIMARY KEY,
  run_id text NOT NULL,
  host text NOT NULL,
  machine text NOT NULL,
  pid integer NOT NULL,
  started_at bigint NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  token text NOT NULL);
)";

std::string WithSchema(std::string sql, const std::string& quoted_schema) {
  for (std::size_t at = sql.find("S."); at != std::string::npos; at = sql.find("S.", at)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(sql[at - 1])) || sql[at - 1] == '_')) {
      at += 2;
      continue;
    }
    sql.replace(at, 1, quoted_schema);
    at += quoted_schema.size() + 1;
  }
  return sql;
}

class PgJournalWriter final : public JournalWriter {
 public:
  PgJournalWriter(PgBackend& backend, PgConnection& conn, std::string run_id, int next_seq,
                  DurableWriteHook hook)
      : backend_(backend),
        conn_(conn),
        run_id_(std::move(run_id)),
        next_seq_(next_seq),
        hook_(std::move(hook)) {}

  Status RecordIntents(const std::vector<OpIntent>& intents) override {
    std::vector<LogRecord> records;
    for (const OpIntent& i : intents) records.push_back({kIntentRecord, EncodeIntent(i)});
    return Durably(records, nullptr);
  }
  Status RecordOutcome(const OpOutcome& o) override {
    if (!sticky_.ok()) return sticky_;
    // Committed without waiting for the disk: durable with the next
    // synchronous commit (see pg_backend.h).
    Status s = Insert({{kOutcomeRecord, EncodeOutcome(o)}});
    if (!s.ok()) sticky_ = s;
    return s;
  }
  Status RecordEnd(const RunEnd& e) override {
    const RunEnd end = WithEndTime(e);
    return Durably({{kEndRecord, EncodeEnd(end)}}, &end);
  }
  Status Sync() override { return Durably({}, nullptr); }

  // The header's transaction: the run's row and record 0.
  Status CreateRun(const RunHeader& h) {
    return CreateRunWith(InfoOf(JournalContents{h, {}, {}, std::nullopt, LogScan::Tail::kClean}),
                         {{kHeaderRecord, EncodeHeader(h)}});
  }

  // A whole journal copied from another backend (`state migrate`), in one
  // transaction: the run's row, its end, and every record.
  // (`journal`: `records` decoded, for the run's row.)
  Status ImportRun(const JournalContents& journal, const std::vector<LogRecord>& records) {
    return CreateRunWith(InfoOf(journal), records);
  }

 private:
  Status CreateRunWith(const RunInfo& run, const std::vector<LogRecord>& records) {
    if (Status s = Begin(); !s.ok()) return s;
    const std::optional<std::string> end_result =
        run.end ? std::optional<std::string>(RunEndName(run.end->result)) : std::nullopt;
    const std::optional<std::string> end_message =
        run.end ? std::optional<std::string>(run.end->message) : std::nullopt;
    // NULL when the journal does not say (written before it recorded it).
    const std::optional<std::string> ended_at =
        run.end && run.end->ended_at != 0
            ? std::optional<std::string>(std::to_string(run.end->ended_at))
            : std::nullopt;
    auto row = conn_.Exec(
        "INSERT INTO " + backend_.Table("runs") +
            " (run_id, account, kind, parent_run, plan_identity, portal, host, pid, started_at, "
            "end_result, end_message, ended_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11, "
            "to_timestamp($12::bigint))",
        {run.run_id, run.account, run.kind, run.parent_run, run.plan_identity, run.portal, run.host,
         std::to_string(run.pid), std::to_string(run.started_at), end_result, end_message,
         ended_at});
    if (!row.ok()) {
      Rollback();
      if (row.status().code() == Status::Code::kConflict) {
        return Status::Conflict("run " + run.run_id + " already exists");
      }
      return row.status();
    }
    // At most kRowsPerInsert rows a statement: PostgreSQL takes at most
    // 65,535 parameters.
    constexpr std::size_t kRowsPerInsert = 4096;
    for (std::size_t i = 0; i < records.size(); i += kRowsPerInsert) {
      const std::size_t n = std::min(kRowsPerInsert, records.size() - i);
      Status s = Insert({records.begin() + i, records.begin() + i + n});
      if (!s.ok()) {
        Rollback();
        return s;
      }
    }
    return Commit();
  }

  // A transaction whose commit waits for the disk (the session's default
  // is off: see PgBackend::Open). One round trip.
  Status Begin() { return conn_.ExecScript("BEGIN; SET LOCAL synchronous_commit = on"); }
  void Rollback() { (void)conn_.Exec("ROLLBACK"); }
  Status Commit() {
    auto r = conn_.Exec("COMMIT");
    if (!r.ok()) {
      sticky_ = r.status();
      return sticky_;
    }
    if (hook_) hook_();
    return Status::Ok();
  }

  // One multi-row INSERT of `records` at the next sequence numbers.
  Status Insert(const std::vector<LogRecord>& records) {
    if (records.empty()) return Status::Ok();
    std::string sql =
        "INSERT INTO " + backend_.Table("journal") + " (run_id, seq, type, payload, crc) VALUES ";
    std::vector<std::optional<std::string>> params = {run_id_};
    int seq = next_seq_;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& [type, payload] = records[i];
      const std::size_t p = params.size();
      sql += (i ? ",($1,$" : "($1,$") + std::to_string(p + 1) + ",$" + std::to_string(p + 2) +
             ",$" + std::to_string(p + 3) + ",$" + std::to_string(p + 4) + ")";
      params.push_back(std::to_string(seq++));
      params.push_back(std::to_string(type));
      params.push_back(payload);
      params.push_back(std::to_string(RecordCrc(type, payload)));
    }
    auto r = conn_.Exec(sql, params);
    if (!r.ok()) return r.status();
    next_seq_ = seq;
    return Status::Ok();
  }

  // `records` (and with `end`, the run's row) in one transaction committed
  // synchronously; it also makes every earlier outcome durable.
  Status Durably(const std::vector<LogRecord>& records, const RunEnd* end) {
    if (!sticky_.ok()) return sticky_;
    Status s = Begin();
    if (s.ok()) s = Insert(records);
    if (s.ok() && end) {
      auto r = conn_.Exec(
          "UPDATE " + backend_.Table("runs") +
              " SET end_result = $2, end_message = $3, ended_at = "
              "to_timestamp($4::bigint) WHERE run_id = $1",
          {run_id_, RunEndName(end->result), end->message, std::to_string(end->ended_at)});
      if (!r.ok()) s = r.status();
    } else if (s.ok() && records.empty()) {
      // A transaction that writes nothing commits without flushing the log,
      // so a bare Sync writes the run's synced_at: its commit then flushes
      // the log up to it, earlier outcomes included.
      auto r = conn_.Exec("UPDATE " + backend_.Table("runs") +
                              " SET synced_at = clock_timestamp() WHERE run_id = $1",
                          {run_id_});
      if (!r.ok()) s = r.status();
    }
    if (!s.ok()) {
      Rollback();
      sticky_ = s;
      return s;
    }
    return Commit();
  }

  PgBackend& backend_;
  PgConnection& conn_;
  std::string run_id_;
  int next_seq_;
  DurableWriteHook hook_;
  Status sticky_;
};

LockRecord LockOfRow(const std::vector<std::optional<std::string>>& row) {
  auto s = [&](int i) { return row[i].value_or(""); };
  LockRecord r;
  r.owner = LockOwner{s(1), s(2), std::stoi(s(3)), std::stoll(s(4)), s(0)};
  r.lease_expires_at = std::stoll(s(5));
  r.token = s(6);
  return r;
}

const char* kLockColumns =
    "run_id, host, machine, pid, started_at, extract(epoch from lease_expires_at)::bigint, token, "
    "extract(epoch from clock_timestamp())::bigint";

class PgLock final : public HeldLock {
 public:
  PgLock(std::unique_ptr<PgConnection> conn, std::string table, std::string account,
         LockRecord record, std::chrono::seconds lease)
      : conn_(std::move(conn)),
        table_(std::move(table)),
        account_(std::move(account)),
        record_(std::move(record)),
        lease_(lease) {}
  ~PgLock() override { Release(); }
  void Release() override {
    if (released_) return;
    released_ = true;
    (void)conn_->Exec("DELETE FROM " + table_ + " WHERE account = $1 AND token = $2",
                      {account_, record_.token});
  }
  Status Renew() override {
    auto r = conn_->Exec("UPDATE " + table_ +
                             " SET lease_expires_at = clock_timestamp() + make_interval(secs => "
                             "$3) WHERE account = $1 AND token = $2 RETURNING extract(epoch from "
                             "lease_expires_at)::bigint",
                         {account_, record_.token, std::to_string(lease_.count())});
    if (!r.ok()) return r.status();
    if (r->rows.empty()) {
      return Status::Conflict("the lock of account " + account_ +
                              " is no longer this run's (unlocked or taken over)");
    }
    record_.lease_expires_at = std::stoll(r->rows[0][0].value_or("0"));
    return Status::Ok();
  }
  const LockRecord& record() const override { return record_; }

 private:
  std::unique_ptr<PgConnection> conn_;
  std::string table_;
  std::string account_;
  LockRecord record_;
  std::chrono::seconds lease_;
  bool released_ = false;
};

}  // namespace

Result<PgLocation> ParsePgLocation(const std::string& uri) {
  if (uri.rfind("postgres://", 0) != 0 && uri.rfind("postgresql://", 0) != 0) {
    return Status::InvalidArgument("not a postgres:// URL: " + uri);
  }
  PgLocation where;
  std::string base = uri, query;
  if (const std::size_t q = uri.find('?'); q != std::string::npos) {
    base = uri.substr(0, q);
    query = uri.substr(q + 1);
  }
  std::string kept;
  for (std::size_t start = 0; start <= query.size() && !query.empty();) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string param = query.substr(start, end - start);
    if (param.rfind("schema=", 0) == 0) {
      where.schema = param.substr(7);
    } else if (!param.empty()) {
      kept += (kept.empty() ? "" : "&") + param;
    }
    start = end + 1;
  }
  if (!ValidSchemaName(where.schema)) {
    return Status::InvalidArgument("schema " + where.schema +
                                   ": use lower-case letters, digits and _, at most 63");
  }
  // Ours: who we are, for the server's views (pg_stat_activity).
  kept += std::string(kept.empty() ? "" : "&") + "application_name=licmove";
  where.conninfo = base + "?" + kept;
  // The display form: a password in user info is masked.
  std::string shown = base;
  const std::size_t scheme_end = shown.find("://") + 3;
  const std::size_t at = shown.find('@', scheme_end);
  if (at != std::string::npos) {
    const std::size_t colon = shown.find(':', scheme_end);
    if (colon != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  std::string shown_query;
  for (std::size_t start = 0; start < kept.size();) {
    const std::size_t end = std::min(kept.find('&', start), kept.size());
    const std::string param = kept.substr(start, end - start);
    if (param.rfind("password=", 0) != 0 && param.rfind("application_name=", 0) != 0) {
      shown_query += (shown_query.empty() ? "" : "&") + param;
    }
    start = end + 1;
  }
  where.display =
      shown + "?" + (shown_query.empty() ? "" : shown_query + "&") + "schema=" + where.schema;
  return where;
}

Result<std::unique_ptr<PgBackend>> PgBackend::Open(const PgLocation& where, DurableWriteHook hook) {
  auto conn = PgConnection::Connect(where.conninfo, where.display);
  if (!conn.ok()) return conn.status();
  std::unique_ptr<PgBackend> b(new PgBackend(where, std::move(conn.value()), std::move(hook)));
  PgConnection& c = *b->conn_;
  const std::string schema = Quote(where.schema);
  // Concurrent first runs: one creates the schema, the others wait for it.
  // (An advisory lock id of another schema or program colliding with this
  // one only makes that wait longer.)
  auto fail = [&](Status s) -> Result<std::unique_ptr<PgBackend>> {
    (void)c.Exec("ROLLBACK");
    return s;
  };
  if (auto r = c.Exec("BEGIN"); !r.ok()) return r.status();
  if (auto r = c.Exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                      {"licmove schema " + where.schema});
      !r.ok()) {
    return fail(r.status());
  }
  if (Status s =
          c.ExecScript("CREATE SCHEMA IF NOT EXISTS " + schema + "; CREATE TABLE IF NOT EXISTS " +
                       schema + ".schema_version (version integer NOT NULL)");
      !s.ok()) {
    return fail(s);
  }
  auto version = c.Exec("SELECT max(version) FROM " + schema + ".schema_version");
  if (!version.ok()) return fail(version.status());
  const int have = version->rows[0][0] ? std::stoi(*version->rows[0][0]) : 0;
  if (have > kPgSchemaVersion) {
    return fail(Status::InvalidArgument(
        where.display + ": the schema is at version " + std::to_string(have) +
        ", newer than this licmove knows (" + std::to_string(kPgSchemaVersion) +
        "): use a newer licmove, or another schema (?schema=NAME)"));
  }
  if (have < 1) {
    if (Status s = c.ExecScript(WithSchema(kSchemaV1, schema)); !s.ok()) return fail(s);
    if (auto r = c.Exec("INSERT INTO " + schema + ".schema_version VALUES (1)"); !r.ok()) {
      return fail(r.status());
    }
  }
  if (auto r = c.Exec("COMMIT"); !r.ok()) return r.status();
  // Outside the transactions that must be durable (Begin), commits do not
  // wait for the disk: an outcome becomes durable with the next durable
  // commit, which flushes the log up to it (pg_backend.h).
  if (auto r = c.Exec("SET synchronous_commit = off"); !r.ok()) return r.status();
  return b;
}

PgBackend::~PgBackend() = default;

std::string PgBackend::Table(const std::string& name) const {
  return Quote(where_.schema) + "." + name;
}

std::string PgBackend::JournalLocation(const std::string& run_id) const {
  return where_.display + " (run " + run_id + ")";
}

Result<std::unique_ptr<JournalWriter>> PgBackend::CreateJournal(const RunHeader& header) {
  auto w = std::make_unique<PgJournalWriter>(*this, *conn_, header.run_id, 0, hook_);
  if (Status s = w->CreateRun(header); !s.ok()) return s;
  return std::unique_ptr<JournalWriter>(std::move(w));
}

Result<std::unique_ptr<JournalWriter>> PgBackend::ReopenJournal(const std::string& run_id) {
  auto r = conn_->Exec("SELECT max(seq) FROM " + Table("journal") + " WHERE run_id = $1", {run_id});
  if (!r.ok()) return r.status();
  if (!r->rows[0][0]) return Status::NotFound(JournalLocation(run_id) + ": no such run");
  const int next = std::stoi(*r->rows[0][0]) + 1;
  return std::unique_ptr<JournalWriter>(
      std::make_unique<PgJournalWriter>(*this, *conn_, run_id, next, hook_));
}

Status PgBackend::ImportJournal(const std::vector<LogRecord>& records) {
  auto journal = DecodeJournal(records, "the journal to import", LogScan::Tail::kClean);
  if (!journal.ok()) return journal.status();
  PgJournalWriter importer(*this, *conn_, journal->header.run_id, 0, {});
  return importer.ImportRun(*journal, records);
}

Result<std::vector<LogRecord>> PgBackend::ReadJournalRecords(const std::string& run_id) {
  return ReadRows(run_id, /*header_only=*/false);
}

Result<std::vector<LogRecord>> PgBackend::ReadRows(const std::string& run_id, bool header_only) {
  const std::string where = JournalLocation(run_id);
  auto r =
      conn_->Exec("SELECT seq, type, payload, crc FROM " + Table("journal") + " WHERE run_id = $1" +
                      (header_only ? " AND seq = 0" : "") + " ORDER BY seq",
                  {run_id});
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return Status::NotFound(where + ": no such run");
  std::vector<LogRecord> records;
  records.reserve(r->rows.size());
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    const auto& row = r->rows[i];
    const long seq = std::stol(row[0].value_or("-1"));
    const auto type = static_cast<std::uint8_t>(std::stoi(row[1].value_or("0")));
    std::string payload = row[2].value_or("");
    if (seq != static_cast<long>(i)) {
      return Status::Corruption(where + ": record " + std::to_string(i) + " is missing");
    }
    if (std::to_string(RecordCrc(type, payload)) != row[3].value_or("")) {
      return Status::Corruption(where + ": record " + std::to_string(i) +
                                " does not match its checksum");
    }
    records.push_back(LogRecord{type, std::move(payload)});
  }
  return records;
}

Result<JournalContents> PgBackend::ReadRecords(const std::string& run_id, bool header_only) {
  auto records = ReadRows(run_id, header_only);
  if (!records.ok()) return records.status();
  return DecodeJournal(*records, JournalLocation(run_id), LogScan::Tail::kClean, header_only);
}

Result<JournalContents> PgBackend::ReadJournal(const std::string& run_id) {
  return ReadRecords(run_id, /*header_only=*/false);
}

Result<RunHeader> PgBackend::ReadRunHeader(const std::string& run_id) {
  auto contents = ReadRecords(run_id, /*header_only=*/true);
  if (!contents.ok()) return contents.status();
  return std::move(contents->header);
}

Result<std::optional<RunInfo>> PgBackend::FindRun(const std::string& run_id) {
  auto r = conn_->Exec(
      std::string("SELECT ") + kRunColumns + " FROM " + Table("runs") + " WHERE run_id = $1",
      {run_id});
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return std::optional<RunInfo>();
  return std::optional<RunInfo>(RunInfoOfRow(r->rows[0]));
}

Result<std::vector<RunInfo>> PgBackend::ListRuns() {
  auto r = conn_->Exec(std::string("SELECT ") + kRunColumns + " FROM " + Table("runs") +
                       " ORDER BY run_id");
  if (!r.ok()) return r.status();
  std::vector<RunInfo> out;
  out.reserve(r->rows.size());
  for (const auto& row : r->rows) out.push_back(RunInfoOfRow(row));
  return out;
}

Result<std::unique_ptr<HeldLock>> PgBackend::AcquireLock(const std::string& account,
                                                         const LockOwner& owner,
                                                         const std::string& take_over_run,
                                                         std::chrono::seconds lease) {
  auto lock_conn = PgConnection::Connect(where_.conninfo, where_.display);
  if (!lock_conn.ok()) return lock_conn.status();
  PgConnection& c = **lock_conn;
  const std::string table = Table("locks");
  LockRecord mine{owner, 0, NewLockToken()};
  const std::vector<std::optional<std::string>> values = {account,
                                                          owner.run_id,
                                                          owner.host,
                                                          owner.machine,
                                                          std::to_string(owner.pid),
                                                          std::to_string(owner.started_at),
                                                          std::to_string(lease.count()),
                                                          mine.token};
  const std::string set_lease = "clock_timestamp() + make_interval(secs => $7)";
  for (int attempt = 0; attempt < 3; ++attempt) {
    // A new lock: the primary key makes one of two concurrent inserts fail.
    auto inserted = c.Exec("INSERT INTO " + table +
                               " (account, run_id, host, machine, pid, started_at, "
                               "lease_expires_at, token) VALUES ($1,$2,$3,$4,$5,$6," +
                               set_lease +
                               ",$8) ON CONFLICT (account) DO NOTHING RETURNING "
                               "extract(epoch from lease_expires_at)::bigint",
                           values);
    if (!inserted.ok()) return inserted.status();
    if (!inserted->rows.empty()) {
      mine.lease_expires_at = std::stoll(inserted->rows[0][0].value_or("0"));
      return std::unique_ptr<HeldLock>(
          std::make_unique<PgLock>(std::move(lock_conn.value()), table, account, mine, lease));
    }
    // Held: decide under a row lock, so that two take-overs cannot both win.
    if (auto r = c.Exec("BEGIN"); !r.ok()) return r.status();
    auto held = c.Exec(
        std::string("SELECT ") + kLockColumns + " FROM " + table + " WHERE account = $1 FOR UPDATE",
        {account});
    if (!held.ok()) {
      (void)c.Exec("ROLLBACK");
      return held.status();
    }
    if (held->rows.empty()) {  // released meanwhile: try again
      (void)c.Exec("ROLLBACK");
      continue;
    }
    const LockRecord record = LockOfRow(held->rows[0]);
    const UnixSeconds now = std::stoll(held->rows[0][7].value_or("0"));
    const std::string stale = StaleReason(record, now);
    if (stale.empty() || !(record.owner.run_id == take_over_run ||
                           LeftNothingToFinish(*this, record.owner.run_id))) {
      (void)c.Exec("ROLLBACK");
      return Status::Conflict(LockConflictMessage(account, record, stale));
    }
    auto taken = c.Exec("UPDATE " + table +
                            " SET run_id = $2, host = $3, machine = $4, pid = $5, started_at = $6, "
                            "lease_expires_at = " +
                            set_lease +
                            ", token = $8 WHERE account = $1 RETURNING extract(epoch from "
                            "lease_expires_at)::bigint",
                        values);
    if (!taken.ok()) {
      (void)c.Exec("ROLLBACK");
      return taken.status();
    }
    if (auto r = c.Exec("COMMIT"); !r.ok()) return r.status();
    mine.lease_expires_at = std::stoll(taken->rows[0][0].value_or("0"));
    return std::unique_ptr<HeldLock>(
        std::make_unique<PgLock>(std::move(lock_conn.value()), table, account, mine, lease));
  }
  return Status::Conflict("account " + account +
                          ": its lock changed hands three times while "
                          "licmove looked; try again");
}

Result<StateBackend::LockView> PgBackend::ReadLock(const std::string& account) {
  auto r = conn_->Exec(
      std::string("SELECT ") + kLockColumns + " FROM " + Table("locks") + " WHERE account = $1",
      {account});
  if (!r.ok()) return r.status();
  LockView view;
  if (r->rows.empty()) {
    auto now = conn_->Exec("SELECT extract(epoch from clock_timestamp())::bigint");
    if (!now.ok()) return now.status();
    view.now = std::stoll(now->rows[0][0].value_or("0"));
    return view;
  }
  view.lock = LockOfRow(r->rows[0]);
  view.now = std::stoll(r->rows[0][7].value_or("0"));
  return view;
}

Status PgBackend::BreakLock(const std::string& account, const std::string& token) {
  auto r = conn_->Exec("DELETE FROM " + Table("locks") + " WHERE account = $1 AND token = $2",
                       {account, token});
  if (!r.ok()) return r.status();
  if (r->affected == 0) {
    return Status::NotFound("the lock of account " + account + " changed meanwhile; look again");
  }
  return Status::Ok();
}

}  // namespace licmove
