// licmove runs / licmove status RUN: what the journals in the state backend
// say, without touching the portal.
#include <iostream>
#include <map>

#include <boost/json.hpp>

#include "command.h"
#include "executor/op_call.h"
#include "exit_codes.h"
#include "journal/journal.h"
#include "planner/saved_plan.h"
#include "state_access.h"

namespace licmove {

namespace {

struct RunView {
  JournalContents journal;
  int total = 0;
  int done = 0;
  int failed = 0;
  int unknown = 0;  // intent without an outcome, or outcome unknown
  std::string state;
  std::string rolled_back_by;          // the rollback run that undoes (or undid) this one
  std::vector<std::string> op_states;  // by op id
  std::vector<std::string> op_text;
};

Result<RunView> Load(StateBackend& state, const std::string& run_id) {
  auto journal = state.ReadJournal(run_id);
  if (!journal.ok()) return journal.status();
  RunView v;
  v.journal = std::move(journal.value());
  auto saved = LoadSavedPlan(v.journal.header.plan_json, state.JournalLocation(run_id));
  if (!saved.ok()) return saved.status();
  v.total = saved->graph.size();
  v.op_states.assign(v.total, "not started");
  for (const Op& op : saved->graph.ops()) v.op_text.push_back(DescribeOpForLog(op));
  for (const OpIntent& i : v.journal.intents) {
    if (i.op >= 0 && i.op < v.total) v.op_states[i.op] = "sent, outcome unknown";
  }
  for (const OpOutcome& o : v.journal.outcomes) {
    if (o.op < 0 || o.op >= v.total) continue;
    v.op_states[o.op] = o.result == OpOutcome::Result::kDone     ? "done"
                        : o.result == OpOutcome::Result::kFailed ? "failed: " + o.message
                                                                 : "unknown: " + o.message;
  }
  for (const std::string& s : v.op_states) {
    if (s == "done") {
      ++v.done;
    } else if (s.rfind("failed", 0) == 0) {
      ++v.failed;
    } else if (s != "not started") {
      ++v.unknown;
    }
  }
  if (!v.journal.end) {
    v.state = "in progress, or stopped without a word (crash): resume it";
  } else {
    switch (v.journal.end->result) {
      case RunEnd::Result::kCompleted:
        v.state = "completed";
        break;
      case RunEnd::Result::kInterrupted:
        v.state = "interrupted";
        break;
      case RunEnd::Result::kStopped:
        v.state = "stopped: verification failed";
        break;
      case RunEnd::Result::kFailed:
        v.state = "failed";
        break;
    }
  }
  return v;
}

// A run that was rolled back says so, by the rollback's id, instead of what
// its own journal says: resuming it would undo the rollback.
void MarkRolledBack(RunView& v, const std::vector<RollbackRun>& rollbacks) {
  for (const RollbackRun& r : rollbacks) {
    if (!r.completed) {
      v.rolled_back_by = r.run_id;
      v.state = "being rolled back by run " + r.run_id + ", which is unfinished: resume " +
                r.run_id + " (not this run)";
      return;
    }
  }
  if (!rollbacks.empty()) {
    v.rolled_back_by = rollbacks.back().run_id;
    v.state = "rolled back by run " + v.rolled_back_by;
  }
}

}  // namespace

void AddRunsCommands(CLI::App& app, int& exit_code) {
  auto runs_state = std::make_shared<StateFlags>();
  CLI::App* runs = app.add_subcommand("runs", "list the runs in the state backend");
  AddStateFlags(runs, *runs_state, /*lease=*/false);
  runs->callback([runs_state, &exit_code] {
    auto state = OpenState(*runs_state);
    auto infos = state.ok() ? (*state)->ListRuns() : Result<std::vector<RunInfo>>(state.status());
    if (!infos.ok()) {
      std::cerr << "licmove: " << infos.status().message() << "\n";
      exit_code = kExitError;
      return;
    }
    if (infos->empty()) std::cout << "no runs in " << (*state)->Description() << "\n";
    for (const RunInfo& info : *infos) {
      auto v = Load(**state, info.run_id);
      if (!v.ok()) {
        std::cout << info.run_id << "  unreadable: " << v.status().message() << "\n";
        continue;
      }
      MarkRolledBack(*v, FindRollbacksOf(*infos, info.run_id));
      std::cout << info.run_id << "  " << v->journal.header.kind << "  "
                << v->journal.header.account << "  " << v->done << "/" << v->total << " ops  "
                << v->state << "\n";
    }
  });

  auto status_state = std::make_shared<StateFlags>();
  auto run_id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* status = app.add_subcommand("status", "what a run did, op by op, from its journal");
  status->add_option("RUN", *run_id, "run id (see `licmove runs`)")->required();
  AddStateFlags(status, *status_state, /*lease=*/false);
  status->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  status->callback([=, &exit_code] {
    auto state = OpenState(*status_state);
    if (!state.ok()) {
      std::cerr << "licmove: " << state.status().message() << "\n";
      exit_code = kExitError;
      return;
    }
    auto v = Load(**state, *run_id);
    if (!v.ok()) {
      std::cerr << "licmove: " << v.status().message() << "\n";
      exit_code = kExitError;
      return;
    }
    auto rollbacks = FindRollbacksOf(**state, *run_id);
    if (rollbacks.ok()) MarkRolledBack(*v, *rollbacks);
    const RunHeader& h = v->journal.header;
    if (*format == "json") {
      boost::json::array ops;
      for (int i = 0; i < v->total; ++i) {
        ops.push_back(
            boost::json::object{{"id", i}, {"what", v->op_text[i]}, {"state", v->op_states[i]}});
      }
      std::cout << boost::json::serialize(
                       boost::json::object{{"run", h.run_id},
                                           {"kind", h.kind},
                                           {"parent_run", h.parent_run},
                                           {"account", h.account},
                                           {"portal", h.portal},
                                           {"started_at", FormatTimestamp(h.started_at)},
                                           {"state", v->state},
                                           {"rolled_back_by", v->rolled_back_by},
                                           {"total", v->total},
                                           {"done", v->done},
                                           {"failed", v->failed},
                                           {"unknown", v->unknown},
                                           {"ops", ops}})
                << "\n";
      return;
    }
    std::cout << "run " << h.run_id << " (" << h.kind << ") on account " << h.account << " at "
              << h.portal << "\nstarted " << FormatTimestamp(h.started_at) << " by pid " << h.pid
              << " on " << h.host << "\nstate: " << v->state << "\n"
              << v->done << "/" << v->total << " ops done, " << v->failed << " failed, "
              << v->unknown << " of unknown outcome\n";
    for (int i = 0; i < v->total; ++i) {
      std::cout << "  " << i << "  " << v->op_text[i] << ": " << v->op_states[i] << "\n";
    }
  });
}

}  // namespace licmove
