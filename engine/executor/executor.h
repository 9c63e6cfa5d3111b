// Runs an operation graph against the portal: ready ops in parallel up to a
// limit, under a rate limit, each retried with backoff under one
// Idempotency-Key; every intent durable in the journal before its request
// leaves; every activation checked against the key the planner predicted.
//
// Everything runs on the io_context of `executor`, so the schedule and the
// camera ids need no locks, except the journal's file calls: they run in
// order on one thread of their own, so that an fsync never holds up the
// answers arriving meanwhile (the journal is touched by nothing else until
// Run() is over).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "executor/adaptive_limit.h"
#include "executor/schedule.h"
#include "journal/journal.h"
#include "planner/op_graph.h"
#include "portal/http_client.h"
#include "portal/retry_policy.h"

namespace licmove {

struct ExecutorOptions {
  int parallelism = 10;
  // --parallelism auto: the calls in flight follow an AdaptiveLimit instead
  // of `parallelism` (adaptive_limit.h).
  bool adaptive = false;
  AdaptiveLimitOptions adaptive_limit;
  double rate = 0;  // calls a second; 0: unlimited
  RetryPolicy retry;
  std::string run_id;      // prefix of every Idempotency-Key
  std::uint64_t seed = 1;  // for backoff jitter
};

struct OpResult {
  enum class State { kNotStarted, kDone, kFailed, kUnknown, kBlocked };
  State state = State::kNotStarted;
  int attempts = 0;
  std::string message;      // kFailed / kUnknown: why, naming the call and camera
  std::string license_key;  // activate: what the portal assigned
};
std::string_view OpResultStateName(OpResult::State state);

struct ExecutionSummary {
  std::vector<OpResult> results;  // by op id
  bool verification_failed = false;
  // The portal answered 404 or 409 to a call the plan counted on (a pool key
  // gone, a camera removed): someone else changed the account. Nothing new
  // was started after that answer.
  bool account_changed = false;
  bool interrupted = false;
  Status journal_error;  // the journal could not be written: nothing more was sent
  std::size_t requests_sent = 0;
  // Adaptive runs: the limit requests were sent under. `limit_settled` is
  // the median over requests (what the run mostly ran at).
  int limit_settled = 0, limit_lowest = 0, limit_highest = 0;
  std::string first_error;
  bool complete() const;  // every op done
};

// True when an op's answer means the account is not as the plan saw it (see
// ExecutionSummary::account_changed).
bool MeansAccountChanged(unsigned http_status);

// Told about progress, for the progress bar and the logs. Called on the
// executor's thread.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void OpStarted(const Op& op) {}
  virtual void OpFinished(const Op& op, const OpResult& result) {}
  virtual void Retrying(const Op& op, int attempt, const std::string& why,
                        std::chrono::milliseconds delay) {}
  // Adaptive runs: the calls allowed in flight changed (and once at start).
  virtual void LimitChanged(int limit) {}
};

class Executor {
 public:
  // `camera_ids`: serial -> the portal's current id, for every camera the
  // plan touches that exists now. `journal` may be null (tests, dry runs).
  // REQUIRES: graph, schedule and http outlive the executor.
  Executor(boost::asio::any_io_executor io, std::string account, const OpGraph& graph,
           Schedule& schedule, HttpClient& http, JournalWriter* journal,
           std::map<std::string, std::string> camera_ids, ExecutorOptions options,
           ExecutionObserver* observer);
  ~Executor();

  boost::asio::awaitable<ExecutionSummary> Run();
  // Start nothing new; ops in flight finish. Safe from a signal_set handler
  // on the same io_context.
  void RequestStop();

  const std::map<std::string, std::string>& camera_ids() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace licmove
