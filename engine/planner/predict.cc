#include "planner/predict.h"

#include <algorithm>
#include <map>
#include <set>

namespace licmove {
namespace {

constexpr int kPool = -1;
constexpr int kParked = -2;

Status Broken(const Op& op, const std::string& what) {
  return Status::Internal("op " + std::to_string(op.id) + " (" + std::string(OpKindName(op.kind)) +
                          "): " + what);
}

}  // namespace

Result<PredictedState> PredictAndCheck(const OpGraph& graph, const Allocation& allocation,
                                       const AccountIndex& index) {
  if (Status s = graph.Validate(); !s.ok()) return s;
  const int nc = index.num_cameras(), nl = index.num_licenses();
  std::vector<bool> present(nc, true);
  std::vector<int> where(nl);
  std::vector<bool> auto_renew(nl, false);
  // The pool per service: how many keys have each validity (the portal hands
  // out one of the smallest; which ones they are is found only on errors).
  std::vector<std::map<std::int64_t, int>> at_level(index.num_services());
  // Acceptable-key lists: each license in at most one; members in the pool.
  std::map<const std::string*, int> list_id;
  std::vector<int> list_of(nl, -1);
  std::vector<int> list_in_pool;
  std::vector<std::int64_t> list_remaining;
  for (const Op& op : graph.ops()) {
    if (op.acceptable_keys.empty()) continue;
    auto [it, fresh] = list_id.emplace(op.acceptable_keys.begin(), list_in_pool.size());
    if (!fresh) continue;
    list_in_pool.push_back(0);
    list_remaining.push_back(-1);
    int first = -1;
    for (const std::string& key : op.acceptable_keys) {
      const int l = index.LicenseIndex(key);
      if (l < 0) return Broken(op, "unknown key " + key);
      if (list_of[l] >= 0) return Broken(op, "key " + key + " is in two acceptable lists");
      list_of[l] = it->second;
      if (first < 0) {
        first = l;
        list_remaining.back() = index.Remaining(l);
      }
      const License& a = index.license(first);
      const License& b = index.license(l);
      if (a.service != b.service || a.term_days != b.term_days ||
          index.Remaining(first) != index.Remaining(l)) {
        return Broken(op,
                      "acceptable keys " + a.key + " and " + b.key + " are not interchangeable");
      }
    }
  }
  auto to_pool = [&](int l) {
    const int s = index.ServiceOf(l);
    ++at_level[s][index.Remaining(l)];
    if (list_of[l] >= 0) ++list_in_pool[list_of[l]];
  };
  auto from_pool = [&](int l) {
    const int s = index.ServiceOf(l);
    auto it = at_level[s].find(index.Remaining(l));
    if (--it->second == 0) at_level[s].erase(it);
    if (list_of[l] >= 0) --list_in_pool[list_of[l]];
  };
  for (int l = 0; l < nl; ++l) {
    where[l] = index.CameraOf(l);
    auto_renew[l] = index.license(l).auto_renew;
    if (where[l] == kPool) to_pool(l);
  }
  std::vector<bool> touched_camera(nc, false), touched_key(nl, false), parked_once(nl, false);
  // Licenses that arrive on a camera are not in LicensesOn: tracked apart.
  std::vector<std::vector<int>> arrived(nc);
  auto holding = [&](int c, int service) {
    for (int l : index.LicensesOn(c)) {
      if (where[l] == c && index.ServiceOf(l) == service) return l;
    }
    for (int a : arrived[c]) {
      if (where[a] == c && index.ServiceOf(a) == service) return a;
    }
    return -1;
  };
  for (int id : graph.TopologicalOrder()) {
    const Op& op = graph.op(id);
    switch (op.kind) {
      case OpKind::kRemoveCamera:
      case OpKind::kAddCamera: {
        const int c = index.CameraIndex(op.camera);
        if (c < 0) return Broken(op, "unknown camera " + op.camera);
        touched_camera[c] = true;
        const bool removing = op.kind == OpKind::kRemoveCamera;
        if (present[c] != removing) {
          return Broken(op, "camera " + op.camera + (removing ? " is not there" : " is there"));
        }
        present[c] = !removing;
        if (removing) {
          auto release = [&](int l) {
            if (where[l] != c) return;
            where[l] = kPool;
            touched_key[l] = true;
            to_pool(l);
          };
          for (int l : index.LicensesOn(c)) release(l);
          for (int l : arrived[c]) release(l);
        }
        break;
      }
      case OpKind::kActivate: {
        const int c = index.CameraIndex(op.camera);
        const int service = index.ServiceId(op.service);
        if (c < 0 || !present[c]) return Broken(op, "camera " + op.camera + " is not there");
        if (service < 0 || holding(c, service) >= 0) {
          return Broken(op, "camera " + op.camera + " already holds " + op.service);
        }
        if (at_level[service].empty()) {
          return Broken(op, "no " + op.service + " license in the pool");
        }
        // The portal hands out the shortest; a tie is fine only among keys the
        // op accepts.
        const auto [m, tied] = *at_level[service].begin();
        const int expect = index.LicenseIndex(op.expect_key);
        const bool expect_there = expect >= 0 && where[expect] == kPool &&
                                  index.ServiceOf(expect) == service &&
                                  index.Remaining(expect) == m;
        const int list = op.acceptable_keys.empty() ? -1 : list_id.at(op.acceptable_keys.begin());
        const int accepted_tied =
            list >= 0 ? (list_remaining[list] == m ? list_in_pool[list] : 0) : expect_there;
        if (accepted_tied != tied || !(expect_there || list >= 0)) {
          for (int l = 0; l < nl; ++l) {
            if (where[l] != kPool || index.ServiceOf(l) != service || index.Remaining(l) != m)
              continue;
            if (l != expect && (list < 0 || list_of[l] != list)) {
              return Broken(op, "the portal could hand out " + index.license(l).key +
                                    " instead of " + op.expect_key);
            }
          }
          return Broken(op, op.expect_key + " is not the shortest in the pool");
        }
        int pick = expect_there ? expect : -1;
        for (std::size_t i = 0; pick < 0 && i < op.acceptable_keys.size(); ++i) {
          const int l = index.LicenseIndex(op.acceptable_keys[i]);
          if (where[l] == kPool) pick = l;
        }
        from_pool(pick);
        where[pick] = c;
        auto_renew[pick] = op.auto_renew;
        touched_key[pick] = true;
        touched_camera[c] = true;
        arrived[c].push_back(pick);
        break;
      }
      case OpKind::kPark:
      case OpKind::kUnpark: {
        const int l = index.LicenseIndex(op.key);
        if (l < 0) return Broken(op, "unknown key " + op.key);
        const bool parking = op.kind == OpKind::kPark;
        if (where[l] != (parking ? kPool : kParked)) {
          return Broken(op, op.key + (parking ? " is not in the pool" : " is not parked"));
        }
        where[l] = parking ? kParked : kPool;
        touched_key[l] = true;
        parked_once[l] = true;
        if (parking) {
          from_pool(l);
        } else {
          to_pool(l);
        }
        break;
      }
    }
  }

  // Invariants: nothing parked or lost, every camera back, the targets reached.
  for (int c = 0; c < nc; ++c) {
    if (!present[c]) {
      return Status::Internal("camera " + index.camera(c).serial + " is missing at the end");
    }
  }
  for (int l = 0; l < nl; ++l) {
    if (where[l] == kParked) {
      return Status::Internal("key " + index.license(l).key + " is left parked");
    }
  }
  std::vector<std::vector<int>> expected(nc);    // placements by camera
  std::vector<bool> taken_by_assign(nl, false);  // held by an assign's camera, its pick or not
  for (const TargetPlacement& t : allocation.placements) {
    const int got = holding(t.camera, t.service);
    if (got < 0) {
      return Status::Internal("camera " + index.camera(t.camera).serial + " ends without " +
                              index.ServiceName(t.service));
    }
    const License& want = index.license(t.license);
    const License& have = index.license(got);
    const bool same = got == t.license;
    const bool interchangeable = t.kind == PlacementKind::kAssign && have.service == want.service &&
                                 have.term_days == want.term_days &&
                                 index.Remaining(got) == index.Remaining(t.license);
    if (!same && !interchangeable) {
      return Status::Internal("camera " + index.camera(t.camera).serial + " ends with " + have.key +
                              " instead of " + want.key);
    }
    if (t.kind == PlacementKind::kAssign) taken_by_assign[got] = true;
    expected[t.camera].push_back(t.service);
  }
  for (int c = 0; c < nc; ++c) {
    if (!touched_camera[c]) continue;
    if (!allocation.camera_removed[c]) continue;
    // A re-added camera holds exactly what the plan gives it.
    int count = 0;
    for (int l : index.LicensesOn(c)) count += where[l] == c;
    for (int l : arrived[c]) count += where[l] == c && index.CameraOf(l) != c;
    if (count != static_cast<int>(expected[c].size())) {
      return Status::Internal("camera " + index.camera(c).serial + " ends with " +
                              std::to_string(count) + " services, the plan gives it " +
                              std::to_string(expected[c].size()));
    }
  }
  // A key left in the pool is interchangeable with an assign's pick of its
  // term and validity (problem.h: groups), so that assign may end with it and
  // leave its pick in the pool instead: the witness does so when the pick
  // waits parked, the portal whenever both are in the pool at the activation.
  // Then the pool ends with the same validities, only another key of them.
  for (int l : allocation.left_in_pool) {
    if (where[l] != kPool && !taken_by_assign[l]) {
      return Status::Internal("key " + index.license(l).key + " should end in the pool");
    }
  }

  PredictedState out;
  auto services_of = [&](int c, bool at_end) {
    std::vector<PredictedService> v;
    auto add = [&](int l, bool ar) {
      v.push_back({index.ServiceName(index.ServiceOf(l)), index.license(l).key, {}, ar});
    };
    for (int l : index.LicensesOn(c)) {
      if (!at_end) {
        add(l, index.license(l).auto_renew);
      } else if (where[l] == c) {
        add(l, auto_renew[l]);
      }
    }
    if (at_end) {
      for (int l : arrived[c]) {
        if (where[l] == c && index.CameraOf(l) != c) add(l, auto_renew[l]);
      }
    }
    std::sort(v.begin(), v.end(), [](const PredictedService& a, const PredictedService& b) {
      return a.service < b.service;
    });
    return v;
  };
  std::vector<int> slot(nc, -1);
  for (int c = 0; c < nc; ++c) {
    if (!touched_camera[c]) continue;
    const Camera& cam = index.camera(c);
    slot[c] = static_cast<int>(out.cameras.size());
    out.cameras.push_back({cam.serial, cam.name, cam.site, allocation.camera_removed[c],
                           services_of(c, false), services_of(c, true)});
  }
  // An assign may end with any interchangeable key: say which.
  for (const Op& op : graph.ops()) {
    if (op.kind != OpKind::kActivate || op.acceptable_keys.empty()) continue;
    const int c = index.CameraIndex(op.camera);
    for (PredictedService& ps : out.cameras[slot[c]].after) {
      if (ps.service == op.service) ps.acceptable_keys = op.acceptable_keys;
    }
  }
  // The index numbers cameras by serial and licenses by key (account_index.h),
  // so both lists come out in that order as they are.
  std::vector<int> keys;
  for (int l = 0; l < nl; ++l) {
    if (touched_key[l]) keys.push_back(l);
  }
  out.keys.reserve(keys.size());
  for (int l : keys) {
    const License& lic = index.license(l);
    const int from = index.CameraOf(l);
    out.keys.push_back({lic.key, lic.service, from >= 0 ? index.camera(from).serial : "",
                        where[l] >= 0 ? index.camera(where[l]).serial : "", index.Remaining(l),
                        parked_once[l]});
  }
  return out;
}

}  // namespace licmove
