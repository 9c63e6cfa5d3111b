#include "planner/account_index.h"

#include <algorithm>
#include <cstdint>

namespace licmove {

namespace {

// 8 bytes of `s` from `at` as a number that orders as the bytes do.
std::uint64_t Prefix(std::string_view s, std::size_t at) {
  std::uint64_t p = 0;
  for (std::size_t i = at; i < at + 8; ++i) {
    p = (p << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  }
  return p;
}

// Pointers to `items` in the order of their `name` (serial, key); sorted only
// when not already. The sort compares 16-byte prefixes held in one array
// (a whole key such as AM-3Y-0000002), and the strings only on a tie:
// comparing the strings themselves reads two objects scattered over the
// snapshot per comparison.
template <class T, class Name>
std::vector<const T*> InOrder(const std::vector<T>& items, Name name) {
  std::vector<const T*> out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(&item);
  const auto by_name = [&](const T* a, const T* b) { return name(*a) < name(*b); };
  if (std::is_sorted(out.begin(), out.end(), by_name)) return out;
  struct Entry {
    std::uint64_t head, tail;
    const T* item;
  };
  std::vector<Entry> entries;
  entries.reserve(items.size());
  for (const T* item : out) {
    const std::string_view n = name(*item);
    entries.push_back({Prefix(n, 0), Prefix(n, 8), item});
  }
  std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.tail != b.tail) return a.tail < b.tail;
    return name(*a.item) < name(*b.item);
  });
  for (std::size_t i = 0; i < entries.size(); ++i) out[i] = entries[i].item;
  return out;
}

}  // namespace

AccountIndex::AccountIndex(const AccountSnapshot& snapshot)
    : snapshot_(snapshot),
      cameras_(InOrder(snapshot.account.cameras,
                       [](const Camera& c) -> std::string_view { return c.serial; })),
      licenses_(InOrder(snapshot.account.licenses,
                        [](const License& l) -> std::string_view { return l.key; })) {
  const int nc = num_cameras();
  const int nl = num_licenses();
  {
    std::vector<std::string_view> serials(nc), keys(nl);
    for (int c = 0; c < nc; ++c) serials[c] = camera(c).serial;
    for (int l = 0; l < nl; ++l) keys[l] = license(l).key;
    camera_by_serial_.Build(std::move(serials));
    license_by_key_.Build(std::move(keys));
  }
  license_service_.resize(nl);
  license_camera_.assign(nl, -1);
  remaining_.resize(nl);
  on_camera_start_.assign(nc + 1, 0);
  int last_service = -1;
  for (int l = 0; l < nl; ++l) {
    const License& lic = license(l);
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
