// portal-sim: a Remote Portal simulator serving the portal's API over HTTP,
// seeded from a fleet file. See docs/PORTAL_SIM.md.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "portal_sim/portal_sim.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 64;

}  // namespace

int main(int argc, char** argv) {
  using licmove::sim::SimOptions;
  SimOptions options;
  std::string latency, tie_break = "random:1";
  CLI::App app{"portal-sim: a Remote Portal simulator (the API of DESIGN §2 over HTTP/1.1)",
               "portal-sim"};
  app.set_version_flag("--version", "portal-sim " LICMOVE_VERSION);
  app.footer(
      "Example: portal-sim --fleet examples/fleets/small.yaml --port 8931 (tokens: the fleet's "
      "users)\nExit codes: 0 stopped by SIGINT or SIGTERM, 1 could not start, 64 bad command "
      "line.");
  app.add_option("--fleet", options.fleet_file, "fleet file (YAML) to seed the portal from")
      ->required();
  app.add_option("--port", options.port, "TCP port; 0 picks a free one")->default_val(0);
  app.add_option("--bind", options.bind, "address to listen on")->default_val("127.0.0.1");
  app.add_option("--state-dir", options.state_dir,
                 "keep the state here (a write-ahead log) so that it survives kill -9");
  app.add_option("--latency", latency, "added to every /api/ answer: MS or MS:JITTER");
  app.add_option("--error-rate", options.faults.error_rate, "share of /api/ calls answered 503")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--rate-limit", options.faults.rate_limit,
                 "/api/ requests per second (token bucket); 0: unlimited")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--drop-rate", options.faults.drop_rate,
                 "share of /api/ calls applied, then closed without an answer")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--reset-rate", options.faults.reset_rate,
                 "share of /api/ calls reset before anything is applied")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-seed", options.faults.seed, "seed of the fault RNG")->default_val(1);
  app.add_option("--tie-break", tie_break,
                 "order among pool licenses of equal remaining validity: key | random:SEED")
      ->default_val("random:1");
  std::vector<std::string> users;
  app.add_option("--user", users,
                 "add a user to the fleet's: TOKEN:ROLE[:ACCOUNT,...], role admin or viewer, "
                 "default every account (a `licmove snapshot` has no users); repeatable");
  app.add_option("--threads", options.threads, "io threads")
      ->default_val(2)
      ->check(CLI::Range(1, 256));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "portal-sim: " << e.what() << " (see: portal-sim --help)\n";
    return kExitUsage;
  }

  if (!latency.empty()) {
    if (licmove::Status st = licmove::sim::ParseLatency(latency, &options.faults); !st.ok()) {
      std::cerr << "portal-sim: --latency: " << st.message() << "\n";
      return kExitUsage;
    }
  }
  auto order = licmove::sim::ParseTieBreak(tie_break);
  if (!order.ok()) {
    std::cerr << "portal-sim: --tie-break: " << order.status().message() << "\n";
    return kExitUsage;
  }
  options.tie_break = *order;
  if (!users.empty()) {
    auto fleet = licmove::LoadFleetFile(options.fleet_file);
    if (!fleet.ok()) {
      std::cerr << "portal-sim: " << fleet.status().message() << "\n";
      return kExitError;
    }
    for (std::size_t i = 0; i < users.size(); ++i) {
      const std::string& spec = users[i];
      // TOKEN:ROLE[:ACCOUNTS]: a token with a colon in it cannot be given here.
      const auto colon = spec.find(':');
      const auto second = spec.find(':', colon == std::string::npos ? colon : colon + 1);
      licmove::FleetUser u;
      u.token = spec.substr(0, colon);
      u.role = colon == std::string::npos ? "" : spec.substr(colon + 1, second - colon - 1);
      u.name = "--user " + std::to_string(i + 1);
      for (std::size_t at = second; at != std::string::npos;) {
        const auto next = spec.find(',', at + 1);
        u.accounts.push_back(spec.substr(at + 1, next == std::string::npos ? next : next - at - 1));
        at = next;
      }
      if (second == std::string::npos) {
        for (const auto& a : fleet->accounts) u.accounts.push_back(a.name);
      }
      bool known = true;
      for (const auto& a : u.accounts) known = known && fleet->FindAccount(a);
      bool taken = false;
      for (const auto& other : fleet->users) taken = taken || other.token == u.token;
      if (u.token.empty() || (u.role != "admin" && u.role != "viewer") || !known || taken) {
        // Never echo it: it holds a token.
        std::cerr << "portal-sim: --user number " << i + 1
                  << ": give TOKEN:ROLE[:ACCOUNT,...] with a new token, role admin or viewer "
                     "and accounts of the fleet\n";
        return kExitUsage;
      }
      fleet->users.push_back(std::move(u));
    }
    options.fleet = std::move(fleet.value());
  }

  // SIGINT and SIGTERM are taken by sigwait below, never by a handler; the
  // io threads inherit this mask, so the signal always reaches this thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    auto sim = licmove::sim::PortalSim::Start(options);
    if (!sim.ok()) {
      std::cerr << "portal-sim: " << sim.status().ToString() << "\n";
      return kExitError;
    }
    std::cout << "listening on " << (*sim)->url() << std::endl;  // flushed: scripts wait for it
    int signal = 0;
    sigwait(&stop_signals, &signal);
    (*sim)->Stop();
    std::cerr << "portal-sim: stopped (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
  } catch (const std::exception& e) {
    // Modules return errors as values; an exception here is a bug, but the
    // operator still gets a message and a non-zero exit.
    std::cerr << "portal-sim: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return kExitOk;
}
