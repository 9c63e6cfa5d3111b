// `licmove validate FILE...`: checks plan and fleet files without a portal.
// A plan given with fleet files is also planned against the first fleet that
// has its account (as `licmove plan --snapshot`): a camera, key or account
// the fleet lacks is a problem of the plan, at its line.
//
// Text output: each problem on stderr as "file:line:col: message", then one
// summary line a file on stdout ("plans/move.yaml: ok (plan, 3 moves, 1
// assign)"). --quiet prints only the problems. --format json prints one JSON
// document on stdout and nothing on stderr, for CI (docs/FILES.md; fields
// are only added within a format_version):
//   {"format":"licmove-validate","format_version":1,
//    "files":[{"file":..,"kind":"plan|fleet|unknown","valid":bool,
//              "diagnostics":[{"line":..,"column":..,"message":..}]}]}
// Exit code: 0 when every file is valid, kExitInvalidInput otherwise.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "command.h"
#include "exit_codes.h"
#include "files/validate.h"
#include "planner/already_done.h"
#include "planner/planner.h"

namespace licmove {
namespace {

constexpr int kValidateFormatVersion = 1;  // of --format json

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool quiet = false;
};

std::string Count(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "ok (plan, 3 moves, 1 assign)", "invalid (fleet, 2 errors)".
std::string Summary(const FileCheck& check) {
  std::string kind(FileKindName(check.kind));
  if (!check.valid()) {
    if (check.kind == FileKind::kUnknown) kind = "unknown kind";
    return "invalid (" + kind + ", " + Count(check.diagnostics.size(), "error", "errors") + ")";
  }
  if (check.plan) {
    return "ok (plan, " + Count(check.plan->moves.size(), "move", "moves") + ", " +
           Count(check.plan->assigns.size(), "assign", "assigns") + ")";
  }
  std::size_t cameras = 0, licenses = 0;
  for (const Account& a : check.fleet->accounts) {
    cameras += a.cameras.size();
    licenses += a.licenses.size();
  }
  return "ok (fleet, " + Count(check.fleet->accounts.size(), "account", "accounts") + ", " +
         Count(cameras, "camera", "cameras") + ", " + Count(licenses, "license", "licenses") +
         ", " + Count(check.fleet->users.size(), "user", "users") + ", " +
         Count(check.fleet->registry.size(), "key", "keys") + " in registry)";
}

boost::json::object ToJson(const std::string& file, const FileCheck& check) {
  boost::json::array diagnostics;
  for (const Diagnostic& d : check.diagnostics) {
    diagnostics.push_back({{"line", d.line}, {"column", d.column}, {"message", d.message}});
  }
  return {{"file", file},
          {"kind", FileKindName(check.kind)},
          {"valid", check.valid()},
          {"diagnostics", std::move(diagnostics)}};
}

// The lines of a planner error ("file:line:col: message" or "file: message")
// as diagnostics of `file`.
Diagnostics PlannerDiagnostics(const std::string& file, const std::string& message) {
  Diagnostics out;
  std::size_t start = 0;
  while (start <= message.size()) {
    std::size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    Diagnostic d{file, 0, 0, line};
    if (line.compare(0, file.size() + 1, file + ":") == 0) {
      const std::string rest = line.substr(file.size() + 1);
      int l = 0, c = 0, used = 0;
      if (std::sscanf(rest.c_str(), "%d:%d: %n", &l, &c, &used) == 2 && used > 0) {
        d = {file, l, c, rest.substr(used)};
      } else if (rest.compare(0, 1, " ") == 0) {
        d.message = rest.substr(1);
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

// A valid plan given with valid fleet files is planned, as `licmove plan
// --snapshot` plans it, against the first of them that has its account:
// every camera, key and license it names must be there. Returns the problems
// (none when no fleet was given) and sets `fits` to the fleet used.
Diagnostics CheckAgainstFleets(const Plan& plan,
                               const std::vector<std::pair<std::string, const Fleet*>>& fleets,
                               std::string& fits) {
  if (fleets.empty()) return {};
  for (const auto& [fleet_file, fleet] : fleets) {
    const Account* account = fleet->FindAccount(plan.account);
    if (!account) continue;
    const AccountSnapshot snapshot{*account, fleet->now};
    const PlanRemainder remainder = SplitAlreadyDoneMoves(plan, snapshot.account);
    auto planned = BuildPlan(remainder.plan, snapshot, PlannerOptions{});
    if (planned.ok()) {
      fits = fleet_file;
      return {};
    }
    return PlannerDiagnostics(plan.file, planned.status().message());
  }
  std::string names;
  for (const auto& f : fleets) names += (names.empty() ? "" : ", ") + f.first;
  return {{plan.file, plan.account_where.line, plan.account_where.column,
           "account " + plan.account + " is not in " + names}};
}

int RunValidate(const ValidateOptions& options) {
  std::vector<FileCheck> checks;
  std::vector<std::pair<std::string, const Fleet*>> fleets;
  for (const std::string& file : options.files) checks.push_back(CheckFile(file));
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].fleet) fleets.emplace_back(options.files[i], &*checks[i].fleet);
  }
  std::vector<std::string> fits(checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (!checks[i].plan) continue;
    Diagnostics problems = CheckAgainstFleets(*checks[i].plan, fleets, fits[i]);
    if (problems.empty()) continue;
    checks[i].diagnostics = std::move(problems);
    checks[i].plan.reset();
  }

  bool all_valid = true;
  boost::json::array files;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const std::string& file = options.files[i];
    const FileCheck& check = checks[i];
    all_valid = all_valid && check.valid();
    if (options.format == "json") {
      files.push_back(ToJson(file, check));
      continue;
    }
    for (const Diagnostic& d : check.diagnostics) std::cerr << d.ToString() << "\n";
    // Flushed a file at a time so that on a terminal each summary follows
    // its file's problems.
    if (!options.quiet) {
      std::string summary = Summary(check);
      if (!fits[i].empty()) summary.insert(summary.size() - 1, "; fits " + fits[i]);
      std::cout << file << ": " << summary << std::endl;
    }
  }
  if (options.format == "json") {
    std::cout << boost::json::serialize(
                     boost::json::object{{"format", "licmove-validate"},
                                         {"format_version", kValidateFormatVersion},
                                         {"files", std::move(files)}})
              << "\n";
  }
  std::cout.flush();
  return all_valid ? kExitOk : kExitInvalidInput;
}

}  // namespace

void AddValidateCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check plan and fleet files (YAML, schema and rules); no portal is contacted");
  cmd->add_option("FILE", options->files,
                  "Plan or fleet files; the kind is told by content. Plans given with a fleet "
                  "are also checked against it")
      ->required();
  cmd->add_option("--format", options->format, "text (default) or json (one document on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet", options->quiet, "Text format: print only the problems");
  cmd->footer(
      "Examples:\n"
      "  licmove validate plans/move.yaml examples/fleets/small.yaml\n"
      "  licmove validate --format json plans/*.yaml\n"
      "Exit codes: 0 every file is valid, 3 a file is missing, unreadable or invalid, 64 bad\n"
      "command line.");
  cmd->callback([options, &exit_code] { exit_code = RunValidate(*options); });
}

}  // namespace licmove
