// The plan rules that need no account: each license moves once, each camera
// receives at most one license of a service, each key is guarded once, and
// the plan does something. A move that leaves out its service may move any
// service, so it conflicts with every move of the same camera.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_fields.h"

namespace licmove {
namespace {

bool MayShareService(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return !a || !b || *a == *b;
}

// Whether a conflict can be worded with its service: both moves name one.
bool BothNamed(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && b;
}

class PlanRules {
 public:
  PlanRules(const Plan& plan, const YamlDocument& doc, const YamlDocument* csv, Diagnostics& out)
      : plan_(plan), doc_(doc), csv_(csv), out_(out) {
    for (const MoveIntent& m : plan_.moves) yaml_moves_ += m.file.empty() ? 1 : 0;
  }

  void Check() {
    Moves();
    Assigns();
    RequireSomeWork();
  }

 private:
  // Moves [0, yaml_moves_) are the plan file's `moves`, the rest the CSV's
  // rows in order.
  bool FromCsv(std::size_t move) const { return move >= yaml_moves_ && csv_; }

  // The line of `move`, for a message at a place in `file` (empty: the plan
  // file): "3", or "3 of plans/swaps.csv" when the move is in another file.
  std::string LineOf(std::size_t move, const std::string& file) const {
    const MoveIntent& m = plan_.moves[move];
    std::string line = std::to_string(m.where.line);
    if (m.file != file) {
      line += " of " + (m.file.empty() ? doc_.file : m.file);
    }
    return line;
  }

  // A diagnostic at `field` of move i, in the file the move was written in.
  void ReportMove(std::size_t i, std::string_view field, std::string message) {
    if (FromCsv(i)) {
      out_.push_back(csv_->At(PointerChild(PointerChild("/moves", i - yaml_moves_), field),
                              std::move(message)));
    } else {
      Report(PointerChild(PointerChild("/moves", i), field), std::move(message));
    }
  }

  // The first earlier move in `earlier` that may share a service with `m`.
  std::optional<std::size_t> Conflict(const std::vector<std::size_t>& earlier,
                                      const MoveIntent& m) const {
    for (std::size_t j : earlier) {
      if (MayShareService(plan_.moves[j].service, m.service)) return j;
    }
    return std::nullopt;
  }

  void Moves() {
    std::unordered_map<std::string, std::vector<std::size_t>> by_from, by_to;
    std::unordered_map<std::string, std::size_t> keys;
    for (std::size_t i = 0; i < plan_.moves.size(); ++i) {
      const MoveIntent& m = plan_.moves[i];
      if (!m.from.empty() && m.from == m.to) {
        ReportMove(
            i, "to",
            "this move is from " + m.from + " to itself; from and to must be different cameras");
      }
      if (!m.from.empty()) {
        std::vector<std::size_t>& earlier = by_from[m.from];
        if (auto j = Conflict(earlier, m)) {
          const MoveIntent& first = plan_.moves[*j];
          ReportMove(i, "from",
                     BothNamed(first.service, m.service)
                         ? "camera " + m.from + " is already moved for " + *m.service +
                               " by the move at line " + LineOf(*j, m.file) +
                               "; a camera's license of a service moves once"
                         : "camera " + m.from + " is already moved by the move at line " +
                               LineOf(*j, m.file) +
                               ", and one of the two names no service, so both may move the same "
                               "license; name the service of each");
        }
        earlier.push_back(i);
      }
      if (!m.to.empty()) {
        std::vector<std::size_t>& earlier = by_to[m.to];
        if (auto j = Conflict(earlier, m)) {
          const MoveIntent& first = plan_.moves[*j];
          ReportMove(i, "to",
                     BothNamed(first.service, m.service)
                         ? "camera " + m.to + " already receives " + *m.service +
                               " from the move at line " + LineOf(*j, m.file) +
                               "; a camera holds one license per service"
                         : "camera " + m.to + " already receives a license from the move at line " +
                               LineOf(*j, m.file) +
                               ", and one of the two names no service, so both may bring the same "
                               "service; name the service of each");
        }
        earlier.push_back(i);
      }
      if (m.key && !m.key->empty()) {
        auto [first, fresh] = keys.emplace(*m.key, i);
        if (!fresh) {
          ReportMove(i, "key",
                     "key " + *m.key + " is already guarded by the move at line " +
                         LineOf(first->second, m.file) + "; a key moves once");
        }
      }
    }
    by_to_ = std::move(by_to);
  }

