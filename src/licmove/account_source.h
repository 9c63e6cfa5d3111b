// Where `show` and `snapshot` read an account from: a live portal (a viewer
// token is enough; sim://FLEET for the embedded simulator) or a fleet file,
// as `plan` does. Without --account, the source's only account.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "model/account.h"
#include "portal_access.h"
#include "state_access.h"

namespace licmove {

struct AccountSourceFlags {
  std::string snapshot;  // a fleet file (YAML or JSON)
  PortalFlags portal;    // or a live portal
  StateFlags state;      // for sim://: where the simulated portal lives
  std::string account;   // empty: the only one there is
};

// --snapshot, the portal flags, --state and --account.
void AddAccountSourceFlags(CLI::App* cmd, AccountSourceFlags& flags);

struct SourcedAccount {
  std::unique_ptr<PortalSession> session;  // keeps an embedded simulator alive
  AccountSnapshot snapshot;                // `now`: the fleet's, or the portal's Date
  std::string from;                        // the fleet file, or the portal's description
};

// Reads the account. On failure the message is on stderr, after `command`
// ("licmove show"), and the exit code is returned (README.md "Exit codes"):
// 64 for neither or both sources, bad portal flags or no --account where the
// source has several, 3 for a missing or invalid fleet file or an account
// that is not there, 1 for the portal's failures. 0 on success.
int ReadAccountSource(const AccountSourceFlags& flags, const std::string& command,
                      SourcedAccount& out);

}  // namespace licmove
