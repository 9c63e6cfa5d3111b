#include "planner/restore.h"

#include <algorithm>
#include <map>
#include <set>

namespace licmove {

namespace {

struct Target {
  std::string camera;
  std::string service;
  std::string key;
  bool auto_renew = false;
  std::int64_t remaining = 0;
};

// The chain being built, and the portal as it will be after each op.
class Chain {
 public:
  explicit Chain(UnixSeconds now) : now_(now) {}

  void Add(Op op) {
    if (last_ >= 0) op.after = {last_};
    last_ = graph_.Add(std::move(op));
  }
  void EnterPool(const License& l) {
    pool_[l.service][l.key] = RemainingSeconds(l, now_);
    license_[l.key] = l;
  }
  void LeavePool(const std::string& service, const std::string& key) { pool_[service].erase(key); }
  void Park(const std::string& service, const std::string& key) {
    Op op;
    op.kind = OpKind::kPark;
    op.service = service;
    op.key = key;
    Add(op);
    LeavePool(service, key);
    parked_.insert(key);
  }
  void Unpark(const std::string& key) {
    const License& l = license_.at(key);
    Op op;
    op.kind = OpKind::kUnpark;
    op.service = l.service;
    op.key = key;
    Add(op);
    parked_.erase(key);
    EnterPool(l);
  }
  const std::map<std::string, std::int64_t>& pool(const std::string& service) {
    return pool_[service];
  }
  bool parked(const std::string& key) const { return parked_.count(key) > 0; }
  std::vector<std::string> parked_keys() const { return {parked_.begin(), parked_.end()}; }
  OpGraph Take() {
    graph_.Finish();
    return std::move(graph_);
  }

 private:
  UnixSeconds now_;
  OpGraph graph_;
  int last_ = -1;
  std::map<std::string, std::map<std::string, std::int64_t>> pool_;  // service -> key -> rem
  std::map<std::string, License> license_;
  std::set<std::string> parked_;
};

}  // namespace

Result<PlannedChange> BuildRestorePlan(const Binding& before, const AccountSnapshot& current) {
  const Account& account = current.account;
  std::map<std::string, const License*> now_by_key;
  for (const License& l : account.licenses) now_by_key[l.key] = &l;
  std::set<std::string> bound_cameras;
  for (const BoundCamera& c : before.cameras) bound_cameras.insert(c.serial);

  Chain chain(current.now);
  for (const License& l : account.licenses) {
    if (!l.assigned()) chain.EnterPool(l);
  }

  // Keys of the run: each must be in the account (or come back by unpark),
  // and only on cameras the run touched.
  std::vector<std::string> problems;
  std::vector<License> to_unpark;
  for (const BoundLicense& bl : before.licenses) {
    auto it = now_by_key.find(bl.key);
    if (it == now_by_key.end()) {
      License l{bl.key, bl.service, bl.term_days, bl.activated_at};
      to_unpark.push_back(l);
      continue;
    }
    const License& l = *it->second;
    if (l.assigned() && !bound_cameras.count(l.assigned_to)) {
      problems.push_back("key " + bl.key + " is now on camera " + l.assigned_to +
                         ", which the run did not touch");
    }
  }
  if (!problems.empty()) {
    std::string message = "the account changed since the run in ways a rollback must not undo:";
    for (const std::string& p : problems) message += "\n  " + p;
    return Status::Conflict(message);
  }
  for (const License& l : to_unpark) {
    // Its clock: the journaled activated_at (a parked key's clock runs on).
    Op op;
    op.kind = OpKind::kUnpark;
    op.service = l.service;
    op.key = l.key;
    chain.Add(op);
    chain.EnterPool(l);
  }

  // Cameras: untouched when exactly as before; given what they miss when
  // everything they hold is right; removed and re-added otherwise.
  std::vector<Target> targets;
  for (const BoundCamera& bc : before.cameras) {
    const Camera* cam = account.FindCamera(bc.serial);
    std::map<std::string, const License*> held;  // service -> license
    if (cam) {
      for (const License& l : account.licenses) {
        if (l.assigned_to == bc.serial) held[l.service] = &l;
      }
    }
    bool all_right = true;
    for (const auto& [service, l] : held) {
      auto want =
          std::find_if(bc.services.begin(), bc.services.end(),
                       [&name = service](const BoundService& s) { return s.service == name; });
      if (want == bc.services.end() || want->key != l->key || want->auto_renew != l->auto_renew) {
        all_right = false;
      }
    }
    const bool remove = cam && !all_right;
    if (remove) {
      Op op;
      op.kind = OpKind::kRemoveCamera;
      op.camera = bc.serial;
      chain.Add(op);
      for (const auto& [service, l] : held) chain.EnterPool(*l);
      held.clear();
    }
    if (!cam || remove) {
      Op op;
      op.kind = OpKind::kAddCamera;
      op.camera = bc.serial;
      op.name = bc.name;
      op.site = bc.site;
      chain.Add(op);
    }
    for (const BoundService& s : bc.services) {
      if (held.count(s.service)) continue;
      targets.push_back({bc.serial, s.service, s.key, s.auto_renew, 0});
    }
  }

  // Activations, service by service, shortest first: each key is made the
  // unique minimum of its pool before the portal is asked.
  for (Target& t : targets) {
    const License* l = now_by_key.count(t.key) ? now_by_key[t.key] : nullptr;
    if (l) {
      t.remaining = RemainingSeconds(*l, current.now);
    } else {
      auto bl = std::find_if(before.licenses.begin(), before.licenses.end(),
                             [&](const BoundLicense& b) { return b.key == t.key; });
      if (bl == before.licenses.end()) {
        return Status::Internal("rollback: key " + t.key + " of " + t.camera +
                                " is not in the run's binding");
      }
      t.remaining = RemainingSeconds(License{bl->key, bl->service, bl->term_days, bl->activated_at},
                                     current.now);
    }
  }
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) {
    return std::tie(a.service, a.remaining, a.key) < std::tie(b.service, b.remaining, b.key);
  });
  for (const Target& t : targets) {
    if (chain.parked(t.key)) chain.Unpark(t.key);
    const auto& pool = chain.pool(t.service);
    if (!pool.count(t.key)) {
      return Status::Internal("rollback: key " + t.key + " for " + t.camera +
                              " would not be in the pool when it is activated");
    }
    std::vector<std::string> blockers;
    for (const auto& [key, remaining] : pool) {
      if (key != t.key && remaining <= t.remaining) blockers.push_back(key);
    }
    for (const std::string& key : blockers) chain.Park(t.service, key);
    Op op;
    op.kind = OpKind::kActivate;
    op.camera = t.camera;
    op.service = t.service;
    op.expect_key = t.key;
    op.auto_renew = t.auto_renew;
    op.intent = "restore";
    chain.Add(op);
    chain.LeavePool(t.service, t.key);
  }
  for (const std::string& key : chain.parked_keys()) chain.Unpark(key);

  PlannedChange out;
  out.plan_file = "rollback";
  out.account = account.name;
  out.now = current.now;
  out.graph = chain.Take();
  if (Status s = out.graph.Validate(); !s.ok()) return s;
  out.summary.calls = out.graph.size();
  out.summary.critical_path = out.graph.size();
  for (const Op& op : out.graph.ops()) {
    out.summary.activations += op.kind == OpKind::kActivate;
    out.summary.cameras_removed += op.kind == OpKind::kRemoveCamera;
    out.summary.parks += op.kind == OpKind::kPark;
  }
  return out;
}

}  // namespace licmove
