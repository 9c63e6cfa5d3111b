// The operation graph: the portal calls a plan makes (DESIGN §1 R2–R6) and
// the order they need. An op runs once every op in its `after` list is done;
// ops with no path between them may run in parallel, in any interleaving.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace licmove {

enum class OpKind { kRemoveCamera, kAddCamera, kActivate, kPark, kUnpark };

// "remove_camera", "add_camera", "activate", "park", "unpark".
std::string_view OpKindName(OpKind kind);
std::optional<OpKind> OpKindFromName(std::string_view name);

// An immutable, sorted list of keys, shared by copies: the activations of one
// interchangeable group share one list however many there are (a bulk assign
// may have thousands of activations over thousands of equal keys).
class KeyList {
 public:
  KeyList() = default;
  KeyList(std::vector<std::string> keys);  // sorts
  KeyList(std::initializer_list<std::string> keys) : KeyList(std::vector<std::string>(keys)) {}

  const std::string* begin() const { return keys_ ? keys_->data() : nullptr; }
  const std::string* end() const { return keys_ ? keys_->data() + keys_->size() : nullptr; }
  std::size_t size() const { return keys_ ? keys_->size() : 0; }
  bool empty() const { return size() == 0; }
  const std::string& operator[](std::size_t i) const { return (*keys_)[i]; }
  bool contains(std::string_view key) const;
  // The same shared list (not just equal keys).
  bool shares(const KeyList& other) const { return keys_ && keys_ == other.keys_; }
  bool operator==(const KeyList& other) const;
  bool operator==(const std::vector<std::string>& other) const;

 private:
  std::shared_ptr<const std::vector<std::string>> keys_;
};

struct Op {
  int id = -1;
  OpKind kind = OpKind::kActivate;
  std::string camera;      // serial: camera ops and activate
  std::string name;        // add_camera: the record the camera is re-created with
  std::string site;        // add_camera
  std::string service;     // activate; park and unpark: the key's service
  std::string key;         // park, unpark
  std::string expect_key;  // activate: the key the portal will hand out
  // activate for an assign: every key the portal may hand out instead
  // (interchangeable: same service, term and remaining seconds); includes
  // expect_key. Empty: only expect_key will do.
  KeyList acceptable_keys;
  bool auto_renew = false;  // activate
  // activate: the plan intent it carries out, for the run's reports:
  // "move" (of the license on `from`), "assign" or "restore" (a service given
  // back to a re-added camera); empty when not known. `where` is the
  // "line:column" of the plan file that asks for it, if any, or of
  // `where_file` (a moves_csv file) when that is set.
  std::string intent;
  std::string from;
  std::string where;
  std::string where_file;
  std::vector<int> after;  // ids, ascending, no duplicates
};

// A graph reduced to what its schedule depends on: each op's kind and its
// `after` list (ascending, no duplicates), flat. The planner compares
// candidate witnesses on it (planner.cc) without building their ops' names.
struct OpShape {
  std::vector<OpKind> kinds;
  std::vector<int> first{0};  // op i waits for after[first[i] .. first[i + 1])
  std::vector<int> after;

  int size() const { return static_cast<int>(kinds.size()); }
  const int* after_begin(int id) const { return after.data() + first[id]; }
  const int* after_end(int id) const { return after.data() + first[id + 1]; }
};

class OpGraph;
OpShape ShapeOf(const OpGraph& graph);

class OpGraph {
 public:
  // Appends `op` with id = size(); returns the id.
  int Add(Op op);
  // Appends an op of `kind` with id = size(), to be filled in where it lies
  // (no Op is moved: it is some 400 bytes of strings). The reference is good
  // until the next Add or NewOp.
  Op& NewOp(OpKind kind);
  // Room for `ops` ops, asked for once: 112,889 ops are 46 MB. (Fresh memory
  // is most of what building them costs; the programs' allocator backs it
  // with huge pages, cmake/Allocator.cmake.)
  void Reserve(std::size_t ops);
  // `to` runs after `from`. Duplicates are dropped by Finish().
  void AddEdge(int from, int to) { ops_[to].after.push_back(from); }
  // Replaces the `after` list of `to` (sized once, rather than grown edge by edge).
  void SetAfter(int to, std::vector<int> after) { ops_[to].after = std::move(after); }
  // Sorts and dedupes every `after` list.
  void Finish();

  const std::vector<Op>& ops() const { return ops_; }
  const Op& op(int id) const { return ops_[id]; }
  int size() const { return static_cast<int>(ops_.size()); }
  bool empty() const { return ops_.empty(); }
  std::size_t num_edges() const;

  // OK when ids and edges are in range and there is no cycle.
  Status Validate() const;
  // A topological order (ascending id among ready ops). REQUIRES: Validate().
  std::vector<int> TopologicalOrder() const;
  // The step at which each op runs when every op starts as soon as it can:
  // 1 for ops with no `after`. REQUIRES: Validate().
  std::vector<int> Levels() const;
  // Ops on the longest chain, first to last; its size is the critical path.
  std::vector<int> CriticalPath() const;
  // Per op, the ops on the longest chain that starts with it (1 for an op
  // nothing waits for): how urgent it is. REQUIRES: Validate().
  std::vector<int> ChainWeights() const;

 private:
  std::vector<Op> ops_;
};

}  // namespace licmove
