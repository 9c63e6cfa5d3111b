// licmove: moves service licenses between cameras of a Remote Portal account,
// driven by YAML plan files. See README.md.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "exit_codes.h"
#include "stop_signals.h"

int main(int argc, char** argv) {
  // Before any thread: SIGINT/SIGTERM/SIGHUP go to one thread, SIGPIPE to
  // nobody (stop_signals.h).
  licmove::InstallStopSignals();
  int exit_code = licmove::kExitOk;
  CLI::App app{"licmove: batch migration of service licenses between cameras of a Remote Portal"};
  app.set_version_flag("--version", "licmove " LICMOVE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 error, 2 changes (plan --detailed-exitcode), 3 invalid input,\n"
      "4 verification failed or the account changed under the run, 5 account locked,\n"
      "6 refused (not confirmed, stale saved plan, a rolled-back run),\n"
      "64 usage, 130 interrupted (SIGINT, SIGTERM, SIGHUP). Run `licmove COMMAND --help` for a "
      "command's options.");

  licmove::AddValidateCommand(app, exit_code);
  licmove::AddPlanCommand(app, exit_code);
  licmove::AddApplyCommand(app, exit_code);
  licmove::AddResumeCommand(app, exit_code);
  licmove::AddRollbackCommand(app, exit_code);
  licmove::AddRunsCommands(app, exit_code);
  licmove::AddStateCommands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return licmove::kExitUsage;
  } catch (const std::exception& e) {
    // Modules return errors as values; reaching here is a bug, but an
    // operator still gets a message and a documented code, not an abort.
    std::cerr << "licmove: internal error: " << e.what() << "\n";
    return licmove::kExitError;
  }
  return exit_code;
}
