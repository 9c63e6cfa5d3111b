// licmove: moves service licenses between cameras of a Remote Portal account,
// driven by YAML plan files. See README.md.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "command_line.h"
#include "exit_codes.h"
#include "stop_signals.h"

int main(int argc, char** argv) {
  // Before any thread: SIGINT/SIGTERM/SIGHUP go to one thread, SIGPIPE to
  // nobody (stop_signals.h).
  licmove::InstallStopSignals();
  int exit_code = licmove::kExitOk;
  CLI::App app{"licmove: batch migration of service licenses between cameras of a Remote Portal",
               "licmove"};
  app.set_version_flag("--version", "licmove " LICMOVE_VERSION);
  app.require_subcommand(1);

  licmove::AddValidateCommand(app, exit_code);
  licmove::AddPlanCommand(app, exit_code);
  licmove::AddApplyCommand(app, exit_code);
  licmove::AddResumeCommand(app, exit_code);
  licmove::AddRollbackCommand(app, exit_code);
  licmove::AddRunsCommands(app, exit_code);
  licmove::AddStateCommands(app, exit_code);
  licmove::AddShowCommand(app, exit_code);
  licmove::AddSnapshotCommand(app, exit_code);
  licmove::AddAuditCommand(app, exit_code);
  licmove::AddHelpAndVersionCommands(app, exit_code);
  // After the subcommands, which would otherwise inherit it.
  app.footer(
      "Start with: licmove validate PLAN FLEET, then licmove plan PLAN --snapshot FLEET.\n"
      "`licmove help COMMAND` shows a command's options, defaults, examples and exit codes;\n"
      "every exit code is in README.md, \"Exit codes\".");

  // Unknown words first, with a "did you mean", instead of CLI11's "not
  // expected" (which lists the flag's value too).
  const licmove::CommandLine line = licmove::CheckCommandLine(app, argc, argv);
  if (!line.error.empty()) {
    std::cerr << line.error << "\n";
    return licmove::kExitUsage;
  }
  if (line.subcommand_missing) {
    const CLI::App& cmd = line.commands.empty() ? app : *line.commands.back();
    std::cerr << licmove::HelpText(cmd, line.prefix) << "\n"
              << line.prefix << ": a command is required (listed above)\n";
    return licmove::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << line.prefix << ": " << e.what() << " (see: licmove help" << line.prefix.substr(7)
              << ")\n";
    return licmove::kExitUsage;
  } catch (const std::exception& e) {
    // Modules return errors as values; reaching here is a bug, but an
    // operator still gets a message and a documented code, not an abort.
    std::cerr << "licmove: internal error: " << e.what() << "\n";
    return licmove::kExitError;
  }
  return exit_code;
}
