// What an operator sees while a run works: a progress bar on a terminal
// (done/total, ops/s, calls/s, retries and 429 waits, ETA), one log line per
// finished op otherwise, or JSON lines (--log-format json, event_log.h) for
// machines. Keys are masked in all of them. It also keeps what the run's
// report needs of the ops' progress (how long each took, how many retries).
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "event_log.h"
#include "executor/executor.h"

namespace licmove {

class ProgressReporter : public ExecutionObserver {
 public:
  enum class Style { kBar, kLines, kJson };
  // kBar when `out` is a terminal and json is false; kLines otherwise.
  static Style StyleFor(std::FILE* out, bool json);
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `out` takes the bar, the lines and the notes; `events` the JSON lines
  // (kJson only); `clock` the time (tests pass a fake one). REQUIRES: ops
  // have ids below `total`.
  ProgressReporter(std::FILE* out, Style style, std::size_t total, std::size_t already_done,
                   const EventLog* events = nullptr, Clock clock = nullptr);
  void OpStarted(const Op& op) override;
  void OpFinished(const Op& op, const OpResult& result) override;
  void Retrying(const Op& op, int attempt, const std::string& why,
                std::chrono::milliseconds delay) override;
  // --parallelism auto: the bar shows the limit, JSON gets a "limit" event.
  void LimitChanged(int limit) override;
  // Ends the bar's line.
  void Close();
  // A message outside the bar ("interrupted: finishing 3 ops in flight").
  void Note(const std::string& message);

  // Seconds from op `id`'s start to its finish, in this process; 0 if it
  // did not both start and finish here.
  double OpSeconds(int id) const;
  int retries() const { return retries_; }
  // Retries that waited because the portal answered 429 (rate limited).
  int waits_429() const { return waits_429_; }
  // Requests sent for ops so far: each op's first attempt and every retry.
  int calls() const { return calls_; }

 private:
  void DrawBar();
  std::chrono::steady_clock::time_point Now() const;
  std::FILE* out_;
  Style style_;
  std::size_t total_;
  std::size_t done_;
  std::size_t done_at_start_;
  std::size_t failed_ = 0;
  const EventLog* events_;
  int retries_ = 0;
  int waits_429_ = 0;
  int calls_ = 0;
  int limit_ = 0;  // adaptive runs: calls allowed in flight; 0: fixed
  Clock clock_;
  std::vector<std::chrono::steady_clock::time_point> started_;  // by op id
  std::vector<double> seconds_;                                 // by op id
  std::chrono::steady_clock::time_point start_;                 // after clock_: Now() reads it
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace licmove
