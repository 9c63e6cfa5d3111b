#include "planner/render.h"

namespace licmove {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

const char* Color(OpKind kind) {
  switch (kind) {
    case OpKind::kRemoveCamera:
      return "#ffc9c9";
    case OpKind::kAddCamera:
      return "#d3f9d8";
    case OpKind::kActivate:
      return "#d0ebff";
    case OpKind::kPark:
    case OpKind::kUnpark:
      return "#fff3bf";
  }
  return "white";
}

}  // namespace

std::string RenderDot(const PlannedChange& plan) {
  std::string out = "digraph licmove {\n  label=\"" + Escape(plan.plan_file) + " on " +
                    Escape(plan.account) +
                    "\";\n  rankdir=LR;\n"
                    "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n";
  for (const Op& op : plan.graph.ops()) {
    std::string label = std::string(OpKindName(op.kind)) + "\\n";
    switch (op.kind) {
      case OpKind::kRemoveCamera:
      case OpKind::kAddCamera:
        label += Escape(op.camera);
        break;
      case OpKind::kActivate:
        label += Escape(op.service) + " on " + Escape(op.camera) + "\\n-> " + Escape(op.expect_key);
        break;
      case OpKind::kPark:
      case OpKind::kUnpark:
        label += Escape(op.key);
        break;
    }
    out += "  n" + std::to_string(op.id) + " [label=\"" + label + "\", fillcolor=\"" +
           Color(op.kind) + "\"];\n";
  }
  for (const Op& op : plan.graph.ops()) {
    for (int a : op.after) {
      out += "  n" + std::to_string(a) + " -> n" + std::to_string(op.id) + ";\n";
    }
  }
  return out + "}\n";
}

}  // namespace licmove
