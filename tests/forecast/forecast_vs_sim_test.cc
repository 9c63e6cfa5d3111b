// licmove's forecast (engine/forecast) against portal-sim's clock
// (src/portal_sim): the two implement R7 apart, so that either one wrong
// shows up here. On generated fleets (expiries soon, auto-renew mixed, ties,
// pools running dry) the forecast to a horizon must equal what the simulator
// does when its clock is advanced to it: per service the assigned and pool
// counts and the multiset of remaining validities, each camera's remaining
// validity per service, every lapse (camera, service, time), the pool-dry
// dates, and key identities wherever no tie made them the portal's choice.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/json.hpp>

#include "../sim/http_client.h"
#include "files/fleet_file.h"
#include "forecast/forecast.h"
#include "model/license.h"
#include "model/timestamp.h"
#include "portal/account_reader.h"
#include "portal/portal_url.h"
#include "portal_sim/portal_sim.h"

namespace licmove {
namespace {

constexpr UnixSeconds kNow = 1795910400;  // 2026-11-29T00:00:00Z
constexpr const char* kAccount = "acme";
constexpr const char* kToken = "admin-secret";
const std::vector<std::string> kServices = {"alarm-management", "remote-maintenance"};

// Terms from days to years: short ones make a camera renew several times
// within one horizon (chained renewals), equal ones make ties.
rc::Gen<int> GenTermDays() {
  return rc::gen::element(1, 2, 5, 30, 90, 365, 1095);
}

// A license's start: never activated, or activated up to one term ago at a
// whole day or hour (coarse, so that equal expiries and ties are common).
rc::Gen<std::optional<UnixSeconds>> GenActivatedAt(int term_days) {
  return rc::gen::oneOf(
      rc::gen::just(std::optional<UnixSeconds>()),
      rc::gen::map(rc::gen::inRange(0, term_days * 24), [](int hours_ago) {
        return std::optional<UnixSeconds>(kNow - static_cast<UnixSeconds>(hours_ago) * 3600);
      }));
}

struct Instance {
  Fleet fleet;
  UnixSeconds until = 0;
  std::uint64_t tie_seed = 1;
};

rc::Gen<Instance> GenInstance() {
  return rc::gen::exec([] {
    Instance in;
    in.fleet.now = kNow;
    in.fleet.users.push_back(FleetUser{kToken, "ops@acme", "admin", {kAccount}});
    Account account;
    account.name = kAccount;
    const int cameras = *rc::gen::inRange(1, 9);
    const int services = *rc::gen::inRange(1, 3);
    int seq = 0;
    auto next_key = [&](const std::string& service) {
      return service.substr(0, 2) + "-" + std::to_string(++seq);
    };
    for (int c = 0; c < cameras; ++c) {
      // Serials out of listing order, so that "in order of serial" matters.
      const std::string serial = "CAM-" + std::to_string(100 + (c * 7) % 10) + std::to_string(c);
      account.cameras.push_back(Camera{serial, "camera " + serial, "HQ", ""});
      for (int s = 0; s < services; ++s) {
        if (!*rc::gen::weightedElement<bool>({{3, true}, {1, false}})) continue;
        License l;
        l.service = kServices[s];
        l.key = next_key(l.service);
        l.term_days = *GenTermDays();
        // Assigned licenses have run: their clock started at activation.
        l.activated_at =
            kNow - static_cast<UnixSeconds>(*rc::gen::inRange(0, l.term_days * 24)) * 3600;
        l.assigned_to = serial;
        l.auto_renew = *rc::gen::arbitrary<bool>();
        account.licenses.push_back(l);
      }
    }
    for (int s = 0; s < services; ++s) {
      const int pool = *rc::gen::inRange(0, 7);
      for (int i = 0; i < pool; ++i) {
        License l;
        l.service = kServices[s];
        l.key = next_key(l.service);
        l.term_days = *GenTermDays();
        l.activated_at = *GenActivatedAt(l.term_days);
        account.licenses.push_back(l);
      }
    }
    in.fleet.accounts.push_back(std::move(account));
    in.until = kNow + static_cast<UnixSeconds>(*rc::gen::inRange(1, 24 * 800)) * 3600 +
               *rc::gen::element<UnixSeconds>(0, 1, 59);
    in.tie_seed = *rc::gen::inRange<std::uint64_t>(1, 1000);
    return in;
  });
}

// One camera event as both sides report it; keys only where compared.
using CameraEvent =
    std::tuple<UnixSeconds, std::string /*kind*/, std::string /*serial*/, std::string /*service*/>;

struct SimOutcome {
  std::vector<boost::json::object> events;
  AccountSnapshot account;
};

SimOutcome AdvanceSim(const Instance& in) {
  sim::SimOptions options;
  options.fleet = in.fleet;
  options.tie_break = sim::TieBreak{sim::TieBreak::Order::kRandom, in.tie_seed};
  auto sim = sim::PortalSim::Start(options);
  RC_ASSERT(sim.ok());
  sim::testing::TestClient client((*sim)->port(), kToken);
  const sim::testing::HttpReply reply =
      client.Post("/sim/clock", R"({"to":")" + FormatTimestamp(in.until) + R"("})");
  RC_ASSERT(reply.status == 200);
  SimOutcome out;
  const boost::json::value answer = reply.json();
  for (const auto& e : answer.at("events").as_array()) out.events.push_back(e.as_object());
  HttpClientOptions http;
  http.url = *ParsePortalUrl((*sim)->url(), false);
  http.token = kToken;
  Result<AccountSnapshot> read = ReadAccountBlocking(http, kAccount);
  RC_ASSERT(read.ok());
  out.account = std::move(read.value());
  return out;
}

std::string Field(const boost::json::object& o, const char* name) {
  const boost::json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Per service: sorted remaining seconds of the assigned and of the pool
// licenses; per (camera, service): the remaining seconds of its license.
struct Shape {
  std::map<std::string, std::vector<std::int64_t>> assigned, pool;
  std::map<std::pair<std::string, std::string>, std::int64_t> cameras;
  bool operator==(const Shape&) const = default;
};

Shape ShapeOf(const Account& account, UnixSeconds at) {
  Shape s;
  for (const License& l : account.licenses) {
    const std::int64_t left = RemainingSeconds(l, at);
    (l.assigned() ? s.assigned : s.pool)[l.service].push_back(left);
    if (l.assigned()) s.cameras[{l.assigned_to, l.service}] = left;
  }
  for (auto* m : {&s.assigned, &s.pool}) {
    for (auto& [service, v] : *m) std::sort(v.begin(), v.end());
  }
  return s;
}

RC_GTEST_PROP(ForecastVsSim, TheForecastIsWhatTheSimulatorDoes, ()) {
  const Instance in = *GenInstance();
  const Account& start = in.fleet.accounts.front();
  Result<Forecast> forecast = ForecastAccount(AccountSnapshot{start, kNow}, in.until);
  RC_ASSERT(forecast.ok());
  const SimOutcome sim = AdvanceSim(in);

  // The account at the horizon, up to the keys ties made a choice.
  RC_ASSERT(sim.account.now == in.until);
  RC_ASSERT(ShapeOf(forecast->at_until.account, in.until) ==
            ShapeOf(sim.account.account, in.until));
  RC_ASSERT(forecast->at_until.account.cameras.size() == sim.account.account.cameras.size());

  // Every camera event at the same instant, for the same camera and service.
  std::vector<CameraEvent> predicted, happened;
  std::set<std::string> tied_services;  // a tie from here on makes keys a choice
  std::map<std::string, std::vector<std::string>> predicted_keys, happened_keys;
  for (const ForecastEvent& e : forecast->events) {
    if (e.kind == ForecastEvent::Kind::kExpiredInPool) continue;
    predicted.emplace_back(e.at, std::string(ForecastEventKindName(e.kind)), e.camera, e.service);
    if (e.tie) tied_services.insert(e.service);
    if (!tied_services.count(e.service)) {
      predicted_keys[e.service].push_back(e.camera + ":" + e.expired_key + ">" + e.new_key);
    }
  }
  std::map<std::string, int> pool_left;
  for (const License& l : start.licenses) {
    if (!l.assigned()) ++pool_left[l.service];
  }
  // The pool-dry dates from the simulator's own events: during a clock
  // advance a pool only loses licenses (renewals take them, expiries end
  // them); a pool empty from the start is dry from the start once an
  // auto-renewal finds it so.
  const std::map<std::string, int> pool_at_start = pool_left;
  std::map<std::string, UnixSeconds> sim_dry;
  std::multiset<std::pair<UnixSeconds, std::string>> predicted_pool_expiries, sim_pool_expiries;
  for (const ForecastEvent& e : forecast->events) {
    if (e.kind == ForecastEvent::Kind::kExpiredInPool)
      predicted_pool_expiries.emplace(e.at, e.service);
  }
  for (const boost::json::object& e : sim.events) {
    const std::string kind = Field(e, "kind");
    const UnixSeconds at = *ParseTimestamp(Field(e, "at"));
    const std::string service = Field(e, "service");
    if (kind == "renewed" || kind == "expired_in_pool") {
      if (--pool_left[service] == 0 && !sim_dry.count(service)) sim_dry[service] = at;
    }
    if (kind == "expired_in_pool") sim_pool_expiries.emplace(at, service);
    if (kind == "lapsed" && Field(e, "reason") == "pool_empty" && !pool_at_start.count(service) &&
        !sim_dry.count(service)) {
      sim_dry[service] = kNow;
    }
    if (kind != "renewed" && kind != "lapsed") continue;
    happened.emplace_back(at, kind, Field(e, "serial"), service);
  }
  RC_ASSERT(predicted == happened);
  RC_ASSERT(predicted_pool_expiries == sim_pool_expiries);

  // Keys: equal in every service up to its first tie.
  for (const boost::json::object& e : sim.events) {
    const std::string kind = Field(e, "kind");
    if (kind != "renewed" && kind != "lapsed") continue;
    const std::string service = Field(e, "service");
    auto& keys = happened_keys[service];
    if (keys.size() < predicted_keys[service].size()) {
      keys.push_back(Field(e, "serial") + ":" + Field(e, "expired_key") + ">" +
                     Field(e, "new_key"));
    }
  }
  RC_ASSERT(predicted_keys == happened_keys);

  // The dates each service's pool runs dry.
  for (const auto& [service, figures] : forecast->services) {
    // -1: never dry (plain values: g++ 12 warns on optional comparisons here).
    const auto it = sim_dry.find(service);
    const UnixSeconds dry = it == sim_dry.end() ? -1 : it->second;
    RC_ASSERT(figures.pool_dry_at.value_or(-1) == dry);
  }
  RC_CLASSIFY(!tied_services.empty(), "a tie");
  RC_CLASSIFY(!sim_dry.empty(), "a pool ran dry");
  RC_CLASSIFY(std::any_of(happened.begin(), happened.end(),
                          [](const CameraEvent& e) { return std::get<1>(e) == "lapsed"; }),
              "a lapse");
}

}  // namespace
}  // namespace licmove
