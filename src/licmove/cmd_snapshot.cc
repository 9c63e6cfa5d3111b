// `licmove snapshot --out FILE`: the live account as a fleet file, for
// `licmove plan --snapshot`, for portal-sim, or to keep (docs/INVENTORY.md).
// YAML or JSON by the extension. The portal's clock (its Date) becomes the
// file's `now`; no user and no token is written, since a snapshot gets
// passed around. Written atomically: a reader sees the old file or the new.
//
// Exit codes (README.md "Exit codes"): 0 written, 1 the portal failed or
// refused the token, or the file could not be written, 3 the source fleet
// file is missing or invalid or the account is not there, 64 a bad command
// line (also an --out that is not .yaml, .yml or .json).
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "account_source.h"
#include "command.h"
#include "exit_codes.h"
#include "files/fleet_writer.h"
#include "journal/file_system.h"

namespace licmove {
namespace {

struct SnapshotFlags {
  AccountSourceFlags source;
  std::string out;
};

int RunSnapshot(const SnapshotFlags& f) {
  const std::string command = "licmove snapshot";
  const std::optional<FleetFormat> format = FleetFormatForPath(f.out);
  if (!format) {
    std::cerr << command << ": --out " << f.out
              << ": name the file .yaml, .yml or .json; the extension chooses the format\n";
    return kExitUsage;
  }
  SourcedAccount source;
  if (const int code = ReadAccountSource(f.source, command, source); code != kExitOk) return code;
  Fleet fleet;
  fleet.now = source.snapshot.now;
  fleet.accounts.push_back(std::move(source.snapshot.account));
  // The portal's camera ids are left out: it gives a re-added camera a new
  // one, and portal-sim assigns its own (serials are the identity).
  for (Camera& c : fleet.accounts.front().cameras) c.id.clear();
  const Account& account = fleet.accounts.front();
  const std::string comment = "licmove snapshot of account " + account.name + " at " +
                              FormatTimestamp(fleet.now) + " from " + source.from +
                              "\nNo users or tokens: see docs/INVENTORY.md to serve it with "
                              "portal-sim.";
  const std::string text = WriteFleet(fleet, *format, comment);
  if (Status s = PosixFileSystem().WriteFileAtomically(f.out, text); !s.ok()) {
    std::cerr << "licmove: writing " << f.out << ": " << s.message() << "\n";
    return kExitError;
  }
  std::cerr << "wrote " << f.out << ": account " << account.name << ", " << account.cameras.size()
            << " cameras, " << account.licenses.size() << " licenses, now "
            << FormatTimestamp(fleet.now) << "\n";
  return kExitOk;
}

}  // namespace

void AddSnapshotCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* cmd = app.add_subcommand(
      "snapshot",
      "Save an account as a fleet file (YAML or JSON), for plan --snapshot or portal-sim");
  AddAccountSourceFlags(cmd, flags->source);
  cmd->add_option("--out", flags->out, "the fleet file to write: FILE.yaml, FILE.yml or FILE.json")
      ->required();
  cmd->footer(
      "Examples:\n"
      "  licmove snapshot --portal sim://examples/fleets/small.yaml --account acme --out "
      "acme.yaml\n"
      "  licmove plan plans/move.yaml --snapshot acme.yaml\n"
      "Exit codes: 0 written, 1 error (portal, network, writing the file; a refused token),\n"
      "3 the fleet file read is missing or invalid, or the account is not there, 64 bad "
      "command\nline (also an --out that is not .yaml, .yml or .json).");
  cmd->callback([flags, &exit_code] { exit_code = RunSnapshot(*flags); });
}

}  // namespace licmove
