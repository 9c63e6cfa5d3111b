#include <algorithm>
#include <map>

#include "planner/render.h"

namespace licmove {

std::optional<OutputFormat> OutputFormatFromName(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "markdown") return OutputFormat::kMarkdown;
  if (name == "dot") return OutputFormat::kDot;
  return std::nullopt;
}

std::string Render(const PlannedChange& plan, OutputFormat format, std::size_t text_max_lines) {
  switch (format) {
    case OutputFormat::kText:
      return RenderText(plan, text_max_lines);
    case OutputFormat::kJson:
      return RenderJson(plan);
    case OutputFormat::kMarkdown:
      return RenderMarkdown(plan);
    case OutputFormat::kDot:
      return RenderDot(plan);
  }
  return {};
}

std::string DescribeOp(const Op& op) {
  switch (op.kind) {
    case OpKind::kRemoveCamera:
      return "remove " + op.camera;
    case OpKind::kAddCamera:
      return "add " + op.camera + " back (" + op.name + ", " + op.site + ")";
    case OpKind::kActivate: {
      std::string s = "activate " + op.service + " on " + op.camera + " -> " + op.expect_key;
      if (!op.acceptable_keys.empty()) s += " (or an interchangeable key)";
      return s;
    }
    case OpKind::kPark:
      return "park " + op.key;
    case OpKind::kUnpark:
      return "unpark " + op.key;
  }
  return "?";
}

std::vector<Downtime> ServiceDowntimes(const OpGraph& graph) {
  const std::vector<int> level = graph.Levels();
  std::map<std::string, int> removed_at;
  for (const Op& op : graph.ops()) {
    if (op.kind == OpKind::kRemoveCamera) removed_at[op.camera] = level[op.id];
  }
  std::vector<Downtime> out;
  for (const Op& op : graph.ops()) {
    if (op.kind != OpKind::kActivate) continue;
    auto it = removed_at.find(op.camera);
    if (it == removed_at.end()) continue;
    out.push_back({op.camera, op.service, level[op.id] - it->second});
  }
  std::sort(out.begin(), out.end(), [](const Downtime& a, const Downtime& b) {
    return std::tie(a.camera, a.service) < std::tie(b.camera, b.service);
  });
  return out;
}

