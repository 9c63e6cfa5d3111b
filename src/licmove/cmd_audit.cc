// `licmove audit`: what an operator checks before a maintenance window
// (DESIGN §7, docs/AUDIT.md). Read-only: a viewer token is enough, and a
// fleet file (--snapshot) will do. Gathers the inventory, the unfinished
// runs of the account in the state backend and the keys they hold parked
// outside it, the R7 forecast to a horizon, and for --window / --plan what
// changes before the window; engine/audit judges and renders them.
//
// Exit codes (README.md "Exit codes"): 0 nothing due within the horizon, 2
// something needs attention (a lapse, a pool running dry, an unfinished run
// or keys parked out, a plan's keys changed by the window), 3 a file named
// on the command line is missing or invalid or the account is not there, 64
// a bad command line, 1 any other error (portal, state, I/O).
#include <iostream>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "account_source.h"
#include "audit/audit.h"
#include "audit/render.h"
#include "command.h"
#include "exit_codes.h"
#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "forecast/forecast.h"
#include "journal/file_system.h"
#include "planner/already_done.h"
#include "planner/planner.h"
#include "portal_access.h"
#include "run_view.h"
#include "state/ledger.h"
#include "state_access.h"

namespace licmove {
namespace {

struct AuditFlags {
  std::string snapshot;  // a fleet file
  PortalFlags portal;    // or a live portal (a viewer token is enough)
  StateFlags state;
  std::string account;
  std::string horizon = "365d";
  std::string until;
  std::string window;
  std::string plan;
  std::string format = "text";
  std::string out;
};

// "2027-03-01T00:00:00Z", or a day alone ("2027-03-01", its midnight UTC).
std::optional<UnixSeconds> ParseWhen(const std::string& text) {
  if (text.size() == 10) return ParseTimestamp(text + "T00:00:00Z");
  return ParseTimestamp(text);
}

int UsageError(const std::string& message) {
  std::cerr << "licmove audit: " << message << " (see: licmove help audit)\n";
  return kExitUsage;
}

// The unfinished runs of `account` and what each left outside the account.
Result<std::vector<UnfinishedRunAudit>> ReadUnfinishedRuns(StateBackend& state,
                                                           const std::string& account) {
  auto infos = state.ListRuns();
  if (!infos.ok()) return infos.status();
  auto lock = state.ReadLock(account);
  std::vector<UnfinishedRunAudit> out;
  for (const RunInfo& info : UnfinishedRuns(*infos, account)) {
    UnfinishedRunAudit r;
    r.run_id = info.run_id;
    r.kind = info.kind;
    r.started_at = info.started_at;
    r.result = "unfinished";
    auto view = LoadRunView(state, info.run_id);
    if (!view.ok()) {
      r.error = view.status().message();
    } else {
      if (lock.ok()) MarkRunning(*view, *lock);
      r.result = ResultName(*view);
      LeftOutside left = WhatRunLeft(*view);
      r.parked_keys = std::move(left.parked);
      r.maybe_parked_keys = std::move(left.maybe_parked);
      r.removed_cameras = std::move(left.removed);
    }
    out.push_back(std::move(r));
  }
  return out;
}

// The keys `plan` names (guards) and those its activations would place,
// planned against the account now; then which of them the forecast to `by`
// changes.
PlanKeysAudit AuditPlanKeys(const Plan& plan, const AccountSnapshot& snapshot, UnixSeconds by) {
  PlanKeysAudit p;
  p.plan_file = plan.file;
  p.by = std::max(by, snapshot.now);
  for (const MoveIntent& m : plan.moves) {
    if (m.key) p.guard_keys.push_back(*m.key);
  }
  const PlanRemainder remainder = SplitAlreadyDoneMoves(plan, snapshot.account);
  auto planned = BuildPlan(remainder.plan, snapshot);
  if (planned.ok()) {
    std::set<std::string> seen;
    for (const Op& op : planned->graph.ops()) {
      if (op.kind == OpKind::kActivate && !op.expect_key.empty() &&
          seen.insert(op.expect_key).second) {
        p.carried_keys.push_back(op.expect_key);
      }
    }
  } else {
    p.plan_error = planned.status().message();
  }
  auto at_by = ForecastAccount(snapshot, p.by);
  if (!at_by.ok()) {
    p.plan_error += (p.plan_error.empty() ? "" : "; ") + at_by.status().message();
    return p;
  }
  const std::set<std::string> changed(at_by->changed_keys.begin(), at_by->changed_keys.end());
  std::set<std::string> named(p.guard_keys.begin(), p.guard_keys.end());
  named.insert(p.carried_keys.begin(), p.carried_keys.end());
  for (const std::string& k : named) {
    if (changed.count(k)) p.changed_keys.push_back(k);
  }
  return p;
}

int RunAudit(const AuditFlags& f) {
  std::optional<std::int64_t> horizon;
  std::optional<UnixSeconds> until;
  if (!f.until.empty()) {
    until = ParseWhen(f.until);
    if (!until) return UsageError("--until " + f.until + ": not a time (2027-03-01T00:00:00Z)");
  } else {
    horizon = ParseDuration(f.horizon);
    if (!horizon) return UsageError("--horizon " + f.horizon + ": not a duration (365d, 52w, 2y)");
  }
  std::optional<std::pair<UnixSeconds, UnixSeconds>> window;
  if (!f.window.empty()) {
    const std::size_t dots = f.window.find("..");
    std::optional<UnixSeconds> start, end;
    if (dots != std::string::npos) {
      start = ParseWhen(f.window.substr(0, dots));
      end = ParseWhen(f.window.substr(dots + 2));
    }
    if (!start || !end || *end < *start) {
      return UsageError("--window " + f.window + ": not START..END (2027-03-01..2027-03-02)");
    }
    window.emplace(*start, *end);
  }

  std::optional<Plan> plan;
  if (!f.plan.empty()) {
    Result<Plan> loaded = LoadPlanFile(f.plan);
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitInvalidInput;
    }
    plan = std::move(loaded.value());
  }

