// Which op may run next: the executor's bookkeeping, pure data and testable
// without threads or a portal (after ninja's Plan). Ready ops come out
// longest-remaining-chain first, so that the critical path never waits behind
// work that has slack.
#pragma once

#include <cstddef>
#include <queue>
#include <utility>
#include <vector>

#include "planner/op_graph.h"

namespace licmove {

class Schedule {
 public:
  enum class State { kWaiting, kReady, kRunning, kDone, kFailed, kBlocked };

  // REQUIRES: graph.Validate() is OK (ids in range, no cycle).
  explicit Schedule(const OpGraph& graph);

  // For a resume: `op` already happened before this process started.
  // REQUIRES: called before the first TakeReady.
  void MarkDoneBeforeStart(int op);

  // The ready op with the longest chain of ops after it, now running; -1 when
  // none is ready or Stop() was called.
  int TakeReady();
  void Finished(int op);  // REQUIRES: op is running
  // REQUIRES: op is running. It was taken but never started: ready again.
  void Unstart(int op);
  // REQUIRES: op is running. Its dependents, and theirs, never become ready.
  void Failed(int op);
  // Start nothing new (a verification mismatch, an interrupt); running ops
  // still report Finished or Failed.
  void Stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

  State state(int op) const { return state_[op]; }
  bool HasReady() const { return !stopped_ && !ready_.empty(); }
  std::size_t running() const { return running_; }
  // Nothing is running and nothing more can start.
  bool Quiescent() const { return running_ == 0 && (stopped_ || ready_.empty()); }
  std::size_t Count(State s) const;
  std::size_t size() const { return state_.size(); }
  // Ops on the longest dependency chain of the whole graph.
  int critical_path() const { return critical_path_; }

 private:
  void Release(int op);

  std::vector<State> state_;
  std::vector<int> waiting_on_;                     // unfinished dependencies per op
  std::vector<std::vector<int>> dependents_;        // reverse edges
  std::vector<int> weight_;                         // ops on the longest chain starting here
  std::priority_queue<std::pair<int, int>> ready_;  // (weight, -id): stable by id
  std::size_t running_ = 0;
  bool stopped_ = false;
  int critical_path_ = 0;
};

}  // namespace licmove
