#include "executor/exec_plan.h"

#include <algorithm>

#include <boost/json.hpp>

namespace licmove {

namespace json = boost::json;

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

std::string MaskKey(std::string_view key) {
  if (key.size() <= 4) return std::string(key);
  return "..." + std::string(key.substr(key.size() - 4));
}

std::string DescribeOp(const ExecOp& op) {
  switch (op.kind) {
    case OpKind::kRemoveCamera:
      return "remove camera " + op.camera;
    case OpKind::kAddCamera:
      return "add camera " + op.camera;
    case OpKind::kActivate:
      return "activate " + op.service + " on " + op.camera + " (expect " + MaskKey(op.expect_key) +
             ")";
    case OpKind::kPark:
      return "park " + MaskKey(op.key);
    case OpKind::kUnpark:
      return "unpark " + MaskKey(op.key);
  }
  return "?";
}

namespace {

bool KindFromName(std::string_view name, OpKind& out) {
  for (OpKind k : {OpKind::kRemoveCamera, OpKind::kAddCamera, OpKind::kActivate, OpKind::kPark,
                   OpKind::kUnpark}) {
    if (OpKindName(k) == name) {
      out = k;
      return true;
    }
  }
  return false;
}

std::string Str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Kahn's algorithm: true when the `after` edges form no cycle.
bool Acyclic(const std::vector<ExecOp>& ops) {
  std::vector<int> indegree(ops.size(), 0);
  std::vector<std::vector<int>> dependents(ops.size());
  for (const ExecOp& op : ops) {
    for (int d : op.after) {
      dependents[d].push_back(op.id);
      ++indegree[op.id];
    }
  }
  std::vector<int> ready;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (indegree[i] == 0) ready.push_back(static_cast<int>(i));
  }
  std::size_t seen = 0;
  while (!ready.empty()) {
    const int n = ready.back();
    ready.pop_back();
    ++seen;
    for (int d : dependents[n]) {
      if (--indegree[d] == 0) ready.push_back(d);
    }
  }
  return seen == ops.size();
}

}  // namespace

Result<ExecPlan> DecodeExecPlan(std::string_view plan_json) {
  boost::system::error_code ec;
  json::value v = json::parse(plan_json, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("plan: not a JSON object");
  const json::object& root = v.get_object();
  const json::value* version = root.if_contains("format_version");
  if (!version || !version->is_int64() || version->get_int64() != 1) {
    return Status::InvalidArgument("plan: format_version is not 1, the one this licmove reads");
  }
  ExecPlan plan;
  plan.account = Str(root, "account");
  const json::value* ops = root.if_contains("ops");
  if (!ops || !ops->is_array()) return Status::InvalidArgument("plan: no ops array");
  const json::array& arr = ops->get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = "plan: op " + std::to_string(i);
    if (!arr[i].is_object()) return Status::InvalidArgument(where + " is not an object");
    const json::object& o = arr[i].get_object();
    ExecOp op;
    const json::value* id = o.if_contains("id");
    if (!id || !id->is_int64() || id->get_int64() != static_cast<std::int64_t>(i)) {
      return Status::InvalidArgument(where + ": id must be " + std::to_string(i));
    }
    op.id = static_cast<int>(i);
    if (!KindFromName(Str(o, "kind"), op.kind)) {
      return Status::InvalidArgument(where + ": unknown kind \"" + Str(o, "kind") + "\"");
    }
    op.camera = Str(o, "camera");
    op.name = Str(o, "name");
    op.site = Str(o, "site");
    op.service = Str(o, "service");
    op.expect_key = Str(o, "expect_key");
    op.key = Str(o, "key");
    if (const json::value* a = o.if_contains("auto_renew"); a && a->is_bool()) {
      op.auto_renew = a->get_bool();
    }
    if (const json::value* acc = o.if_contains("acceptable_keys"); acc && acc->is_array()) {
      for (const json::value& k : acc->get_array()) {
        if (k.is_string()) op.acceptable_keys.emplace_back(k.get_string());
      }
    }
    if (op.kind == OpKind::kActivate && !op.expect_key.empty() &&
        std::find(op.acceptable_keys.begin(), op.acceptable_keys.end(), op.expect_key) ==
            op.acceptable_keys.end()) {
      op.acceptable_keys.push_back(op.expect_key);
    }
    if (const json::value* after = o.if_contains("after"); after && after->is_array()) {
      for (const json::value& d : after->get_array()) {
        if (!d.is_int64() || d.get_int64() < 0 ||
            d.get_int64() >= static_cast<std::int64_t>(arr.size())) {
          return Status::InvalidArgument(where + ": depends on an op that does not exist");
        }
        op.after.push_back(static_cast<int>(d.get_int64()));
      }
    }
    const bool camera_op = op.kind == OpKind::kRemoveCamera || op.kind == OpKind::kAddCamera ||
                           op.kind == OpKind::kActivate;
    if (camera_op && op.camera.empty()) return Status::InvalidArgument(where + ": no camera");
    if (op.kind == OpKind::kActivate && (op.service.empty() || op.expect_key.empty())) {
      return Status::InvalidArgument(where + ": an activation needs service and expect_key");
    }
    if ((op.kind == OpKind::kPark || op.kind == OpKind::kUnpark) && op.key.empty()) {
      return Status::InvalidArgument(where + ": no key");
    }
    plan.ops.push_back(std::move(op));
  }
  if (!Acyclic(plan.ops)) return Status::InvalidArgument("plan: the dependencies form a cycle");
  return plan;
}

}  // namespace licmove