  // The account: --account, else the plan's, else the source's only one; read
  // as show and snapshot read it.
  AccountSourceFlags source{f.snapshot, f.portal, f.state, f.account};
  if (source.account.empty() && plan) source.account = plan->account;
  SourcedAccount sourced;
  if (const int code = ReadAccountSource(source, "licmove audit", sourced); code != kExitOk) {
    return code;
  }
  const AccountSnapshot& snapshot = sourced.snapshot;
  const std::string& account = snapshot.account.name;
  if (plan && plan->account != account) {
    std::cerr << plan->file << ": the plan is for account " << plan->account << ", not " << account
              << "\n";
    return kExitInvalidInput;
  }

  Audit audit;
  audit.account = account;
  // The fleet file, or the portal as the session names it.
  audit.source = sourced.session ? sourced.session->description() : f.snapshot;
  audit.inventory = TakeInventory(snapshot);

  UnixSeconds forecast_until = until ? *until : snapshot.now + *horizon;
  if (forecast_until < snapshot.now) {
    return UsageError("--until " + f.until + " is before the account's now, " +
                      FormatTimestamp(snapshot.now));
  }
  if (window) forecast_until = std::max(forecast_until, window->second);

  auto state = OpenState(f.state);
  if (!state.ok()) {
    std::cerr << "licmove: " << state.status().message() << "\n";
    return kExitError;
  }
  audit.state = (*state)->Description();
  auto runs = ReadUnfinishedRuns(**state, account);
  if (!runs.ok()) {
    std::cerr << "licmove: reading the runs: " << runs.status().message() << "\n";
    return kExitError;
  }
  audit.runs = std::move(runs.value());

  auto forecast = ForecastAccount(snapshot, forecast_until);
  if (!forecast.ok()) {
    std::cerr << "licmove: forecast: " << forecast.status().message() << "\n";
    return kExitError;
  }
  audit.forecast = std::move(forecast.value());
  if (window) {
    WindowAudit w{window->first, window->second, {}};
    for (const ForecastEvent& e : audit.forecast.events) {
      if (e.at >= w.start && e.at <= w.end) w.events.push_back(e);
    }
    audit.window = std::move(w);
  }
  if (plan) {
    audit.plan = AuditPlanKeys(*plan, snapshot, window ? window->first : forecast_until);
  }

  const std::string text = RenderAudit(audit, *AuditFormatFromName(f.format));
  if (f.out.empty()) {
    std::cout << text;
  } else if (Status s = PosixFileSystem().WriteFileAtomically(f.out, text); !s.ok()) {
    std::cerr << "licmove: writing " << f.out << ": " << s.message() << "\n";
    return kExitError;
  } else {
    std::cerr << "wrote the audit to " << f.out << "\n";
  }
  return AttentionReasons(audit).empty() ? kExitOk : kExitChanges;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* cmd = app.add_subcommand(
      "audit",
      "Before a maintenance window: inventory, unfinished runs, and what expires, renews or "
      "lapses by a horizon (read-only)");
  cmd->add_option("--snapshot", flags->snapshot,
                  "Audit the account in this fleet file (YAML, with its fixed `now`)");
  AddPortalFlags(cmd, flags->portal, /*portal_required=*/false);
  AddStateFlags(cmd, flags->state, /*lease=*/false);
  cmd->add_option("--account", flags->account,
                  "The account (default: the plan's, or the fleet file's only one)");
  auto* horizon = cmd->add_option("--horizon", flags->horizon,
                                  "Forecast this far ahead of the account's now: Nd, Nw or Ny")
                      ->capture_default_str();
  cmd->add_option("--until", flags->until, "Forecast up to this time instead (RFC 3339 or a day)")
      ->excludes(horizon);
  cmd->add_option("--window", flags->window,
                  "START..END of a maintenance window: what expires or renews in it (the "
                  "forecast reaches at least END)");
  cmd->add_option("--plan", flags->plan,
                  "A plan file: which keys it names or would carry change by the window's start "
                  "(else by the horizon)");
  cmd->add_option("--format", flags->format, "text (default), json, markdown or html")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cmd->add_option("--out", flags->out, "Write the audit to FILE (atomically) instead of stdout");
  cmd->footer(
      "Examples:\n"
      "  licmove audit --snapshot examples/fleets/small.yaml --account acme\n"
      "  licmove audit --portal sim://examples/fleets/small.yaml --account acme \\\n"
      "      --token-file examples/tokens/viewer.token --format html --out audit.html\n"
      "  licmove audit --snapshot examples/fleets/small.yaml --window 2027-02-27..2027-03-02 \\\n"
      "      --plan plans/move.yaml\n"
      "Exit codes: 0 nothing due within the horizon, 2 something needs attention (a lapse, a\n"
      "pool running dry, an unfinished run or keys parked outside the account, a plan's keys\n"
      "changed by the window), 1 error (portal, network, state; a refused token), 3 a file is\n"
      "missing or invalid or the account is not there, 64 bad command line.");
  cmd->callback([flags, &exit_code] { exit_code = RunAudit(*flags); });
}

}  // namespace licmove
