// Seedable generator of large fleets and bulk plans, for benchmarks, load
// tests and the bulk plan template. The same options always produce the same
// bytes (own PRNG, no std::*_distribution whose output varies by library).
#pragma once

#include <cstdint>
#include <string>

namespace licmove {

struct FleetGenOptions {
  int cameras = 1000;
  int licenses = -1;  // total keys in the account; -1: 1.5 × cameras
  int registry = 10;  // extra keys known only to the vendor
  int moves = 0;      // moves in the generated plan
  int assigns = 0;    // cameras given a license by `assign` in the plan
  std::uint64_t seed = 1;
  std::string account = "acme";
  std::string now = "2026-11-29T00:00:00Z";  // RFC 3339, UTC
  // Where each file's first line, "# yaml-language-server: $schema=...",
  // points editors for validation as you type: a path relative to the file
  // or a URL. Empty: no such line.
  std::string plan_schema;
  std::string fleet_schema;
  // Write the fleet as JSON (GeneratedFleet::fleet_json) instead of YAML:
  // the same values, the shape `licmove snapshot` writes. JSON has no
  // comments, so it has no $schema or origin line.
  bool json_fleet = false;
};

struct GeneratedFleet {
  std::string fleet_yaml;  // schemas/fleet.v1.schema.json; empty with json_fleet
  std::string fleet_json;  // the same fleet as JSON; only with json_fleet
  std::string plan_yaml;   // schemas/plan.v1.schema.json; resolvable against the fleet
  int cameras = 0;
  int licenses = 0;
  int moves = 0;
  int assigns = 0;
};

// Cameras CAM-000001...; services alarm-management (most cameras) and
// remote-maintenance (some), every term, some pool keys partly used so that
// parking matters. Plan moves carry key guards; collateral services appear
// wherever a source holds both services.
GeneratedFleet GenerateFleet(const FleetGenOptions& options);

// `schema` as a file written at `file` names it on its $schema line: a URL
// ("https://...") as it is, a path relative to the file's directory.
std::string SchemaReference(const std::string& file, const std::string& schema);

}  // namespace licmove
