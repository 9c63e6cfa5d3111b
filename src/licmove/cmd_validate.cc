// `licmove validate FILE...`: checks plan and fleet files without a portal.
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
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "command.h"
#include "exit_codes.h"
#include "files/validate.h"

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

int RunValidate(const ValidateOptions& options) {
  bool all_valid = true;
  boost::json::array files;
  for (const std::string& file : options.files) {
    const FileCheck check = CheckFile(file);
    all_valid = all_valid && check.valid();
    if (options.format == "json") {
      files.push_back(ToJson(file, check));
      continue;
    }
    for (const Diagnostic& d : check.diagnostics) std::cerr << d.ToString() << "\n";
    // Flushed a file at a time so that on a terminal each summary follows
    // its file's problems.
    if (!options.quiet) std::cout << file << ": " << Summary(check) << std::endl;
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
  cmd->add_option("FILE", options->files, "Plan or fleet files; the kind is told by content")
      ->required();
  cmd->add_option("--format", options->format, "text (default) or json (one document on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet", options->quiet, "Text format: print only the problems");
  cmd->footer("Exit codes: 0 every file is valid, 3 a file is invalid or unreadable, 64 usage.");
  cmd->callback([options, &exit_code] { exit_code = RunValidate(*options); });
}

}  // namespace licmove
