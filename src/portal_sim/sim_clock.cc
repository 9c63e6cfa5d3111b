// R7 (DESIGN §1): time, expiry and auto-renewal, as SimState implements it.
//
// Event-driven: SimState::expiries_ holds every started license that has not
// expired, by (expires_at, key), wherever the license is. An advance pops the
// earliest instant T at a time, so its cost grows with the number of
// expiries, not with the length of the advance. At each T:
//   1. every license with expires_at == T leaves its account for good (from a
//      camera, from the pool, or from no account at all: a parked key);
//   2. the cameras that lost a license at T are handled in order of serial
//      (then account, then service): with auto_renew on and a license of that
//      service in the pool, R2 activates the pool's shortest one on the camera
//      at T (a never-started one's clock starts at T, so it joins the queue
//      and, if it expires before the advance ends, is handled at its own
//      instant); otherwise the camera loses the service.
#include <algorithm>
#include <tuple>

#include "portal_sim/sim_state.h"

namespace licmove::sim {
namespace {

std::string Quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

// A camera whose license expired at the current instant.
struct Expired {
  std::string serial;
  std::string account;
  std::string service;
  std::string camera_id;
  std::string key;
  bool auto_renew = false;
};

}  // namespace

Mutation SimState::AdvanceMutation(UnixSeconds to) const {
  Mutation m;
  m.kind = Mutation::Kind::kAdvanceClock;
  m.to = to;
  return m;
}

void SimState::AdvanceClock(UnixSeconds to, const TieBreak& tie_break,
                            std::vector<RenewalPick>* picks, std::vector<ClockEvent>* events) {
  auto choose = [&](UnixSeconds at, const SimAccount& a, const SimCamera& c,
                    const std::string& service) -> Result<std::string> {
    std::string key = Pick(a, service, tie_break);
    picks->push_back(RenewalPick{at, a.name, c.id, service, key});
    return key;
  };
  // The live chooser never fails, so neither does the run.
  (void)RunClock(std::max(to, now_), choose, events);
}

Status SimState::ApplyAdvance(const Mutation& m) {
  if (m.to < now_) {
    return Status::Corruption("advance_clock: to " + FormatTimestamp(m.to) + " is before now " +
                              FormatTimestamp(now_));
  }
  std::size_t next = 0;
  auto replay = [&](UnixSeconds at, const SimAccount& a, const SimCamera& c,
                    const std::string& service) -> Result<std::string> {
    const std::string where = "advance_clock: the renewal of " + service + " on camera " +
                              Quote(c.serial) + " at " + FormatTimestamp(at);
    if (next >= m.renewals.size()) return Status::Corruption(where + " is not in the log");
    const RenewalPick& p = m.renewals[next++];
    if (p.at != at || p.account != a.name || p.camera_id != c.id || p.service != service) {
      return Status::Corruption(where + " is not the log's next one (" + p.service + " on " +
                                p.camera_id + " at " + FormatTimestamp(p.at) + ")");
    }
    if (!InPoolFront(a, service, p.key)) {
      return Status::Corruption(where + ": the log's key " + Quote(p.key) +
                                " is not one of the pool's shortest");
    }
    return p.key;
  };
  std::vector<ClockEvent> events;
  if (Status st = RunClock(m.to, replay, &events); !st.ok()) return st;
  if (next != m.renewals.size()) {
    return Status::Corruption("advance_clock: the log holds " + std::to_string(m.renewals.size()) +
                              " renewals, the rules made " + std::to_string(next));
  }
  return Status::Ok();
}

Status SimState::RunClock(UnixSeconds to, const RenewalChooser& choose,
                          std::vector<ClockEvent>* events) {
  while (!expiries_.empty() && expiries_.begin()->first <= to) {
    const UnixSeconds at = expiries_.begin()->first;
    now_ = at;

    // 1. Every license due at `at` leaves its account.
    std::vector<Expired> on_cameras;
    while (!expiries_.empty() && expiries_.begin()->first == at) {
      SimLicense& l = licenses_.at(expiries_.begin()->second);
      expiries_.erase(expiries_.begin());
      ClockEvent e;
      e.at = at;
      e.service = l.service;
      e.expired_key = l.key;
      if (l.account.empty()) {
        e.kind = ClockEvent::Kind::kExpiredParked;
      } else if (SimAccount& a = accounts_.at(l.account); l.camera_id.empty()) {
        PoolErase(a, l);
        a.keys.erase(l.key);
        e.kind = ClockEvent::Kind::kExpiredInPool;
        e.account = a.name;
      } else {
        SimCamera& c = a.cameras.at(l.camera_id);
        on_cameras.push_back(Expired{c.serial, a.name, l.service, c.id, l.key, l.auto_renew});
        c.services.erase(l.service);
        a.keys.erase(l.key);
      }
      l.account.clear();
      l.camera_id.clear();
      l.auto_renew = false;
      l.expired = true;
      if (e.kind != ClockEvent::Kind::kLapsed) events->push_back(std::move(e));
    }

    // 2. Their cameras, in order of serial: renewed by R2, or lapsed.
    std::sort(on_cameras.begin(), on_cameras.end(), [](const Expired& x, const Expired& y) {
      return std::tie(x.serial, x.account, x.service) < std::tie(y.serial, y.account, y.service);
    });
    for (const Expired& x : on_cameras) {
      SimAccount& a = accounts_.at(x.account);
      SimCamera& c = a.cameras.at(x.camera_id);
      ClockEvent e{ClockEvent::Kind::kLapsed,
                   at,
                   x.account,
                   x.camera_id,
                   x.serial,
                   x.service,
                   x.key,
                   "",
                   ""};
      auto pool = a.pool.find(x.service);
      if (!x.auto_renew) {
        e.reason = "auto_renew_off";
      } else if (pool == a.pool.end() || pool->second.empty()) {
        e.reason = "pool_empty";
      } else {
        Result<std::string> key = choose(at, a, c, x.service);
        if (!key.ok()) return key.status();
        SimLicense& l = licenses_.at(*key);
        PoolErase(a, l);
        Start(l);
        l.camera_id = c.id;
        l.auto_renew = true;
        c.services[x.service] = l.key;
        ++activations_;
        e.kind = ClockEvent::Kind::kRenewed;
        e.new_key = l.key;
      }
      events->push_back(std::move(e));
    }
  }
  now_ = to;
  return Status::Ok();
}

}  // namespace licmove::sim
