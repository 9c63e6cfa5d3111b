// JSON shapes of the simulator's state: as the API shows it (Camera, License;
// schemas/portal-api.v1.yaml), as GET /sim/state shows all of it, and as the
// durable log stores a Mutation.
#pragma once

#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "model/status.h"
#include "model/timestamp.h"
#include "portal_sim/sim_state.h"

namespace licmove::sim {

boost::json::value TimeOrNull(std::optional<UnixSeconds> t);
boost::json::object LicenseJson(const SimState& s, const SimLicense& l);
boost::json::object CameraJson(const SimState& s, const SimCamera& c);
// GET /sim/state without idempotency_records (the API adds it).
boost::json::object StateJson(const SimState& s);
boost::json::object MutationJson(const Mutation& m);
// An event of POST /sim/clock's answer; fields that do not apply are left out.
boost::json::object ClockEventJson(const ClockEvent& e);
// Corruption when `v` is not what MutationJson writes.
Result<Mutation> MutationFromJson(const boost::json::value& v);

}  // namespace licmove::sim
