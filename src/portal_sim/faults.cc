#include "portal_sim/faults.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace licmove::sim {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Status ParseLatency(std::string_view text, FaultOptions* options) {
  const auto colon = text.find(':');
  int ms = 0;
  int jitter = 0;
  if (!ParseNumber(text.substr(0, colon), &ms) ||
      (colon != std::string_view::npos && !ParseNumber(text.substr(colon + 1), &jitter)) ||
      ms < 0 || jitter < 0 || ms > kMaxLatencyMs || jitter > kMaxLatencyMs) {
    return Status::InvalidArgument("latency '" + std::string(text) +
                                   "': expected MS or MS:JITTER, whole milliseconds from 0 to " +
                                   std::to_string(kMaxLatencyMs));
  }
  options->latency_ms = ms;
  options->jitter_ms = jitter;
  return Status::Ok();
}

Result<TieBreak> ParseTieBreak(std::string_view text) {
  if (text == "key") return TieBreak{TieBreak::Order::kKey, 0};
  constexpr std::string_view kRandom = "random:";
  std::uint64_t seed = 0;
  if (text.substr(0, kRandom.size()) == kRandom &&
      ParseNumber(text.substr(kRandom.size()), &seed)) {
    return TieBreak{TieBreak::Order::kRandom, seed};
  }
  return Status::InvalidArgument("tie-break '" + std::string(text) +
                                 "': expected key or random:SEED");
}

Status ValidateFaults(const FaultOptions& o) {
  for (auto [name, rate] : {std::pair{"error rate", o.error_rate},
                            {"drop rate", o.drop_rate},
                            {"reset rate", o.reset_rate}}) {
    if (!(rate >= 0 && rate <= 1)) {
      return Status::InvalidArgument(std::string(name) + " " + std::to_string(rate) +
                                     " is not within [0, 1]");
    }
  }
  if (o.latency_ms < 0 || o.jitter_ms < 0 || o.latency_ms > kMaxLatencyMs ||
      o.jitter_ms > kMaxLatencyMs) {
    return Status::InvalidArgument("latency and jitter must be from 0 to " +
                                   std::to_string(kMaxLatencyMs) + " ms");
  }
  if (o.rate_limit < 0) return Status::InvalidArgument("rate limit must not be negative");
  return Status::Ok();
}

FaultInjector::FaultInjector(const FaultOptions& options) {
  Set(options);
}

void FaultInjector::Set(const FaultOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  options_ = options;
  rng_.seed(options.seed);
  tokens_ = options.rate_limit;
  refilled_ = std::chrono::steady_clock::now();
}

FaultOptions FaultInjector::options() const {
  std::lock_guard<std::mutex> lock(mu_);
  return options_;
}

bool FaultInjector::Chance(double rate) {
  if (rate <= 0) return false;  // draws nothing, so other faults keep their sequence
  if (rate >= 1) return true;
  return std::uniform_real_distribution<double>(0, 1)(rng_) < rate;
}

FaultPlan FaultInjector::Decide(std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  FaultPlan plan;
  int ms = options_.latency_ms;
  if (options_.jitter_ms > 0) {
    ms += std::uniform_int_distribution<int>(-options_.jitter_ms, options_.jitter_ms)(rng_);
  }
  plan.delay = std::chrono::milliseconds(std::max(0, ms));

  if (Chance(options_.reset_rate)) {
    plan.reset = true;
    return plan;
  }
  if (options_.rate_limit > 0) {
    const double rate = options_.rate_limit;
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    if (elapsed > 0) {
      tokens_ = std::min(rate, tokens_ + elapsed * rate);
      refilled_ = now;
    }
    if (tokens_ < 1) {
      plan.retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1 - tokens_) / rate)));
      return plan;
    }
    tokens_ -= 1;
  }
  if (Chance(options_.error_rate)) {
    plan.error = true;
    return plan;
  }
  plan.drop = Chance(options_.drop_rate);
  return plan;
}

}  // namespace licmove::sim
