// Shared by the simulator's HTTP tests: start a PortalSim on a free loopback
// port from a fleet in tests/sim/data/, and a few JSON helpers.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "http_client.h"
#include "portal_sim/portal_sim.h"

namespace licmove::sim::testing {

inline std::string DataFile(const std::string& name) {
  return std::string(LICMOVE_SOURCE_DIR) + "/tests/sim/data/" + name;
}

// The rules fleet, tie-break by key unless the options say otherwise.
inline SimOptions RulesOptions() {
  SimOptions o;
  o.fleet_file = DataFile("rules.yaml");
  o.tie_break = TieBreak{TieBreak::Order::kKey, 0};
  return o;
}

inline std::unique_ptr<PortalSim> StartSim(const SimOptions& options) {
  Result<std::unique_ptr<PortalSim>> sim = PortalSim::Start(options);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  return sim.ok() ? std::move(sim.value()) : nullptr;
}

inline std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

// The camera with `serial` in `account` of a GET /sim/state answer; null if none.
inline boost::json::value CameraInState(const boost::json::value& state, const std::string& account,
                                        const std::string& serial) {
  for (const auto& a : state.at("accounts").as_array()) {
    if (a.at("name") != boost::json::value(account)) continue;
    for (const auto& c : a.at("cameras").as_array()) {
      if (c.at("serial") == boost::json::value(serial)) return c;
    }
  }
  return nullptr;
}

// The license with `key` anywhere in a GET /sim/state answer, with the
// account it is in ("" for the registry) under "account".
inline boost::json::value LicenseInState(const boost::json::value& state, const std::string& key) {
  for (const auto& a : state.at("accounts").as_array()) {
    for (const auto& l : a.at("licenses").as_array()) {
      if (l.at("key") == boost::json::value(key)) {
        boost::json::object o = l.as_object();
        o["account"] = a.at("name");
        return o;
      }
    }
  }
  for (const auto& l : state.at("registry").as_array()) {
    if (l.at("key") == boost::json::value(key)) {
      boost::json::object o = l.as_object();
      o["account"] = "";
      return o;
    }
  }
  return nullptr;
}

}  // namespace licmove::sim::testing
