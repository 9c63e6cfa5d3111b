#include "planner/op_graph.h"

#include <algorithm>
#include <cstdint>
#include <queue>

namespace licmove {

void OpGraph::Reserve(std::size_t ops) {
  if (ops <= ops_.capacity()) return;
  ops_.reserve(ops);
}

KeyList::KeyList(std::vector<std::string> keys) {
  if (keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  keys_ = std::make_shared<const std::vector<std::string>>(std::move(keys));
}

bool KeyList::contains(std::string_view key) const {
  return keys_ && std::binary_search(keys_->begin(), keys_->end(), key,
                                     [](std::string_view a, std::string_view b) { return a < b; });
}

bool KeyList::operator==(const KeyList& other) const {
  return size() == other.size() && std::equal(begin(), end(), other.begin());
}

bool KeyList::operator==(const std::vector<std::string>& other) const {
  return size() == other.size() && std::equal(begin(), end(), other.begin());
}

std::string_view OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kRemoveCamera:
      return "remove_camera";
    case OpKind::kAddCamera:
      return "add_camera";
    case OpKind::kActivate:
      return "activate";
    case OpKind::kPark:
      return "park";
    case OpKind::kUnpark:
      return "unpark";
  }
  return "?";
}

std::optional<OpKind> OpKindFromName(std::string_view name) {
  for (OpKind k : {OpKind::kRemoveCamera, OpKind::kAddCamera, OpKind::kActivate, OpKind::kPark,
                   OpKind::kUnpark}) {
    if (OpKindName(k) == name) return k;
  }
  return std::nullopt;
}

int OpGraph::Add(Op op) {
  op.id = static_cast<int>(ops_.size());
  ops_.push_back(std::move(op));
  return ops_.back().id;
}

Op& OpGraph::NewOp(OpKind kind) {
  Op& op = ops_.emplace_back();
  op.id = static_cast<int>(ops_.size()) - 1;
  op.kind = kind;
  return op;
}

OpShape ShapeOf(const OpGraph& graph) {
  OpShape shape;
  shape.kinds.reserve(graph.size());
  shape.first.reserve(graph.size() + 1);
  shape.after.reserve(graph.num_edges());
  for (const Op& op : graph.ops()) {
    shape.kinds.push_back(op.kind);
    shape.after.insert(shape.after.end(), op.after.begin(), op.after.end());
    shape.first.push_back(static_cast<int>(shape.after.size()));
  }
  return shape;
}

void OpGraph::Finish() {
  for (Op& op : ops_) {
    std::sort(op.after.begin(), op.after.end());
    op.after.erase(std::unique(op.after.begin(), op.after.end()), op.after.end());
  }
}

std::size_t OpGraph::num_edges() const {
  std::size_t n = 0;
  for (const Op& op : ops_) n += op.after.size();
  return n;
}

Status OpGraph::Validate() const {
  for (const Op& op : ops_) {
    for (int a : op.after) {
      if (a < 0 || a >= size() || a == op.id) {
        return Status::Internal("op " + std::to_string(op.id) + " waits for unknown op " +
                                std::to_string(a));
      }
    }
  }
  if (static_cast<int>(TopologicalOrder().size()) != size()) {
    return Status::Internal("the operation graph has a cycle");
  }
  return Status::Ok();
}

std::vector<int> OpGraph::TopologicalOrder() const {
  // Graphs the planner builds, and saved plans, only wait for earlier ids: the
  // ids in order are then a topological order.
  bool forward = true;
  for (const Op& op : ops_) {
    for (int a : op.after) forward &= a >= 0 && a < op.id;
  }
  if (forward) {
    std::vector<int> order(ops_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    return order;
  }
  std::vector<int> indegree(ops_.size(), 0);
  std::vector<std::vector<int>> next(ops_.size());
  for (const Op& op : ops_) {
    for (int a : op.after) {
      if (a < 0 || a >= size()) continue;
      ++indegree[op.id];
      next[a].push_back(op.id);
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (const Op& op : ops_) {
    if (indegree[op.id] == 0) ready.push(op.id);
  }
  std::vector<int> order;
  order.reserve(ops_.size());
  while (!ready.empty()) {
    int id = ready.top();
    ready.pop();
    order.push_back(id);
    for (int n : next[id]) {
      if (--indegree[n] == 0) ready.push(n);
    }
  }
  return order;
}

std::vector<int> OpGraph::Levels() const {
  std::vector<int> level(ops_.size(), 1);
  for (int id : TopologicalOrder()) {
    for (int a : ops_[id].after) level[id] = std::max(level[id], level[a] + 1);
  }
  return level;
}

std::vector<int> OpGraph::ChainWeights() const {
  std::vector<int> weight(ops_.size(), 1);
  // The planner numbers ops in a valid order (every edge to a larger id);
  // other graphs get sorted first.
  const bool in_id_order = std::all_of(ops_.begin(), ops_.end(), [](const Op& op) {
    return op.after.empty() || op.after.back() < op.id;
  });
  std::vector<int> order;
  if (!in_id_order) order = TopologicalOrder();
  for (int i = size() - 1; i >= 0; --i) {
    const int id = in_id_order ? i : order[i];
    for (int a : ops_[id].after) weight[a] = std::max(weight[a], weight[id] + 1);
  }
  return weight;
}

std::vector<int> OpGraph::CriticalPath() const {
  if (ops_.empty()) return {};
  std::vector<int> level(ops_.size(), 1), via(ops_.size(), -1);
  for (int id : TopologicalOrder()) {
    for (int a : ops_[id].after) {
      if (level[a] + 1 > level[id]) {
        level[id] = level[a] + 1;
        via[id] = a;
      }
    }
  }
  int last = static_cast<int>(std::max_element(level.begin(), level.end()) - level.begin());
  std::vector<int> path;
  for (int id = last; id >= 0; id = via[id]) path.push_back(id);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace licmove
