// licmove runs / licmove status RUN: what the journals in the state backend
// say, without touching the portal. Text for people (the default), or one
// JSON document on stdout for CI (`--format json`; run_view.h).
#include <iostream>
#include <map>
#include <optional>

#include <boost/json.hpp>

#include "command.h"
#include "executor/op_call.h"
#include "exit_codes.h"
#include "planner/render.h"
#include "run_view.h"
#include "state_access.h"

namespace licmove {

namespace {

struct RunsOptions {
  StateFlags state;
  std::string format = "text";
  std::string account;  // empty: every account's runs
};

struct StatusOptions {
  StateFlags state;
  std::string run_id;
  std::string format = "text";
};

// The lock of each account, read once for all of its runs (to tell a run
// at work from an unfinished one).
class LockCache {
 public:
  explicit LockCache(StateBackend& state) : state_(state) {}
  void Mark(RunView& v) {
    if (v.journal.end) return;
    auto [at, fresh] = locks_.try_emplace(v.journal.header.account);
    if (fresh) {
      auto lock = state_.ReadLock(v.journal.header.account);
      // Unreadable: the run is not known to be at work.
      if (lock.ok()) at->second = std::move(lock.value());
    }
    MarkRunning(v, at->second);
  }

 private:
  StateBackend& state_;
  std::map<std::string, StateBackend::LockView> locks_;
};

int ListRuns(const RunsOptions& options) {
  auto state = OpenState(options.state);
  auto infos = state.ok() ? (*state)->ListRuns() : Result<std::vector<RunInfo>>(state.status());
  if (!infos.ok()) {
    std::cerr << "licmove: " << infos.status().message() << "\n";
    return kExitError;
  }
  const bool json = options.format == "json";
  LockCache locks(**state);
  boost::json::array runs;
  std::size_t listed = 0;
  for (const RunInfo& info : *infos) {
    // A run whose journal cannot be read has no account in the index (as
    // far as anyone knows): it is listed whatever --account says.
    if (!options.account.empty() && !info.account.empty() && info.account != options.account) {
      continue;
    }
    ++listed;
    auto v = LoadRunView(**state, info.run_id);
    if (!v.ok()) {
      if (json) {
        runs.push_back(boost::json::object{
            {"run_id", info.run_id}, {"result", "unreadable"}, {"error", v.status().message()}});
      } else {
        std::cout << info.run_id << "  unreadable: " << v.status().message() << "\n";
      }
      continue;
    }
    MarkRolledBack(*v, FindRollbacksOf(*infos, info.run_id));
    if (json) {
      locks.Mark(*v);
      runs.push_back(RunToJson(*v));
      continue;
    }
    std::cout << info.run_id << "  " << v->journal.header.kind << "  " << v->journal.header.account
              << "  " << v->done << "/" << v->ops.size() << " ops  " << TextState(*v) << "\n";
  }
  if (json) {
    std::cout << boost::json::serialize(boost::json::object{{"format", "licmove-runs"},
                                                            {"format_version", kRunsFormatVersion},
                                                            {"state", (*state)->Description()},
                                                            {"runs", std::move(runs)}})
              << "\n";
  } else if (listed == 0) {
    std::cout << "no runs" << (options.account.empty() ? "" : " of account " + options.account)
              << " in " << (*state)->Description() << "\n";
  }
  return kExitOk;
}

int ShowStatus(const StatusOptions& options) {
  auto state = OpenState(options.state);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  auto found = (*state)->FindRun(options.run_id);
  if (!found.ok()) {
    std::cerr << "licmove: " << found.status().message() << "\n";
    return kExitError;
  }
  if (!found->has_value()) {
    std::cerr << "licmove: no such run " << options.run_id << "; list runs with: licmove runs"
              << StateHint(options.state) << "\n";
    return kExitError;
  }
  auto v = LoadRunView(**state, options.run_id);
  if (!v.ok()) {
    std::cerr << "licmove: " << v.status().message() << "\n";
    return kExitError;
  }
  auto rollbacks = FindRollbacksOf(**state, options.run_id);
  if (rollbacks.ok()) MarkRolledBack(*v, *rollbacks);
  const RunHeader& h = v->journal.header;
  if (options.format == "json") {
    LockCache(**state).Mark(*v);
    boost::json::object doc{{"format", "licmove-status"},
                            {"format_version", kStatusFormatVersion},
                            {"state", (*state)->Description()}};
    for (auto& field : RunToJson(*v)) doc.emplace(field.key(), std::move(field.value()));
    doc["ops"] = OpsToJson(*v);
    std::cout << boost::json::serialize(doc) << "\n";
    return kExitOk;
  }
  std::cout << "run " << h.run_id << " (" << h.kind << ") on account " << h.account << " at "
            << h.portal << "\nstarted " << FormatTimestamp(h.started_at) << " by pid " << h.pid
            << " on " << h.host << "\nstate: " << TextState(*v) << "\n"
            << v->done << "/" << v->ops.size() << " ops done, " << v->failed << " failed, "
            << v->unknown << " of unknown outcome\n";
  for (std::size_t i = 0; i < v->ops.size(); ++i) {
    // Keys whole, as in the journal and the JSON status (docs/EXECUTOR.md).
    std::cout << "  " << i << "  " << DescribeOp(v->ops[i]) << ": " << TextOpState(v->op_views[i])
              << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddRunsCommands(CLI::App& app, int& exit_code) {
  auto runs_options = std::make_shared<RunsOptions>();
  CLI::App* runs = app.add_subcommand("runs", "list the runs in the state backend");
  AddStateFlags(runs, runs_options->state, /*lease=*/false);
  runs->add_option("--format", runs_options->format, "text (default) or json (one document)")
      ->check(CLI::IsMember({"text", "json"}));
  runs->add_option("--account", runs_options->account, "only the runs of this account");
  runs->footer(
      "Examples:\n"
      "  licmove runs --state /tmp/lm\n"
      "  licmove runs --format json --account acme\n"
      "Exit codes: 0 listed, 1 the state cannot be read, 64 bad command line.");
  runs->callback([runs_options, &exit_code] { exit_code = ListRuns(*runs_options); });

  auto status_options = std::make_shared<StatusOptions>();
  CLI::App* status = app.add_subcommand("status", "what a run did, op by op, from its journal");
  status->add_option("RUN", status_options->run_id, "run id (see `licmove runs`)")->required();
  AddStateFlags(status, status_options->state, /*lease=*/false);
  status->add_option("--format", status_options->format, "text (default) or json (one document)")
      ->check(CLI::IsMember({"text", "json"}));
  status->footer(
      "Example: licmove status RUN --state /tmp/lm   (RUN: an id from licmove runs)\n"
      "Exit codes: 0 shown, 1 no such run or an unreadable journal, 64 bad command line.");
  status->callback([status_options, &exit_code] { exit_code = ShowStatus(*status_options); });
}

}  // namespace licmove
