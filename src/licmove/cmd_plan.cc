// `licmove plan PLAN --snapshot FLEET.yaml`: the dry run. Reads the plan and
// the account, plans, prints the change (text, json, markdown or dot) and
// optionally saves it for a later apply (--out SAVED: the graph plus a binding
// of every camera and license it depends on; docs/PLANNER.md).
//
// With --portal, the ledger in --state is asked first: a plan it shows
// applied to the account is "no changes" (docs/CI.md).
//
// With --at TIME, the account as read is played forward by R7 to TIME
// (engine/forecast) and the plan is made against that forecast state; the
// output lists what happens in between, and a saved plan is bound to the
// forecast state (docs/PLANNER.md "Time: the forecast and plan --at").
//
// Exit codes (README.md "Exit codes"): 0 ok (with --detailed-exitcode: no
// changes), 2 changes (with --detailed-exitcode), 3 the plan or fleet file is
// missing, unreadable, invalid or does not fit the account (every problem
// named with its plan line), or the account is not there, 64 a bad command
// line, 1 any other error.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "command.h"
#include "command_line.h"
#include "exit_codes.h"
#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "files/plan_identity.h"
#include "forecast/forecast.h"
#include "forecast_note.h"
#include "journal/file_system.h"
#include "planner/already_done.h"
#include "planner/planner.h"
#include "planner/render.h"
#include "planner/saved_plan.h"
#include "portal_access.h"
#include "state/ledger.h"
#include "state_access.h"

