// One run of the executor, as apply, resume and rollback share it: the
// account lock, the journal, SIGINT/SIGTERM, the progress output, the final
// reconciliation and the per-change report.
#pragma once

#include <string>
#include <vector>

#include "executor/executor.h"
#include "model/account.h"
#include "planner/planner.h"
#include "planner/saved_plan.h"
#include "portal/http_client.h"

namespace licmove {

struct RunOptions {
  std::string state_dir = ".licmove";
  int parallelism = kDefaultParallelism;  // planner.h: what plans are shaped for
  double rate = 0;
  bool json_log = false;
  std::string portal_description;          // journaled: where the run went
  std::string command_prefix = "licmove";  // for the resume / rollback hints
  std::string portal_flags;                // "--portal URL" for those hints
};

// What a run executes: the saved-plan JSON (graph + binding) is what the
// journal keeps, so a resume in another process runs exactly this.
struct RunInput {
  SavedPlan plan;
  std::string saved_json;
  std::string kind = "apply";  // "apply" | "rollback"
  std::string parent_run;      // rollback: the run it undoes
};

// Starts a new run. `current` is the account as just read (for camera ids).
// Returns the process exit code; prints the report.
int StartRun(const RunInput& input, const RunOptions& options, const HttpClientOptions& http,
             const AccountSnapshot& current);

// Continues run `run_id` from its journal: decides ops of unknown outcome
// from the portal, then runs the rest.
int ContinueRun(const std::string& run_id, const RunOptions& options,
                const HttpClientOptions& http);

}  // namespace licmove
