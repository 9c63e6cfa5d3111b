// What to buy so that no camera with auto_renew on lapses within a forecast's
// horizon (Forecast::purchases).
//
// The longest term (5y, or a longer one the account holds for that service):
// the fewest licenses, and a never-activated license at least as long as
// anything in the pool is taken only when the pool would otherwise be empty
// (or on a tie), so bought at the start it changes no other renewal's pick.
// A first guess comes from one pass of the forecast that buys each license
// when the lapse would happen; one line per service, term and calendar month
// of the lapses, `buy_by` the first of them. The advice is verified, not just derived:
// the forecast is run again with the advised licenses in the pool from the
// start (never activated, so they never expire there), and any lapse left
// gets one more license, until none is left. Licenses that the verified forecast never
// takes are dropped again when the forecast without them still has no lapse.
#pragma once

#include <vector>

#include "forecast/forecast.h"

namespace licmove {

// A license the advice mode of the forecast bought at `at` for a camera that
// would have lapsed.
struct ConjuredPurchase {
  std::string service;
  int term_days = 0;
  UnixSeconds at = 0;
};

// The forecast itself (forecast.cc). With `conjured`, advice mode: a camera
// that would lapse for want of a pool license instead gets a new license of
// the term it had, recorded in `conjured`; at_until and changed_keys then
// cover the snapshot's licenses only.
Result<Forecast> PlayForecast(const AccountSnapshot& snapshot, UnixSeconds until,
                              std::vector<ConjuredPurchase>* conjured);

// `forecast` is ForecastAccount(snapshot, until) without advice. Internal
// when the advice does not converge (a bug).
Result<std::vector<PurchaseAdvice>> AdvisePurchases(const AccountSnapshot& snapshot,
                                                    const Forecast& forecast);

// The licenses `advice` stands for, as never-activated pool licenses with
// keys "purchase:SERVICE:TERM:N" (tests re-run the forecast with them).
std::vector<License> PurchasedLicenses(const std::vector<PurchaseAdvice>& advice);

}  // namespace licmove
