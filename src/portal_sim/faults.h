// Fault injection for /api/ requests (DESIGN §3): what a flaky portal does to
// a client, decided per request from a seeded RNG so that a run repeats.
// /sim/ requests never see faults.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string_view>

#include "model/status.h"
#include "portal_sim/sim_state.h"

namespace licmove::sim {

// The largest latency and jitter, each: an hour is longer than any client
// timeout worth testing, and their sum stays far from int's limits.
inline constexpr int kMaxLatencyMs = 3'600'000;

struct FaultOptions {
  int latency_ms = 0;     // added before every answer
  int jitter_ms = 0;      // the latency varies uniformly by +-jitter (never below 0)
  double error_rate = 0;  // 503 before anything is applied
  int rate_limit = 0;     // requests per second, token bucket of that size; 0: none
  double drop_rate = 0;   // apply, then close the connection without answering
  double reset_rate = 0;  // reset the connection before applying
  std::uint64_t seed = 1;
};

// "MS" or "MS:JITTER", both whole milliseconds from 0 to kMaxLatencyMs.
[[nodiscard]] Status ParseLatency(std::string_view text, FaultOptions* options);
// "key" or "random:SEED".
Result<TieBreak> ParseTieBreak(std::string_view text);
// Rates within [0, 1], no negative counts, latency and jitter at most
// kMaxLatencyMs.
[[nodiscard]] Status ValidateFaults(const FaultOptions& options);

// What happens to one request. At most one of reset, rate limit and error;
// drop only when the request is handled.
struct FaultPlan {
  std::chrono::milliseconds delay{0};
  bool reset = false;
  int retry_after_seconds = 0;  // > 0: answer 429 with this Retry-After
  bool error = false;           // answer 503
  bool drop = false;
};

// Thread-safe.
class FaultInjector {
 public:
  explicit FaultInjector(const FaultOptions& options);

  // Replaces the options, restarts the RNG from their seed and refills the
  // rate limit bucket.
  void Set(const FaultOptions& options);
  FaultOptions options() const;
  // Decided when the request arrives (the rate limit counts arrivals).
  FaultPlan Decide(std::chrono::steady_clock::time_point now);

 private:
  bool Chance(double rate);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  FaultOptions options_;
  std::mt19937_64 rng_;
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_;
};

}  // namespace licmove::sim
