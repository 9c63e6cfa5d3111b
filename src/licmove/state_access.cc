#include "state_access.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "crash_points.h"
#include "state/state_location.h"

namespace licmove {

void AddStateFlags(CLI::App* cmd, StateFlags& flags, bool lease) {
  cmd->add_option("--state,--state-dir", flags.spec,
                  "where runs, journals and locks live: a directory, or postgres://... "
                  "(libpq's PG* variables and ~/.pgpass apply; ?schema=NAME, default licmove). "
                  "Default: $LICMOVE_STATE, else " +
                      DefaultStateDir());
  if (lease) {
    cmd->add_option("--lock-lease", flags.lock_lease_seconds,
                    "seconds the account lock's lease lasts unless renewed; it is renewed every "
                    "third of that while the run works")
        ->check(CLI::Range(2, 3600))
        ->capture_default_str();
  }
}

Result<std::unique_ptr<StateBackend>> OpenState(const StateFlags& flags) {
  const std::string spec = ResolveStateSpec(flags.spec);
  // Before issue 10 the default was ./.licmove: runs left there are not
  // lost, but no longer found without being asked for.
  if (spec == DefaultStateDir() && spec != ".licmove" && std::filesystem::exists(".licmove/runs")) {
    std::cerr << "licmove: note: ./.licmove holds runs from an older licmove, whose default state "
                 "directory it was; the default is now "
              << spec
              << ". Use --state .licmove for them, or move them: licmove state migrate --from "
                 ".licmove --to "
              << spec << "\n";
  }
  return OpenStateBackend(spec, JournalFileSystem(), DurableWriteKillHook());
}

std::string StateHint(const StateFlags& flags) {
  const std::string spec = ResolveStateSpec(flags.spec);
  if (spec == DefaultStateDir() || (flags.spec.empty() && std::getenv("LICMOVE_STATE"))) return "";
  // Quoted for a shell when it has more than plain path characters (a URL's
  // ? and &).
  const std::string shown = DescribeStateSpec(spec);
  const bool plain = shown.find_first_not_of(
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./:@") ==
                     std::string::npos;
  if (plain) return " --state " + shown;
  std::string quoted = "'";
  for (const char c : shown) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return " --state " + quoted + "'";
}

std::string LocalStateDir(const StateFlags& flags) {
  const std::string spec = ResolveStateSpec(flags.spec);
  return IsPostgresSpec(spec) ? DefaultStateDir() : spec;
}

}  // namespace licmove
