// R7 played forward, event by event. The only instants at which anything
// happens are the expiry instants of activated licenses, so the loop is a
// min-heap of (expires_at, license): a license's expiry never changes once
// its clock runs, and it leaves the account only by expiring, so the heap
// never holds a stale entry. A renewal pushes the new key's expiry.
//
// Per service the pool is two ordered sets, because remaining validity is
// compared across two kinds of license: an activated one's remaining
// validity (expires_at - T) shrinks with T but keeps their order among
// themselves; a never-activated one's stays its term. The renewal's pick is
// the smaller of the two heads.
#include "forecast/forecast.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>

#include "forecast/purchase_advice.h"

namespace licmove {

namespace {

// (value, key rank): value is expires_at for activated pool licenses and the
// term in seconds for never-activated ones; equal values fall back to the
// smaller key, the forecast's stand-in for the portal's unpromised choice.
using PoolEntry = std::pair<std::int64_t, int>;

struct ServicePool {
  std::set<PoolEntry> activated;  // (expires_at, rank)
  std::set<PoolEntry> fresh;      // (term seconds, rank): never activated
  bool held_one = false;          // non-empty at the start

  std::size_t size() const { return activated.size() + fresh.size(); }
};

struct Pick {
  int rank = -1;
  bool tie = false;
};

// The pool license of a service that R2 hands out at `t`, and whether another
// one has the same remaining validity.
Pick PickSmallestRemaining(const ServicePool& pool, UnixSeconds t) {
  Pick pick;
  const bool has_a = !pool.activated.empty();
  const bool has_f = !pool.fresh.empty();
  if (!has_a && !has_f) return pick;
  const std::int64_t rem_a = has_a ? pool.activated.begin()->first - t : 0;
  const std::int64_t rem_f = has_f ? pool.fresh.begin()->first : 0;
  std::int64_t best = 0;
  if (has_a && (!has_f || rem_a < rem_f ||
                (rem_a == rem_f && pool.activated.begin()->second < pool.fresh.begin()->second))) {
    pick.rank = pool.activated.begin()->second;
    best = rem_a;
  } else {
    pick.rank = pool.fresh.begin()->second;
    best = rem_f;
  }
  int equal = 0;
  if (has_a) {
    auto it = pool.activated.begin();
    for (int i = 0; i < 2 && it != pool.activated.end() && it->first - t == best; ++i, ++it)
      ++equal;
  }
  if (has_f) {
    auto it = pool.fresh.begin();
    for (int i = 0; i < 2 && it != pool.fresh.end() && it->first == best; ++i, ++it) ++equal;
  }
  pick.tie = equal >= 2;
  return pick;
}

std::int64_t TermSeconds(const License& l) {
  return static_cast<std::int64_t>(l.term_days) * kSecondsPerDay;
}

Result<Forecast> ForecastEvents(const AccountSnapshot& snapshot, UnixSeconds until);

}  // namespace

std::string_view ForecastEventKindName(ForecastEvent::Kind kind) {
  switch (kind) {
    case ForecastEvent::Kind::kRenewed:
      return "renewed";
    case ForecastEvent::Kind::kLapsed:
      return "lapsed";
    case ForecastEvent::Kind::kExpiredInPool:
      return "expired_in_pool";
  }
  return "?";
}

std::string_view LapseReasonName(ForecastEvent::LapseReason reason) {
  switch (reason) {
    case ForecastEvent::LapseReason::kNone:
      return "";
    case ForecastEvent::LapseReason::kAutoRenewOff:
      return "auto_renew_off";
    case ForecastEvent::LapseReason::kPoolEmpty:
      return "pool_empty";
  }
  return "?";
}

namespace {

Result<Forecast> ForecastEvents(const AccountSnapshot& snapshot, UnixSeconds until) {
  if (until < snapshot.now) {
    return Status::InvalidArgument("forecast horizon " + FormatTimestamp(until) +
                                   " is before the account's now " + FormatTimestamp(snapshot.now));
  }
  Forecast out;
  out.from = snapshot.now;
  out.until = until;

  // Licenses by key rank (their order by key), so that every comparison in
  // the hot loop is on integers.
  std::vector<License> lic = snapshot.account.licenses;
  const int n = static_cast<int>(lic.size());
  std::vector<int> by_rank(n);
  for (int i = 0; i < n; ++i) by_rank[i] = i;
  std::sort(by_rank.begin(), by_rank.end(), [&](int a, int b) { return lic[a].key < lic[b].key; });
  std::vector<int> rank_of(n);
  for (int r = 0; r < n; ++r) rank_of[by_rank[r]] = r;

  std::unordered_map<std::string, ServicePool> pools;
  for (const License& l : lic) out.services[l.service].service = l.service;

  using HeapEntry = std::pair<UnixSeconds, int>;  // (expires_at, license index)
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<>> heap;
  std::vector<char> gone(n, 0);
  for (int i = 0; i < n; ++i) {
    const License& l = lic[i];
    ServicePool& pool = pools[l.service];
    if (auto exp = l.expires_at()) {
      if (*exp <= until) heap.emplace(*exp, i);
      if (!l.assigned()) pool.activated.emplace(*exp, rank_of[i]);
    } else if (!l.assigned()) {
      pool.fresh.emplace(TermSeconds(l), rank_of[i]);
    }
  }
  for (auto& [service, pool] : pools) pool.held_one = pool.size() > 0;

  std::vector<int> in_pool, on_camera;
  while (!heap.empty()) {
    const UnixSeconds t = heap.top().first;
    in_pool.clear();
    on_camera.clear();
    while (!heap.empty() && heap.top().first == t) {
      const int i = heap.top().second;
      heap.pop();
      (lic[i].assigned() ? on_camera : in_pool).push_back(i);
    }
    // 1. Everything due at t leaves the account, wherever it is.
    std::sort(in_pool.begin(), in_pool.end(),
              [&](int a, int b) { return rank_of[a] < rank_of[b]; });
    for (int i : in_pool) {
      gone[i] = 1;
      ServicePool& pool = pools[lic[i].service];
      pool.activated.erase({t, rank_of[i]});
      ForecastEvent e;
      e.at = t;
      e.kind = ForecastEvent::Kind::kExpiredInPool;
      e.service = lic[i].service;
      e.expired_key = lic[i].key;
      const UnixSeconds unused_since = std::max(out.from, *lic[i].activated_at);
      e.wasted_days = std::floor(static_cast<double>(std::max<UnixSeconds>(0, t - unused_since)) /
                                 kSecondsPerDay);
      ServiceForecast& sf = out.services[e.service];
      sf.expired_in_pool += 1;
      sf.wasted_days += e.wasted_days;
      if (pool.size() == 0 && !sf.pool_dry_at) sf.pool_dry_at = t;
      out.events.push_back(std::move(e));
    }
    for (int i : on_camera) gone[i] = 1;
    // 2. The cameras whose license expired, in serial order (then service,
    // for a camera with several due at once).
    std::sort(on_camera.begin(), on_camera.end(), [&](int a, int b) {
      if (lic[a].assigned_to != lic[b].assigned_to) return lic[a].assigned_to < lic[b].assigned_to;
      return lic[a].service < lic[b].service;
    });
    for (int i : on_camera) {
      const License& old = lic[i];
      ServicePool& pool = pools[old.service];
      ServiceForecast& sf = out.services[old.service];
      ForecastEvent e;
      e.at = t;
      e.service = old.service;
      e.camera = old.assigned_to;
      e.expired_key = old.key;
      Pick pick;
      if (old.auto_renew) pick = PickSmallestRemaining(pool, t);
      if (pick.rank < 0) {
        e.kind = ForecastEvent::Kind::kLapsed;
        e.reason = old.auto_renew ? ForecastEvent::LapseReason::kPoolEmpty
                                  : ForecastEvent::LapseReason::kAutoRenewOff;
        sf.lapses += 1;
        if (old.auto_renew && !pool.held_one && !sf.pool_dry_at) sf.pool_dry_at = out.from;
        out.events.push_back(std::move(e));
        continue;
      }
      const int j = by_rank[pick.rank];
      License& taken = lic[j];
      if (taken.activated_at) {
        // Already in the heap since its clock started; it pops as a camera's.
        pool.activated.erase({*taken.expires_at(), pick.rank});
      } else {
        pool.fresh.erase({TermSeconds(taken), pick.rank});
        taken.activated_at = t;
        if (*taken.expires_at() <= until) heap.emplace(*taken.expires_at(), j);
      }
      taken.assigned_to = old.assigned_to;
      taken.auto_renew = true;
      e.kind = ForecastEvent::Kind::kRenewed;
      e.new_key = taken.key;
      e.new_key_term_days = taken.term_days;
      e.tie = pick.tie;
      sf.renewals += 1;
      if (pool.size() == 0 && !sf.pool_dry_at) sf.pool_dry_at = t;
      out.events.push_back(std::move(e));
    }
  }

  out.at_until.now = until;
  out.at_until.account.name = snapshot.account.name;
  out.at_until.account.cameras = snapshot.account.cameras;
  out.at_until.account.licenses.reserve(n);
  for (int i = 0; i < n; ++i) {
    const License& before = snapshot.account.licenses[i];
    if (gone[i] || lic[i].assigned_to != before.assigned_to) out.changed_keys.push_back(before.key);
    if (!gone[i]) out.at_until.account.licenses.push_back(std::move(lic[i]));
  }
  std::sort(out.changed_keys.begin(), out.changed_keys.end());
  return out;
}

}  // namespace

Result<Forecast> ForecastAccount(const AccountSnapshot& snapshot, UnixSeconds until,
                                 const ForecastOptions& options) {
  Result<Forecast> forecast = ForecastEvents(snapshot, until);
  if (!forecast.ok() || !options.advise_purchases) return forecast;
  Result<std::vector<PurchaseAdvice>> advice = AdvisePurchases(snapshot, *forecast);
  if (!advice.ok()) return advice.status();
  forecast->purchases = std::move(*advice);
  return forecast;
}

Result<Forecast> ForecastAccount(const AccountSnapshot& snapshot, UnixSeconds until) {
  return ForecastAccount(snapshot, until, ForecastOptions{});
}

}  // namespace licmove
