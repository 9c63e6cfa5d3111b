#include "planner/edges.h"

#include <algorithm>
#include <limits>
#include <map>

namespace licmove {
namespace {

// Max over the activations of one service in witness order, to find the last
// (or first) one at or above a validity before (or after) a point.
class MaxTree {
 public:
  explicit MaxTree(const std::vector<std::int64_t>& values) : n_(static_cast<int>(values.size())) {
    size_ = 1;
    while (size_ < std::max(n_, 1)) size_ *= 2;
    tree_.assign(2 * size_, std::numeric_limits<std::int64_t>::min());
    for (int i = 0; i < n_; ++i) tree_[size_ + i] = values[i];
    for (int i = size_ - 1; i >= 1; --i) tree_[i] = std::max(tree_[2 * i], tree_[2 * i + 1]);
  }
  // Largest i < end with value >= x, or -1.
  int LastAtLeast(int end, std::int64_t x) const { return Last(1, 0, size_, end, x); }
  // Smallest i >= begin with value >= x, or -1.
  int FirstAtLeast(int begin, std::int64_t x) const { return First(1, 0, size_, begin, x); }

 private:
  int Last(int node, int lo, int hi, int end, std::int64_t x) const {
    if (lo >= end || tree_[node] < x) return -1;
    if (hi - lo == 1) return lo;
    const int mid = (lo + hi) / 2;
    int r = Last(2 * node + 1, mid, hi, end, x);
    return r >= 0 ? r : Last(2 * node, lo, mid, end, x);
  }
  int First(int node, int lo, int hi, int begin, std::int64_t x) const {
    if (hi <= begin || tree_[node] < x || lo >= n_) return -1;
    if (hi - lo == 1) return lo;
    const int mid = (lo + hi) / 2;
    int r = First(2 * node, lo, mid, begin, x);
    return r >= 0 ? r : First(2 * node + 1, mid, hi, begin, x);
  }
  int n_;
  int size_;
  std::vector<std::int64_t> tree_;
};

// The activations of one service in witness order.
struct Chain {
  std::vector<int> pos;  // witness position, ascending
  std::vector<int> op;
  std::vector<std::int64_t> remaining;
  std::vector<int> group;
  std::vector<bool> exact;
  // Runs of interchangeable activations (see MarkRuns): for each entry, the
  // first and last entry of its run; both itself outside a run.
  std::vector<int> head, tail;
  // Per validity: chain indices, and for each the previous one of another group.
  std::map<std::int64_t, std::pair<std::vector<int>, std::vector<int>>> level;
  std::optional<MaxTree> tree;

  void Build() {
    tree.emplace(remaining);
    for (int i = 0; i < static_cast<int>(pos.size()); ++i) {
      auto& [idx, prev_other] = level[remaining[i]];
      int prev = -1;
      if (!idx.empty()) {
        const int j = static_cast<int>(idx.size()) - 1;
        prev = group[idx[j]] != group[i] ? j : prev_other[j];
      }
      idx.push_back(i);
      prev_other.push_back(prev);
    }
  }
  // Number of chain entries before witness position `p`.
  int Before(int p) const {
    return static_cast<int>(std::lower_bound(pos.begin(), pos.end(), p) - pos.begin());
  }
  // Last activation before witness position `p` that a key of validity `r`
  // and group `g` would be in the way of; -1 if none.
  int LastBlocked(int p, std::int64_t r, int g) const {
    const int end = Before(p);
    int best = r == std::numeric_limits<std::int64_t>::max() ? -1 : tree->LastAtLeast(end, r + 1);
    auto it = level.find(r);
    if (it != level.end()) {
      const auto& [idx, prev_other] = it->second;
      int j = static_cast<int>(std::lower_bound(idx.begin(), idx.end(), end) - idx.begin()) - 1;
      if (j >= 0 && group[idx[j]] == g) j = prev_other[j];
      if (j >= 0) best = std::max(best, idx[j]);
    }
    return best;
  }
  // A run of at least three consecutive activations of one interchangeable
  // group, with nothing in between that could be in their way, needs no order
  // inside: its first activation waits for everything the chain would make it
  // wait for, the ones in the middle run side by side after it, and its last
  // one waits for them all. `broken[i]`: entries i and i + 1 may not share a run.
  void MarkRuns(const std::vector<bool>& broken) {
    const int n = static_cast<int>(op.size());
    head.resize(n);
    tail.resize(n);
    for (int i = 0; i < n;) {
      int j = i;
      while (j + 1 < n && !exact[i] && group[j + 1] == group[i] && !broken[j]) ++j;
      const bool fan = j - i >= 2;
      for (int x = i; x <= j; ++x) {
        head[x] = fan ? i : x;
        tail[x] = fan ? j : x;
      }
      i = j + 1;
    }
  }
  // The op to wait for when the chain says "after entry i": a run's middle
  // entries are only all done when its last one is.
  int DoneOp(int i) const { return op[head[i] == i ? i : tail[i]]; }
  // The op to precede when the chain says "before entry i": a run's middle
  // entries start after its first one.
  int StartOp(int i) const { return op[tail[i] == i ? i : head[i]]; }

