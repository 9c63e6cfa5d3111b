// Fleet files (schemas/fleet.v1.schema.json): an account snapshot with a fixed
// clock, the users and tokens of a portal, and the vendor registry. The
// simulator is seeded from one; `licmove plan --snapshot` reads one offline.
#pragma once

#include <string>
#include <vector>

#include "files/diagnostic.h"
#include "model/account.h"
#include "model/status.h"

namespace licmove {

struct FleetUser {
  std::string token;
  std::string name;
  std::string role;  // "admin" | "viewer"
  std::vector<std::string> accounts;
};

struct Fleet {
  int version = 1;
  UnixSeconds now = 0;
  std::vector<FleetUser> users;
  std::vector<Account> accounts;
  // Keys the vendor knows that are in no account (assigned_to empty).
  std::vector<License> registry;

  const Account* FindAccount(std::string_view name) const;
};

// Parses and fully validates (YAML, schema, semantics). On failure the Status
// message holds every diagnostic, one "file:line:col: message" a line.
Result<Fleet> LoadFleetFile(const std::string& path);
// As LoadFleetFile, for text already in memory; `file` names it in messages.
Result<Fleet> ParseFleet(std::string_view text, const std::string& file);

}  // namespace licmove
