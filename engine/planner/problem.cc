#include "planner/problem.h"

#include <map>
#include <tuple>

namespace licmove {

Problem BuildProblem(const Allocation& allocation, const AccountIndex& index) {
  Problem p;
  p.num_services = index.num_services();
  p.key_of_license.assign(index.num_licenses(), -1);
  std::vector<int> camera_of(index.num_cameras(), -1);
  for (int c : allocation.removed) {
    camera_of[c] = static_cast<int>(p.cameras.size());
    p.cameras.push_back({c, {}, {}});
  }
  std::vector<bool> active_service(index.num_services(), false);
  std::vector<int> exact_placement(index.num_licenses(), -1);
  for (std::size_t i = 0; i < allocation.placements.size(); ++i) {
    const TargetPlacement& t = allocation.placements[i];
    active_service[t.service] = true;
    if (t.kind != PlacementKind::kAssign) exact_placement[t.license] = static_cast<int>(i);
  }

  std::map<std::tuple<int, int, std::int64_t>, int> classes;  // (service, term, remaining)
  auto add_key = [&](int l, int camera) {
    ProblemKey k;
    k.license = l;
    k.service = index.ServiceOf(l);
    k.remaining = index.Remaining(l);
    k.camera = camera;
    if (exact_placement[l] >= 0) {
      k.group = static_cast<int>(p.group_exact.size());
      p.group_exact.push_back(true);
      p.group_members.emplace_back();
    } else {
      auto cls = std::make_tuple(k.service, index.license(l).term_days, k.remaining);
      auto [it, fresh] = classes.emplace(cls, static_cast<int>(p.group_exact.size()));
      if (fresh) {
        p.group_exact.push_back(false);
        p.group_members.emplace_back();
      }
      k.group = it->second;
    }
    const int id = static_cast<int>(p.keys.size());
    p.group_members[k.group].push_back(id);
    p.key_of_license[l] = id;
    p.keys.push_back(k);
    if (camera >= 0) p.cameras[camera].keys.push_back(id);
  };
  for (int s = 0; s < index.num_services(); ++s) {
    if (!active_service[s]) continue;
    for (int l : index.Pool(s)) add_key(l, -1);
  }
  for (std::size_t pc = 0; pc < p.cameras.size(); ++pc) {
    for (int l : index.LicensesOn(p.cameras[pc].camera)) add_key(l, static_cast<int>(pc));
  }

  for (std::size_t i = 0; i < allocation.placements.size(); ++i) {
    const TargetPlacement& t = allocation.placements[i];
    ProblemActivation a;
    a.placement = static_cast<int>(i);
    a.service = t.service;
    a.key = p.key_of_license[t.license];
    a.remaining = p.keys[a.key].remaining;
    a.group = p.keys[a.key].group;
    a.exact = t.kind != PlacementKind::kAssign;
    a.dest = camera_of[t.camera];
    const int id = static_cast<int>(p.activations.size());
    if (a.exact) p.keys[a.key].activation = id;
    if (a.dest >= 0) p.cameras[a.dest].incoming.push_back(id);
    p.activations.push_back(a);
  }
  return p;
}

}  // namespace licmove
