#include "portal_access.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "exit_codes.h"
#include "files/fleet_file.h"
#include "model/license.h"
#include "portal/account_reader.h"
#include "portal/preflight.h"
#include "portal_sim/portal_sim.h"

namespace licmove {

void AddPortalFlags(CLI::App* cmd, PortalFlags& flags, bool portal_required) {
  auto* portal = cmd->add_option(
      "--portal", flags.portal,
      "the portal: https://HOST[:PORT][/PATH], or sim://FLEET.yaml for the embedded simulator");
  if (portal_required) portal->required();
  cmd->add_option("--token-file", flags.token_file,
                  "file whose first line is the bearer token (default: $LICMOVE_TOKEN; for "
                  "sim://, the fleet file's admin of the account)");
  cmd->add_option("--ca-file", flags.ca_file, "PEM bundle of CAs to trust for https");
  cmd->add_flag("--insecure-http", flags.insecure_http,
                "allow plain http to a host that is not loopback (sends the token in clear)");
  cmd->add_option("--timeout", flags.timeout_seconds, "seconds per portal request")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_flag("--verbose", flags.verbose,
                "trace every HTTP exchange on stderr: method, path, status, latency, attempt, "
                "Idempotency-Key (never the token)");
  cmd->add_flag("--debug", flags.debug,
                "as --verbose, with timestamps and how the portal is reached");
}

int CheckPortalFlags(const PortalFlags& flags, const std::string& command) {
  if (flags.portal.empty()) return 0;
  auto url = ParsePortalUrl(flags.portal, flags.insecure_http);
  if (!url.ok()) {
    std::cerr << command << ": " << url.status().message() << "\n";
    return kExitUsage;
  }
  const char* env = std::getenv("LICMOVE_TOKEN");
  if (url->scheme != PortalUrl::Scheme::kSim && flags.token_file.empty() && !(env && *env)) {
    std::cerr << command << ": no token: pass --token-file FILE or set LICMOVE_TOKEN\n";
    return kExitUsage;
  }
  return 0;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound:
      return kExitInvalidInput;
    default:
      return kExitError;
  }
}

std::string DescribeExchange(const HttpExchange& e) {
  std::string target = e.target;
  // Parking names the key in the path (DELETE .../licenses/KEY): masked, as
  // in every log.
  const std::string licenses = "/licenses/";
  if (auto at = target.find(licenses); at != std::string::npos) {
    const std::size_t from = at + licenses.size();
    const std::size_t to = target.find_first_of("/?", from);
    const std::string key = target.substr(from, to == std::string::npos ? to : to - from);
    target.replace(from, key.size(), MaskKey(key));
  }
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.1f ms", e.latency.count() / 1000.0);
  std::string out = std::string(HttpMethodName(e.method)) + " " + target + " -> ";
  out += e.status ? std::to_string(e.status) : "no answer (" + e.error + ")";
  out += " in " + std::string(latency) + " (attempt " + std::to_string(e.attempt);
  if (!e.idempotency_key.empty()) out += ", Idempotency-Key " + e.idempotency_key;
  return out + ")";
}

namespace {

// --verbose / --debug: a logger on stderr (no colour: the trace is text to
// keep, not to look at), told of every exchange by the HTTP client.
void SetUpTrace(const PortalFlags& flags, HttpClientOptions& options) {
  if (!flags.verbose && !flags.debug) return;
  auto logger = std::make_shared<spdlog::logger>("licmove",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern(flags.debug ? "licmove: %H:%M:%S.%f %l: %v" : "licmove: %l: %v");
  logger->set_level(flags.debug ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::debug);
  options.on_exchange = [logger](const HttpExchange& e) {
    logger->info("http {}", DescribeExchange(e));
  };
  logger->debug("portal {}, timeout {} s, CA file {}", flags.portal, flags.timeout_seconds,
                flags.ca_file.empty() ? "(the system's)" : flags.ca_file);
}

}  // namespace

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("--token-file " + path + ": cannot read it");
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty())
    return Status::InvalidArgument("--token-file " + path + ": first line is empty");
  return token;
}

