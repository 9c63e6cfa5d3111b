// An independent brute-force R7, for the property tests: at each step it
// rescans every license for the next expiry instant and, for each renewal,
// every pool license for the smallest remaining validity. Quadratic and
// obviously right; shares nothing with engine/forecast but the result types.
#pragma once

#include "forecast/forecast.h"

namespace licmove::testing {

// Events, per-service figures, at_until and changed_keys; no purchases.
Forecast ReferenceForecast(const AccountSnapshot& snapshot, UnixSeconds until);

}  // namespace licmove::testing
