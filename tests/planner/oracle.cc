#include "oracle.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace licmove::testing {
namespace {

// A state packed in 64 bits: camera presence, then 5 bits per license: its
// location (camera index, kPool or kParked) and, while on a camera, the
// assignment's auto_renew (kept from the start, or set by the activation).
class Space {
 public:
  explicit Space(const OracleProblem& p) {
    const Account& a = p.snapshot.account;
    m_ = static_cast<int>(a.cameras.size());
    n_ = static_cast<int>(a.licenses.size());
    pool_ = m_;
    parked_ = m_ + 1;
    std::map<std::string, int> cam, svc;
    for (int c = 0; c < m_; ++c) {
      cam[a.cameras[c].serial] = c;
      camera_.push_back(a.cameras[c].serial);
    }
    std::map<std::string, int> key_index;
    for (int k = 0; k < n_; ++k) {
      const License& l = a.licenses[k];
      key_index[l.key] = k;
      key_.push_back(l.key);
      auto [it, fresh] = svc.emplace(l.service, static_cast<int>(svc.size()));
      service_.push_back(it->second);
      remaining_.push_back(RemainingSeconds(l, p.snapshot.now));
      term_.push_back(l.term_days);
      start_loc_.push_back(l.assigned_to.empty() ? pool_ : cam.at(l.assigned_to));
      start_renew_.push_back(l.auto_renew);
    }
    for (const std::string& key : p.start_parked) start_loc_[key_index.at(key)] = parked_;
    start_present_ = (1u << m_) - 1;
    for (const std::string& serial : p.start_absent) start_present_ &= ~(1u << cam.at(serial));
    services_ = static_cast<int>(svc.size());
    activate_before_removal_ = p.activate_before_removal;
    // Goals: exact keys, or a class of free keys.
    goal_exact_.assign(m_ * services_, -1);
    goal_renew_.assign(m_ * services_, false);
    goal_class_.assign(m_ * services_, -1);
    goal_count_.assign(m_, 0);
    std::vector<bool> exact(n_, false);
    for (const auto& [serial, services] : p.goal) {
      for (const auto& [service, g] : services) {
        if (!g.any_interchangeable) exact[key_index.at(g.key)] = true;
      }
    }
    std::map<std::tuple<int, int, std::int64_t>, int> classes;
    class_.assign(n_, -1);
    for (int k = 0; k < n_; ++k) {
      if (exact[k]) continue;
      auto [it, fresh] = classes.emplace(std::make_tuple(service_[k], term_[k], remaining_[k]),
                                         static_cast<int>(classes.size()));
      class_[k] = it->second;
    }
    num_classes_ = static_cast<int>(classes.size());
    for (const auto& [serial, services] : p.goal) {
      const int c = cam.at(serial);
      for (const auto& [service, g] : services) {
        const int s = svc.at(service);
        const int k = key_index.at(g.key);
        ++goal_count_[c];
        goal_renew_[c * services_ + s] = g.auto_renew;
        if (g.any_interchangeable) {
          goal_class_[c * services_ + s] = class_[k];
        } else {
          goal_exact_[c * services_ + s] = k;
        }
      }
    }
  }

  std::uint64_t Start() const {
    std::vector<int> renew(n_, 0);
    for (int k = 0; k < n_; ++k) renew[k] = start_loc_[k] < m_ && start_renew_[k];
    return Pack(start_present_, start_loc_, renew);
  }

  bool IsGoal(std::uint64_t st) const {
    unsigned present;
    std::vector<int> loc, renew;
    Unpack(st, present, loc, renew);
    if (present != (1u << m_) - 1) return false;
    std::vector<int> held(m_, 0);
    for (int k = 0; k < n_; ++k) {
      if (loc[k] == parked_) return false;
      if (loc[k] == pool_) continue;
      const int slot = loc[k] * services_ + service_[k];
      if ((renew[k] != 0) != goal_renew_[slot]) return false;
      if (goal_exact_[slot] == k || (goal_class_[slot] >= 0 && goal_class_[slot] == class_[k])) {
        ++held[loc[k]];
      } else {
        return false;
      }
    }
    return held == goal_count_;
  }

