// What a run came to, intent by intent: the data behind the reports a CI
// system reads (apply --report-junit, --report-markdown). Built by the run
// driver from the plan and the executor's results; rendered by
// junit_report.h and markdown_report.h. Plain data, no I/O.
#pragma once

#include <string>
#include <vector>

namespace licmove {

// One intent of the plan as the run left it: a move, one camera of an
// assign, or one service given back to a re-added camera (a restoration).
struct IntentOutcome {
  enum class Kind { kMove, kAssign, kRestore };
  enum class Result {
    kDone,         // the activation landed (the key is `key`)
    kAlreadyDone,  // nothing to do: a key-guarded move found already in place
    kFailed,       // the activation failed: `message` says why
    kNotRun,       // never started (the run stopped first): `message` says why
  };
  Kind kind = Kind::kMove;
  std::string camera;  // the destination (serial)
  std::string from;    // moves: the source camera; empty otherwise
  std::string service;
  std::string key;    // the key that landed, else the key the plan expected
  std::string where;  // "plans/move.yaml:12:5"; empty for restorations
  Result result = Result::kDone;
  std::string message;  // empty when done
  double seconds = 0;   // time the activation took; 0 when not run
};

struct RunReport {
  std::string run_id;          // empty when no run was started (no changes)
  std::string kind = "apply";  // "apply" | "rollback"
  std::string account;
  std::string plan_file;
  std::string plan_identity;  // "sha256:..." (plan_identity.h)
  std::string portal;         // the portal's description (no token)
  // "completed" | "no_changes" | "stopped" | "failed" | "interrupted"
  std::string result = "completed";
  std::string message;  // why it is not completed, or "applied by run R at T"
  int calls_total = 0;
  int calls_done = 0;
  int requests_sent = 0;
  int retries = 0;
  int parallelism = 0;
  int critical_path = 0;
  double wall_seconds = 0;
  std::string started_at;                   // RFC 3339, UTC
  std::vector<std::string> reconciliation;  // differences found at the end; empty: matches
  std::vector<std::string> next_steps;      // commands to run next (resume, rollback)
  // A rollback: what it cannot give back (restore.h RollbackCannotUndo).
  std::vector<std::string> cannot_undo;
  std::vector<IntentOutcome> intents;  // in plan order, restorations last
};

}  // namespace licmove
