// portal-sim as a library: a Remote Portal simulator (DESIGN §3) serving the
// portal's API over real HTTP/1.1 on a loopback port. The licmove CLI embeds
// it for `--portal sim://FLEET.yaml`; the tests start it on port 0.
//
//   auto sim = PortalSim::Start({.fleet_file = "examples/fleets/small.yaml"});
//   if (!sim.ok()) ...;
//   HttpPortal portal((*sim)->url());  // "http://127.0.0.1:41234"
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "files/fleet_file.h"
#include "model/status.h"
#include "portal_sim/faults.h"
#include "portal_sim/sim_state.h"

namespace licmove::sim {

class Api;
class HttpServer;

struct SimOptions {
  std::string fleet_file;      // read with LoadFleetFile, unless `fleet` is set
  std::optional<Fleet> fleet;  // a fleet built in code
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  int threads = 2;
  std::string state_dir;  // empty: the state lives in memory only
  FaultOptions faults;
  TieBreak tie_break;  // default: random with seed 1 (the portal promises no order)
};

class PortalSim {
 public:
  // Loads the fleet, replays the state dir's log if any, and returns once the
  // port listens. InvalidArgument for a bad fleet or option, Corruption for a
  // damaged log, IOError for a port or directory that cannot be used.
  static Result<std::unique_ptr<PortalSim>> Start(const SimOptions& options);
  ~PortalSim();  // Stop()
  PortalSim(const PortalSim&) = delete;
  PortalSim& operator=(const PortalSim&) = delete;

  // "http://127.0.0.1:PORT" (the loopback address when bound to any).
  std::string url() const;
  std::uint16_t port() const;
  // Changes fault injection from the next request on (also PUT /sim/faults).
  [[nodiscard]] Status SetFaults(const FaultOptions& faults);
  FaultOptions faults() const;
  // Stops serving; every acknowledged mutation is already durable. Idempotent.
  void Stop();

 private:
  PortalSim() = default;

  std::string host_;
  std::unique_ptr<FaultInjector> faults_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;  // declared last: stopped before api_ goes
};

}  // namespace licmove::sim
