#include "model/account.h"

namespace licmove {

const Camera* Account::FindCamera(std::string_view serial) const {
  for (const Camera& c : cameras) {
    if (c.serial == serial) return &c;
  }
  return nullptr;
}

const License* Account::FindLicense(std::string_view key) const {
  for (const License& l : licenses) {
    if (l.key == key) return &l;
  }
  return nullptr;
}

const License* Account::LicenseOn(std::string_view serial, std::string_view service) const {
  for (const License& l : licenses) {
    if (l.assigned_to == serial && l.service == service) return &l;
  }
  return nullptr;
}

}  // namespace licmove
