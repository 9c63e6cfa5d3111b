#include "command_line.h"

#include <algorithm>
#include <cctype>
#include <iostream>

#include "exit_codes.h"
#include "files/edit_distance.h"
#include "planner/planner.h"

namespace licmove {
namespace {

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : Subcommands(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : Subcommands(app)) names.push_back(sub->get_name());
  return names;
}

bool HasPositionals(const CLI::App& app) {
  return !app.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

// Long flag names without "--" (`long_names`), or short ones without "-".
std::vector<std::string> FlagNames(const CLI::App& app, bool long_names) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    const std::vector<std::string>& n = long_names ? o->get_lnames() : o->get_snames();
    names.insert(names.end(), n.begin(), n.end());
  }
  return names;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& n : names) {
    if (n == name) return true;
  }
  return false;
}

std::string UnknownCommand(const std::string& prefix, const std::string& typed,
                           const CLI::App& parent) {
  std::string line = prefix + ": unknown command \"" + typed + "\"";
  const std::string nearest = NearestWord(typed, SubcommandNames(parent));
  if (!nearest.empty()) return line + "; did you mean \"" + nearest + "\"?";
  return line + "; the commands are listed by: " + prefix + " help";
}

std::string UnknownFlag(const std::string& prefix, const std::string& dashes,
                        const std::string& typed, const CLI::App& app) {
  std::string line = prefix + ": unknown flag " + dashes + typed;
  // A long flag typed with one dash or a short one with two is still
  // recognised in the suggestion.
  std::vector<std::string> candidates;
  for (const std::string& n : FlagNames(app, true)) candidates.push_back("--" + n);
  for (const std::string& n : FlagNames(app, false)) candidates.push_back("-" + n);
  // A one-letter flag is one edit from every other: no guess.
  const bool short_flag = dashes == "-" && typed.size() == 1;
  const std::string nearest = short_flag ? "" : NearestWord(dashes + typed, candidates);
  if (!nearest.empty()) return line + "; did you mean " + nearest + "?";
  return line + "; its flags are listed by: licmove help" + prefix.substr(7);
}

void PrintHelpOf(const CLI::App& app, const std::vector<std::string>& words, int& exit_code) {
  const CLI::App* cmd = &app;
  std::string prefix = "licmove";
  for (const std::string& word : words) {
    const CLI::App* sub = FindSubcommand(*cmd, word);
    if (!sub) {
      std::cerr << UnknownCommand(prefix, word, *cmd) << "\n";
      exit_code = kExitUsage;
      return;
    }
    prefix += " " + word;
    cmd = sub;
  }
  std::cout << HelpText(*cmd, prefix);
  exit_code = kExitOk;
}

}  // namespace

std::string HelpText(const CLI::App& cmd, const std::string& name) {
  // Not App::help(), which shows the subcommand parsed (`help` itself).
  return cmd.get_formatter()->make_help(&cmd, name, CLI::AppFormatMode::Normal);
}

void AddHelpAndVersionCommands(CLI::App& app, int& exit_code) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* help =
      app.add_subcommand("help", "Show the commands, or a command's options: licmove help COMMAND");
  help->add_option("COMMAND", *words, "The command, e.g. plan or state migrate");
  help->callback([&app, words, &exit_code] { PrintHelpOf(app, *words, exit_code); });

  CLI::App* version = app.add_subcommand("version", "Print licmove's version");
  version->callback([&exit_code] {
    std::cout << "licmove " LICMOVE_VERSION "\n";
    exit_code = kExitOk;
  });
}

CommandLine CheckCommandLine(const CLI::App& app, int argc, const char* const* argv) {
  CommandLine line;
  line.prefix = "licmove";
  const CLI::App* cmd = &app;
  bool asked_for_help_or_version = false;
  for (int i = 1; i < argc && line.error.empty(); ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;  // only positionals follow
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      const std::string name = arg.substr(2, arg.find('=') - 2);
      if (name == "help" || name == "version") asked_for_help_or_version = true;
      if (!Contains(FlagNames(*cmd, true), name)) {
        line.error = UnknownFlag(line.prefix, "--", name, *cmd);
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1]))) {
      // -q, -qy, -ofile: the first letter is a flag; the rest may be more
      // flags or a value, which CLI11 sorts out.
      const std::string name = arg.substr(1, 1);
      if (name == "h") asked_for_help_or_version = true;
      if (!Contains(FlagNames(*cmd, false), name)) {
        line.error = UnknownFlag(line.prefix, "-", arg.substr(1), *cmd);
      }
      continue;
    }
    // A word: a subcommand of the current command, or one of its
    // positionals (or a flag's value).
    if (Subcommands(*cmd).empty()) continue;
    if (const CLI::App* sub = FindSubcommand(*cmd, arg)) {
      cmd = sub;
      line.commands.push_back(sub);
      line.prefix += " " + arg;
      continue;
    }
    if (!HasPositionals(*cmd)) line.error = UnknownCommand(line.prefix, arg, *cmd);
  }
  line.subcommand_missing = line.error.empty() && !asked_for_help_or_version &&
                            !Subcommands(*cmd).empty() && cmd->get_require_subcommand_min() > 0;
  return line;
}

Result<ParallelismSetting> ParseParallelism(const std::string& text) {
  ParallelismSetting setting;
  if (text == "auto") {
    setting.adaptive = true;
    return setting;
  }
  const bool digits =
      !text.empty() && text.size() <= 3 &&
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!digits || std::stoi(text) < 1 || std::stoi(text) > 256) {
    return Status::InvalidArgument("'" + text + "' is not a whole number in [1 - 256] nor auto");
  }
  setting.fixed = std::stoi(text);
  return setting;
}

void AddParallelismFlag(CLI::App* cmd, int& shaped_for, bool& adaptive) {
  cmd->add_option_function<std::string>(
         "--parallelism",
         [&shaped_for, &adaptive](const std::string& text) {
           Result<ParallelismSetting> p = ParseParallelism(text);  // checked below
           adaptive = p.ok() && p->adaptive;
           shaped_for = !p.ok()       ? kDefaultParallelism
                        : p->adaptive ? kAutoShapeParallelism
                                      : p->fixed;
         },
         "portal calls in flight at once (plan: the ones apply will have), or auto: start at 4, "
         "grow while answers stay fast, back off on 429 and on slower answers (at most 64). The "
         "graph is ordered to finish first at N, with auto at " +
             std::to_string(kAutoShapeParallelism))
      ->type_name("INT|auto")
      ->check(CLI::Validator(
          [](std::string& text) {
            Result<ParallelismSetting> p = ParseParallelism(text);
            return p.ok() ? std::string() : p.status().message();
          },
          "in [1 - 256] or auto"))
      ->default_str(std::to_string(kDefaultParallelism));
}

void AddDetailedFlag(CLI::App* cmd, bool& detailed) {
  cmd->add_flag("--detailed", detailed,
                "text: every camera, parked key and step of the plan; without it a big plan "
                "shows the first few hundred lines and its summary (JSON is always whole)");
}

}  // namespace licmove
