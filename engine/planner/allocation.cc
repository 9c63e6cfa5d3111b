#include "planner/allocation.h"

#include <algorithm>
#include <unordered_map>

namespace licmove {

Allocation AllocateTargets(const Placements& p, const AccountIndex& index) {
  Allocation out;
  out.camera_removed.assign(index.num_cameras(), false);
  std::vector<bool> is_source(index.num_cameras(), false);
  // (camera, service) pairs released for an incoming license of that service.
  std::unordered_map<long long, bool> released_for;
  auto pair_key = [](int camera, int service) {
    return (static_cast<long long>(camera) << 32) | static_cast<unsigned>(service);
  };
  std::vector<bool> moved(index.num_licenses(), false);
  for (const ResolvedMove& m : p.moves) moved[m.license] = true;

  for (const ResolvedMove& m : p.moves) {
    is_source[m.from] = true;
    out.camera_removed[m.from] = true;
    out.placements.push_back(
        {PlacementKind::kMove, m.to, m.service, m.license, m.auto_renew, m.where, m.from, m.file});
  }
  auto release_if_held = [&](int camera, int service, bool release) {
    int held = index.LicenseOn(camera, service);
    if (held >= 0 && !moved[held] && release) {
      out.camera_removed[camera] = true;
      released_for[pair_key(camera, service)] = true;
    }
  };
  for (const ResolvedMove& m : p.moves) release_if_held(m.to, m.service, m.release_destination);
  for (const ResolvedAssign& a : p.assigns) {
    // A released destination whose own key is interchangeable with the pick
    // already holds what the assign gives: nothing to do (unless the auto_renew
    // setting differs, which only a new activation can change, or the camera is
    // a source whose other services go back to the pool, that key with them).
    const int held = index.LicenseOn(a.camera, a.service);
    const bool keeps_held = !is_source[a.camera] || p.restore_sources;
    if (held >= 0 && !moved[held] && a.release_destination && keeps_held &&
        index.license(held).term_days == index.license(a.license).term_days &&
        index.Remaining(held) == index.Remaining(a.license) &&
        index.license(held).auto_renew == a.auto_renew) {
      continue;
    }
    release_if_held(a.camera, a.service, a.release_destination);
    out.placements.push_back(
        {PlacementKind::kAssign, a.camera, a.service, a.license, a.auto_renew, a.where});
  }

  for (int c = 0; c < index.num_cameras(); ++c) {
    if (!out.camera_removed[c]) continue;
    out.removed.push_back(c);
    for (int l : index.LicensesOn(c)) {
      if (moved[l]) continue;  // placed by its move
      const int service = index.ServiceOf(l);
      const bool dropped =
          released_for.count(pair_key(c, service)) || (is_source[c] && !p.restore_sources);
      if (dropped) {
        out.left_in_pool.push_back(l);
      } else {
        out.placements.push_back(
            {PlacementKind::kRestore, c, service, l, index.license(l).auto_renew, TextPosition{}});
      }
    }
  }
  return out;
}

}  // namespace licmove
