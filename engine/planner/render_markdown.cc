#include <map>

#include "planner/render.h"

namespace licmove {
namespace {

std::string Services(const std::vector<PredictedService>& v) {
  if (v.empty()) return "none";
  std::string s;
  for (const PredictedService& p : v) {
    if (!s.empty()) s += "<br>";
    s += p.service + ": `" + p.key + "`";
  }
  return s;
}

}  // namespace

std::string RenderMarkdown(const PlannedChange& plan) {
  const PlanSummary& s = plan.summary;
  std::string out =
      "# License change: `" + plan.plan_file + "` on account `" + plan.account + "`\n\n";
  out += "Planned by `licmove plan` against the account as of " + FormatTimestamp(plan.now) +
         ". A later `apply` refuses to run if any camera or license below changed.\n\n";
  if (!plan.has_changes()) return out + "No changes: the account already matches the plan.\n";

  out += "## Summary\n\n| | |\n|---|---|\n";
  out += "| Moves | " + std::to_string(s.moves) + " |\n";
  out += "| Cameras assigned a license | " + std::to_string(s.assigns) + " |\n";
  out += "| Services restored | " + std::to_string(s.restorations) + " |\n";
  out += "| Cameras removed and added back | " + std::to_string(s.cameras_removed) + " |\n";
  out += "| Keys parked for a while | " + std::to_string(s.parks) + " |\n";
  out += "| Portal calls | " + std::to_string(s.calls) +
         (s.optimal_proven ? " (the minimum)" : " (minimum not proven)") + " |\n";
  out += "| Critical path | " + std::to_string(s.critical_path) + " steps |\n";
  if (s.parallelism > 0) {
    out += "| Expected duration | " + std::to_string(s.estimated_rounds) + " call latencies at " +
           std::to_string(s.parallelism) + " calls in flight |\n";
  }
  out += "\n";

  std::map<std::pair<std::string, std::string>, int> downtime;
  for (const Downtime& d : ServiceDowntimes(plan.graph)) downtime[{d.camera, d.service}] = d.steps;
  out +=
      "## Cameras\n\n| Camera | Name | Site | Before | After | Re-added | Longest time "
      "without a service |\n|---|---|---|---|---|---|---|\n";
  for (const PredictedCamera& c : plan.predicted.cameras) {
    int worst = 0;
    for (const PredictedService& a : c.after) {
      for (const PredictedService& b : c.before) {
        if (a.service != b.service) continue;
        auto it = downtime.find({c.serial, a.service});
        if (it != downtime.end()) worst = std::max(worst, it->second);
      }
    }
    out += "| " + c.serial + " | " + c.name + " | " + c.site + " | " + Services(c.before) + " | " +
           Services(c.after) + " | " + (c.re_added ? "yes" : "no") + " | " +
           (c.re_added ? std::to_string(worst) + " steps" : "-") + " |\n";
  }

  bool any_parked = false;
  for (const PredictedKey& k : plan.predicted.keys) any_parked |= k.parked;
  if (any_parked) {
    out +=
        "\n## Keys parked for a while\n\nOut of the account between their park and unpark; "
        "the journal holds them meanwhile.\n\n";
    for (const PredictedKey& k : plan.predicted.keys) {
      if (k.parked) {
        out += "- `" + k.key + "` (" + k.service + ", " +
               std::to_string(k.remaining_seconds / kSecondsPerDay) + " days left)\n";
      }
    }
  }

  const std::vector<int> level = plan.graph.Levels();
  std::map<int, std::vector<int>> steps;
  for (const Op& op : plan.graph.ops()) steps[level[op.id]].push_back(op.id);
  out += "\n## Operations\n\nOps of one step may run side by side.\n\n";
  for (const auto& [step, ids] : steps) {
    out += std::to_string(step) + ".";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out += (i == 0 ? " " : "; ") + DescribeOp(plan.graph.op(ids[i]));
    }
    out += "\n";
  }
  return out;
}

}  // namespace licmove
