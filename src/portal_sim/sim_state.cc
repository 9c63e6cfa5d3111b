#include "portal_sim/sim_state.h"

#include <algorithm>
#include <cstdio>

namespace licmove::sim {
namespace {

constexpr std::int64_t kDay = 86400;

std::uint64_t Mix(std::uint64_t z) {  // splitmix64's finaliser
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t HashKey(std::string_view key) {  // FNV-1a
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Generated ids look like "c-000042"; returns 42, or nullopt for other ids.
std::optional<std::uint64_t> GeneratedSeq(std::string_view id) {
  if (id.size() < 3 || id.substr(0, 2) != "c-") return std::nullopt;
  std::uint64_t seq = 0;
  for (char c : id.substr(2)) {
    if (c < '0' || c > '9' || seq > (UINT64_MAX - 9) / 10) return std::nullopt;
    seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return seq;
}

std::string Quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

}  // namespace

std::string_view MutationKindName(Mutation::Kind kind) {
  switch (kind) {
    case Mutation::Kind::kAddCamera:
      return "add_camera";
    case Mutation::Kind::kRemoveCamera:
      return "remove_camera";
    case Mutation::Kind::kActivate:
      return "activate";
    case Mutation::Kind::kPark:
      return "park";
    case Mutation::Kind::kUnpark:
      return "unpark";
    case Mutation::Kind::kAdvanceClock:
      return "advance_clock";
  }
  return "?";
}

std::string_view ClockEventKindName(ClockEvent::Kind kind) {
  switch (kind) {
    case ClockEvent::Kind::kRenewed:
      return "renewed";
    case ClockEvent::Kind::kLapsed:
      return "lapsed";
    case ClockEvent::Kind::kExpiredInPool:
      return "expired_in_pool";
    case ClockEvent::Kind::kExpiredParked:
      return "expired_parked";
  }
  return "?";
}

std::optional<Mutation::Kind> MutationKindFromName(std::string_view name) {
  for (auto k :
       {Mutation::Kind::kAddCamera, Mutation::Kind::kRemoveCamera, Mutation::Kind::kActivate,
        Mutation::Kind::kPark, Mutation::Kind::kUnpark, Mutation::Kind::kAdvanceClock}) {
    if (MutationKindName(k) == name) return k;
  }
  return std::nullopt;
}

Result<SimState> SimState::FromFleet(const Fleet& fleet) {
  SimState s;
  s.now_ = fleet.now;
  for (const FleetUser& u : fleet.users) {
    if (u.role != "admin" && u.role != "viewer") {
      return Status::InvalidArgument("user " + Quote(u.name) + " has role " + Quote(u.role) +
                                     ", expected admin or viewer");
    }
    if (u.token.empty()) return Status::InvalidArgument("user " + Quote(u.name) + " has no token");
    if (!s.user_by_token_.emplace(u.token, s.users_.size()).second) {
      return Status::InvalidArgument("two users share the token of " + Quote(u.name));
    }
    s.users_.push_back(SimUser{u.token, u.name, u.role == "admin", u.accounts});
  }

  auto add_license = [&s](const License& l, const std::string& account) -> Status {
    if (l.key.empty()) return Status::InvalidArgument("a license has an empty key");
    if (l.term_days <= 0) {
      return Status::InvalidArgument("license " + Quote(l.key) + " has term_days " +
                                     std::to_string(l.term_days));
    }
    SimLicense sl{l.key, l.service, l.term_days, l.activated_at, account, "", false, false};
    const std::optional<UnixSeconds> expires = s.ExpiresAt(sl);
    if (expires && *expires <= s.now_) {
      // R7 would have taken it out of its account at expires_at: a fleet that
      // still shows it there describes no state the portal can be in.
      if (!account.empty()) {
        return Status::InvalidArgument(
            "license " + Quote(l.key) + " expired at " + FormatTimestamp(*expires) +
            ", at or before the fleet's now (" + FormatTimestamp(s.now_) +
            "), yet it is in account " + Quote(account) +
            "; the portal removes a license from its account when it expires: drop it, or "
            "list it under registry (where it is an expired key that cannot be added back)");
      }
      sl.expired = true;
    } else if (expires) {
      s.expiries_.emplace(*expires, l.key);
    }
    if (!s.licenses_.emplace(l.key, std::move(sl)).second) {
      return Status::InvalidArgument("license key " + Quote(l.key) + " appears twice");
    }
    return Status::Ok();
  };

  // Fleet ids first, so that generated ids avoid every one of them.
  for (const Account& a : fleet.accounts) {
    for (const Camera& c : a.cameras) {
      if (c.id.empty()) continue;
      if (!s.used_ids_.insert(c.id).second) {
        return Status::InvalidArgument("camera id " + Quote(c.id) + " appears twice");
      }
    }
  }
  for (const Account& a : fleet.accounts) {
    if (a.name.empty()) return Status::InvalidArgument("an account has an empty name");
    auto [it, fresh] = s.accounts_.try_emplace(a.name);
    if (!fresh) return Status::InvalidArgument("account " + Quote(a.name) + " appears twice");
    SimAccount& acct = it->second;
    acct.name = a.name;
    for (const Camera& c : a.cameras) {
      std::string id = c.id;
      if (id.empty()) {
        id = s.GenerateId(&s.next_camera_seq_);
        s.NoteUsedId(id);
      }
      if (!acct.ids_by_serial.emplace(c.serial, id).second) {
        return Status::InvalidArgument("camera serial " + Quote(c.serial) +
                                       " appears twice in account " + Quote(a.name));
      }
      acct.cameras[id] = SimCamera{id, c.serial, c.name, c.site, {}};
    }
    for (const License& l : a.licenses) {
      if (Status st = add_license(l, a.name); !st.ok()) return st;
      SimLicense& sl = s.licenses_.at(l.key);
      acct.keys.insert(l.key);
      if (l.assigned_to.empty()) {
        s.PoolInsert(acct, sl);
        continue;
      }
      auto id = acct.ids_by_serial.find(l.assigned_to);
      if (id == acct.ids_by_serial.end()) {
        return Status::InvalidArgument("license " + Quote(l.key) + " is assigned to " +
                                       Quote(l.assigned_to) + ", which is not a camera of " +
                                       Quote(a.name));
      }
      SimCamera& cam = acct.cameras.at(id->second);
      if (!cam.services.emplace(l.service, l.key).second) {
        return Status::InvalidArgument("camera " + Quote(cam.serial) + " holds two " + l.service +
                                       " licenses");
      }
      sl.camera_id = cam.id;
      sl.auto_renew = l.auto_renew;
    }
  }
  for (const License& l : fleet.registry) {
    if (!l.assigned_to.empty()) {
      return Status::InvalidArgument("registry license " + Quote(l.key) +
                                     " is assigned; registry keys are in no account");
    }
    if (Status st = add_license(l, ""); !st.ok()) return st;
  }
  return s;
}

const SimUser* SimState::FindUser(std::string_view token) const {
  auto it = user_by_token_.find(std::string(token));
  return it == user_by_token_.end() ? nullptr : &users_[it->second];
}

const SimAccount* SimState::FindAccount(std::string_view name) const {
  auto it = accounts_.find(std::string(name));
  return it == accounts_.end() ? nullptr : &it->second;
}

SimAccount* SimState::MutableAccount(std::string_view name) {
  auto it = accounts_.find(std::string(name));
  return it == accounts_.end() ? nullptr : &it->second;
}

const SimCamera* SimState::FindCamera(std::string_view account, std::string_view id) const {
  const SimAccount* a = FindAccount(account);
  if (!a) return nullptr;
  auto it = a->cameras.find(std::string(id));
  return it == a->cameras.end() ? nullptr : &it->second;
}

const SimLicense* SimState::FindLicense(std::string_view key) const {
  auto it = licenses_.find(std::string(key));
  return it == licenses_.end() ? nullptr : &it->second;
}

std::int64_t SimState::RemainingSeconds(const SimLicense& license) const {
  const std::int64_t term = static_cast<std::int64_t>(license.term_days) * kDay;
  if (!license.activated_at) return term;
  return std::max<std::int64_t>(0, *license.activated_at + term - now_);
}

std::optional<UnixSeconds> SimState::ExpiresAt(const SimLicense& license) const {
  if (!license.activated_at) return std::nullopt;
  return *license.activated_at + static_cast<std::int64_t>(license.term_days) * kDay;
}

void SimState::PoolInsert(SimAccount& a, const SimLicense& l) {
  SimAccount::ServicePool& p = a.pool[l.service];
  if (std::optional<UnixSeconds> expires = ExpiresAt(l)) {
    p.started.emplace(*expires, l.key);
  } else {
    p.unstarted.emplace(static_cast<std::int64_t>(l.term_days) * kDay, l.key);
  }
}

void SimState::PoolErase(SimAccount& a, const SimLicense& l) {
  auto it = a.pool.find(l.service);
  if (it == a.pool.end()) return;
  if (std::optional<UnixSeconds> expires = ExpiresAt(l)) {
    it->second.started.erase({*expires, l.key});
  } else {
    it->second.unstarted.erase({static_cast<std::int64_t>(l.term_days) * kDay, l.key});
  }
  if (it->second.empty()) a.pool.erase(it);
}

void SimState::Start(SimLicense& l) {
  if (l.activated_at) return;
  l.activated_at = now_;
  expiries_.emplace(*ExpiresAt(l), l.key);
}

std::int64_t SimState::PoolMinimum(const SimAccount::ServicePool& p) const {
  std::int64_t best = INT64_MAX;
  if (!p.started.empty()) best = std::max<std::int64_t>(0, p.started.begin()->first - now_);
  if (!p.unstarted.empty()) best = std::min(best, p.unstarted.begin()->first);
  return best;
}

std::vector<std::string> SimState::PoolFront(const SimAccount& account, std::string_view service,
                                             std::size_t limit) const {
  std::vector<std::string> tied;
  auto it = account.pool.find(std::string(service));
  if (it == account.pool.end() || it->second.empty()) return tied;
  const SimAccount::ServicePool& p = it->second;
  // Within each set the order is by remaining validity, then key; a tie can
  // span both sets (a started license with exactly a fresh one's term left).
  // The `limit` smallest keys of the tie are among the first `limit` of each.
  const std::int64_t best = PoolMinimum(p);
  for (const auto& [expires, key] : p.started) {
    if (std::max<std::int64_t>(0, expires - now_) != best || tied.size() >= limit) break;
    tied.push_back(key);
  }
  const std::size_t from_started = tied.size();
  for (const auto& [term, key] : p.unstarted) {
    if (term != best || tied.size() - from_started >= limit) break;
    tied.push_back(key);
  }
  std::sort(tied.begin(), tied.end());
  if (tied.size() > limit) tied.resize(limit);
  return tied;
}

bool SimState::InPoolFront(const SimAccount& account, std::string_view service,
                           std::string_view key) const {
  const SimLicense* l = FindLicense(key);
  auto it = account.pool.find(std::string(service));
  if (!l || l->expired || l->account != account.name || !l->camera_id.empty() ||
      l->service != service || it == account.pool.end() || it->second.empty()) {
    return false;
  }
  return RemainingSeconds(*l) == PoolMinimum(it->second);
}

// kKey: the smallest key. kRandom: the smallest hash of (seed, activations
// so far, key) among the window's keys, a function of the state alone.
std::string SimState::Pick(const SimAccount& account, std::string_view service,
                           const TieBreak& tie_break) const {
  const bool by_key = tie_break.order == TieBreak::Order::kKey;
  const std::vector<std::string> tied = PoolFront(account, service, by_key ? 1 : TieBreak::kWindow);
  std::size_t best = 0;
  if (!by_key) {
    const std::uint64_t salt = Mix(tie_break.seed ^ Mix(activations_));
    std::uint64_t best_score = Mix(salt ^ HashKey(tied[0]));
    for (std::size_t i = 1; i < tied.size(); ++i) {
      const std::uint64_t score = Mix(salt ^ HashKey(tied[i]));
      if (score < best_score) best = i, best_score = score;
    }
  }
  return tied[best];
}

std::string SimState::GenerateId(std::uint64_t* seq) const {
  for (;; ++*seq) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "c-%06llu", static_cast<unsigned long long>(*seq));
    if (!used_ids_.count(buf)) return buf;
  }
}

void SimState::NoteUsedId(const std::string& id) {
  used_ids_.insert(id);
  if (auto seq = GeneratedSeq(id); seq && *seq >= next_camera_seq_) next_camera_seq_ = *seq + 1;
}

std::string SimState::NextCameraId() const {
  std::uint64_t seq = next_camera_seq_;
  return GenerateId(&seq);
}

Decision SimState::DecideAddCamera(std::string_view account, std::string_view serial,
                                   std::string_view name, std::string_view site) const {
  const SimAccount* a = FindAccount(account);
  if (auto it = a->ids_by_serial.find(std::string(serial)); it != a->ids_by_serial.end()) {
    return Decision(Refusal::kCameraExists,
                    "camera " + Quote(serial) + " is in the account already, as " + it->second);
  }
  Mutation m;
  m.kind = Mutation::Kind::kAddCamera;
  m.account = account;
  m.camera_id = NextCameraId();
  m.serial = serial;
  m.name = name;
  m.site = site;
  return m;
}

Decision SimState::DecideRemoveCamera(std::string_view account, std::string_view camera_id) const {
  if (!FindCamera(account, camera_id)) {
    return Decision(Refusal::kUnknownCamera,
                    "no camera " + Quote(camera_id) + " in account " + Quote(account));
  }
  Mutation m;
  m.kind = Mutation::Kind::kRemoveCamera;
  m.account = account;
  m.camera_id = camera_id;
  return m;
}

Decision SimState::DecideActivate(std::string_view account, std::string_view camera_id,
                                  std::string_view service, bool auto_renew,
                                  const TieBreak& tie_break) const {
  const SimCamera* cam = FindCamera(account, camera_id);
  if (!cam) {
    return Decision(Refusal::kUnknownCamera,
                    "no camera " + Quote(camera_id) + " in account " + Quote(account));
  }
  if (auto it = cam->services.find(std::string(service)); it != cam->services.end()) {
    return Decision(Refusal::kServiceActive, "camera " + Quote(camera_id) + " already holds " +
                                                 std::string(service) + " license " + it->second);
  }
  const SimAccount* a = FindAccount(account);
  // R2: the smallest remaining validity, a tie broken by `tie_break`.
  auto pool = a->pool.find(std::string(service));
  if (pool == a->pool.end() || pool->second.empty()) {
    return Decision(Refusal::kNoLicenseInPool,
                    "no " + std::string(service) + " license in the pool of " + Quote(account));
  }
  Mutation m;
  m.kind = Mutation::Kind::kActivate;
  m.account = account;
  m.camera_id = camera_id;
  m.service = service;
  m.key = Pick(*a, service, tie_break);
  m.auto_renew = auto_renew;
  return m;
}

Decision SimState::DecidePark(std::string_view account, std::string_view key) const {
  const SimLicense* l = FindLicense(key);
  if (!l || l->account != account) {
    return Decision(Refusal::kUnknownLicense,
                    "no license " + Quote(key) + " in account " + Quote(account));
  }
  if (!l->camera_id.empty()) {
    return Decision(Refusal::kLicenseAssigned, "license " + Quote(key) + " is assigned to camera " +
                                                   l->camera_id +
                                                   "; only a pool license can be removed");
  }
  Mutation m;
  m.kind = Mutation::Kind::kPark;
  m.account = account;
  m.key = key;
  return m;
}

Decision SimState::DecideUnpark(std::string_view account, std::string_view key) const {
  const SimLicense* l = FindLicense(key);
  if (!l) return Decision(Refusal::kUnknownKey, "the vendor never issued key " + Quote(key));
  if (l->expired) {
    return Decision(Refusal::kLicenseExpired,
                    "key " + Quote(key) + " expired at " + FormatTimestamp(*ExpiresAt(*l)) +
                        "; an expired license can never be added to an account again");
  }
  if (!l->account.empty()) {
    return Decision(
        Refusal::kKeyInAccount,
        "key " + Quote(key) +
            (l->account == account ? " is in this account already" : " is in another account"));
  }
  Mutation m;
  m.kind = Mutation::Kind::kUnpark;
  m.account = account;
  m.key = key;
  return m;
}

Status SimState::Apply(const Mutation& m) {
  if (m.kind == Mutation::Kind::kAdvanceClock) return ApplyAdvance(m);
  SimAccount* a = MutableAccount(m.account);
  if (!a) return Status::Corruption("no account " + Quote(m.account));
  const std::string what = std::string(MutationKindName(m.kind)) + ": ";
  switch (m.kind) {
    case Mutation::Kind::kAddCamera: {
      if (m.camera_id.empty() || used_ids_.count(m.camera_id)) {
        return Status::Corruption(what + "camera id " + Quote(m.camera_id) + " was used before");
      }
      if (a->ids_by_serial.count(m.serial)) {
        return Status::Corruption(what + "serial " + Quote(m.serial) + " is present");
      }
      NoteUsedId(m.camera_id);
      a->ids_by_serial[m.serial] = m.camera_id;
      a->cameras[m.camera_id] = SimCamera{m.camera_id, m.serial, m.name, m.site, {}};
      return Status::Ok();
    }
    case Mutation::Kind::kRemoveCamera: {
      auto cam = a->cameras.find(m.camera_id);
      if (cam == a->cameras.end()) return Status::Corruption(what + "no camera " + m.camera_id);
      // R3: every service's license goes back to the pool; clocks keep running.
      for (const auto& [service, key] : cam->second.services) {
        SimLicense& l = licenses_.at(key);
        l.camera_id.clear();
        l.auto_renew = false;
        PoolInsert(*a, l);
      }
      a->ids_by_serial.erase(cam->second.serial);
      a->cameras.erase(cam);
      return Status::Ok();
    }
    case Mutation::Kind::kActivate: {
      auto cam = a->cameras.find(m.camera_id);
      if (cam == a->cameras.end()) return Status::Corruption(what + "no camera " + m.camera_id);
      if (cam->second.services.count(m.service)) {
        return Status::Corruption(what + "camera " + m.camera_id + " holds " + m.service);
      }
      auto lit = licenses_.find(m.key);
      if (lit == licenses_.end() || lit->second.account != m.account ||
          !lit->second.camera_id.empty() || lit->second.service != m.service) {
        return Status::Corruption(what + "key " + Quote(m.key) + " is not a " + m.service +
                                  " pool license of " + m.account);
      }
      SimLicense& l = lit->second;
      PoolErase(*a, l);
      Start(l);
      l.camera_id = m.camera_id;
      l.auto_renew = m.auto_renew;
      cam->second.services[m.service] = l.key;
      ++activations_;
      return Status::Ok();
    }
    case Mutation::Kind::kPark: {
      auto lit = licenses_.find(m.key);
      if (lit == licenses_.end() || lit->second.account != m.account ||
          !lit->second.camera_id.empty()) {
        return Status::Corruption(what + "key " + Quote(m.key) + " is not in the pool of " +
                                  m.account);
      }
      SimLicense& l = lit->second;
      PoolErase(*a, l);
      a->keys.erase(l.key);
      l.account.clear();
      return Status::Ok();
    }
    case Mutation::Kind::kUnpark: {
      auto lit = licenses_.find(m.key);
      if (lit == licenses_.end() || !lit->second.account.empty() || lit->second.expired) {
        return Status::Corruption(what + "key " + Quote(m.key) + " is not free in the registry");
      }
      SimLicense& l = lit->second;
      l.account = m.account;
      a->keys.insert(l.key);
      PoolInsert(*a, l);
      return Status::Ok();
    }
    case Mutation::Kind::kAdvanceClock:
      return ApplyAdvance(m);
  }
  return Status::Internal(what + "unknown mutation kind");
}

}  // namespace licmove::sim
