// How every command that reads or writes runs reaches the state backend:
// `--state DIR|postgres://...` (alias `--state-dir`), $LICMOVE_STATE, or the
// default directory (engine/state/state_location.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "state/state_backend.h"

namespace licmove {

struct StateFlags {
  std::string spec;  // empty: $LICMOVE_STATE, else the default directory
  int lock_lease_seconds = static_cast<int>(kDefaultLockLease.count());
};

// Adds --state and its alias --state-dir to `cmd`; with `lease`, also
// --lock-lease.
void AddStateFlags(CLI::App* cmd, StateFlags& flags, bool lease);

// The backend the flags name, journals written through the crash tests'
// fault-injection point (crash_points.h).
Result<std::unique_ptr<StateBackend>> OpenState(const StateFlags& flags);

// " --state SPEC" for the commands licmove suggests, or "" for the default
// (a postgres URL's password masked).
std::string StateHint(const StateFlags& flags);

// A local directory for what only this machine needs (the embedded
// simulator's state): the state directory, or the default one when the
// state is in PostgreSQL.
std::string LocalStateDir(const StateFlags& flags);

}  // namespace licmove