  void Assigns() {
    // service + '\n' + serial -> where it was first assigned
    std::unordered_map<std::string, TextPosition> assigned;
    for (std::size_t a = 0; a < plan_.assigns.size(); ++a) {
      const AssignIntent& assign = plan_.assigns[a];
      if (assign.service.empty()) continue;
      const std::optional<std::string> service = assign.service;
      for (std::size_t c = 0; c < assign.cameras.size(); ++c) {
        const std::string& serial = assign.cameras[c];
        if (serial.empty()) continue;
        const std::string at = PointerChild(PointerChild("/assign", a) + "/cameras", c);
        auto [first, fresh] =
            assigned.emplace(assign.service + '\n' + serial, assign.camera_where[c]);
        if (!fresh) {
          Report(at, "camera " + serial + " is already assigned " + assign.service + " at line " +
                         std::to_string(first->second.line) + "; list a camera once per service");
          continue;
        }
        auto moves = by_to_.find(serial);
        if (moves == by_to_.end()) continue;
        for (std::size_t j : moves->second) {
          const MoveIntent& m = plan_.moves[j];
          if (!MayShareService(m.service, service)) continue;
          Report(at, m.service ? "camera " + serial + " already receives " + assign.service +
                                     " from the move at line " + LineOf(j, "") +
                                     "; it cannot also be assigned one"
                               : "camera " + serial + " is the destination of the move at line " +
                                     LineOf(j, "") + ", which names no service and so may bring " +
                                     assign.service + "; name the move's service");
          break;
        }
      }
    }
  }

  void RequireSomeWork() {
    if (!plan_.moves.empty() || !plan_.assigns.empty() || !doc_.root.is_object()) return;
    const boost::json::value* moves = fields::Get(doc_.root, "moves");
    const boost::json::value* assign = fields::Get(doc_.root, "assign");
    // A `moves` that is not a list is already reported; do not pile on.
    if ((moves && !moves->is_array()) || (assign && !assign->is_array())) return;
    const std::string message =
        "the plan has no moves and no assign entries: there is nothing to do";
    if (fields::Get(doc_.root, "moves_csv")) {
      // A CSV that could not be read, or whose rows have problems, is
      // already reported.
      const bool csv_reported =
          !csv_ || std::any_of(out_.begin(), out_.end(),
                               [&](const Diagnostic& d) { return d.file == csv_->file; });
      if (!csv_reported) {
        out_.push_back(doc_.At("/moves_csv", message + " (" + csv_->file + " gave no moves)"));
      }
    } else if (moves) {
      out_.push_back(doc_.AtKey("/moves", message));
    } else if (assign) {
      out_.push_back(doc_.AtKey("/assign", message));
    } else {
      out_.push_back({doc_.file, 0, 0, message});
    }
  }

  void Report(const std::string& pointer, std::string message) {
    out_.push_back(doc_.At(pointer, std::move(message)));
  }

  const Plan& plan_;
  const YamlDocument& doc_;
  const YamlDocument* csv_;  // null: no moves_csv
  std::size_t yaml_moves_ = 0;
  Diagnostics& out_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_to_;
};

}  // namespace

void CheckPlanRules(const Plan& plan, const YamlDocument& doc, const YamlDocument* csv,
                    Diagnostics& out) {
  PlanRules(plan, doc, csv, out).Check();
}

}  // namespace licmove
