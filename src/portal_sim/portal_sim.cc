#include "portal_sim/portal_sim.h"

#include "portal_sim/api.h"
#include "portal_sim/http_server.h"

namespace licmove::sim {

Result<std::unique_ptr<PortalSim>> PortalSim::Start(const SimOptions& options) {
  if (Status st = ValidateFaults(options.faults); !st.ok()) return st;
  if (options.threads < 1) return Status::InvalidArgument("threads must be at least 1");
  Fleet fleet;
  if (options.fleet) {
    fleet = *options.fleet;
  } else {
    if (options.fleet_file.empty()) return Status::InvalidArgument("no fleet file given");
    Result<Fleet> loaded = LoadFleetFile(options.fleet_file);
    if (!loaded.ok()) return loaded.status();
    fleet = std::move(loaded.value());
  }

  std::unique_ptr<PortalSim> sim(new PortalSim());
  sim->faults_ = std::make_unique<FaultInjector>(options.faults);
  Result<std::unique_ptr<Api>> api =
      Api::Create(fleet, options.tie_break, options.state_dir, sim->faults_.get());
  if (!api.ok()) return api.status();
  sim->api_ = std::move(api.value());
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Start(
      options.bind, options.port, options.threads, sim->api_.get(), sim->faults_.get());
  if (!server.ok()) return server.status();
  sim->server_ = std::move(server.value());

  // A client cannot connect to the unspecified address; loopback reaches it.
  if (options.bind == "0.0.0.0") {
    sim->host_ = "127.0.0.1";
  } else if (options.bind == "::") {
    sim->host_ = "[::1]";
  } else if (options.bind.find(':') != std::string::npos) {
    sim->host_ = "[" + options.bind + "]";
  } else {
    sim->host_ = options.bind;
  }
  return sim;
}

PortalSim::~PortalSim() {
  Stop();
}

std::string PortalSim::url() const {
  return "http://" + host_ + ":" + std::to_string(port());
}

std::uint16_t PortalSim::port() const {
  return server_ ? server_->port() : 0;
}

Status PortalSim::SetFaults(const FaultOptions& faults) {
  if (Status st = ValidateFaults(faults); !st.ok()) return st;
  faults_->Set(faults);
  return Status::Ok();
}

FaultOptions PortalSim::faults() const {
  return faults_->options();
}

void PortalSim::Stop() {
  if (server_) server_->Stop();
}

}  // namespace licmove::sim