Result<std::unique_ptr<PortalSession>> PortalSession::Open(const PortalFlags& flags,
                                                           const std::string& account) {
  auto url = ParsePortalUrl(flags.portal, flags.insecure_http);
  if (!url.ok()) return url.status();
  std::unique_ptr<PortalSession> session(new PortalSession());
  HttpClientOptions& o = session->options_;
  o.timeout = std::chrono::seconds(flags.timeout_seconds);
  o.ca_file = flags.ca_file;

  if (!flags.token_file.empty()) {
    auto token = ReadTokenFile(flags.token_file);
    if (!token.ok()) return token.status();
    o.token = *token;
  } else if (const char* env = std::getenv("LICMOVE_TOKEN"); env && *env) {
    o.token = env;
  }

  if (url->scheme == PortalUrl::Scheme::kSim) {
    auto fleet = LoadFleetFile(url->sim_fleet);
    // A fleet file named on the command line, missing or invalid: invalid
    // input, whatever the reason (ExitCodeFor).
    if (!fleet.ok()) return Status::InvalidArgument(fleet.status().message());
    if (!fleet->FindAccount(account)) {
      return Status::NotFound(flags.portal + ": the simulated portal has no account " + account);
    }
    if (o.token.empty()) {
      for (const FleetUser& u : fleet->users) {
        const bool in_account =
            std::find(u.accounts.begin(), u.accounts.end(), account) != u.accounts.end();
        if (u.role == "admin" && in_account) {
          o.token = u.token;
          std::cerr << "licmove: using the simulator fleet's admin " << u.name << " for " << account
                    << "\n";
          break;
        }
      }
    }
    sim::SimOptions sim_options;
    sim_options.fleet = std::move(fleet.value());
    if (!flags.state_dir.empty()) {
      // One simulator state per fleet file content: editing the fleet file
      // starts a fresh simulated portal instead of replaying old changes
      // over new data.
      std::ifstream in(url->sim_fleet, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
      for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
      char suffix[24];
      std::snprintf(suffix, sizeof suffix, "-%016llx", static_cast<unsigned long long>(hash));
      std::string stem = url->sim_fleet.substr(url->sim_fleet.find_last_of('/') + 1);
      stem = stem.substr(0, stem.find('.'));
      // The simulator creates it and its missing parents, mode 0700 (its log
      // holds license keys).
      sim_options.state_dir = flags.state_dir + "/sim/" + stem + suffix;
    }
    auto started = sim::PortalSim::Start(sim_options);
    if (!started.ok()) return started.status();
    session->sim_ = std::move(started.value());
    auto http_url = ParsePortalUrl(session->sim_->url(), false);
    if (!http_url.ok()) return http_url.status();
    o.url = *http_url;
    session->description_ =
        "sim://" + url->sim_fleet + " (embedded simulator at " + session->sim_->url() + ")";
  } else {
    o.url = *url;
    session->description_ = url->ToString();
  }
  if (o.token.empty()) {
    return Status::InvalidArgument("no token: pass --token-file FILE or set LICMOVE_TOKEN");
  }
  SetUpTrace(flags, o);
  return session;
}

PortalSession::~PortalSession() = default;

Result<std::unique_ptr<PortalSession>> OpenCheckedPortal(const PortalFlags& flags,
                                                         const std::string& account,
                                                         bool need_admin) {
  auto session = PortalSession::Open(flags, account);
  if (!session.ok()) return session.status();
  if (auto me = Preflight((*session)->http_options(), account, need_admin); !me.ok()) {
    return me.status();
  }
  return session;
}

Result<AccountSnapshot> ReadLiveAccount(const PortalSession& session, const std::string& account) {
  auto snapshot = ReadAccountBlocking(session.http_options(), account);
  if (!snapshot.ok() && snapshot.status().code() == Status::Code::kUnavailable) {
    return Status::Unavailable("reading account " + account + ": " + snapshot.status().message());
  }
  return snapshot;
}

Result<LiveAccount> OpenLiveAccount(const PortalFlags& flags, const std::string& account,
                                    bool need_admin) {
  auto session = OpenCheckedPortal(flags, account, need_admin);
  if (!session.ok()) return session.status();
  auto snapshot = ReadLiveAccount(**session, account);
  if (!snapshot.ok()) return snapshot.status();
  return LiveAccount{std::move(session.value()), std::move(snapshot.value())};
}

}  // namespace licmove