  // Last activation before `p` with validity >= r, any group; -1 if none.
  int LastAtLeast(int p, std::int64_t r) const { return tree->LastAtLeast(Before(p), r); }
  // First activation after `p` with validity >= r, any group; -1 if none.
  int FirstAtLeastAfter(int p, std::int64_t r) const {
    return tree->FirstAtLeast(Before(p + 1), r);
  }
};

// The edges as they are found, (from, to), and each op's `after` list built
// from them at the end: ascending, no duplicates, each sized once.
class EdgeCollector {
 public:
  void Reserve(std::size_t n) { edges_.reserve(n); }
  void AddEdge(int from, int to) { edges_.emplace_back(from, to); }
  // The `after` lists of ops 0 .. n - 1, flat (OpShape's layout).
  void Flatten(int n, std::vector<int>& first, std::vector<int>& after) const {
    first.assign(n + 1, 0);
    for (const auto& [from, to] : edges_) ++first[to + 1];
    for (int i = 0; i < n; ++i) first[i + 1] += first[i];
    after.resize(edges_.size());
    std::vector<int> fill(first.begin(), first.end() - 1);
    for (const auto& [from, to] : edges_) after[fill[to]++] = from;
    // Sort and dedupe each list, moving it down over the duplicates dropped so far.
    int out = 0;
    for (int i = 0; i < n; ++i) {
      const auto begin = after.begin() + first[i], end = after.begin() + first[i + 1];
      std::sort(begin, end);
      const int start = out;
      for (auto it = begin; it != end; ++it) {
        if (it == begin || *it != *(it - 1)) after[out++] = *it;
      }
      first[i] = start;
    }
    first[n] = out;
    after.resize(out);
  }

