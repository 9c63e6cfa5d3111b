// Accounts and plans built in code for the planner's tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "files/plan_file.h"
#include "model/account.h"

namespace licmove::testing {

inline constexpr UnixSeconds kNow = 1795910400;  // 2026-11-29T00:00:00Z

class AccountBuilder {
 public:
  explicit AccountBuilder(std::string name = "acme") {
    snapshot_.account.name = std::move(name);
    snapshot_.now = kNow;
  }
  AccountBuilder& Camera(const std::string& serial) {
    snapshot_.account.cameras.push_back({serial, "Cam " + serial, "HQ", "id-" + serial});
    return *this;
  }
  // `used_days` < 0: never activated. `on` empty: in the pool.
  AccountBuilder& Key(const std::string& key, const std::string& service, int term_days,
                      int used_days = -1, const std::string& on = "", bool auto_renew = false) {
    License l;
    l.key = key;
    l.service = service;
    l.term_days = term_days;
    if (used_days >= 0)
      l.activated_at = kNow - static_cast<std::int64_t>(used_days) * kSecondsPerDay;
    l.assigned_to = on;
    l.auto_renew = auto_renew;
    snapshot_.account.licenses.push_back(l);
    return *this;
  }
  AccountSnapshot Build() const { return snapshot_; }

 private:
  AccountSnapshot snapshot_;
};

inline MoveIntent Move(const std::string& from, const std::string& to,
                       std::optional<std::string> service, int line,
                       std::optional<std::string> key = std::nullopt) {
  MoveIntent m;
  m.from = from;
  m.to = to;
  m.service = std::move(service);
  m.key = std::move(key);
  m.where = {line, 5};
  return m;
}

inline AssignIntent Assign(std::vector<std::string> cameras, const std::string& service,
                           const std::string& term, int line) {
  AssignIntent a;
  a.cameras = std::move(cameras);
  for (std::size_t i = 0; i < a.cameras.size(); ++i) {
    a.camera_where.push_back({line + 1, 16 + 10 * static_cast<int>(i)});
  }
  a.service = service;
  a.term = *TermChoiceFromName(term);
  a.where = {line, 5};
  return a;
}

inline Plan MakePlan(std::vector<MoveIntent> moves, std::vector<AssignIntent> assigns = {},
                     PlanOptions options = {}) {
  Plan p;
  p.file = "plans/x.yaml";
  p.account = "acme";
  p.moves = std::move(moves);
  p.assigns = std::move(assigns);
  p.options = options;
  return p;
}

}  // namespace licmove::testing
