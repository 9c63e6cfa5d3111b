#include "executor/recovery.h"

#include <map>
#include <set>

#include "executor/op_call.h"

namespace licmove {

namespace {

std::string BoundId(const Binding& before, const std::string& serial) {
  for (const BoundCamera& c : before.cameras) {
    if (c.serial == serial) return c.id;
  }
  return "";
}

}  // namespace

ResumeDecision DecideResume(const OpGraph& graph, const JournalContents& journal,
                            const Binding& before, const AccountSnapshot& now) {
  const int n = graph.size();
  ResumeDecision d;
  d.done.assign(n, false);
  std::vector<bool> intended(n, false), outcome_known(n, false);
  for (const OpIntent& i : journal.intents) {
    if (i.op >= 0 && i.op < n) intended[i.op] = true;
  }
  for (const OpOutcome& o : journal.outcomes) {
    if (o.op < 0 || o.op >= n) continue;
    if (o.result == OpOutcome::Result::kDone) {
      d.done[o.op] = true;
      outcome_known[o.op] = true;
      // An activation journaled with a key the plan did not expect (the run
      // stopped on it): nothing may build on it.
      const Op& op = graph.op(o.op);
      if (op.kind == OpKind::kActivate && !o.license_key.empty() &&
          !IsAcceptableKey(op, o.license_key)) {
        d.mismatches.push_back(op.camera + " got " + o.license_key + " for " + op.service +
                               ", the plan expected " + op.expect_key);
      }
    } else if (o.result == OpOutcome::Result::kFailed) {
      // A definite refusal: nothing happened; a resume tries it again.
      outcome_known[o.op] = true;
    }
  }
  std::vector<bool> dependent_started(n, false);
  for (const Op& op : graph.ops()) {
    if (!intended[op.id]) continue;
    for (int dep : op.after) dependent_started[dep] = true;
  }

  const Account& account = now.account;
  for (const Op& op : graph.ops()) {
    if (d.done[op.id] || outcome_known[op.id] || !intended[op.id]) continue;
    if (dependent_started[op.id]) {
      d.done[op.id] = true;
      continue;
    }
    const Camera* cam = op.camera.empty() ? nullptr : account.FindCamera(op.camera);
    bool happened = false;
    switch (op.kind) {
      case OpKind::kRemoveCamera:
        happened = !cam || cam->id != BoundId(before, op.camera);
        break;
      case OpKind::kAddCamera:
        happened = cam && cam->id != BoundId(before, op.camera);
        break;
      case OpKind::kActivate: {
        const License* held = account.LicenseOn(op.camera, op.service);
        happened = held != nullptr;
        if (held && !IsAcceptableKey(op, held->key)) {
          d.mismatches.push_back(op.camera + " holds " + held->key + " for " + op.service +
                                 ", the plan expected " + op.expect_key);
        }
        break;
      }
      case OpKind::kPark:
        happened = account.FindLicense(op.key) == nullptr;
        break;
      case OpKind::kUnpark:
        happened = account.FindLicense(op.key) != nullptr;
        break;
    }
    d.done[op.id] = happened;
    d.notes.push_back(DescribeOpForLog(op) + ": outcome unknown; the portal shows it " +
                      (happened ? "happened" : "did not happen"));
  }
  return d;
}

std::vector<std::string> Reconcile(const OpGraph& graph, const Binding& before,
                                   const AccountSnapshot& now) {
  std::vector<std::string> diffs;
  const Account& account = now.account;
  std::set<std::string> re_added;
  std::map<std::string, std::set<std::string>> activated;  // serial -> services
  for (const Op& op : graph.ops()) {
    if (op.kind == OpKind::kAddCamera) re_added.insert(op.camera);
    if (op.kind == OpKind::kActivate) activated[op.camera].insert(op.service);
  }
  for (const BoundCamera& c : before.cameras) {
    if (!account.FindCamera(c.serial)) diffs.push_back("camera " + c.serial + " is missing");
  }
  for (const Op& op : graph.ops()) {
    switch (op.kind) {
      case OpKind::kActivate: {
        const License* held = account.LicenseOn(op.camera, op.service);
        if (!held) {
          diffs.push_back(op.camera + " has no " + op.service + " license; expected " +
                          op.expect_key);
        } else if (!IsAcceptableKey(op, held->key)) {
          diffs.push_back(op.camera + " holds " + held->key + " for " + op.service + "; expected " +
                          op.expect_key);
        }
        break;
      }
      case OpKind::kUnpark:
        if (!account.FindLicense(op.key)) {
          diffs.push_back("key " + op.key + " is not back in the account");
        }
        break;
      case OpKind::kAddCamera:
        if (!account.FindCamera(op.camera)) diffs.push_back("camera " + op.camera + " is missing");
        break;
      default:
        break;
    }
  }
  for (const License& l : account.licenses) {
    if (l.assigned() && re_added.count(l.assigned_to) &&
        !activated[l.assigned_to].count(l.service)) {
      diffs.push_back(l.assigned_to + " holds " + l.service + " (" + l.key +
                      "), which the plan did not give it back");
    }
  }
  return diffs;
}

}  // namespace licmove
