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

  // Whether the best ready op lies on a longest chain of what is left: its
  // weight (ops on the longest chain starting at it) equals the largest
  // weight of any op not finished yet.
  bool ReadyIsCritical();

 private:
  void Release(int op);
  void Retire(int op);  // done, failed or blocked: no longer counts as unfinished

  std::vector<State> state_;
  std::vector<int> waiting_on_;                     // unfinished dependencies per op
  std::vector<std::vector<int>> dependents_;        // reverse edges
  std::vector<int> weight_;                         // ops on the longest chain starting here
  std::priority_queue<std::pair<int, int>> ready_;  // (weight, -id): stable by id
  std::size_t running_ = 0;
  bool stopped_ = false;
  int critical_path_ = 0;
  std::vector<int> unfinished_by_weight_;  // ops not yet retired, per weight
  int top_weight_ = 0;                     // no unfinished op weighs more
};

// Whether the executor keeps one of its `slots` for ops on the critical path
// (ReadyIsCritical). A kept slot saves a critical op from waiting behind a
// full house, but idles whenever the chain waits on something else: it
// costs 1/slots of the capacity. It pays only when the other slots have
// capacity to spare, taken as: they could run all `ops` in half the critical
// path's time. (bulk-10k, medians: at 32 slots keeping one took 24.5 s
// instead of 25.5 s; at 10, 31.0 s instead of 27.8 s; at 16, a tie.)
bool KeepSlotForCriticalPath(std::size_t ops, int critical_path, std::size_t slots);

}  // namespace licmove
