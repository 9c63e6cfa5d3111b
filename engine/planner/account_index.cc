#include "planner/account_index.h"

namespace licmove {

AccountIndex::AccountIndex(const AccountSnapshot& snapshot) : snapshot_(snapshot) {
  const Account& a = snapshot.account;
  const int nc = static_cast<int>(a.cameras.size());
  const int nl = static_cast<int>(a.licenses.size());
  {
    std::vector<std::string_view> serials(nc), keys(nl);
    for (int c = 0; c < nc; ++c) serials[c] = a.cameras[c].serial;
    for (int l = 0; l < nl; ++l) keys[l] = a.licenses[l].key;
    camera_by_serial_.Build(std::move(serials));
    license_by_key_.Build(std::move(keys));
  }
  license_service_.resize(nl);
  license_camera_.assign(nl, -1);
  remaining_.resize(nl);
  on_camera_start_.assign(nc + 1, 0);
  int last_service = -1;
  for (int l = 0; l < nl; ++l) {
    const License& lic = a.licenses[l];
    // Licenses come in runs of one service: look the name up only when it changes.
    if (last_service < 0 || services_[last_service] != lic.service) {
      auto [it, inserted] =
          service_by_name_.emplace(lic.service, static_cast<int>(services_.size()));
      if (inserted) {
        services_.push_back(lic.service);
        pool_.emplace_back();
      }
      last_service = it->second;
    }
    license_service_[l] = last_service;
    remaining_[l] = RemainingSeconds(lic, snapshot.now);
    if (lic.assigned()) {
      const int cam = camera_by_serial_.Find(lic.assigned_to);
      if (cam >= 0) {
        license_camera_[l] = cam;
        ++on_camera_start_[cam + 1];
        continue;
      }
    }
    pool_[last_service].push_back(l);
  }
  for (int c = 0; c < nc; ++c) on_camera_start_[c + 1] += on_camera_start_[c];
  on_camera_.resize(on_camera_start_[nc]);
  std::vector<int> fill(on_camera_start_.begin(), on_camera_start_.end() - 1);
  for (int l = 0; l < nl; ++l) {
    if (license_camera_[l] >= 0) on_camera_[fill[license_camera_[l]]++] = l;
  }
}

int AccountIndex::CameraIndex(std::string_view serial) const {
  return camera_by_serial_.Find(serial);
}

int AccountIndex::LicenseIndex(std::string_view key) const {
  return license_by_key_.Find(key);
}

int AccountIndex::ServiceId(std::string_view service) const {
  auto it = service_by_name_.find(service);
  return it == service_by_name_.end() ? -1 : it->second;
}

int AccountIndex::LicenseOn(int c, int service) const {
  for (int l : LicensesOn(c)) {
    if (license_service_[l] == service) return l;
  }
  return -1;
}

}  // namespace licmove
