#include "run_view.h"

#include <map>

#include "planner/render.h"
#include "planner/saved_plan.h"
#include "state/lock_owner.h"

namespace licmove {

namespace json = boost::json;

namespace {

// A run id, or null for none.
json::value IdOrNull(const std::string& id) {
  return id.empty() ? json::value(nullptr) : json::value(id);
}

}  // namespace

Result<RunView> LoadRunView(StateBackend& state, const std::string& run_id) {
  auto journal = state.ReadJournal(run_id);
  if (!journal.ok()) return journal.status();
  RunView v;
  v.journal = std::move(journal.value());
  auto saved = LoadSavedPlan(v.journal.header.plan_json, state.JournalLocation(run_id));
  if (!saved.ok()) return saved.status();
  v.ops = saved->graph.ops();
  const int total = static_cast<int>(v.ops.size());
  v.op_views.resize(total);
  for (const OpIntent& i : v.journal.intents) {
    if (i.op >= 0 && i.op < total) v.op_views[i.op].state = "sent";
  }
  // The last outcome of an op is what it came to (a failed op may be tried
  // again by a resume).
  for (const OpOutcome& o : v.journal.outcomes) {
    if (o.op < 0 || o.op >= total) continue;
    OpView& op = v.op_views[o.op];
    op.state = OutcomeName(o.result);
    op.message = o.result == OpOutcome::Result::kDone ? "" : o.message;
    if (!o.license_key.empty()) op.license_key = o.license_key;
    if (!o.camera_id.empty()) op.camera_id = o.camera_id;
  }
  for (const OpView& op : v.op_views) {
    if (op.state == "done") {
      ++v.done;
    } else if (op.state == "failed") {
      ++v.failed;
    } else if (op.state != "not_started") {
      ++v.unknown;
    }
  }
  return v;
}

void MarkRolledBack(RunView& v, const std::vector<RollbackRun>& rollbacks) {
  for (const RollbackRun& r : rollbacks) {
    if (!r.completed) {
      v.rolled_back_by = r.run_id;
      v.rollback_unfinished = true;
      return;
    }
  }
  if (!rollbacks.empty()) v.rolled_back_by = rollbacks.back().run_id;
}

LeftOutside WhatRunLeft(const std::vector<Op>& ops, const std::function<OpFate(const Op&)>& fate) {
  std::map<std::string, bool> added;     // serial -> an add_camera of it is done
  std::map<std::string, bool> unparked;  // key -> an unpark of it is done
  for (const Op& op : ops) {
    if (op.kind == OpKind::kAddCamera && fate(op) == OpFate::kDone) added[op.camera] = true;
    if (op.kind == OpKind::kUnpark && fate(op) == OpFate::kDone) unparked[op.key] = true;
  }
  LeftOutside left;
  for (const Op& op : ops) {
    const OpFate f = fate(op);
    if (op.kind == OpKind::kRemoveCamera && f == OpFate::kDone && !added[op.camera]) {
      left.removed.push_back(op.camera);
    }
    if (op.kind == OpKind::kPark && !unparked[op.key]) {
      if (f == OpFate::kDone) left.parked.push_back(op.key);
      if (f == OpFate::kUnknown) left.maybe_parked.push_back(op.key);
    }
    if (f == OpFate::kUnknown) left.unknown.push_back(DescribeOp(op));
  }
  return left;
}

LeftOutside WhatRunLeft(const RunView& v) {
  return WhatRunLeft(v.ops, [&v](const Op& op) {
    if (op.id < 0 || op.id >= static_cast<int>(v.op_views.size())) return OpFate::kNotDone;
    const std::string& state = v.op_views[op.id].state;
    if (state == "done") return OpFate::kDone;
    if (state == "sent" || state == "unknown") return OpFate::kUnknown;
    return OpFate::kNotDone;
  });
}

void MarkRunning(RunView& v, const StateBackend::LockView& lock) {
  v.running = !v.journal.end && lock.lock && lock.lock->owner.run_id == v.journal.header.run_id &&
              StaleReason(*lock.lock, lock.now).empty();
}

std::string ResultName(const RunView& v) {
  if (v.journal.end) return RunEndName(v.journal.end->result);
  return v.running ? "running" : "unfinished";
}

std::string TextState(const RunView& v) {
  // A run that was rolled back says so, by the rollback's id, instead of
  // what its own journal says: resuming it would undo the rollback.
  if (!v.rolled_back_by.empty()) {
    const std::string& r = v.rolled_back_by;
    if (v.rollback_unfinished) {
      return "being rolled back by run " + r + ", which is unfinished: resume " + r +
             " (not this run)";
    }
    return "rolled back by run " + r;
  }
  if (!v.journal.end) return "in progress, or stopped without a word (crash): resume it";
  if (v.journal.end->result == RunEnd::Result::kStopped) return "stopped: verification failed";
  return RunEndName(v.journal.end->result);
}

std::string TextOpState(const OpView& op) {
  if (op.state == "not_started") return "not started";
  if (op.state == "sent") return "sent, outcome unknown";
  if (op.state == "done") return "done";
  return op.state + ": " + op.message;
}

json::object RunToJson(const RunView& v) {
  const RunHeader& h = v.journal.header;
  json::object o;
  o["run_id"] = h.run_id;
  o["kind"] = h.kind;
  o["account"] = h.account;
  o["plan_identity"] = h.plan_identity;
  o["parent_run"] = IdOrNull(h.parent_run);
  o["portal"] = h.portal;
  o["host"] = h.host;
  o["pid"] = h.pid;
  o["started_at"] = FormatTimestamp(h.started_at);
  if (v.journal.end && v.journal.end->ended_at != 0) {
    o["ended_at"] = FormatTimestamp(v.journal.end->ended_at);
  }
  o["result"] = ResultName(v);
  if (v.journal.end && !v.journal.end->message.empty()) {
    o["end_message"] = v.journal.end->message;
  }
  o["rolled_back_by"] = IdOrNull(v.rolled_back_by);
  o["ops_total"] = v.ops.size();
  o["ops_done"] = v.done;
  o["ops_failed"] = v.failed;
  o["ops_unknown"] = v.unknown;
  return o;
}

json::array OpsToJson(const RunView& v) {
  json::array ops;
  ops.reserve(v.ops.size());
  for (std::size_t i = 0; i < v.ops.size(); ++i) {
    const Op& op = v.ops[i];
    const OpView& view = v.op_views[i];
    json::object o;
    o["id"] = op.id;
    o["kind"] = std::string(OpKindName(op.kind));
    if (!op.camera.empty()) o["camera"] = op.camera;
    if (!op.service.empty()) o["service"] = op.service;
    if (op.kind == OpKind::kActivate) {
      o["expect_key"] = op.expect_key;
      if (!view.license_key.empty()) o["key"] = view.license_key;
    } else if (!op.key.empty()) {
      o["key"] = op.key;
    }
    if (!view.camera_id.empty()) o["camera_id"] = view.camera_id;
    o["state"] = view.state;
    if (!view.message.empty()) o["message"] = view.message;
    ops.push_back(std::move(o));
  }
  return ops;
}

}  // namespace licmove
