#include "planner/restore.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "planner/account_index.h"
#include "planner/allocation.h"
#include "planner/list_schedule.h"

namespace licmove {

namespace {

// The account as the planner is to see it: the current one, plus the cameras
// that are missing (present, holding nothing), each camera the run touched
// with its journaled record, and each key the run parked on a camera of its
// own (a holder, with the key's journaled clock): the holder's removal is
// the key's unpark, so the search decides when the key comes back as it
// decides when a camera is removed. Canonical order (account_index.h).
struct PlanningAccount {
  AccountSnapshot snapshot;
  std::map<std::string, std::string> holders;  // holder serial -> the key the run parked
  std::set<std::string> absent;                // cameras the run touched that are missing now
};

// Sorts after every real serial (none starts with a control character).
std::string HolderSerial(const std::string& key) {
  return "\x7fparked:" + key;
}

PlanningAccount PlanningAccountFor(const Binding& before, const AccountSnapshot& current) {
  PlanningAccount out;
  out.snapshot = current;
  Account& account = out.snapshot.account;
  for (const BoundLicense& bl : before.licenses) {
    if (account.FindLicense(bl.key)) continue;
    const std::string holder = HolderSerial(bl.key);
    account.licenses.push_back(
        License{bl.key, bl.service, bl.term_days, bl.activated_at, holder, false});
    account.cameras.push_back({holder, "", "", ""});
    out.holders[holder] = bl.key;
  }
  std::map<std::string, Camera*> by_serial;
  for (Camera& c : account.cameras) by_serial[c.serial] = &c;
  std::vector<Camera> missing;
  for (const BoundCamera& bc : before.cameras) {
    auto it = by_serial.find(bc.serial);
    if (it == by_serial.end()) {
      missing.push_back({bc.serial, bc.name, bc.site, ""});
      out.absent.insert(bc.serial);
    } else {
      it->second->name = bc.name;  // the record it is re-added with
      it->second->site = bc.site;
    }
  }
  account.cameras.insert(account.cameras.end(), missing.begin(), missing.end());
  std::sort(account.cameras.begin(), account.cameras.end(),
            [](const Camera& a, const Camera& b) { return a.serial < b.serial; });
  std::sort(account.licenses.begin(), account.licenses.end(),
            [](const License& a, const License& b) { return a.key < b.key; });
  return out;
}

// The before-state as the planner's targets (see restore.h).
Result<Allocation> RestoreTargets(const Binding& before, const PlanningAccount& planning,
                                  const AccountIndex& index) {
  Allocation out;
  out.camera_removed.assign(index.num_cameras(), false);
  std::vector<bool> placed(index.num_licenses(), false);
  for (const BoundCamera& bc : before.cameras) {
    const int c = index.CameraIndex(bc.serial);
    auto want = [&](int service) -> const BoundService* {
      for (const BoundService& s : bc.services) {
        if (s.service == index.ServiceName(service)) return &s;
      }
      return nullptr;
    };
    bool all_right = !planning.absent.count(bc.serial);
    for (int l : index.LicensesOn(c)) {
      const BoundService* s = want(index.ServiceOf(l));
      if (!s || s->key != index.license(l).key || s->auto_renew != index.license(l).auto_renew) {
        all_right = false;
      }
    }
    out.camera_removed[c] = !all_right;
    for (const BoundService& s : bc.services) {
      const int l = index.LicenseIndex(s.key);
      if (l < 0) {
        return Status::Conflict("key " + s.key + " of camera " + bc.serial +
                                " before the run is neither in the account nor parked by the run");
      }
      if (all_right && index.CameraOf(l) == c) continue;  // in place
      TargetPlacement t;
      t.kind = PlacementKind::kRestore;
      t.camera = c;
      t.service = index.ServiceOf(l);
      t.license = l;
      t.auto_renew = s.auto_renew;
      out.placements.push_back(t);
      placed[l] = true;
    }
  }
  for (const auto& [holder, key] : planning.holders) {
    out.camera_removed[index.CameraIndex(holder)] = true;
  }
  for (int c = 0; c < index.num_cameras(); ++c) {
    if (!out.camera_removed[c]) continue;
    out.removed.push_back(c);
    for (int l : index.LicensesOn(c)) {
      if (!placed[l]) out.left_in_pool.push_back(l);
    }
  }
  std::sort(out.placements.begin(), out.placements.end(),
            [](const TargetPlacement& a, const TargetPlacement& b) {
              return std::tie(a.camera, a.service) < std::tie(b.camera, b.service);
            });
  return out;
}

// A graph rewritten: some ops dropped (their dependants wait for what they
// waited for instead), new ops put first, each before the ops named with it.
struct FrontOp {
  Op op;
  std::vector<int> before;  // ids in the old graph
};

OpGraph Rewrite(const OpGraph& old, const std::vector<bool>& drop, const std::map<int, Op>& replace,
                const std::vector<FrontOp>& front) {
  const int n = old.size();
  std::vector<int> new_id(n, -1);
  int next = static_cast<int>(front.size());
  for (int i = 0; i < n; ++i) {
    if (!drop[i]) new_id[i] = next++;
  }
  // What a dropped op stood for: the kept ops it waited for, transitively.
  std::vector<std::vector<int>> stands_for(n);
  for (int id : old.TopologicalOrder()) {
    if (!drop[id]) continue;
    std::set<int> preds;
    for (int a : old.op(id).after) {
      if (drop[a]) {
        preds.insert(stands_for[a].begin(), stands_for[a].end());
      } else {
        preds.insert(new_id[a]);
      }
    }
    stands_for[id].assign(preds.begin(), preds.end());
  }
  std::vector<std::vector<int>> extra(n);
  for (int f = 0; f < static_cast<int>(front.size()); ++f) {
    for (int b : front[f].before) extra[b].push_back(f);
  }
  OpGraph g;
  g.Reserve(next);
  for (const FrontOp& f : front) {
    Op op = f.op;
    op.after.clear();
    g.Add(std::move(op));
  }
  for (int i = 0; i < n; ++i) {
    if (drop[i]) continue;
    auto r = replace.find(i);
    Op op = r != replace.end() ? r->second : old.op(i);
    op.after = old.op(i).after;
    std::vector<int> after;
    for (int a : op.after) {
      if (drop[a]) {
        after.insert(after.end(), stands_for[a].begin(), stands_for[a].end());
      } else {
        after.push_back(new_id[a]);
      }
    }
    after.insert(after.end(), extra[i].begin(), extra[i].end());
    op.after = std::move(after);
    op.id = -1;
    g.Add(std::move(op));
  }
  g.Finish();
  return g;
}

Op KeyOp(OpKind kind, const std::string& service, const std::string& key) {
  Op op;
  op.kind = kind;
  op.service = service;
  op.key = key;
  return op;
}

}  // namespace

std::vector<std::string> KeysBroughtIn(const SavedPlan& run) {
  std::set<std::string> bound;
  for (const BoundLicense& bl : run.binding.licenses) bound.insert(bl.key);
  std::set<std::string> out;
  for (const Op& op : run.graph.ops()) {
    if (op.kind == OpKind::kUnpark && !bound.count(op.key)) out.insert(op.key);
  }
  return {out.begin(), out.end()};
}

Result<PlannedChange> BuildRestorePlan(const Binding& before, const AccountSnapshot& current,
                                       const RestoreOptions& options) {
  const Account& account = current.account;
  std::set<std::string> bound_cameras;
  for (const BoundCamera& c : before.cameras) bound_cameras.insert(c.serial);

  // Keys of the run: only on cameras the run touched.
  std::vector<std::string> problems;
  auto check_key = [&](const std::string& key) {
    const License* l = account.FindLicense(key);
    if (l && l->assigned() && !bound_cameras.count(l->assigned_to)) {
      problems.push_back("key " + key + " is now on camera " + l->assigned_to +
                         ", which the run did not touch");
    }
  };
  for (const BoundLicense& bl : before.licenses) check_key(bl.key);
  for (const std::string& key : options.brought_in) check_key(key);
  if (!problems.empty()) {
    std::string message = "the account changed since the run in ways a rollback must not undo:";
    for (const std::string& p : problems) message += "\n  " + p;
    return Status::Conflict(message);
  }

  const PlanningAccount planning = PlanningAccountFor(before, current);
  const AccountIndex index(planning.snapshot);
  Result<Allocation> allocation = RestoreTargets(before, planning, index);
  if (!allocation.ok()) return allocation.status();
  Result<PlannedChange> planned = PlanTargets(*allocation, index, options.planner);
  if (!planned.ok()) return planned.status();

  // From the planning account back to the real one (restore.h).
  const OpGraph& g = planned->graph;
  std::set<std::string> brought_in;
  for (const std::string& key : options.brought_in) {
    if (account.FindLicense(key)) brought_in.insert(key);  // outside already: nothing to do
  }
  std::vector<bool> drop(g.size(), false);
  std::map<int, Op> replace;
  std::map<std::string, int> parked_by_plan;  // key -> park op
  std::map<std::string, int> holder_removal;  // key the run parked -> its holder's removal
  std::map<std::string, int> removal;         // camera -> op id
  for (const Op& op : g.ops()) {
    switch (op.kind) {
      case OpKind::kRemoveCamera:
        removal[op.camera] = op.id;
        drop[op.id] = planning.absent.count(op.camera) > 0;
        if (auto h = planning.holders.find(op.camera); h != planning.holders.end()) {
          holder_removal[h->second] = op.id;
          const License* l = planning.snapshot.account.FindLicense(h->second);
          replace[op.id] = KeyOp(OpKind::kUnpark, l->service, l->key);
        }
        break;
      case OpKind::kAddCamera:
        drop[op.id] = planning.holders.count(op.camera) > 0;
        break;
      case OpKind::kPark:
        parked_by_plan[op.key] = op.id;
        break;
      case OpKind::kUnpark:
        drop[op.id] = brought_in.count(op.key) > 0;
        break;
      case OpKind::kActivate:
        break;
    }
  }
  // A key the run parked that the search releases and parks at once: it
  // stays out (both dropped) until the search's own unpark.
  for (const auto& [key, remove] : holder_removal) {
    if (auto p = parked_by_plan.find(key); p != parked_by_plan.end()) {
      drop[remove] = drop[p->second] = true;
    }
  }
  std::vector<FrontOp> front;
  std::vector<std::pair<std::string, int>> late_parks;  // key, removal it waits for
  for (const std::string& key : brought_in) {
    if (parked_by_plan.count(key)) continue;  // its unpark was dropped
    const License* l = account.FindLicense(key);
    if (l->assigned()) {
      auto it = removal.find(l->assigned_to);
      if (it == removal.end()) {
        return Status::Internal("rollback: key " + key + " stays on camera " + l->assigned_to);
      }
      late_parks.emplace_back(key, it->second);
    } else {
      // Parking takes it out of the way of nothing: it was never the pick.
      front.push_back({KeyOp(OpKind::kPark, l->service, key), {}});
    }
  }
  OpGraph graph = Rewrite(g, drop, replace, front);
  if (!late_parks.empty()) {
    // Appended after the camera that releases it is removed.
    std::vector<int> new_id(g.size(), -1);
    int next = static_cast<int>(front.size());
    for (int i = 0; i < g.size(); ++i) {
      if (!drop[i]) new_id[i] = next++;
    }
    for (const auto& [key, remove] : late_parks) {
      Op op = KeyOp(OpKind::kPark, account.FindLicense(key)->service, key);
      const int id = graph.Add(std::move(op));
      graph.AddEdge(new_id[remove], id);
    }
    graph.Finish();
  }
  if (Status s = graph.Validate(); !s.ok()) return s;

  PlannedChange out = std::move(*planned);
  out.plan_file = "rollback";
  out.account = account.name;
  out.now = current.now;
  out.graph = std::move(graph);
  // Holders are the planner's fiction: their keys start parked.
  std::erase_if(out.predicted.cameras,
                [&](const PredictedCamera& c) { return planning.holders.count(c.serial) > 0; });
  for (PredictedKey& k : out.predicted.keys) {
    if (planning.holders.count(k.from)) {
      k.from.clear();
      k.parked = true;
    }
  }
  PlanSummary& s = out.summary;
  s.calls = out.graph.size();
  s.critical_path = static_cast<int>(out.graph.CriticalPath().size());
  s.edges = static_cast<int>(out.graph.num_edges());
  s.cameras_removed = s.activations = s.parks = 0;
  for (const Op& op : out.graph.ops()) {
    s.activations += op.kind == OpKind::kActivate;
    s.cameras_removed += op.kind == OpKind::kRemoveCamera;
    s.parks += op.kind == OpKind::kPark;
  }
  if (s.parallelism > 0) s.estimated_rounds = ListScheduleRounds(out.graph, s.parallelism);
  return out;
}

std::vector<std::string> RollbackCannotUndo(const Binding& before, const AccountSnapshot& current) {
  std::vector<std::string> out;
  for (const BoundLicense& bl : before.licenses) {
    if (bl.activated_at) continue;
    const License* now = current.account.FindLicense(bl.key);
    if (!now || !now->activated_at) continue;
    out.push_back("key " + bl.key + " (" + bl.service +
                  ") had never been activated before the run; its clock started at " +
                  FormatTimestamp(*now->activated_at) + " and keeps running");
  }
  return out;
}

}  // namespace licmove
