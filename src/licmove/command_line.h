// A new user's first minutes: `licmove help [COMMAND]`, `licmove version`,
// and, before CLI11 parses, a check of the command line that names the first
// unknown command or flag with a "did you mean" (edit_distance.h). Every
// message starts with "licmove" and the command it is about.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "model/status.h"

namespace licmove {

// Adds `help [COMMAND...]` (COMMAND's --help; exit 0, or 64 for an unknown
// command) and `version` to `app`.
void AddHelpAndVersionCommands(CLI::App& app, int& exit_code);

// `cmd`'s --help, its usage line naming it `name` ("licmove state migrate").
std::string HelpText(const CLI::App& cmd, const std::string& name);

struct CommandLine {
  // The subcommands named, outermost first: {} for `licmove --version`,
  // {plan} for `licmove plan ...`, {state, migrate}.
  std::vector<const CLI::App*> commands;
  // What a message about it starts with: "licmove", "licmove state migrate".
  std::string prefix;
  // The first unknown command or flag, as one line (no newline); "" when
  // every word is known.
  std::string error;
  // The innermost command wants a subcommand and none was named (`licmove`,
  // `licmove state`), and neither --help nor --version was asked for.
  bool subcommand_missing = false;
};

// Reads argv as CLI11 will, without running anything.
CommandLine CheckCommandLine(const CLI::App& app, int argc, const char* const* argv);

// --parallelism N | auto, as apply, resume (and any run command) read it.
struct ParallelismSetting {
  int fixed = 0;          // 1..256 when not adaptive
  bool adaptive = false;  // "auto": learned from the portal (executor/adaptive_limit.h)
};
// "auto", or a whole number in [1, 256]; the error says what was wrong.
[[nodiscard]] Result<ParallelismSetting> ParseParallelism(const std::string& text);
// What a plan for --parallelism auto is shaped for (plan, apply, rollback
// alike): the fixed value that ran bulk-10k fastest (docs/PERFORMANCE.md,
// Executor), which the adaptive limit reaches within a second at 20 ms.
constexpr int kAutoShapeParallelism = 16;

// Flags more than one command takes: one definition each (name, help, check,
// default), so that they read the same everywhere.

// --parallelism N|auto (plan, apply, resume, rollback): `shaped_for` gets N,
// or kAutoShapeParallelism with `adaptive` set for auto.
void AddParallelismFlag(CLI::App* cmd, int& shaped_for, bool& adaptive);
// --detailed (plan, apply, rollback): the text plan whole, not trimmed to
// render.h's kTextPlanLines.
void AddDetailedFlag(CLI::App* cmd, bool& detailed);

}  // namespace licmove
