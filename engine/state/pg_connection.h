// A small libpq wrapper: one connection, parameterised statements, results
// as strings, errors as Status values naming what failed. libpq's own
// connection string rules apply, PG* environment variables and ~/.pgpass
// included; a password never appears in a message (libpq leaves it out).
//
// REQUIRES: one PgConnection is used from one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/status.h"

struct pg_conn;
struct pg_result;

namespace licmove {

// Rows of text values; a NULL is nullopt.
struct PgRows {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::size_t affected = 0;  // INSERT/UPDATE/DELETE: rows changed
};

class PgConnection {
 public:
  // `conninfo`: a libpq connection string or URI. `what` names the database
  // in errors ("postgres://host/db").
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo,
                                                       const std::string& what);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with text parameters ($1, $2...). A parameter given
  // as nullopt is NULL.
  Result<PgRows> Exec(const std::string& sql,
                      const std::vector<std::optional<std::string>>& params = {});
  // Runs several statements without parameters (schema creation).
  [[nodiscard]] Status ExecScript(const std::string& sql);

  // The connection broke (the server went away): every later call fails
  // too. Callers stop, never send a portal request on a broken journal.
  bool broken() const;

 private:
  PgConnection(pg_conn* conn, std::string what) : conn_(conn), what_(std::move(what)) {}
  Status ErrorOf(pg_result* res, const std::string& sql) const;
  pg_conn* conn_;
  std::string what_;
};

}  // namespace licmove
