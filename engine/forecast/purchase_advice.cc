#include "forecast/purchase_advice.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace licmove {

namespace {

// One license to buy, and the lapse that asked for it.
struct Purchase {
  std::string service;
  int term_days = 0;
  UnixSeconds lapse_at = 0;
};

// Every round adds at least one license and a camera can only need
// horizon / shortest term of them, so this is far beyond any real fleet; a
// loop that reaches it is a bug.
constexpr int kMaxRounds = 10000;

std::string PurchaseKey(const std::string& service, int term_days, int ordinal) {
  return "purchase:" + service + ":" + std::to_string(term_days) + "d:" + std::to_string(ordinal);
}

License NewPoolLicense(std::string key, const std::string& service, int term_days) {
  License l;
  l.key = std::move(key);
  l.service = service;
  l.term_days = term_days;
  return l;
}

std::vector<License> LicensesFor(const std::vector<Purchase>& purchases) {
  std::map<std::pair<std::string, int>, int> ordinal;
  std::vector<License> out;
  out.reserve(purchases.size());
  for (const Purchase& p : purchases) {
    int& n = ordinal[{p.service, p.term_days}];
    out.push_back(NewPoolLicense(PurchaseKey(p.service, p.term_days, n++), p.service, p.term_days));
  }
  return out;
}

Result<Forecast> ForecastWith(const AccountSnapshot& snapshot, UnixSeconds until,
                              const std::vector<Purchase>& purchases) {
  AccountSnapshot with = snapshot;
  for (License& l : LicensesFor(purchases)) with.account.licenses.push_back(std::move(l));
  return ForecastAccount(with, until, ForecastOptions{.advise_purchases = false});
}

bool IsPoolEmptyLapse(const ForecastEvent& e) {
  return e.kind == ForecastEvent::Kind::kLapsed &&
         e.reason == ForecastEvent::LapseReason::kPoolEmpty;
}

}  // namespace

std::vector<License> PurchasedLicenses(const std::vector<PurchaseAdvice>& advice) {
  std::vector<License> out;
  for (const PurchaseAdvice& a : advice) {
    for (int n = 0; n < a.count; ++n) {
      out.push_back(NewPoolLicense(PurchaseKey(a.service, a.term_days, n), a.service, a.term_days));
    }
  }
  return out;
}

Result<std::vector<PurchaseAdvice>> AdvisePurchases(const AccountSnapshot& snapshot,
                                                    const Forecast& forecast) {
  std::unordered_map<std::string, int> term_of;
  for (const License& l : snapshot.account.licenses) term_of[l.key] = l.term_days;

  std::vector<Purchase> purchases;
  Forecast current = forecast;
  int round = 0;
  for (;; ++round) {
    bool lapsed = false;
    for (const ForecastEvent& e : current.events) {
      if (!IsPoolEmptyLapse(e)) continue;
      lapsed = true;
      auto term = term_of.find(e.expired_key);
      if (term == term_of.end()) {
        return Status::Internal("purchase advice: expired key " + e.expired_key + " is unknown");
      }
      purchases.push_back({e.service, term->second, e.at});
    }
    if (!lapsed) break;
    if (round == kMaxRounds) return Status::Internal("purchase advice does not converge");
    for (const License& l : LicensesFor(purchases)) term_of[l.key] = l.term_days;
    Result<Forecast> next = ForecastWith(snapshot, forecast.until, purchases);
    if (!next.ok()) return next.status();
    current = std::move(*next);
  }

  // A license bought for an early lapse may have been taken by an earlier
  // renewal in a later round, leaving another unused: drop the unused ones
  // if the forecast still has no lapse without them.
  if (!purchases.empty()) {
    std::unordered_set<std::string> taken;
    for (const ForecastEvent& e : current.events) {
      if (e.kind == ForecastEvent::Kind::kRenewed) taken.insert(e.new_key);
    }
    const std::vector<License> keys = LicensesFor(purchases);
    std::vector<Purchase> used;
    for (std::size_t i = 0; i < purchases.size(); ++i) {
      if (taken.count(keys[i].key)) used.push_back(purchases[i]);
    }
    if (used.size() < purchases.size()) {
      Result<Forecast> check = ForecastWith(snapshot, forecast.until, used);
      if (!check.ok()) return check.status();
      if (std::none_of(check->events.begin(), check->events.end(), IsPoolEmptyLapse)) {
        purchases = std::move(used);
      }
    }
  }

  std::map<std::pair<std::string, int>, PurchaseAdvice> grouped;
  for (const Purchase& p : purchases) {
    PurchaseAdvice& a = grouped[{p.service, p.term_days}];
    if (a.count == 0 || p.lapse_at < a.buy_by) a.buy_by = p.lapse_at;
    a.service = p.service;
    a.term_days = p.term_days;
    a.count += 1;
  }
  std::vector<PurchaseAdvice> out;
  for (auto& [group, advice] : grouped) out.push_back(std::move(advice));
  std::sort(out.begin(), out.end(), [](const PurchaseAdvice& a, const PurchaseAdvice& b) {
    if (a.buy_by != b.buy_by) return a.buy_by < b.buy_by;
    if (a.service != b.service) return a.service < b.service;
    return a.term_days < b.term_days;
  });
  return out;
}

}  // namespace licmove
