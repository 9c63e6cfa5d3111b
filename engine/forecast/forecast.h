// The account as time moves: DESIGN §1 R7 (expiry and auto-renewal) played
// forward from a snapshot to a horizon, event by event (expiries in time
// order, never day by day). Pure: no network, no disk.
//
// This is licmove's own model of R7; portal-sim implements R7 separately
// (src/portal_sim), so that a test comparing the two can catch either wrong.
//
// R7 as both read it, at one instant T:
//   1. every license whose expires_at <= T leaves the account for good,
//      wherever it is (on a camera, in the pool; a parked key expires too);
//   2. then the cameras whose license expired at T are handled in order of
//      camera serial: with auto_renew on and a license of that service in
//      the pool, the pool's license with the smallest remaining validity is
//      activated on the camera at T (its clock starts at T if it never ran,
//      auto_renew stays on); otherwise the camera loses the service (a lapse).
// A never-activated license never expires. Keys with equal remaining validity
// tie: which one a renewal takes is not promised (ForecastEvent::tie).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/account.h"
#include "model/status.h"
#include "model/timestamp.h"

namespace licmove {

struct ForecastEvent {
  enum class Kind {
    kRenewed,        // camera's license expired; `new_key` activated on it
    kLapsed,         // camera's license expired; the camera lost the service
    kExpiredInPool,  // an activated license ran out unused in the pool
  };
  enum class LapseReason { kNone, kAutoRenewOff, kPoolEmpty };

  UnixSeconds at = 0;
  Kind kind = Kind::kRenewed;
  std::string service;
  std::string camera;       // serial; empty for kExpiredInPool
  std::string expired_key;  // the key that expired
  std::string new_key;      // kRenewed: the key the renewal takes
  int new_key_term_days = 0;
  // kRenewed: other pool keys had the same remaining validity, so which of
  // them the portal takes is its choice (the counts and validities still
  // agree, the key may not).
  bool tie = false;
  LapseReason reason = LapseReason::kNone;  // kLapsed
  // kExpiredInPool: whole days the license spent unused in the pool between
  // the forecast's start (or its release into the pool) and its expiry.
  double wasted_days = 0;
};

// What to buy so that no camera with auto_renew on lapses within the horizon:
// `count` licenses of `service` with `term_days` by `buy_by` (the first lapse
// they prevent).
struct PurchaseAdvice {
  std::string service;
  int term_days = 0;
  int count = 0;
  UnixSeconds buy_by = 0;
};

struct ServiceForecast {
  std::string service;
  // The first instant within the horizon at which the pool holds no license
  // of this service after holding one (nullopt: never, or empty from the
  // start with no renewal wanting one).
  std::optional<UnixSeconds> pool_dry_at;
  int renewals = 0;
  int lapses = 0;
  int expired_in_pool = 0;
  double wasted_days = 0;  // sum over kExpiredInPool events
};

struct Forecast {
  UnixSeconds from = 0;   // the snapshot's now
  UnixSeconds until = 0;  // the horizon
  // In time order; at one instant: pool expiries first (by key), then the
  // cameras' events in serial order.
  std::vector<ForecastEvent> events;
  std::map<std::string, ServiceForecast> services;  // every service seen
  std::vector<PurchaseAdvice> purchases;
  // The account at `until` (expired licenses gone, renewals applied),
  // with `now` = until: what `plan --at` plans against.
  AccountSnapshot at_until;
  // Keys that left the account or changed camera between `from` and `until`.
  std::vector<std::string> changed_keys;
};

// InvalidArgument when until < snapshot.now.
Result<Forecast> ForecastAccount(const AccountSnapshot& snapshot, UnixSeconds until);

struct ForecastOptions {
  // Work out `purchases` (re-runs the forecast a few times to verify the
  // advice); off, `purchases` stays empty.
  bool advise_purchases = true;
};
Result<Forecast> ForecastAccount(const AccountSnapshot& snapshot, UnixSeconds until,
                                 const ForecastOptions& options);

std::string_view ForecastEventKindName(
    ForecastEvent::Kind kind);  // "renewed" | "lapsed" | "expired_in_pool"
std::string_view LapseReasonName(
    ForecastEvent::LapseReason reason);  // "" | "auto_renew_off" | "pool_empty"

}  // namespace licmove
