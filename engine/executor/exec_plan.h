// The operation graph as the executor runs it, decoded from the plan's JSON
// (`licmove plan --format json`, the same text the journal keeps), so that a
// resume or a rollback in another process runs exactly what was planned.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace licmove {

enum class OpKind { kRemoveCamera, kAddCamera, kActivate, kPark, kUnpark };
std::string_view OpKindName(OpKind kind);  // "remove_camera", ...

struct ExecOp {
  int id = 0;
  OpKind kind = OpKind::kActivate;
  std::string camera;                        // serial: camera ops and activations
  std::string name;                          // add_camera
  std::string site;                          // add_camera
  std::string service;                       // activate
  bool auto_renew = false;                   // activate
  std::string expect_key;                    // activate: the key the portal must assign
  std::vector<std::string> acceptable_keys;  // activate: interchangeable keys, expect_key included
  std::string key;                           // park / unpark
  std::vector<int> after;                    // ops that must be done first
};

struct ExecPlan {
  std::string account;
  std::vector<ExecOp> ops;  // ops[i].id == i
};

// Decodes and checks the graph: ids 0..n-1 in order, known kinds, the fields
// each kind needs, dependencies that exist and form no cycle.
Result<ExecPlan> DecodeExecPlan(std::string_view plan_json);

// A one-line description for logs and reports: "activate alarm-management on
// CAM-0007 (expect ...0001)". Keys are masked to their last 4 characters.
std::string DescribeOp(const ExecOp& op);
std::string MaskKey(std::string_view key);

}  // namespace licmove
