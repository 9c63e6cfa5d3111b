// What `licmove runs` and `licmove status` say of a run: its journal read
// against the plan it holds, op by op, how the run ended (or that it has
// not), and whether a rollback undoes it. Text for people, JSON for CI
// (docs/EXECUTOR.md, "Reading runs": the formats and their version policy).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "journal/journal.h"
#include "planner/op_graph.h"
#include "state/state_backend.h"

namespace licmove {

// The JSON documents' format_version: fields are only added within it.
inline constexpr int kRunsFormatVersion = 1;    // "licmove-runs"
inline constexpr int kStatusFormatVersion = 1;  // "licmove-status"

// One op of a run, as its journal has it.
struct OpView {
  // "not_started" (no intent), "sent" (an intent, no outcome), or the
  // outcome's result: "done", "failed", "unknown".
  std::string state = "not_started";
  std::string message;      // failed, unknown: why
  std::string license_key;  // activate: the key the portal assigned
  std::string camera_id;    // add_camera: the camera's new portal id
};

struct RunView {
  JournalContents journal;
  std::vector<Op> ops;  // the plan's, by id
  std::vector<OpView> op_views;
  int done = 0;
  int failed = 0;
  int unknown = 0;  // an intent without an outcome, or an outcome "unknown"
  // The journal has no end and the account's lock names the run, live:
  // the run is at work now (otherwise, without an end, it is unfinished).
  bool running = false;
  std::string rolled_back_by;  // the rollback run that undoes (or undid) this one
  bool rollback_unfinished = false;
};

// Reads run `run_id`'s journal and the plan in it.
Result<RunView> LoadRunView(StateBackend& state, const std::string& run_id);

// Notes the rollbacks of the run (FindRollbacksOf): an unfinished one
// first, else the last.
void MarkRolledBack(RunView& view, const std::vector<RollbackRun>& rollbacks);

// Where a run left the account, from its ops and what came of each: cameras
// it removed and has not added back, keys it parked and has not unparked
// (the journal is their only copy). What the Ctrl-C summary, `audit` and
// the reports say of an unfinished run.
struct LeftOutside {
  std::vector<std::string> removed;       // serials
  std::vector<std::string> parked;        // keys
  std::vector<std::string> maybe_parked;  // a park sent whose outcome is unknown
  std::vector<std::string> unknown;       // ops sent whose outcome is unknown (DescribeOp)
};
enum class OpFate { kNotDone, kDone, kUnknown };
LeftOutside WhatRunLeft(const std::vector<Op>& ops, const std::function<OpFate(const Op&)>& fate);
// The same from a run's journal: "sent" and "unknown" ops are of unknown fate.
LeftOutside WhatRunLeft(const RunView& view);

// Sets `running` from the account's lock as `lock` shows it.
void MarkRunning(RunView& view, const StateBackend::LockView& lock);

// "completed", "stopped", "failed", "interrupted", "running" or "unfinished".
std::string ResultName(const RunView& view);

// The text listing's words for the run's state ("rolled back by run R2").
std::string TextState(const RunView& view);
// The text of one op's state ("failed: 404 ...").
std::string TextOpState(const OpView& op);

// The run's fields in both JSON documents, and the ops of `status`.
boost::json::object RunToJson(const RunView& view);
boost::json::array OpsToJson(const RunView& view);

}  // namespace licmove
