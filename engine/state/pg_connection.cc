#include "state/pg_connection.h"

#include <libpq-fe.h>

namespace licmove {

namespace {

// The statement's first words, for messages (never its parameters).
std::string Verb(const std::string& sql) {
  std::string v = sql.substr(0, sql.find_first_of("(\n"));
  if (v.size() > 60) v = v.substr(0, 60) + "...";
  return v;
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo,
                                                            const std::string& what) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return Status::Unavailable("cannot connect to " + what + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn);
    return Status::Unavailable("cannot connect to " + what + ": " + why);
  }
  // The server's notices ("schema ... already exists, skipping") are not
  // news for an operator; errors come back as results.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn, what));
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

bool PgConnection::broken() const {
  return PQstatus(conn_) != CONNECTION_OK;
}

Status PgConnection::ErrorOf(PGresult* res, const std::string& sql) const {
  std::string why = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = what_ + ": " + Verb(sql) + ": " + why;
  if (broken()) return Status::Unavailable(message + " (the connection is lost)");
  // 23505 unique_violation, 40001 serialization_failure: somebody else won.
  if (state && (std::string(state) == "23505" || std::string(state) == "40001")) {
    return Status::Conflict(message);
  }
  return Status::IOError(message);
}

Result<PgRows> PgConnection::Exec(const std::string& sql,
                                  const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* res = PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Status s = ErrorOf(res, sql);
    PQclear(res);
    return s;
  }
  PgRows out;
  const char* affected = PQcmdTuples(res);
  if (affected && *affected) out.affected = std::stoul(affected);
  const int rows = PQntuples(res), cols = PQnfields(res);
  out.rows.resize(rows);
  for (int r = 0; r < rows; ++r) {
    out.rows[r].reserve(cols);
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        out.rows[r].push_back(std::nullopt);
      } else {
        out.rows[r].emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
      }
    }
  }
  PQclear(res);
  return out;
}

Status PgConnection::ExecScript(const std::string& sql) {
  PGresult* res = PQexec(conn_, sql.c_str());
  const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  Status s =
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) ? Status::Ok() : ErrorOf(res, sql);
  PQclear(res);
  return s;
}

}  // namespace licmove