namespace {

std::string Days(std::int64_t seconds) {
  return std::to_string(seconds / kSecondsPerDay) +
         (seconds / kSecondsPerDay == 1 ? " day" : " days");
}

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A section of the text plan: its items (a camera with its services, a
// parked key, a step), each one or more lines.
struct Section {
  std::string title;
  const char* items_name;  // "cameras", "keys", "steps"
  std::vector<std::string> items;
};

std::size_t LinesOf(const std::string& item) {
  return static_cast<std::size_t>(std::count(item.begin(), item.end(), '\n'));
}

// Appends the section, whole when `budget` is 0, else the items that fit in
// `budget` lines (at least one) and a line counting the rest.
void AppendSection(std::string& out, const Section& section, std::size_t budget) {
  if (section.items.empty()) return;
  out += section.title;
  std::size_t used = 0, shown = 0;
  for (const std::string& item : section.items) {
    if (budget && shown > 0 && used + LinesOf(item) > budget) break;
    out += item;
    used += LinesOf(item);
    ++shown;
  }
  if (shown < section.items.size()) {
    out += "  ... " + std::to_string(section.items.size() - shown) + " more " + section.items_name +
           " not shown; --detailed prints all\n";
  }
}

}  // namespace

std::string RenderText(const PlannedChange& plan, std::size_t max_lines) {
  std::string out = "licmove plan " + plan.plan_file + " for account " + plan.account +
                    " (snapshot " + FormatTimestamp(plan.now) + ")\n";
  if (!plan.has_changes()) return out + "\nNo changes: the account already matches the plan.\n";

  std::map<std::pair<std::string, std::string>, int> downtime;
  for (const Downtime& d : ServiceDowntimes(plan.graph)) downtime[{d.camera, d.service}] = d.steps;
  std::map<std::string, const PredictedKey*> key_info;
  for (const PredictedKey& k : plan.predicted.keys) key_info[k.key] = &k;

  Section cameras{"\nCameras\n", "cameras", {}};
  for (const PredictedCamera& c : plan.predicted.cameras) {
    std::string item;
    item += "  " + c.serial + "  " + c.name + " (" + c.site + ")";
    item += c.re_added ? ": removed and added back (new portal id)\n" : "\n";
    std::map<std::string, std::pair<const PredictedService*, const PredictedService*>> by_service;
    for (const PredictedService& s : c.before) by_service[s.service].first = &s;
    for (const PredictedService& s : c.after) by_service[s.service].second = &s;
    for (const auto& [service, ba] : by_service) {
      const auto [before, after] = ba;
      item += "    " + service + ": ";
      // An assign may end with any interchangeable key, its camera's own too.
      const bool assigned = after && !after->acceptable_keys.empty();
      if (before && after && before->key == after->key) {
        item += after->key + (assigned ? " again" : " restored");
      } else if (before && after) {
        item += before->key + " goes, gets " + after->key;
      } else if (before) {
        const PredictedKey* k = key_info.count(before->key) ? key_info[before->key] : nullptr;
        item +=
            before->key + (k && !k->to.empty() ? " moves to " + k->to : " goes back to the pool");
      } else {
        const PredictedKey* k = key_info.count(after->key) ? key_info[after->key] : nullptr;
        item += "gets " + after->key;
        if (k) item += k->from.empty() ? " from the pool" : " from " + k->from;
      }
      if (assigned) {
        item += " (or any of " + std::to_string(after->acceptable_keys.size()) +
                " interchangeable keys)";
      }
      if (after) item += after->auto_renew ? ", auto-renew on" : ", auto-renew off";
      auto d = downtime.find({c.serial, service});
      if (c.re_added && before && after && d != downtime.end()) {
        item += ", without it for " + Plural(d->second, "step", "steps");
      }
      item += "\n";
    }
    cameras.items.push_back(std::move(item));
  }

  Section parked_keys{
      "\nParked for a while (out of the account between park and unpark; the journal\n"
      "keeps the key)\n",
      "keys",
      {}};
  std::vector<const PredictedKey*> parked;
  for (const PredictedKey& k : plan.predicted.keys) {
    if (k.parked) parked.push_back(&k);
  }
  if (!parked.empty()) {
    const std::vector<int> level = plan.graph.Levels();
    std::map<std::string, std::pair<int, int>> window;
    for (const Op& op : plan.graph.ops()) {
      if (op.kind == OpKind::kPark) window[op.key].first = level[op.id];
      if (op.kind == OpKind::kUnpark) window[op.key].second = level[op.id];
    }
    for (const PredictedKey* k : parked) {
      const auto [from, to] = window[k->key];
      parked_keys.items.push_back("  " + k->key + "  " + k->service + ", " +
                                  Days(k->remaining_seconds) + " left: parked at step " +
                                  std::to_string(from) + ", back at step " + std::to_string(to) +
                                  "\n");
    }
  }

  const std::vector<int> level = plan.graph.Levels();
  std::map<int, std::vector<int>> steps;
  for (const Op& op : plan.graph.ops()) steps[level[op.id]].push_back(op.id);
  Section step_lines{"\nSteps (the ops of one step can run side by side)\n", "steps", {}};
  for (const auto& [step, ids] : steps) {
    std::string line = "  " + std::to_string(step) + ".";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      line += (i == 0 ? " " : "; ") + DescribeOp(plan.graph.op(ids[i]));
    }
    step_lines.items.push_back(line + "\n");
  }

  // Over the limit: each section gets a third of it.
  std::size_t total = 0;
  for (const Section* section : {&cameras, &parked_keys, &step_lines}) {
    for (const std::string& item : section->items) total += LinesOf(item);
  }
  const std::size_t budget =
      max_lines && total > max_lines ? std::max<std::size_t>(max_lines / 3, 1) : 0;
  for (const Section* section : {&cameras, &parked_keys, &step_lines}) {
    AppendSection(out, *section, budget);
  }

  const PlanSummary& s = plan.summary;
  out += "\nSummary\n";
  out += "  " + Plural(s.moves, "move", "moves") + ", " +
         Plural(s.assigns, "camera assigned", "cameras assigned") + ", " +
         Plural(s.restorations, "service restored", "services restored") + "\n";
  out +=
      "  " +
      Plural(s.cameras_removed, "camera removed and added back", "cameras removed and added back") +
      ", " + Plural(s.activations, "activation", "activations") + ", " +
      Plural(s.parks, "key parked", "keys parked") + "\n";
  out += "  " + Plural(s.calls, "portal call", "portal calls") + " (" +
         (s.optimal_proven ? "the minimum"
                           : "minimum not proven; at least " +
                                 std::to_string(s.calls - 2 * (s.parks - s.parks_lower_bound))) +
         "), critical path " + Plural(s.critical_path, "step", "steps") + "\n";
  if (s.parallelism > 0) {
    out += "  about " + Plural(s.estimated_rounds, "call latency", "call latencies") + " at " +
           Plural(s.parallelism, "call", "calls") + " in flight" +
           (s.parallelism_auto ? " (parallelism auto)" : "") + "\n";
  }
  if (s.keys_left_in_pool > 0) {
    out += "  " + Plural(s.keys_left_in_pool, "key ends", "keys end") + " in the pool\n";
  }
  return out;
}

}  // namespace licmove