  template <typename Visit>
  void Next(std::uint64_t st, Visit visit) const {
    unsigned present;
    std::vector<int> loc, renew;
    Unpack(st, present, loc, renew);
    for (int c = 0; c < m_; ++c) {
      if (present & (1u << c)) {
        std::vector<int> l2 = loc, f2 = renew;
        for (int k = 0; k < n_; ++k) {
          if (l2[k] == c) {
            l2[k] = pool_;
            f2[k] = 0;
          }
        }
        visit(Pack(present & ~(1u << c), l2, f2), "remove " + camera_[c]);
      } else {
        visit(Pack(present | (1u << c), loc, renew), "add " + camera_[c]);
      }
    }
    for (int k = 0; k < n_; ++k) {
      if (loc[k] == pool_ || loc[k] == parked_) {
        std::vector<int> l2 = loc;
        l2[k] = loc[k] == pool_ ? parked_ : pool_;
        visit(Pack(present, l2, renew), (loc[k] == pool_ ? "park " : "unpark ") + key_[k]);
      }
    }
    for (int c = 0; c < m_; ++c) {
      if (!(present & (1u << c))) continue;
      if (!activate_before_removal_ && HoldsAKeyToLose(c, loc, renew)) continue;
      for (int s = 0; s < services_; ++s) {
        const int slot = c * services_ + s;
        if (goal_exact_[slot] < 0 && goal_class_[slot] < 0) continue;
        bool has = false;
        std::int64_t best = -1;
        std::vector<int> shortest;
        for (int k = 0; k < n_; ++k) {
          if (service_[k] != s) continue;
          if (loc[k] == c) has = true;
          if (loc[k] != pool_) continue;
          if (shortest.empty() || remaining_[k] < best) {
            shortest = {k};
            best = remaining_[k];
          } else if (remaining_[k] == best) {
            shortest.push_back(k);
          }
        }
        if (has || shortest.empty()) continue;
        int pick = -1;
        if (goal_exact_[slot] >= 0) {
          if (shortest.size() == 1 && shortest[0] == goal_exact_[slot]) pick = shortest[0];
        } else {
          bool all = true;
          for (int k : shortest) all &= class_[k] == goal_class_[slot];
          if (all) pick = shortest[0];  // any: the state is canonical per class
        }
        if (pick < 0) continue;
        std::vector<int> l2 = loc, f2 = renew;
        l2[pick] = c;
        f2[pick] = goal_renew_[slot];
        visit(Pack(present, l2, f2), "activate on " + camera_[c] + " -> " + key_[pick]);
      }
    }
  }

 private:
  // Camera `c` holds a key (or a key's auto_renew) its goal does not give it:
  // only its removal can take that away.
  bool HoldsAKeyToLose(int c, const std::vector<int>& loc, const std::vector<int>& renew) const {
    for (int k = 0; k < n_; ++k) {
      if (loc[k] != c) continue;
      const int slot = c * services_ + service_[k];
      const bool goal_key =
          goal_exact_[slot] == k || (goal_class_[slot] >= 0 && goal_class_[slot] == class_[k]);
      if (!goal_key || (renew[k] != 0) != goal_renew_[slot]) return true;
    }
    return false;
  }

  // Free keys of one class are interchangeable: sort their (location, renew)
  // pairs so that states differing only by which of them is where are one state.
  std::uint64_t Pack(unsigned present, std::vector<int> loc, std::vector<int> renew) const {
    for (int cl = 0; cl < num_classes_; ++cl) {
      std::vector<std::pair<int, int>> where;
      for (int k = 0; k < n_; ++k) {
        if (class_[k] == cl) where.push_back({loc[k], renew[k]});
      }
      std::sort(where.begin(), where.end());
      int i = 0;
      for (int k = 0; k < n_; ++k) {
        if (class_[k] == cl) std::tie(loc[k], renew[k]) = where[i++];
      }
    }
    std::uint64_t st = present;
    for (int k = 0; k < n_; ++k) {
      st |= static_cast<std::uint64_t>(loc[k] | renew[k] << 4) << (8 + 5 * k);
    }
    return st;
  }
  void Unpack(std::uint64_t st, unsigned& present, std::vector<int>& loc,
              std::vector<int>& renew) const {
    present = static_cast<unsigned>(st & 0xff);
    loc.resize(n_);
    renew.resize(n_);
    for (int k = 0; k < n_; ++k) {
      const int bits = static_cast<int>((st >> (8 + 5 * k)) & 0x1f);
      loc[k] = bits & 0xf;
      renew[k] = bits >> 4;
    }
  }

  int m_ = 0, n_ = 0, pool_ = 0, parked_ = 0, services_ = 0, num_classes_ = 0;
  bool activate_before_removal_ = true;
  unsigned start_present_ = 0;
  std::vector<int> service_, term_, start_loc_, class_;
  std::vector<bool> start_renew_, goal_renew_;
  std::vector<std::string> camera_, key_;
  std::vector<std::int64_t> remaining_;
  std::vector<int> goal_exact_, goal_class_, goal_count_;
};

}  // namespace

int OracleMinCalls(const OracleProblem& problem, int max_calls, std::vector<std::string>* path) {
  const Space space(problem);
  std::vector<std::uint64_t> frontier{space.Start()};
  // state -> (previous state, the call that led here); only kept for `path`.
  std::unordered_map<std::uint64_t, std::pair<std::uint64_t, std::string>> from;
  std::unordered_set<std::uint64_t> seen(frontier.begin(), frontier.end());
  for (int depth = 0; depth <= max_calls; ++depth) {
    std::vector<std::uint64_t> next;
    for (std::uint64_t st : frontier) {
      if (space.IsGoal(st)) {
        if (path) {
          path->clear();
          for (std::uint64_t s = st; s != space.Start(); s = from.at(s).first) {
            path->push_back(from.at(s).second);
          }
          std::reverse(path->begin(), path->end());
        }
        return depth;
      }
      if (depth == max_calls) continue;
      space.Next(st, [&](std::uint64_t n, const std::string& call) {
        if (seen.insert(n).second) {
          next.push_back(n);
          if (path) from.emplace(n, std::make_pair(st, call));
        }
      });
    }
    if (next.empty()) return -1;
    frontier.swap(next);
  }
  return -1;
}

}  // namespace licmove::testing
