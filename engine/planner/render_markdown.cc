// The plan as Markdown, for a change ticket or a pull-request comment. Those
// hold a limited amount of text (a GitHub comment 65,536 characters), so the
// output always stays under kLimit bytes: the header and the summary whole;
// each list past kOpenRows rows folded in <details>; and when the whole plan
// does not fit, each list cut to its share of the room, with a line saying
// how many rows are left out and where the full plan is.
#include <algorithm>
#include <array>
#include <functional>
#include <map>

#include "planner/render.h"

namespace licmove {
namespace {

constexpr std::size_t kLimit = 65000;
constexpr std::size_t kOpenRows = 100;
// When the operations are cut: one step's line of ops, at most.
constexpr std::size_t kStepBytes = 1000;
constexpr std::size_t kAll = static_cast<std::size_t>(-1);

std::string Services(const std::vector<PredictedService>& v) {
  if (v.empty()) return "none";
  std::string s;
  for (const PredictedService& p : v) {
    if (!s.empty()) s += "<br>";
    s += p.service + ": `" + p.key + "`";
  }
  return s;
}

std::string FullPlanHint(const PlannedChange& plan) {
  return "; the full plan: `licmove plan " + plan.plan_file +
         " --format text` or the saved plan (`--out`).\n";
}

// A list (or a table: `head` is its header) under `intro`: folded past
// kOpenRows rows; cut when it would not fit in `allowance` bytes, with the
// line `more(shown)` after the rows shown.
std::string Rows(const std::string& intro, const std::string& head,
                 const std::vector<std::string>& rows, const std::string& what,
                 std::size_t allowance, const std::function<std::string(std::size_t)>& more) {
  const bool fold = rows.size() > kOpenRows;
  std::string out = intro;
  if (fold)
    out += "<details><summary>" + std::to_string(rows.size()) + " " + what + "</summary>\n\n";
  out += head;
  const std::string close = fold ? "\n</details>\n" : "";
  const std::size_t keep = close.size() + 1 + more(0).size();
  std::size_t shown = 0;
  for (const std::string& row : rows) {
    if (allowance != kAll && out.size() + row.size() + keep > allowance) break;
    out += row;
    ++shown;
  }
  out += close;
  if (shown < rows.size()) out += "\n" + more(shown);
  return out;
}

std::string Head(const PlannedChange& plan) {
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
           std::to_string(s.parallelism) + " calls in flight" +
           (s.parallelism_auto ? " (parallelism auto)" : "") + " |\n";
  }
  return out + "\n";
}

std::string Cameras(const PlannedChange& plan, std::size_t allowance) {
  std::map<std::pair<std::string, std::string>, int> downtime;
  for (const Downtime& d : ServiceDowntimes(plan.graph)) downtime[{d.camera, d.service}] = d.steps;
  std::vector<std::string> rows;
  for (const PredictedCamera& c : plan.predicted.cameras) {
    int worst = 0;
    for (const PredictedService& a : c.after) {
      for (const PredictedService& b : c.before) {
        if (a.service != b.service) continue;
        auto it = downtime.find({c.serial, a.service});
        if (it != downtime.end()) worst = std::max(worst, it->second);
      }
    }
    rows.push_back("| " + c.serial + " | " + c.name + " | " + c.site + " | " + Services(c.before) +
                   " | " + Services(c.after) + " | " + (c.re_added ? "yes" : "no") + " | " +
                   (c.re_added ? std::to_string(worst) + " steps" : "-") + " |\n");
  }
  return Rows("## Cameras\n\n",
              "| Camera | Name | Site | Before | After | Re-added | Longest time without a "
              "service |\n|---|---|---|---|---|---|---|\n",
              rows, "cameras", allowance, [&](std::size_t shown) {
                return std::to_string(rows.size() - shown) + " more cameras not shown" +
                       FullPlanHint(plan);
              });
}

std::string ParkedKeys(const PlannedChange& plan, std::size_t allowance) {
  std::vector<std::string> rows;
  for (const PredictedKey& k : plan.predicted.keys) {
    if (k.parked) {
      rows.push_back("- `" + k.key + "` (" + k.service + ", " +
                     std::to_string(k.remaining_seconds / kSecondsPerDay) + " days left)\n");
    }
  }
  if (rows.empty()) return "";
  return Rows(
      "\n## Keys parked for a while\n\nOut of the account between their park and unpark; "
      "the journal holds them meanwhile.\n\n",
      "", rows, "keys", allowance, [&](std::size_t shown) {
        return std::to_string(rows.size() - shown) + " more parked keys not shown" +
               FullPlanHint(plan);
      });
}

std::string Operations(const PlannedChange& plan, std::size_t allowance) {
  const std::vector<int> level = plan.graph.Levels();
  std::map<int, std::vector<int>> steps;
  for (const Op& op : plan.graph.ops()) steps[level[op.id]].push_back(op.id);
  // Cut, a step shows as many of its ops as fit in kStepBytes.
  const std::size_t step_bytes = allowance == kAll ? kAll : kStepBytes;
  std::vector<std::string> rows;
  std::vector<std::size_t> ops_in;  // ops of the steps before row i, for the "more" line
  for (const auto& [step, ids] : steps) {
    ops_in.push_back(ids.size());
    std::string row = std::to_string(step) + ".";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string op = (i == 0 ? " " : "; ") + DescribeOp(plan.graph.op(ids[i]));
      if (step_bytes != kAll && row.size() + op.size() > step_bytes) {
        row += "; and " + std::to_string(ids.size() - i) + " more";
        break;
      }
      row += op;
    }
    rows.push_back(row + "\n");
  }
  return Rows("\n## Operations\n\nOps of one step may run side by side.\n\n", "", rows, "steps",
              allowance, [&](std::size_t shown) {
                std::size_t ops = 0;
                for (std::size_t i = shown; i < ops_in.size(); ++i) ops += ops_in[i];
                return std::to_string(rows.size() - shown) + " more steps (" + std::to_string(ops) +
                       " ops) not shown" + FullPlanHint(plan);
              });
}

