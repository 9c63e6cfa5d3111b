#include "random_instance.h"

#include "fixtures.h"

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "fleet_generator.h"

#include <algorithm>
#include <set>

namespace licmove::testing {
namespace {

int Uniform(std::mt19937_64& rng, int lo, int hi) {  // inclusive
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
bool Chance(std::mt19937_64& rng, int percent) {
  return Uniform(rng, 0, 99) < percent;
}

}  // namespace

Instance RandomInstance(std::mt19937_64& rng, const InstanceShape& shape) {
  Instance in;
  in.snapshot.account.name = "acme";
  in.snapshot.now = kNow;
  const int m = Uniform(rng, 2, shape.max_cameras);
  const int services = Uniform(rng, 1, shape.max_services);
  const int n = Uniform(rng, 2, shape.max_keys);
  for (int c = 0; c < m; ++c) {
    const std::string s = "CAM-" + std::to_string(c + 1);
    in.snapshot.account.cameras.push_back({s, "Cam " + std::to_string(c + 1), "HQ", "id-" + s});
  }
  std::set<std::pair<int, int>> held;  // (camera, service)
  for (int k = 0; k < n; ++k) {
    License l;
    static const char* kServices[] = {"am", "rm", "vm"};
    static const char* kPrefix[] = {"AM", "RM", "VM"};
    const int s = Uniform(rng, 0, services - 1);
    l.service = kServices[s];
    const bool three = shape.three_year && Chance(rng, 25);
    const bool year = !three && Chance(rng, 50);
    l.term_days = three ? 1095 : year ? 365 : 90;
    // Used 25, 275 or 300 days: remaining 65, 90 or 340 days, colliding
    // with fresh and used keys of the other term (3-year: 1070 or 365).
    static const int kUsed[] = {-1, 25, 275, 300};
    static const int kUsed3[] = {-1, 25, 730};
    const int use = Uniform(rng, 0, three ? 2 : year ? 3 : 1);
    const int used = three ? kUsed3[use] : kUsed[use];
    if (used >= 0) l.activated_at = kNow - used * kSecondsPerDay;
    l.key = std::string(kPrefix[s]) +
            (three  ? "-3Y-"
             : year ? "-1Y-"
                    : "-DM-") +
            std::to_string(k + 1);
    if (Chance(rng, 60)) {
      const int c = Uniform(rng, 0, m - 1);
      if (held.insert({c, s}).second) {
        l.assigned_to = in.snapshot.account.cameras[c].serial;
        if (!l.activated_at) l.activated_at = kNow - 10 * kSecondsPerDay;
        l.auto_renew = Chance(rng, 50);
      }
    }
    in.snapshot.account.licenses.push_back(l);
  }
  for (int k = 0; k < shape.fresh_pool_keys; ++k) {
    License l;
    l.service = "am";
    l.term_days = 365;
    l.key = "AM-1Y-F" + std::to_string(k + 1);
    in.snapshot.account.licenses.push_back(l);
  }

  Plan& p = in.plan;
  p.file = "plans/random.yaml";
  p.account = "acme";
  p.options.restore_sources = Chance(rng, 75);
  p.options.release_destinations = Chance(rng, 30);
  std::vector<const License*> assigned;
  for (const License& l : in.snapshot.account.licenses) {
    if (l.assigned()) assigned.push_back(&l);
  }
  std::shuffle(assigned.begin(), assigned.end(), rng);
  const int moves =
      assigned.empty() ? 0 : Uniform(rng, 0, std::min<int>(shape.max_moves, assigned.size()));
  int line = 3;
  for (int i = 0; i < moves; ++i) {
    const License& l = *assigned[i];
    MoveIntent mv;
    mv.from = l.assigned_to;
    do {
      mv.to = in.snapshot.account.cameras[Uniform(rng, 0, m - 1)].serial;
    } while (mv.to == mv.from);
    int count = 0;
    for (const License& o : in.snapshot.account.licenses) count += o.assigned_to == mv.from;
    if (count > 1 || Chance(rng, 70)) mv.service = l.service;
    if (Chance(rng, 30)) mv.key = l.key;
    if (Chance(rng, 30)) mv.auto_renew = Chance(rng, 50);
    if (Chance(rng, 40)) mv.release_destination = Chance(rng, 60);
    mv.where = {line, 5};
    line += 2;
    p.moves.push_back(mv);
  }
  // With fresh pool keys, always a bulk assign of them (the shape is for that).
  const bool bulk = shape.fresh_pool_keys > 0;
  if (bulk || Chance(rng, 35)) {
    AssignIntent a;
    static const char* kServices[] = {"am", "rm", "vm"};
    a.service = bulk ? "am" : kServices[Uniform(rng, 0, services - 1)];
    static const char* kTerms[] = {"demo", "1y", "longest"};
    a.term = *TermChoiceFromName(bulk ? "1y" : kTerms[Uniform(rng, 0, 2)]);
    const int cams = Uniform(rng, 1, shape.max_assign_cameras);
    for (int i = 0; i < cams; ++i) {
      const std::string s = in.snapshot.account.cameras[Uniform(rng, 0, m - 1)].serial;
      if (std::count(a.cameras.begin(), a.cameras.end(), s)) continue;
      a.cameras.push_back(s);
      a.camera_where.push_back({line + 1, 16});
    }
    if (Chance(rng, 50)) a.auto_renew = Chance(rng, 50);
    a.where = {line, 5};
    p.assigns.push_back(a);
  }
  return in;
}

OracleProblem GoalOf(const Instance& in, const PlannedChange& planned) {
  OracleProblem o;
  o.snapshot = in.snapshot;
  for (const Camera& c : in.snapshot.account.cameras) o.goal[c.serial];
  for (const License& l : in.snapshot.account.licenses) {
    if (l.assigned()) o.goal[l.assigned_to][l.service] = {l.key, false, l.auto_renew};
  }
  for (const PredictedCamera& c : planned.predicted.cameras) {
    auto& g = o.goal[c.serial];
    g.clear();
    for (const PredictedService& s : c.after) {
      g[s.service] = {s.key, !s.acceptable_keys.empty(), s.auto_renew};
    }
  }
  return o;
}

std::string RunRandomOrder(const OpGraph& graph, PortalModel& model, std::mt19937_64& rng,
                           TieBreak ties, int stop_after) {
  std::vector<int> waiting(graph.size());
  std::vector<std::vector<int>> next(graph.size());
  std::vector<int> ready;
  for (const Op& op : graph.ops()) {
    waiting[op.id] = static_cast<int>(op.after.size());
    for (int a : op.after) next[a].push_back(op.id);
    if (op.after.empty()) ready.push_back(op.id);
  }
  auto choose = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  auto tie = [&](std::size_t n) -> std::size_t {
    switch (ties) {
      case TieBreak::kFirst:
        return 0;
      case TieBreak::kLast:
        return n - 1;
      case TieBreak::kRandom:
        break;
    }
    return choose(n);
  };
  int done = 0;
  while (!ready.empty()) {
    if (done == stop_after) return "";
    const std::size_t i = choose(ready.size());
    const int id = ready[i];
    ready.erase(ready.begin() + static_cast<long>(i));
    std::string err = model.Apply(graph.op(id), tie);
    if (!err.empty()) return "op " + std::to_string(id) + ": " + err;
    ++done;
    for (int n : next[id]) {
      if (--waiting[n] == 0) ready.push_back(n);
    }
  }
  return done == graph.size() ? "" : "the graph has a cycle";
}

std::string Describe(const Instance& in) {
  std::string s = "account:\n";
  for (const License& l : in.snapshot.account.licenses) {
    s += "  " + l.key + " " + l.service + " " + std::to_string(l.term_days) + "d remaining " +
         std::to_string(RemainingSeconds(l, in.snapshot.now) / kSecondsPerDay) + "d on " +
         (l.assigned() ? l.assigned_to : "pool") + "\n";
  }
  s += "plan: restore_sources=" + std::to_string(in.plan.options.restore_sources) +
       " release_destinations=" + std::to_string(in.plan.options.release_destinations) + "\n";
  for (const MoveIntent& m : in.plan.moves) {
    s += "  move " + m.from + " -> " + m.to + " " + m.service.value_or("(service?)") +
         (m.release_destination ? " release=" + std::to_string(*m.release_destination) : "") + "\n";
  }
  for (const AssignIntent& a : in.plan.assigns) {
    s += "  assign " + a.service + " " + TermChoiceName(a.term) + " to";
    for (const std::string& c : a.cameras) s += " " + c;
    s += "\n";
  }
  return s;
}

Instance GeneratedInstance(int cameras, int moves, int assigns) {
  FleetGenOptions o;
  o.cameras = cameras;
  o.moves = moves;
  o.assigns = assigns;
  o.seed = 7;
  const GeneratedFleet files = GenerateFleet(o);
  Result<Fleet> fleet = ParseFleet(files.fleet_yaml, "fleet.yaml");
  Result<Plan> plan = ParsePlan(files.plan_yaml, "plan.yaml");
  EXPECT_TRUE(fleet.ok() && plan.ok());
  return Instance{{fleet->accounts.front(), fleet->now}, std::move(*plan)};
}

}  // namespace licmove::testing