namespace licmove {
namespace {

struct PlanFlags {
  std::string plan;
  std::string snapshot;  // a fleet file
  PortalFlags portal;    // or a live portal (a viewer token is enough)
  StateFlags state;      // for sim://: where the simulated portal lives
  std::string format = "text";
  std::string out;
  bool detailed_exitcode = false;
  bool detailed = false;                  // text: every camera, key and step, however many
  int parallelism = kDefaultParallelism;  // what the graph is shaped for (apply's)
  bool parallelism_auto = false;          // auto: shaped as apply --parallelism auto shapes it
  std::string at;                         // plan against the forecast at this time
};

// The account `account` as one snapshot, from a fleet file (its fixed `now`)
// or from the portal (GET /me first: the token must see the account; any role
// will do, since planning changes nothing). From a fleet file, every failure
// is InvalidArgument (the file is missing, unreadable or invalid) or NotFound
// (it has no such account). `session` keeps an embedded simulator alive while
// the snapshot is used.
Result<AccountSnapshot> ReadSnapshot(const PlanFlags& f, const std::string& account,
                                     std::unique_ptr<PortalSession>& session) {
  if (!f.portal.portal.empty()) {
    PortalFlags portal = f.portal;
    portal.state_dir = LocalStateDir(f.state);
    auto live = OpenLiveAccount(portal, account, /*need_admin=*/false);
    if (!live.ok()) return live.status();
    session = std::move(live->session);
    return std::move(live->snapshot);
  }
  Result<Fleet> fleet = LoadFleetFile(f.snapshot);
  if (!fleet.ok()) return Status::InvalidArgument(fleet.status().message());
  const Account* a = fleet->FindAccount(account);
  if (!a) {
    return Status::NotFound(f.snapshot + ": no account " + account + " (the plan's account)");
  }
  return AccountSnapshot{*a, fleet->now};
}

// The plan's output with what the forecast played before TIME: a section
// before the text, markdown or dot, a "forecast" member of the JSON object.
std::string WithForecastNote(const std::string& rendered, OutputFormat format,
                             const Forecast& forecast, const PlannedChange& planned,
                             const AccountSnapshot& at, bool detailed) {
  const Binding binding = BindPlan(planned, at);
  if (format == OutputFormat::kJson) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(rendered, ec);
    if (!ec && v.is_object()) {
      v.get_object()["forecast"] = ForecastNoteJson(forecast, binding);
      return boost::json::serialize(v) + "\n";
    }
    return rendered;
  }
  const std::string note = ForecastNoteText(forecast, binding, detailed ? 0 : kTextPlanLines);
  if (format == OutputFormat::kDot) {
    std::string commented;
    std::size_t start = 0;
    while (start < note.size()) {
      const std::size_t end = note.find('\n', start);
      commented += "// " + note.substr(start, end - start) + "\n";
      start = end + 1;
    }
    return commented + rendered;
  }
  if (format == OutputFormat::kMarkdown) return "```\n" + note + "```\n\n" + rendered;
  return note + "\n" + rendered;
}

int RunPlan(const PlanFlags& f) {
  if (f.snapshot.empty() == f.portal.portal.empty()) {
    std::cerr << "licmove plan: say where the account comes from: --portal URL or --snapshot "
                 "FLEET.yaml (one of them)\n";
    return kExitUsage;
  }
  if (const int code = CheckPortalFlags(f.portal, "licmove plan"); code != 0) return code;
  Result<Plan> plan = LoadPlanFile(f.plan);
  if (!plan.ok()) {
    std::cerr << plan.status().message() << "\n";
    return kExitInvalidInput;
  }
  std::unique_ptr<PortalSession> session;
  Result<AccountSnapshot> snapshot = ReadSnapshot(f, plan->account, session);
  if (!snapshot.ok()) {
    // A fleet file's problems name the file (file:line:col); the portal's
    // are licmove's.
    std::cerr << (f.portal.portal.empty() ? "" : "licmove: ") << snapshot.status().message()
              << "\n";
    return ExitCodeFor(snapshot.status());
  }
  // --at: from here on, the account is the forecast's state at TIME.
  std::optional<Forecast> forecast;
  if (!f.at.empty()) {
    Result<UnixSeconds> until = ParseAtTime(f.at, snapshot->now);
    if (!until.ok()) {
      std::cerr << "licmove plan: " << until.status().message() << "\n";
      return kExitUsage;
    }
    Result<Forecast> played =
        ForecastAccount(*snapshot, *until, ForecastOptions{.advise_purchases = false});
    if (!played.ok()) {
      std::cerr << "licmove: " << played.status().ToString() << "\n";
      return kExitError;
    }
    forecast = std::move(*played);
    *snapshot = forecast->at_until;
  }
  // Against a live portal, the ledger first: a plan it shows applied to
  // this account is no change (a fleet file is the account at its own `now`,
  // which the ledger says nothing of).
  const std::string identity = PlanIdentity(*plan);
  std::optional<LedgerEntry> ledger;
  if (!f.portal.portal.empty()) {
    auto state = OpenState(f.state);
    auto entry = state.ok() ? LookUpPlan(**state, plan->account, identity)
                            : Result<LedgerEntry>(state.status());
    if (!entry.ok()) {
      std::cerr << "licmove: reading the ledger: " << entry.status().message() << "\n";
      return kExitError;
    }
    ledger = *entry;
  }
  Result<PlannedChange> planned = Status::Internal("not planned");
  if (ledger && ledger->state == LedgerEntry::State::kCompleted) {
    std::cerr << "no changes: " << f.plan << " was applied to account " << plan->account
              << " by run " << ledger->run.run_id << " (started "
              << FormatTimestamp(ledger->run.started_at) << ")\n";
    PlannedChange none;
    none.plan_file = plan->file;
    none.plan_identity = identity;
    none.account = plan->account;
    none.now = snapshot->now;
    planned = std::move(none);
  } else {
    if (ledger && ledger->state != LedgerEntry::State::kNeverApplied) {
      std::cerr << "licmove: note: the ledger shows " << f.plan << " "
                << LedgerStateName(ledger->state) << " (run " << ledger->run.run_id
                << "): apply will refuse it unless told (docs/CI.md)\n";
    }
    // Key-guarded moves the account shows done are not planned again.
    const PlanRemainder remainder = SplitAlreadyDoneMoves(*plan, snapshot->account);
    for (const MoveIntent& m : remainder.done) {
      std::cerr << "already done: " << (m.file.empty() ? plan->file : m.file) << ":" << m.where.line
                << ":" << m.where.column << ": " << *m.key << " is on " << m.to << "\n";
    }
    PlannerOptions options;
    options.parallelism = f.parallelism;
    planned = BuildPlan(remainder.plan, *snapshot, options);
    if (planned.ok()) {
      planned->plan_identity = identity;
      planned->summary.parallelism_auto = f.parallelism_auto;
    }
  }
  if (!planned.ok()) {
    if (planned.status().code() == Status::Code::kInvalidArgument) {
      std::cerr << planned.status().message() << "\n";
      return kExitInvalidInput;
    }
    std::cerr << "licmove: " << planned.status().ToString() << "\n";
    return kExitError;
  }
  if (!f.out.empty()) {
    std::optional<ForecastBasis> basis;
    if (forecast) basis = ForecastBasis{forecast->from, forecast->until};
    const std::string saved = SaveGraph(*planned, *snapshot, LICMOVE_VERSION, basis);
    if (Status s = PosixFileSystem().WriteFileAtomically(f.out, saved); !s.ok()) {
      std::cerr << "licmove: saving the plan: " << s.message() << "\n";
      return kExitError;
    }
  }
  const OutputFormat format = *OutputFormatFromName(f.format);
  std::string rendered = Render(*planned, format, f.detailed ? 0 : kTextPlanLines);
  if (forecast)
    rendered = WithForecastNote(rendered, format, *forecast, *planned, *snapshot, f.detailed);
  std::cout << rendered;
  if (!f.out.empty()) {
    std::cerr << "saved the plan to " << f.out << "; apply it with: licmove apply " << f.out
              << " --portal URL\n";
  }
  if (f.detailed_exitcode) return planned->has_changes() ? kExitChanges : kExitOk;
  return kExitOk;
}

}  // namespace

void AddPlanCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<PlanFlags>();
  CLI::App* cmd = app.add_subcommand(
      "plan", "Dry run: show what a plan file would do to an account, changing nothing");
  cmd->add_option("PLAN", flags->plan, "The plan file (YAML)")->required();
  cmd->add_option("--snapshot", flags->snapshot,
                  "Plan against the account in this fleet file (YAML, with its fixed `now`)");
  AddPortalFlags(cmd, flags->portal, /*portal_required=*/false);
  AddStateFlags(cmd, flags->state, /*lease=*/false);
  AddParallelismFlag(cmd, flags->parallelism, flags->parallelism_auto);
  cmd->add_option("--format", flags->format, "text (default), json, markdown or dot")
      ->check(CLI::IsMember({"text", "json", "markdown", "dot"}));
  cmd->add_option("--out", flags->out,
                  "Also save the plan (JSON) for `licmove apply SAVED`, which refuses it if "
                  "anything it depends on changed");
  cmd->add_option("--at", flags->at,
                  "Plan against the account as it will be at TIME (RFC 3339, or +7d, +36h, +2w "
                  "from the account's now): expiries and auto-renewals played forward by R7. A "
                  "plan saved with --out is bound to that forecast state; apply refuses it (exit "
                  "6) unless the account then matches it");
  cmd->add_flag("--detailed-exitcode", flags->detailed_exitcode,
                "Exit 0 when nothing would change (also: the ledger shows the plan applied), 2 "
                "when something would; the error codes stay as below");
  cmd->footer(
      "Examples:\n"
      "  licmove plan plans/move.yaml --snapshot examples/fleets/small.yaml\n"
      "  licmove plan plans/move.yaml --portal sim://examples/fleets/small.yaml --format json\n"
      "  licmove plan plans/move.yaml --snapshot examples/fleets/small.yaml --at +30d --out "
      "n.json\n"
      "Exit codes: 0 ok (--detailed-exitcode: no changes), 2 changes (--detailed-exitcode),\n"
      "1 error (portal, network, state; a refused token), 3 the plan or fleet file is missing,\n"
      "unreadable, invalid or does not fit the account, or the account is not there, 64 bad\n"
      "command line.");
  AddDetailedFlag(cmd, flags->detailed);
  cmd->callback([flags, &exit_code] { exit_code = RunPlan(*flags); });
}

}  // namespace licmove
