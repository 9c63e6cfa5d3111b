// licmove-fleetgen: writes a generated fleet file and a bulk plan for it.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "fleet_generator.h"

namespace {

constexpr int kExitUsage = 64;  // as licmove's (src/licmove/exit_codes.h)

}  // namespace

int main(int argc, char** argv) {
  licmove::FleetGenOptions o;
  std::string fleet_out, plan_out;
  CLI::App app{"licmove-fleetgen: generate a large fleet file and a bulk plan (seedable)",
               "licmove-fleetgen"};
  app.set_version_flag("--version", "licmove-fleetgen " LICMOVE_VERSION);
  app.add_option("--cameras", o.cameras, "number of cameras")->check(CLI::Range(1, 10000000));
  app.add_option("--licenses", o.licenses, "keys in the account (default 1.5 x cameras)")
      ->check(CLI::Range(0, 100000000));
  app.add_option("--registry", o.registry, "keys known only to the vendor")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--moves", o.moves, "moves in the plan")->check(CLI::Range(0, 10000000));
  app.add_option("--assigns", o.assigns, "cameras given a 5-year license by the plan")
      ->check(CLI::Range(0, 10000000));
  app.add_option("--seed", o.seed, "PRNG seed: the same seed gives the same files");
  app.add_option("--account", o.account, "account name");
  app.add_option("--fleet-out", fleet_out,
                 "fleet file to write: JSON when its name ends in .json, else YAML")
      ->required();
  app.add_option("--plan-out", plan_out, "plan file to write");
  // The files name their schemas on their first line, for editors; by
  // default the ones of the checkout this program was built from.
  std::string schema_dir = LICMOVE_SCHEMA_DIR;
  app.add_option("--schema-dir", schema_dir,
                 "directory or URL of plan.v1.schema.json and fleet.v1.schema.json, for the "
                 "files' '# yaml-language-server: $schema=' line")
      ->capture_default_str();
  app.footer(
      "Example: licmove-fleetgen --cameras 10000 --moves 1000 --assigns 50 --seed 7 \\\n"
      "           --fleet-out /tmp/fleet-10k.yaml --plan-out /tmp/bulk-10k.yaml\n"
      "(--fleet-out /tmp/fleet-10k.json writes the same fleet as JSON.)\n"
      "Exit codes: 0 written, 1 a file could not be written, 64 bad command line.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Not CLI11's own exit codes (106, 105...): one code for every usage
    // mistake, as licmove's 64.
    std::cerr << "licmove-fleetgen: " << e.what() << " (see: licmove-fleetgen --help)\n";
    return kExitUsage;
  }
  // As licmove reads it: by the extension (engine/files/json_document.h).
  const std::string_view ext = ".json";
  o.json_fleet = fleet_out.size() >= ext.size() &&
                 fleet_out.compare(fleet_out.size() - ext.size(), ext.size(), ext) == 0;
  o.fleet_schema = licmove::SchemaReference(fleet_out, schema_dir + "/fleet.v1.schema.json");
  if (!plan_out.empty()) {
    o.plan_schema = licmove::SchemaReference(plan_out, schema_dir + "/plan.v1.schema.json");
  }

  const licmove::GeneratedFleet g = licmove::GenerateFleet(o);
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::cerr << "licmove-fleetgen: cannot write " << path << "\n";
      return false;
    }
    return true;
  };
  if (!write(fleet_out, o.json_fleet ? g.fleet_json : g.fleet_yaml)) return 1;
  if (!plan_out.empty() && !write(plan_out, g.plan_yaml)) return 1;
  std::printf("%s: %d cameras, %d licenses", fleet_out.c_str(), g.cameras, g.licenses);
  if (!plan_out.empty()) {
    std::printf("; %s: %d moves, %d assigns", plan_out.c_str(), g.moves, g.assigns);
  }
  std::printf("\n");
  return 0;
}
