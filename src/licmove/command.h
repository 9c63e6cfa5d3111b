// Each `licmove` subcommand lives in its own cmd_*.cc and registers itself
// with the CLI11 app through one function declared here. A subcommand's
// callback stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace licmove {

void AddValidateCommand(CLI::App& app, int& exit_code);
void AddPlanCommand(CLI::App& app, int& exit_code);
void AddApplyCommand(CLI::App& app, int& exit_code);
void AddResumeCommand(CLI::App& app, int& exit_code);
void AddRollbackCommand(CLI::App& app, int& exit_code);
void AddRunsCommands(CLI::App& app, int& exit_code);   // runs, status
void AddStateCommands(CLI::App& app, int& exit_code);  // unlock, state migrate
void AddShowCommand(CLI::App& app, int& exit_code);
void AddSnapshotCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);

}  // namespace licmove
