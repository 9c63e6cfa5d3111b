// The portal's HTTP API (DESIGN §2) and the sim-only endpoints, from a
// request's method, target, headers and body to a status and a JSON body.
// No networking here (http_server.cc carries the bytes), so every call and
// rule can be exercised without Beast's templates in this translation unit.
//
// Order of checks for /api/: route (404, 405; a malformed %-escape in a
// path parameter 400) -> a body declared as anything but JSON (415) -> token
// (401) -> account exists (404) -> account is the token's (403) -> role may
// mutate (403) -> Idempotency-Key replay (first response, or 422) -> body
// (400) -> rules (404, 409) -> apply, log, answer.
//
// Error codes, stable: bad_request, unauthorized, forbidden, not_found,
// method_not_allowed, payload_too_large, unsupported_media_type,
// camera_exists, service_active,
// no_license_in_pool, license_assigned, key_in_account, unknown_key,
// license_expired, idempotency_mismatch, rate_limited, internal, unavailable.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "files/fleet_file.h"
#include "model/status.h"
#include "model/timestamp.h"
#include "portal_sim/call_stats.h"
#include "portal_sim/durable_log.h"
#include "portal_sim/faults.h"
#include "portal_sim/idempotency.h"
#include "portal_sim/sim_state.h"

namespace licmove::sim {

struct ApiRequest {
  std::string_view method;  // "GET"
  std::string_view target;  // "/api/v1/accounts/acme/cameras?limit=10"
  std::string_view authorization;
  std::string_view content_type;  // "" when absent
  std::optional<std::string_view> idempotency_key;
  std::string_view body;
};

struct ApiResponse {
  int status = 200;
  std::string body;                                          // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
  // The answer may leave only after Api::Sync(log_offset); 0: nothing to wait for.
  std::uint64_t log_offset = 0;
};

ApiResponse ErrorResponse(int status, std::string_view code, std::string_view message);

class Api {
 public:
  // Builds the state from `fleet`; with a state dir, replays its log over it.
  // `faults` is what GET/PUT /sim/faults reads and changes.
  static Result<std::unique_ptr<Api>> Create(const Fleet& fleet, const TieBreak& tie_break,
                                             const std::string& state_dir, FaultInjector* faults);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Thread-safe: reads share a lock, mutations and resets take it alone.
  ApiResponse Handle(const ApiRequest& request);
  // Blocks until the log is durable up to `log_offset` (fdatasync).
  [[nodiscard]] Status Sync(std::uint64_t log_offset);
  CallStats& stats() { return stats_; }
  // The Date header of every answer: the simulator's clock (the fleet's `now`
  // until POST /sim/clock moves it), so that a client computes remaining
  // validity on it.
  std::string http_date() const { return FormatHttpDate(now_.load()); }

 private:
  struct Call;
  using Decider = std::function<Decision(const SimState&)>;
  using Renderer = std::function<ApiResponse(const SimState&, const Mutation&)>;

  Api(const Fleet& fleet, const TieBreak& tie_break, FaultInjector* faults);
  Status Replay(const std::vector<LogRecord>& records);
  std::string LogHeader() const;

  ApiResponse HandleSim(const Call& call);
  ApiResponse Me(const Call& call);
  ApiResponse ListCameras(const Call& call);
  ApiResponse GetCamera(const Call& call);
  ApiResponse AddCamera(const Call& call);
  ApiResponse RemoveCamera(const Call& call);
  ApiResponse Activate(const Call& call);
  ApiResponse ListLicenses(const Call& call);
  ApiResponse Park(const Call& call);
  ApiResponse Unpark(const Call& call);
  // Idempotency, rules, apply, log: every mutation goes through here.
  ApiResponse Mutate(const Call& call, const Decider& decide, const Renderer& render);
  ApiResponse Reset();
  ApiResponse Faults(const Call& call);
  ApiResponse Clock(const Call& call);

  const Fleet fleet_;  // what /sim/reset goes back to
  const TieBreak tie_break_;
  FaultInjector* const faults_;
  std::string fleet_digest_;
  // Users and account names never change (a reset rebuilds the same ones),
  // so authentication needs no lock.
  std::unordered_map<std::string, SimUser> users_;
  std::unordered_map<std::string, bool> account_exists_;

  std::shared_mutex mu_;  // guards state_, idempotency_ and appends to log_
  SimState state_;
  IdempotencyStore idempotency_;
  std::unique_ptr<DurableLog> log_;
  CallStats stats_;
  // state_.now(), readable without mu_ for the Date header; written under mu_.
  std::atomic<UnixSeconds> now_{0};
};

}  // namespace licmove::sim
