// What the JUnit and the Markdown report agree on: how many intents came to
// what, how an intent is named, and whether the run as a whole failed.
#pragma once

#include <string>
#include <string_view>

#include "report/run_report.h"

namespace licmove {

struct OutcomeCounts {
  int done = 0;
  int already_done = 0;
  int failed = 0;
  int not_run = 0;
  int total() const { return done + already_done + failed + not_run; }
};

OutcomeCounts CountOutcomes(const RunReport& report);

// "move", "assign" or "restore".
std::string_view KindName(IntentOutcome::Kind kind);

// "done", "already done", "failed" or "not run".
std::string_view ResultName(IntentOutcome::Result result);

// What the intent asked for, without its place in the plan:
//   "move CAM-0001 -> CAM-0002 alarm-management"
//   "assign alarm-management to CAM-0003"
//   "restore remote-maintenance on CAM-0001"
std::string DescribeIntent(const IntentOutcome& intent);

// The run did not do what the plan asked: an intent failed, the account does
// not match the plan at the end (reconciliation), or the run did not end
// "completed" or "no_changes". A red run fails the CI job's report.
bool RunFailed(const RunReport& report);

// A red run none of whose intents failed, or one whose reconciliation found
// differences: a report must then blame the run itself (JUnit: one extra
// failing test case), or a CI system would show it green.
bool RunLevelFailure(const RunReport& report);

}  // namespace licmove