 private:
  std::vector<std::pair<int, int>> edges_;
};

// `g`: when given, the ops are built there with what each is about; `shape`
// gets every op's kind and edges either way.
void BuildGraph(const Problem& p, const Witness& w, const Allocation& allocation,
                const AccountIndex& index, OpGraph* g, OpShape& shape) {
  const bool named = g != nullptr;
  const std::size_t num_ops = w.events.size() + p.cameras.size();
  if (named) g->Reserve(num_ops);
  shape.kinds.reserve(num_ops);
  EdgeCollector edges;
  edges.Reserve(2 * num_ops);  // about 1.5 an op on generated fleets
  const int nk = static_cast<int>(p.keys.size());
  const int nc = static_cast<int>(p.cameras.size());
  std::vector<int> park_op(nk, -1), unpark_op(nk, -1), park_pos(nk, -1), unpark_pos(nk, -1);
  std::vector<int> remove_op(nc, -1), add_op(nc, -1), remove_pos(nc, -1);
  std::vector<int> act_op(p.activations.size(), -1), taken_by(nk, -1);
  std::vector<Chain> chains(p.num_services);
  std::vector<KeyList> group_keys(p.group_exact.size());  // shared by a group's activations

  auto key_name = [&](int k) -> const std::string& { return index.license(p.keys[k].license).key; };
  auto service_name = [&](int s) -> const std::string& { return index.ServiceName(s); };
  // A new op of `kind`: its id, and the op to fill in (nullptr without names).
  auto new_op = [&](OpKind kind) -> std::pair<int, Op*> {
    shape.kinds.push_back(kind);
    return {static_cast<int>(shape.kinds.size()) - 1, named ? &g->NewOp(kind) : nullptr};
  };

  for (int pos = 0; pos < static_cast<int>(w.events.size()); ++pos) {
    const WitnessEvent& e = w.events[pos];
    switch (e.kind) {
      case WitnessEvent::Kind::kPark:
      case WitnessEvent::Kind::kUnpark: {
        const auto [id, op] =
            new_op(e.kind == WitnessEvent::Kind::kPark ? OpKind::kPark : OpKind::kUnpark);
        if (op) {
          op->key = key_name(e.id);
          op->service = service_name(p.keys[e.id].service);
        }
        if (e.kind == WitnessEvent::Kind::kPark) {
          park_op[e.id] = id;
          park_pos[e.id] = pos;
        } else {
          unpark_op[e.id] = id;
          unpark_pos[e.id] = pos;
        }
        break;
      }
      case WitnessEvent::Kind::kRemove: {
        const Camera& cam = index.camera(p.cameras[e.id].camera);
        const auto [remove, remove_named] = new_op(OpKind::kRemoveCamera);
        if (remove_named) remove_named->camera = cam.serial;
        remove_op[e.id] = remove;
        remove_pos[e.id] = pos;
        const auto [add, add_named] = new_op(OpKind::kAddCamera);
        if (add_named) {
          add_named->camera = cam.serial;
          add_named->name = cam.name;
          add_named->site = cam.site;
        }
        add_op[e.id] = add;
        edges.AddEdge(remove, add);
        break;
      }
      case WitnessEvent::Kind::kActivate: {
        const ProblemActivation& a = p.activations[e.id];
        const TargetPlacement& t = allocation.placements[a.placement];
        const auto [id, op] = new_op(OpKind::kActivate);
        if (op) {
          op->camera = index.camera(t.camera).serial;
          op->service = service_name(a.service);
          op->expect_key = key_name(e.key);
          op->auto_renew = t.auto_renew;
          op->intent = t.kind == PlacementKind::kMove     ? "move"
                       : t.kind == PlacementKind::kAssign ? "assign"
                                                          : "restore";
          if (t.from >= 0) op->from = index.camera(t.from).serial;
          if (t.where.line > 0) {
            op->where = std::to_string(t.where.line) + ":" + std::to_string(t.where.column);
            op->where_file = t.file;
          }
          if (!a.exact && p.group_members[a.group].size() > 1) {
            KeyList& list = group_keys[a.group];
            if (list.empty()) {
              std::vector<std::string> keys;
              keys.reserve(p.group_members[a.group].size());
              for (int k : p.group_members[a.group]) keys.push_back(key_name(k));
              list = KeyList(std::move(keys));
            }
            op->acceptable_keys = list;
          }
        }
        act_op[e.id] = id;
        taken_by[e.key] = e.id;
        Chain& chain = chains[a.service];
        chain.pos.push_back(pos);
        chain.op.push_back(id);
        chain.remaining.push_back(a.remaining);
        chain.group.push_back(a.group);
        chain.exact.push_back(a.exact || p.group_members[a.group].size() < 2);
        break;
      }
    }
  }

  // Cameras and releases.
  for (int a = 0; a < static_cast<int>(p.activations.size()); ++a) {
    const ProblemActivation& act = p.activations[a];
    if (act.dest >= 0) edges.AddEdge(add_op[act.dest], act_op[a]);
  }
  for (int k = 0; k < nk; ++k) {
    const ProblemKey& key = p.keys[k];
    const int release = key.camera >= 0 ? remove_op[key.camera] : -1;
    if (park_op[k] >= 0) {
      if (release >= 0) edges.AddEdge(release, park_op[k]);
      if (unpark_op[k] >= 0) edges.AddEdge(park_op[k], unpark_op[k]);
    }
    if (taken_by[k] >= 0) {
      const int take = act_op[taken_by[k]];
      if (park_op[k] >= 0) {
        edges.AddEdge(unpark_op[k], take);
      } else if (release >= 0) {
        edges.AddEdge(release, take);
      }
    }
  }

  // Each service's activations in the witness's order, but for runs of
  // interchangeable ones. A run breaks where, between two of its activations
  // in the witness, a key that could be in their way enters or leaves the
  // pool: the edges below order such a key against single activations. Only
  // keys of the run's own group that arrive to stay (released and never
  // parked, or unparked) may come and go inside a run: any member may take
  // them, and every member still finds a key of the group (each waits for
  // its own key's release, and no key of the group is parked meanwhile).
  for (Chain& chain : chains) chain.Build();
  std::vector<std::vector<bool>> broken(p.num_services);
  for (int s = 0; s < p.num_services; ++s) broken[s].assign(chains[s].op.size(), false);
  for (int k = 0; k < nk; ++k) {
    const ProblemKey& key = p.keys[k];
    const Chain& chain = chains[key.service];
    const bool parked = park_op[k] >= 0;
    auto mark = [&](int q, bool arrives) {
      if (q < 0) return;
      const int x = chain.Before(q) - 1;
      if (x < 0 || x + 1 >= static_cast<int>(chain.op.size())) return;
      if (chain.exact[x] || chain.group[x] != chain.group[x + 1]) return;
      if (key.remaining > chain.remaining[x]) return;  // never in their way
      if (key.group == chain.group[x] && arrives) return;
      broken[key.service][x] = true;
    };
    mark(key.camera >= 0 ? remove_pos[key.camera] : -1, /*arrives=*/!parked);
    mark(park_pos[k], /*arrives=*/false);
    mark(unpark_pos[k], /*arrives=*/true);
  }
  for (int s = 0; s < p.num_services; ++s) {
    Chain& chain = chains[s];
    chain.MarkRuns(broken[s]);
    for (std::size_t i = 1; i < chain.op.size(); ++i) {
      const int h = chain.head[i];
      if (h == static_cast<int>(i)) {
        edges.AddEdge(chain.DoneOp(static_cast<int>(i) - 1), chain.op[i]);  // starts a run, or none
      } else if (chain.tail[i] == static_cast<int>(i)) {
        for (int x = h + 1; x < static_cast<int>(i); ++x) edges.AddEdge(chain.op[x], chain.op[i]);
      } else {
        edges.AddEdge(chain.op[h], chain.op[i]);
      }
    }
  }

  // Keep every activation out of the stretches its smaller keys spend in the pool.
  for (int k = 0; k < nk; ++k) {
    const ProblemKey& key = p.keys[k];
    const Chain& chain = chains[key.service];
    if (chain.op.empty()) continue;
    const int release = key.camera >= 0 ? remove_op[key.camera] : -1;
    const int release_pos = key.camera >= 0 ? remove_pos[key.camera] : -1;
    if (park_op[k] < 0) {
      if (release >= 0) {
        int i = chain.LastBlocked(release_pos, key.remaining, key.group);
        if (i >= 0) edges.AddEdge(chain.DoneOp(i), release);
      }
      continue;
    }
    // Until it is parked, not even its own group may take it: the park names it.
    if (release >= 0) {
      int i = chain.LastAtLeast(release_pos, key.remaining);
      if (i >= 0) edges.AddEdge(chain.DoneOp(i), release);
    }
    int first = chain.FirstAtLeastAfter(park_pos[k], key.remaining);
    if (first >= 0) edges.AddEdge(park_op[k], chain.StartOp(first));
    if (unpark_op[k] >= 0) {
      int i = chain.LastBlocked(unpark_pos[k], key.remaining, key.group);
      if (i >= 0) edges.AddEdge(chain.DoneOp(i), unpark_op[k]);
    }
  }
  edges.Flatten(shape.size(), shape.first, shape.after);
  if (!named) return;
  for (int id = 0; id < shape.size(); ++id) {
    g->SetAfter(id, std::vector<int>(shape.after_begin(id), shape.after_end(id)));
  }
}

}  // namespace

OpGraph BuildOpGraph(const Problem& problem, const Witness& witness, const Allocation& allocation,
                     const AccountIndex& index) {
  OpGraph graph;
  OpShape shape;
  BuildGraph(problem, witness, allocation, index, &graph, shape);
  return graph;
}

OpShape BuildOpShape(const Problem& problem, const Witness& witness, const Allocation& allocation,
                     const AccountIndex& index) {
  OpShape shape;
  BuildGraph(problem, witness, allocation, index, nullptr, shape);
  return shape;
}

}  // namespace licmove
