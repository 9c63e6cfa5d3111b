#include "planner/list_schedule.h"

#include <algorithm>
#include <queue>
#include <utility>
#include <vector>

namespace licmove {

int ListScheduleRounds(const OpGraph& graph, int parallelism) {
  const int n = graph.size();
  const std::size_t slots = static_cast<std::size_t>(std::max(1, parallelism));
  const std::vector<int> weight = graph.ChainWeights();
  // Reverse edges, flat: the dependents of op i are dependents[first[i] .. first[i + 1]).
  std::vector<int> waiting_on(n, 0), first(n + 1, 0);
  for (const Op& op : graph.ops()) {
    waiting_on[op.id] = static_cast<int>(op.after.size());
    for (int a : op.after) ++first[a + 1];
  }
  for (int i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<int> dependents(first[n]), fill(first.begin(), first.end() - 1);
  for (const Op& op : graph.ops()) {
    for (int a : op.after) dependents[fill[a]++] = op.id;
  }
  // Every call takes one round, so the ops started in a round all finish at
  // its end and release their dependents for the next one.
  std::priority_queue<std::pair<int, int>> ready;  // (weight, -id)
  for (int id = 0; id < n; ++id) {
    if (waiting_on[id] == 0) ready.emplace(weight[id], -id);
  }
  int rounds = 0, done = 0;
  std::vector<int> started;
  while (done < n) {
    ++rounds;
    started.clear();
    while (!ready.empty() && started.size() < slots) {
      started.push_back(-ready.top().second);
      ready.pop();
    }
    if (started.empty()) break;  // a cycle: Validate() would have said so
    for (int id : started) {
      for (int e = first[id]; e < first[id + 1]; ++e) {
        const int d = dependents[e];
        if (--waiting_on[d] == 0) ready.emplace(weight[d], -d);
      }
    }
    done += static_cast<int>(started.size());
  }
  return rounds;
}

}  // namespace licmove
