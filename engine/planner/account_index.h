// The planner's indexes over one account snapshot: cameras by serial, licenses
// by key, what each camera holds, each service's pool. Built once per plan
// (the model's Account is plain data with linear look-ups).
//
// Cameras and licenses are numbered in canonical order, cameras by serial and
// licenses by key, whatever order the snapshot lists them in (a fleet file's
// order, the portal's pages): the same account read from a fleet file and
// from the portal gives the same plan. The snapshot is not copied to get
// there: the index keeps the order as pointers.
//
// REQUIRES: the snapshot outlives the index (it keeps views of its strings).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/account.h"
#include "model/flat_index.h"

namespace licmove {

class AccountIndex {
 public:
  explicit AccountIndex(const AccountSnapshot& snapshot);
  AccountIndex(const AccountIndex&) = delete;
  AccountIndex& operator=(const AccountIndex&) = delete;

  const AccountSnapshot& snapshot() const { return snapshot_; }
  const Account& account() const { return snapshot_.account; }
  const Camera& camera(int c) const { return *cameras_[c]; }
  const License& license(int l) const { return *licenses_[l]; }
  int num_cameras() const { return static_cast<int>(cameras_.size()); }
  int num_licenses() const { return static_cast<int>(licenses_.size()); }

  // -1 when absent.
  int CameraIndex(std::string_view serial) const;
  int LicenseIndex(std::string_view key) const;
  int ServiceId(std::string_view service) const;

  const std::string& ServiceName(int service) const { return services_[service]; }
  int num_services() const { return static_cast<int>(services_.size()); }

  // Licenses assigned to camera `c`, one per service.
  std::span<const int> LicensesOn(int c) const {
    return {on_camera_.data() + on_camera_start_[c],
            static_cast<std::size_t>(on_camera_start_[c + 1] - on_camera_start_[c])};
  }
  // The license of `service` on camera `c`, or -1.
  int LicenseOn(int c, int service) const;
  // Unassigned licenses of `service`.
  const std::vector<int>& Pool(int service) const { return pool_[service]; }

  int ServiceOf(int l) const { return license_service_[l]; }
  int CameraOf(int l) const { return license_camera_[l]; }  // -1: in the pool
  // Whole seconds of validity left at the snapshot's `now`.
  std::int64_t Remaining(int l) const { return remaining_[l]; }

 private:
  const AccountSnapshot& snapshot_;
  std::vector<const Camera*> cameras_;    // by serial
  std::vector<const License*> licenses_;  // by key
  FlatIndex camera_by_serial_;
  FlatIndex license_by_key_;
  std::unordered_map<std::string_view, int> service_by_name_;
  std::vector<std::string> services_;
  std::vector<int> on_camera_;        // licenses grouped by camera
  std::vector<int> on_camera_start_;  // camera c's are [start[c], start[c+1])
  std::vector<std::vector<int>> pool_;
  std::vector<int> license_service_;
  std::vector<int> license_camera_;
  std::vector<std::int64_t> remaining_;
};

}  // namespace licmove
