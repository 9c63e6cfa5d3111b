// What to buy so that no camera with auto_renew on lapses within a forecast's
// horizon (Forecast::purchases).
//
// Like for like: a camera that would lapse for want of a pool license gets a
// license of the term it had. The advice is verified, not just derived: the
// forecast is run again with the advised licenses in the pool from the start
// (never activated, so they never expire there), and any lapse left gets one
// more license, until none is left. Licenses that the verified forecast never
// takes are dropped again when the forecast without them still has no lapse.
#pragma once

#include <vector>

#include "forecast/forecast.h"

namespace licmove {

// `forecast` is ForecastAccount(snapshot, until) without advice. Internal
// when the advice does not converge (a bug).
Result<std::vector<PurchaseAdvice>> AdvisePurchases(const AccountSnapshot& snapshot,
                                                    const Forecast& forecast);

// The licenses `advice` stands for, as never-activated pool licenses with
// keys "purchase:SERVICE:TERM:N" (tests re-run the forecast with them).
std::vector<License> PurchasedLicenses(const std::vector<PurchaseAdvice>& advice);

}  // namespace licmove
