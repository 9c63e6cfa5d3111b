#include "executor/schedule.h"

#include <algorithm>

namespace licmove {

Schedule::Schedule(const OpGraph& graph)
    : state_(graph.size(), State::kWaiting),
      waiting_on_(graph.size(), 0),
      dependents_(graph.size()),
      weight_(graph.ChainWeights()) {
  for (const Op& op : graph.ops()) {
    waiting_on_[op.id] = static_cast<int>(op.after.size());
    for (int d : op.after) dependents_[d].push_back(op.id);
  }
  for (int w : weight_) critical_path_ = std::max(critical_path_, w);
  unfinished_by_weight_.assign(critical_path_ + 1, 0);
  for (int w : weight_) ++unfinished_by_weight_[w];
  top_weight_ = critical_path_;
  for (std::size_t i = 0; i < state_.size(); ++i) {
    if (waiting_on_[i] == 0) {
      state_[i] = State::kReady;
      ready_.emplace(weight_[i], -static_cast<int>(i));
    }
  }
}

void Schedule::MarkDoneBeforeStart(int op) {
  if (state_[op] == State::kDone) return;
  state_[op] = State::kDone;
  Retire(op);
  Release(op);
}

void Schedule::Retire(int op) {
  --unfinished_by_weight_[weight_[op]];
}

bool Schedule::ReadyIsCritical() {
  while (!ready_.empty() && state_[-ready_.top().second] != State::kReady) ready_.pop();
  if (stopped_ || ready_.empty()) return false;
  while (top_weight_ > 0 && unfinished_by_weight_[top_weight_] == 0) --top_weight_;
  return ready_.top().first >= top_weight_;
}

void Schedule::Release(int op) {
  for (int d : dependents_[op]) {
    if (--waiting_on_[d] == 0 && state_[d] == State::kWaiting) {
      state_[d] = State::kReady;
      ready_.emplace(weight_[d], -d);
    }
  }
}

int Schedule::TakeReady() {
  while (!stopped_ && !ready_.empty()) {
    const int op = -ready_.top().second;
    ready_.pop();
    if (state_[op] != State::kReady) continue;  // marked done before start
    state_[op] = State::kRunning;
    ++running_;
    return op;
  }
  return -1;
}

void Schedule::Finished(int op) {
  state_[op] = State::kDone;
  Retire(op);
  --running_;
  Release(op);
}

void Schedule::Failed(int op) {
  state_[op] = State::kFailed;
  Retire(op);
  --running_;
  std::vector<int> stack(dependents_[op]);
  while (!stack.empty()) {
    const int d = stack.back();
    stack.pop_back();
    if (state_[d] == State::kBlocked) continue;
    state_[d] = State::kBlocked;
    Retire(d);
    for (int dd : dependents_[d]) stack.push_back(dd);
  }
}

bool KeepSlotForCriticalPath(std::size_t ops, int critical_path, std::size_t slots) {
  if (slots < 2) return false;
  return 2 * ops <= (slots - 1) * static_cast<std::size_t>(critical_path);
}

std::size_t Schedule::Count(State s) const {
  return static_cast<std::size_t>(std::count(state_.begin(), state_.end(), s));
}

}  // namespace licmove
