#include "planner/list_schedule.h"

#include <algorithm>
#include <queue>
#include <utility>
#include <vector>

namespace licmove {

namespace {

// A topological order of the shape: the ids in order when every op waits only
// for smaller ids (every graph the planner builds), else Kahn's.
std::vector<int> TopologicalOrder(const OpShape& shape, const std::vector<int>& first_dependent,
                                  const std::vector<int>& dependents) {
  const int n = shape.size();
  std::vector<int> order(n);
  const bool forward = [&] {
    for (int id = 0; id < n; ++id) {
      for (const int* a = shape.after_begin(id); a != shape.after_end(id); ++a) {
        if (*a >= id) return false;
      }
    }
    return true;
  }();
  if (forward) {
    for (int id = 0; id < n; ++id) order[id] = id;
    return order;
  }
  std::vector<int> waiting_on(n);
  order.clear();
  for (int id = 0; id < n; ++id) {
    waiting_on[id] = shape.first[id + 1] - shape.first[id];
    if (waiting_on[id] == 0) order.push_back(id);
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int id = order[i];
    for (int e = first_dependent[id]; e < first_dependent[id + 1]; ++e) {
      if (--waiting_on[dependents[e]] == 0) order.push_back(dependents[e]);
    }
  }
  return order;
}

}  // namespace

int ListScheduleRounds(const OpShape& shape, int parallelism) {
  const int n = shape.size();
  const std::size_t slots = static_cast<std::size_t>(std::max(1, parallelism));
  // Reverse edges, flat: the dependents of op i are dependents[first[i] .. first[i + 1]).
  std::vector<int> waiting_on(n, 0), first(n + 1, 0);
  for (int id = 0; id < n; ++id) {
    waiting_on[id] = shape.first[id + 1] - shape.first[id];
    for (const int* a = shape.after_begin(id); a != shape.after_end(id); ++a) ++first[*a + 1];
  }
  for (int i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<int> dependents(first[n]), fill(first.begin(), first.end() - 1);
  for (int id = 0; id < n; ++id) {
    for (const int* a = shape.after_begin(id); a != shape.after_end(id); ++a) {
      dependents[fill[*a]++] = id;
    }
  }
  // Per op, the ops on the longest chain that starts with it (OpGraph::ChainWeights).
  std::vector<int> weight(n, 1);
  const std::vector<int> order = TopologicalOrder(shape, first, dependents);
  for (int i = static_cast<int>(order.size()) - 1; i >= 0; --i) {
    const int id = order[i];
    for (const int* a = shape.after_begin(id); a != shape.after_end(id); ++a) {
      weight[*a] = std::max(weight[*a], weight[id] + 1);
    }
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

int ListScheduleRounds(const OpGraph& graph, int parallelism) {
  return ListScheduleRounds(ShapeOf(graph), parallelism);
}

}  // namespace licmove
