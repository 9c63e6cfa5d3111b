// An in-test model of the portal's rules (DESIGN §1, R2–R6), written from the
// design brief and independently of engine/planner, so that the two can
// disagree. Plus CheckOutcome: what a plan must have achieved, derived from
// the plan file and the snapshot alone (not from the planner's allocation).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "files/plan_file.h"
#include "model/account.h"
#include "planner/op_graph.h"

namespace licmove::testing {

class PortalModel {
 public:
  explicit PortalModel(const AccountSnapshot& snapshot);

  // Applies one op as the portal would. Returns "" on success, else why it
  // failed: the portal refuses the call, or an activation would pick among
  // tied keys that are not interchangeable (no tie order is promised), or it
  // picked a key the op does not expect. Ties among interchangeable keys are
  // broken by `choose(n)` -> index in [0, n): the test makes it adversarial.
  std::string Apply(const Op& op, const std::function<std::size_t(std::size_t)>& choose);

  bool present(const std::string& serial) const { return cameras_.at(serial).present; }
  // service -> key on a camera.
  const std::map<std::string, std::string>& services(const std::string& serial) const {
    return cameras_.at(serial).services;
  }
  bool auto_renew(const std::string& key) const { return licenses_.at(key).auto_renew; }
  // "" in the pool, "#parked", else the camera serial.
  const std::string& where(const std::string& key) const { return licenses_.at(key).where; }
  std::vector<std::string> parked() const;
  std::vector<std::string> cameras() const;
  std::vector<std::string> keys() const;
  std::int64_t remaining(const std::string& key) const { return licenses_.at(key).remaining; }
  int term_days(const std::string& key) const { return licenses_.at(key).term_days; }
  const std::string& service_of(const std::string& key) const { return licenses_.at(key).service; }

 private:
  struct Cam {
    bool present = true;
    std::map<std::string, std::string> services;
  };
  struct Lic {
    std::string service;
    int term_days = 0;
    std::int64_t remaining = 0;
    std::string where;
    bool auto_renew = false;
  };
  std::map<std::string, Cam> cameras_;
  std::map<std::string, Lic> licenses_;
};

// "" when the model's state is what `plan` asks of `before`: moved keys on
// their destinations with the right auto_renew, sources and released
// destinations back with their other services (unless restore_sources is
// false), assigns holding keys of the asked term with the longest validity,
// other cameras untouched, every camera present, nothing parked.
std::string CheckOutcome(const PortalModel& model, const Plan& plan, const AccountSnapshot& before);

}  // namespace licmove::testing
