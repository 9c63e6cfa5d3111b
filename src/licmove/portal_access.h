// How every portal-facing command (plan, apply, resume, rollback, status)
// reaches the portal: the shared flags, the token, and for sim://FLEET.yaml
// the simulator embedded in this process on a loopback port.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "model/account.h"
#include "model/status.h"
#include "portal/http_client.h"

namespace licmove {

namespace sim {
class PortalSim;
}

struct PortalFlags {
  std::string portal;      // http(s)://HOST[:PORT][/PATH] or sim://FLEET.yaml
  std::string token_file;  // first line is the bearer token
  std::string ca_file;
  bool insecure_http = false;
  int timeout_seconds = 30;
  // --verbose: one line on stderr per HTTP exchange (method, path, status,
  // latency, attempt, Idempotency-Key); --debug: the same with timestamps,
  // and how the portal is reached. Never the token; keys in paths masked.
  bool verbose = false;
  bool debug = false;
  // For sim://: the licmove state dir under which the embedded simulator
  // keeps its state (STATE_DIR/sim/FLEET-HASH), so that apply, resume,
  // rollback and plan in separate processes see one portal. Empty: memory.
  std::string state_dir;
};

// Adds --portal, --token-file, --ca-file, --insecure-http, --timeout,
// --verbose and --debug to `cmd`.
void AddPortalFlags(CLI::App* cmd, PortalFlags& flags, bool portal_required);

// The portal flags' own mistakes, before any file or the network is touched:
// a --portal licmove does not take (not http, https or sim; plain http to a
// host that is not loopback without --insecure-http) or no token at all for
// a real portal. Says so on stderr after `command` ("licmove apply") and
// returns kExitUsage; 0 when the flags are fine or there is no --portal.
int CheckPortalFlags(const PortalFlags& flags, const std::string& command);

// The exit code of a failure to open the portal or read the account through
// it (README.md "Exit codes"): InvalidArgument and NotFound (the token file,
// the sim:// fleet file, an account the portal does not have) are invalid
// input, the rest (unreachable, a refused token) runtime errors.
int ExitCodeFor(const Status& status);

// An open way to the portal. For sim:// it owns the embedded simulator,
// which serves until this object is destroyed.
class PortalSession {
 public:
  // The token comes from --token-file, else $LICMOVE_TOKEN; for sim:// with
  // neither, the fleet's first admin of `account` (said on stderr). The
  // token is never printed.
  static Result<std::unique_ptr<PortalSession>> Open(const PortalFlags& flags,
                                                     const std::string& account);
  ~PortalSession();

  const HttpClientOptions& http_options() const { return options_; }
  // What to show an operator: the URL, or "sim://FLEET (embedded at URL)".
  const std::string& description() const { return description_; }

 private:
  PortalSession() = default;
  std::unique_ptr<sim::PortalSim> sim_;
  HttpClientOptions options_;
  std::string description_;
};

// An open session with the account read through it: what plan, apply and
// rollback all start from.
struct LiveAccount {
  std::unique_ptr<PortalSession> session;
  AccountSnapshot snapshot;
};

// Opens the portal and checks the token against `account` before anything
// else (GET /me: an admin when `need_admin`).
Result<std::unique_ptr<PortalSession>> OpenCheckedPortal(const PortalFlags& flags,
                                                         const std::string& account,
                                                         bool need_admin);

// Reads the whole account through `session`.
Result<AccountSnapshot> ReadLiveAccount(const PortalSession& session, const std::string& account);

// OpenCheckedPortal, then ReadLiveAccount: what a dry run starts from. A
// command that changes the account takes its lock between the two.
Result<LiveAccount> OpenLiveAccount(const PortalFlags& flags, const std::string& account,
                                    bool need_admin);

// One --verbose / --debug trace line for `exchange`, without the logger's
// prefix: "POST /api/v1/accounts/acme/licenses/...0001 -> 204 in 3.1 ms
// (attempt 1, Idempotency-Key R-op4)". A license key in the path is masked.
std::string DescribeExchange(const HttpExchange& exchange);

// Reads the first line of `path` as a token: InvalidArgument when the file is
// missing or empty.
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace licmove