// Shares of `room` for sections of the given full sizes: a section that
// needs less than its weighted share gets what it needs, and the others
// split what it leaves.
std::array<std::size_t, 3> Shares(std::size_t room, const std::array<std::size_t, 3>& need,
                                  const std::array<std::size_t, 3>& weight) {
  std::array<std::size_t, 3> share{kAll, kAll, kAll};
  for (bool settled = true; settled;) {
    settled = false;
    std::size_t weights = 0;
    for (int i = 0; i < 3; ++i) weights += share[i] == kAll ? weight[i] : 0;
    for (int i = 0; i < 3 && weights > 0; ++i) {
      if (share[i] == kAll && need[i] <= room * weight[i] / weights) {
        share[i] = need[i];
        room -= need[i];
        settled = true;
        break;
      }
    }
    if (!settled) {
      for (int i = 0; i < 3; ++i) {
        if (share[i] == kAll) share[i] = weights ? room * weight[i] / weights : 0;
      }
    }
  }
  return share;
}

}  // namespace

std::string RenderMarkdown(const PlannedChange& plan) {
  const std::string head = Head(plan);
  if (!plan.has_changes()) return head;
  const std::array<std::string, 3> whole = {Cameras(plan, kAll), ParkedKeys(plan, kAll),
                                            Operations(plan, kAll)};
  std::string out = head + whole[0] + whole[1] + whole[2];
  if (out.size() < kLimit) return out;

  // Too long: each list gets a share of the room left, cameras the most.
  const std::size_t room = kLimit - 1 > head.size() ? kLimit - 1 - head.size() : 0;
  const std::array<std::size_t, 3> share =
      Shares(room, {whole[0].size(), whole[1].size(), whole[2].size()}, {3, 1, 2});
  out = head;
  out += share[0] >= whole[0].size() ? whole[0] : Cameras(plan, share[0]);
  out += share[1] >= whole[1].size() ? whole[1] : ParkedKeys(plan, share[1]);
  out += share[2] >= whole[2].size() ? whole[2] : Operations(plan, share[2]);
  if (out.size() < kLimit) return out;
  // Only names longer than any plan has (a header of kilobytes) get here.
  out = head.substr(0, kLimit / 2) + "\nThe cameras, parked keys and operations are not shown" +
        FullPlanHint(plan).substr(0, kLimit / 4);
  return out;
}

}  // namespace licmove
