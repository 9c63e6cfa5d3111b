#include "report/outcome_counts.h"

namespace licmove {

OutcomeCounts CountOutcomes(const RunReport& report) {
  OutcomeCounts c;
  for (const IntentOutcome& i : report.intents) {
    switch (i.result) {
      case IntentOutcome::Result::kDone:
        ++c.done;
        break;
      case IntentOutcome::Result::kAlreadyDone:
        ++c.already_done;
        break;
      case IntentOutcome::Result::kFailed:
        ++c.failed;
        break;
      case IntentOutcome::Result::kNotRun:
        ++c.not_run;
        break;
    }
  }
  return c;
}

std::string_view KindName(IntentOutcome::Kind kind) {
  switch (kind) {
    case IntentOutcome::Kind::kMove:
      return "move";
    case IntentOutcome::Kind::kAssign:
      return "assign";
    case IntentOutcome::Kind::kRestore:
      return "restore";
  }
  return "intent";
}

std::string_view ResultName(IntentOutcome::Result result) {
  switch (result) {
    case IntentOutcome::Result::kDone:
      return "done";
    case IntentOutcome::Result::kAlreadyDone:
      return "already done";
    case IntentOutcome::Result::kFailed:
      return "failed";
    case IntentOutcome::Result::kNotRun:
      return "not run";
  }
  return "unknown";
}

std::string DescribeIntent(const IntentOutcome& i) {
  switch (i.kind) {
    case IntentOutcome::Kind::kMove:
      return "move " + i.from + " -> " + i.camera + " " + i.service;
    case IntentOutcome::Kind::kAssign:
      return "assign " + i.service + " to " + i.camera;
    case IntentOutcome::Kind::kRestore:
      return "restore " + i.service + " on " + i.camera;
  }
  return i.service + " on " + i.camera;
}

bool RunFailed(const RunReport& report) {
  if (report.result != "completed" && report.result != "no_changes") return true;
  if (!report.reconciliation.empty()) return true;
  return CountOutcomes(report).failed > 0;
}

bool RunLevelFailure(const RunReport& report) {
  if (!report.reconciliation.empty()) return true;
  return RunFailed(report) && CountOutcomes(report).failed == 0;
}

}  // namespace licmove
