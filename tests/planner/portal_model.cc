#include "portal_model.h"

#include <algorithm>
#include <set>

namespace licmove::testing {

PortalModel::PortalModel(const AccountSnapshot& s) {
  for (const Camera& c : s.account.cameras) cameras_[c.serial] = Cam{};
  for (const License& l : s.account.licenses) {
    Lic lic;
    lic.service = l.service;
    lic.term_days = l.term_days;
    // DESIGN §1: never activated -> the whole term; else until expiry.
    lic.remaining = l.activated_at
                        ? std::max<std::int64_t>(0, *l.activated_at + l.term_days * 86400LL - s.now)
                        : l.term_days * 86400LL;
    lic.where = l.assigned_to;
    lic.auto_renew = l.auto_renew;
    if (!l.assigned_to.empty()) cameras_[l.assigned_to].services[l.service] = l.key;
    licenses_[l.key] = lic;
  }
}

std::string PortalModel::Apply(const Op& op,
                               const std::function<std::size_t(std::size_t)>& choose) {
  switch (op.kind) {
    case OpKind::kRemoveCamera: {  // R3
      auto it = cameras_.find(op.camera);
      if (it == cameras_.end() || !it->second.present) return "remove: no camera " + op.camera;
      for (auto& [service, key] : it->second.services) licenses_[key].where = "";
      it->second.services.clear();
      it->second.present = false;
      return "";
    }
    case OpKind::kAddCamera: {  // R4
      auto it = cameras_.find(op.camera);
      if (it != cameras_.end() && it->second.present) return "add: " + op.camera + " is present";
      cameras_[op.camera] = Cam{};
      return "";
    }
    case OpKind::kActivate: {  // R2
      auto it = cameras_.find(op.camera);
      if (it == cameras_.end() || !it->second.present) return "activate: no camera " + op.camera;
      if (it->second.services.count(op.service)) {
        return "activate: " + op.camera + " already holds " + op.service;
      }
      std::vector<std::string> shortest;
      std::int64_t best = 0;
      for (const auto& [key, lic] : licenses_) {
        if (lic.service != op.service || !lic.where.empty()) continue;
        if (shortest.empty() || lic.remaining < best) {
          shortest = {key};
          best = lic.remaining;
        } else if (lic.remaining == best) {
          shortest.push_back(key);
        }
      }
      if (shortest.empty()) return "activate: no " + op.service + " license in the pool";
      for (const std::string& k : shortest) {
        if (licenses_[k].term_days != licenses_[shortest[0]].term_days) {
          return "activate " + op.service + " on " + op.camera + ": tie between " + shortest[0] +
                 " and " + k + ", which are not interchangeable";
        }
      }
      const std::string pick = shortest[choose(shortest.size()) % shortest.size()];
      const bool expected = pick == op.expect_key || std::count(op.acceptable_keys.begin(),
                                                                op.acceptable_keys.end(), pick) > 0;
      if (!expected) {
        return "activate " + op.service + " on " + op.camera + ": the portal handed out " + pick +
               ", the plan expected " + op.expect_key;
      }
      licenses_[pick].where = op.camera;
      licenses_[pick].auto_renew = op.auto_renew;
      it->second.services[op.service] = pick;
      return "";
    }
    case OpKind::kPark: {  // R5
      auto it = licenses_.find(op.key);
      if (it == licenses_.end() || !it->second.where.empty()) {
        return "park: " + op.key + " is not in the pool";
      }
      it->second.where = "#parked";
      return "";
    }
    case OpKind::kUnpark: {  // R6
      auto it = licenses_.find(op.key);
      if (it == licenses_.end() || it->second.where != "#parked") {
        return "unpark: " + op.key + " is in an account";
      }
      it->second.where = "";
      return "";
    }
  }
  return "unknown op";
}

std::vector<std::string> PortalModel::parked() const {
  std::vector<std::string> out;
  for (const auto& [key, lic] : licenses_) {
    if (lic.where == "#parked") out.push_back(key);
  }
  return out;
}

std::vector<std::string> PortalModel::cameras() const {
  std::vector<std::string> out;
  for (const auto& [serial, cam] : cameras_) out.push_back(serial);
  return out;
}

std::vector<std::string> PortalModel::keys() const {
  std::vector<std::string> out;
  for (const auto& [key, lic] : licenses_) out.push_back(key);
  return out;
}

std::string CheckOutcome(const PortalModel& m, const Plan& plan, const AccountSnapshot& before) {
  const Account& a = before.account;
  auto on = [&](const std::string& serial) {
    std::map<std::string, const License*> out;
    for (const License& l : a.licenses) {
      if (l.assigned_to == serial) out[l.service] = &l;
    }
    return out;
  };
  // What each camera must hold at the end: service -> key ("*" for an assign).
  std::map<std::string, std::map<std::string, std::string>> want;
  std::map<std::string, std::map<std::string, bool>> want_renew;
  std::set<std::string> sources;
  std::map<std::string, std::set<std::string>> brought;  // camera -> services the plan brings
  std::set<std::string> moved_keys;
  for (const MoveIntent& mv : plan.moves) {
    auto src = on(mv.from);
    const License* l = mv.service ? src[*mv.service] : src.begin()->second;
    moved_keys.insert(l->key);
  }
  for (const Camera& c : a.cameras) {
    for (auto& [service, l] : on(c.serial)) {
      if (!moved_keys.count(l->key)) {
        want[c.serial][service] = l->key;
        want_renew[c.serial][service] = l->auto_renew;
      }
    }
  }
  for (const MoveIntent& mv : plan.moves) {
    auto src = on(mv.from);
    const License* l = mv.service ? src[*mv.service] : src.begin()->second;
    sources.insert(mv.from);
    brought[mv.to].insert(l->service);
    want[mv.to][l->service] = l->key;
    want_renew[mv.to][l->service] = mv.auto_renew.value_or(l->auto_renew);
  }
  // Assigns: the longest validity of the term, in plan order.
  std::set<std::string> taken;
  for (const AssignIntent& as : plan.assigns) {
    std::vector<const License*> pool;
    for (const License& l : a.licenses) {
      if (!l.assigned_to.empty() || l.service != as.service || taken.count(l.key)) continue;
      const std::int64_t rem = m.remaining(l.key);
      if (rem <= 0) continue;
      if (!as.term.longest && l.term_days != TermDays(as.term.term)) continue;
      pool.push_back(&l);
    }
    std::sort(pool.begin(), pool.end(), [&](const License* x, const License* y) {
      return m.remaining(x->key) != m.remaining(y->key) ? m.remaining(x->key) > m.remaining(y->key)
                                                        : x->key < y->key;
    });
    if (pool.size() < as.cameras.size()) return "assign: not enough licenses (test)";
    std::multiset<std::pair<std::int64_t, int>> expect, got;
    for (std::size_t i = 0; i < as.cameras.size(); ++i) {
      taken.insert(pool[i]->key);
      expect.insert({m.remaining(pool[i]->key), pool[i]->term_days});
      const std::string& cam = as.cameras[i];
      brought[cam].insert(as.service);
      want[cam][as.service] = "*";
      want_renew[cam][as.service] = as.auto_renew.value_or(false);
      auto it = m.services(cam).find(as.service);
      if (it == m.services(cam).end()) return "assign: " + cam + " has no " + as.service;
      got.insert({m.remaining(it->second), m.term_days(it->second)});
    }
    if (got != expect) return "assign: the cameras did not get the longest-valid keys of the term";
  }
  if (!plan.options.restore_sources) {
    // A source keeps only what the plan brings to it.
    for (const std::string& src : sources) {
      for (auto it = want[src].begin(); it != want[src].end();) {
        it = brought[src].count(it->first) ? std::next(it) : want[src].erase(it);
      }
    }
  }
  for (const Camera& c : a.cameras) {
    if (!m.present(c.serial)) return "camera " + c.serial + " is missing at the end";
    const auto& have = m.services(c.serial);
    const auto& w = want[c.serial];
    if (have.size() != w.size()) {
      return "camera " + c.serial + " holds " + std::to_string(have.size()) +
             " services, expected " + std::to_string(w.size());
    }
    for (const auto& [service, key] : w) {
      auto it = have.find(service);
      if (it == have.end()) return "camera " + c.serial + " lacks " + service;
      if (key != "*" && it->second != key) {
        return "camera " + c.serial + " holds " + it->second + " for " + service + ", expected " +
               key;
      }
      if (m.auto_renew(it->second) != want_renew[c.serial][service]) {
        return "camera " + c.serial + ": wrong auto_renew for " + service;
      }
    }
  }
  if (!m.parked().empty()) return "key " + m.parked()[0] + " is left parked";
  for (const License& l : a.licenses) {
    const std::string& w = m.where(l.key);
    if (!w.empty() && m.services(w).count(l.service) == 0) return "key " + l.key + " is lost";
  }
  return "";
}

}  // namespace licmove::testing
