// A throwaway PostgreSQL server for tests: initdb in a temporary directory,
// listening only on a Unix socket in that directory (no TCP port), trust
// authentication, removed again when the object goes. The server refuses to
// run as root, so as root it runs as the `postgres` user (runuser).
// Debian's postgresql package provides the binaries (scripts/install-deps.sh).
#pragma once

#include <memory>
#include <string>

namespace licmove::testing {

class PgServer {
 public:
  // nullptr (and why, in `error`) when no server could be started.
  static std::unique_ptr<PgServer> Start(std::string* error);
  ~PgServer();  // stops the server (immediate) and removes its files

  // A postgres:// URL for licmove (add "&schema=NAME" to it).
  std::string Url() const;
  // Runs SQL through psql as the superuser; its output, or "" on failure.
  std::string Psql(const std::string& sql) const;
  // Restarts the server (fast shutdown, then start), as an operator would.
  bool Restart();

 private:
  PgServer() = default;
  bool Run(const std::string& command, std::string* output = nullptr) const;
  std::string dir_;
  std::string bin_;
  bool as_postgres_ = false;
};

}  // namespace licmove::testing
