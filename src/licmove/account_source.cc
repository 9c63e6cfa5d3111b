#include "account_source.h"

#include <iostream>
#include <vector>

#include "exit_codes.h"
#include "files/fleet_file.h"
#include "portal/portal_json.h"
#include "portal/portal_url.h"
#include "portal/retrying_send.h"

namespace licmove {
namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

// The only account among `names`, or "" after saying why on stderr.
std::string OnlyAccount(const std::vector<std::string>& names, const std::string& where,
                        const std::string& command) {
  if (names.size() == 1) return names.front();
  std::cerr << command << ": " << where << " has " << (names.empty() ? "no" : "several")
            << " accounts (" << Joined(names) << "): say which with --account\n";
  return "";
}

std::vector<std::string> AccountNames(const Fleet& fleet) {
  std::vector<std::string> names;
  for (const Account& a : fleet.accounts) names.push_back(a.name);
  return names;
}

// The accounts a real portal's token may use (GET /api/v1/me).
Result<std::vector<std::string>> TokenAccounts(const PortalFlags& flags) {
  auto session = PortalSession::Open(flags, "");
  if (!session.ok()) return session.status();
  HttpRequest request;
  request.target = "/api/v1/me";
  const RetriedResponse sent = SendBlockingWithRetry((*session)->http_options(), request);
  if (!sent.response.ok()) {
    return Status::Unavailable("cannot reach the portal at " + flags.portal + ": " +
                               sent.response.status().message() + " (GET /api/v1/me)");
  }
  if (sent.response->status != 200) {
    return DecodeError(sent.response->status, sent.response->body, "GET /api/v1/me");
  }
  auto me = DecodeIdentity(sent.response->body);
  if (!me.ok()) return me.status();
  return me->accounts;
}

}  // namespace

void AddAccountSourceFlags(CLI::App* cmd, AccountSourceFlags& flags) {
  cmd->add_option("--snapshot", flags.snapshot,
                  "read the account from this fleet file (YAML or JSON, with its fixed `now`)");
  AddPortalFlags(cmd, flags.portal, /*portal_required=*/false);
  AddStateFlags(cmd, flags.state, /*lease=*/false);
  cmd->add_option("--account", flags.account,
                  "the account (default: the only one the fleet file or token has)");
}

int ReadAccountSource(const AccountSourceFlags& f, const std::string& command,
                      SourcedAccount& out) {
  if (f.snapshot.empty() == f.portal.portal.empty()) {
    std::cerr << command
              << ": say where the account comes from: --portal URL or --snapshot FLEET (one of "
                 "them)\n";
    return kExitUsage;
  }
  if (const int code = CheckPortalFlags(f.portal, command); code != 0) return code;

  if (!f.snapshot.empty()) {
    Result<Fleet> fleet = LoadFleetFile(f.snapshot);
    if (!fleet.ok()) {
      std::cerr << fleet.status().message() << "\n";
      return kExitInvalidInput;
    }
    std::string account = f.account;
    if (account.empty()) account = OnlyAccount(AccountNames(*fleet), f.snapshot, command);
    if (account.empty()) return kExitUsage;
    const Account* a = fleet->FindAccount(account);
    if (!a) {
      std::cerr << command << ": " << f.snapshot << " has no account " << account << " (it has "
                << Joined(AccountNames(*fleet)) << ")\n";
      return kExitInvalidInput;
    }
    out.snapshot = AccountSnapshot{*a, fleet->now};
    out.from = f.snapshot;
    return kExitOk;
  }

  PortalFlags portal = f.portal;
  portal.state_dir = LocalStateDir(f.state);
  std::string account = f.account;
  if (account.empty()) {
    // The simulator's fleet file says which accounts there are; a real
    // portal, the token's GET /me.
    auto url = ParsePortalUrl(portal.portal, portal.insecure_http);
    std::vector<std::string> names;
    if (url.ok() && url->scheme == PortalUrl::Scheme::kSim) {
      Result<Fleet> fleet = LoadFleetFile(url->sim_fleet);
      if (!fleet.ok()) {
        std::cerr << fleet.status().message() << "\n";
        return kExitInvalidInput;
      }
      names = AccountNames(*fleet);
    } else {
      auto mine = TokenAccounts(portal);
      if (!mine.ok()) {
        std::cerr << "licmove: " << mine.status().message() << "\n";
        return ExitCodeFor(mine.status());
      }
      names = *mine;
    }
    account = OnlyAccount(names, portal.portal, command);
    if (account.empty()) return kExitUsage;
  }
  auto live = OpenLiveAccount(portal, account, /*need_admin=*/false);
  if (!live.ok()) {
    std::cerr << "licmove: " << live.status().message() << "\n";
    return ExitCodeFor(live.status());
  }
  out.session = std::move(live->session);
  out.snapshot = std::move(live->snapshot);
  // sim://FLEET without the embedded simulator's port, which changes every
  // run: a snapshot's header stays the same for the same account.
  out.from = portal.portal.rfind("sim://", 0) == 0 ? portal.portal : out.session->description();
  return kExitOk;
}

}  // namespace licmove
