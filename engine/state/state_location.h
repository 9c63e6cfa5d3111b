// Which state backend a command uses: `--state DIR|postgres://...` (or its
// alias `--state-dir`), else $LICMOVE_STATE, else the default directory
// $XDG_STATE_HOME/licmove (~/.local/state/licmove without it). A postgres
// URL may leave anything out that libpq's PG* variables or ~/.pgpass give.
#pragma once

#include <memory>
#include <string>

#include "journal/file_journal.h"
#include "state/state_backend.h"

namespace licmove {

// $XDG_STATE_HOME/licmove, else $HOME/.local/state/licmove, else
// ./.licmove when neither variable is set.
std::string DefaultStateDir();

// The flag's value if given, else $LICMOVE_STATE, else DefaultStateDir().
std::string ResolveStateSpec(const std::string& flag_value);

bool IsPostgresSpec(const std::string& spec);

// What to show of a spec: a postgres URL with its password masked.
std::string DescribeStateSpec(const std::string& spec);

// Opens the backend `spec` names. `fs` and `hook` are for the directory
// backend's files and both backends' durable writes (fault injection).
Result<std::unique_ptr<StateBackend>> OpenStateBackend(const std::string& spec, FileSystem& fs,
                                                       DurableWriteHook hook = {});

}  // namespace licmove
