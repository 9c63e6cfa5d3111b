// What an operator sees while a run works: a progress bar on a terminal
// (done/total, rate, ETA), one log line per finished op otherwise, or JSON
// lines (--log-format json, event_log.h) for machines. Keys are masked in all
// of them. It also keeps what the run's report needs of the ops' progress
// (how long each took, how many retries).
#pragma once

#include <chrono>
#include <cstdio>
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

  // `out` takes the bar, the lines and the notes; `events` the JSON lines
  // (kJson only). REQUIRES: ops have ids below `total`.
  ProgressReporter(std::FILE* out, Style style, std::size_t total, std::size_t already_done,
                   const EventLog* events = nullptr);
  void OpStarted(const Op& op) override;
  void OpFinished(const Op& op, const OpResult& result) override;
  void Retrying(const Op& op, int attempt, const std::string& why,
                std::chrono::milliseconds delay) override;
  // Ends the bar's line.
  void Close();
  // A message outside the bar ("interrupted: finishing 3 ops in flight").
  void Note(const std::string& message);

  // Seconds from op `id`'s start to its finish, in this process; 0 if it
  // did not both start and finish here.
  double OpSeconds(int id) const;
  int retries() const { return retries_; }

 private:
  void DrawBar();
  std::FILE* out_;
  Style style_;
  std::size_t total_;
  std::size_t done_;
  std::size_t done_at_start_;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  const EventLog* events_;
  int retries_ = 0;
  std::vector<std::chrono::steady_clock::time_point> started_;  // by op id
  std::vector<double> seconds_;                                 // by op id
};

}  // namespace licmove
