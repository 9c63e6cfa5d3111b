#include "sample_reports.h"

#include <random>

namespace licmove::testing {
namespace {

RunReport Base() {
  RunReport r;
  r.run_id = "R-20261129-0001";
  r.account = "acme";
  r.plan_file = "plans/move.yaml";
  r.plan_identity = "sha256:5d41402abc4b2a76b9719d911017c592";
  r.portal = "https://portal.example.com (simulator)";
  r.started_at = "2026-11-29T10:00:00Z";
  r.calls_total = 14;
  r.parallelism = 10;
  r.critical_path = 4;
  r.wall_seconds = 63.25;
  return r;
}

IntentOutcome Intent(IntentOutcome::Kind kind, std::string camera, std::string from,
                     std::string service, std::string key, std::string where,
                     IntentOutcome::Result result, std::string message = "", double seconds = 0) {
  IntentOutcome i;
  i.kind = kind;
  i.camera = std::move(camera);
  i.from = std::move(from);
  i.service = std::move(service);
  i.key = std::move(key);
  i.where = std::move(where);
  i.result = result;
  i.message = std::move(message);
  i.seconds = seconds;
  return i;
}

using K = IntentOutcome::Kind;
using R = IntentOutcome::Result;

}  // namespace

RunReport CompletedReport() {
  RunReport r = Base();
  r.calls_done = 14;
  r.requests_sent = 15;
  r.retries = 1;
  r.intents = {
      Intent(K::kMove, "CAM-0002", "CAM-0001", "alarm-management", "AM-5Y-0001",
             "plans/move.yaml:5:5", R::kDone, "", 0.412),
      Intent(K::kMove, "CAM-0004", "CAM-0003", "alarm-management", "AM-1Y-0007",
             "plans/move.yaml:9:5", R::kAlreadyDone),
      Intent(K::kAssign, "CAM-0005", "", "alarm-management", "AM-5Y-0009", "plans/move.yaml:14:16",
             R::kDone, "", 0.388),
      Intent(K::kRestore, "CAM-0001", "", "remote-maintenance", "RM-1Y-0110", "", R::kDone, "",
             0.2),
  };
  return r;
}

RunReport StoppedReport() {
  RunReport r = Base();
  r.result = "stopped";
  r.message = "stopped after a failed activation; 9 of 14 calls done";
  r.calls_done = 9;
  r.requests_sent = 12;
  r.retries = 3;
  r.next_steps = {"licmove apply plans/move.yaml --resume R-20261129-0001",
                  "licmove rollback R-20261129-0001"};
  r.intents = {
      Intent(K::kMove, "CAM-0002", "CAM-0001", "alarm-management", "AM-5Y-0001",
             "plans/move.yaml:5:5", R::kDone, "", 0.4),
      Intent(K::kMove, "CAM-0004", "CAM-0003", "alarm-management", "AM-1Y-0007",
             "plans/move.yaml:9:5", R::kFailed,
             "portal said 409 Conflict: license AM-1Y-0007 is not assignable", 1.5),
      Intent(K::kAssign, "CAM-0005", "", "alarm-management", "AM-5Y-0009", "plans/move.yaml:14:16",
             R::kNotRun, "the run stopped first"),
      Intent(K::kAssign, "CAM-0006", "", "alarm-management", "AM-5Y-0010", "plans/move.yaml:14:26",
             R::kNotRun, "the run stopped first"),
      Intent(K::kRestore, "CAM-0001", "", "remote-maintenance", "RM-1Y-0110", "", R::kNotRun,
             "the run stopped first"),
  };
  return r;
}

RunReport NoChangesReport() {
  RunReport r = Base();
  r.run_id.clear();
  r.result = "no_changes";
  r.message = "the account already matches the plan";
  r.calls_total = 0;
  r.wall_seconds = 0.8;
  return r;
}

RunReport ReconciliationReport() {
  RunReport r = CompletedReport();
  r.reconciliation = {"CAM-0002: alarm-management is AM-1Y-0099, the plan expected AM-5Y-0001",
                      "RM-1Y-0110: in the pool, the plan expected it on CAM-0001"};
  return r;
}

std::string NastyText() {
  return std::string("a <b> & \"c\" 'd' ]]> | pipe *star* _u_ `tick` [l](x) \\ ") + '\x01' +
         '\x08' + '\x0B' + '\x0C' + '\x1B' + '\x7F' + " \xFF\xFE bad bytes \xED\xA0\x80 " +
         "U+FFFE:\xEF\xBF\xBE U+FFFF:\xEF\xBF\xBF snowman \xE2\x98\x83 emoji \xF0\x9F\x98\x80" +
         "\r\nsecond line\nthird\tline\r" + std::string(1, '\0') + " end";
}

RunReport NastyReport() {
  RunReport r = StoppedReport();
  r.account = "acme <&\"> co.";
  r.plan_file = "plans/<&\">|.yaml";
  r.portal = NastyText();
  r.message = NastyText();
  r.next_steps.push_back("licmove apply '" + NastyText() + "' ``` --resume");
  r.reconciliation = {NastyText()};
  for (IntentOutcome& i : r.intents) {
    i.camera += NastyText();
    if (!i.message.empty()) i.message = NastyText();
  }
  // The same name twice: names must stay unique.
  r.intents.push_back(r.intents.back());
  return r;
}

RunReport BigReport(int intents, int fail_every, std::size_t message_bytes) {
  RunReport r = Base();
  r.plan_file = "plans/bulk-10k.yaml";
  r.result = fail_every > 0 ? "failed" : "completed";
  r.calls_total = r.calls_done = intents;
  const std::string message(message_bytes, 'x');
  for (int n = 0; n < intents; ++n) {
    const bool fails = fail_every > 0 && n % fail_every == 0;
    r.intents.push_back(Intent(K::kMove, "CAM-" + std::to_string(100000 + n),
                               "CAM-" + std::to_string(200000 + n), "alarm-management",
                               "AM-1Y-" + std::to_string(n),
                               "plans/bulk-10k.yaml:" + std::to_string(5 + 4 * n) + ":5",
                               fails ? R::kFailed : R::kDone, fails ? message : "", 0.25));
  }
  return r;
}

RunReport RandomReport(const RandomShape& shape) {
  std::mt19937_64 rng(shape.seed);
  const auto below = [&](std::uint64_t n) { return n == 0 ? 0 : rng() % n; };
  const std::string nasty = NastyText();
  // Any bytes, nasty ones more often than chance would give them.
  const auto text = [&](std::size_t max) {
    std::string s(below(max + 1), ' ');
    for (char& c : s) c = below(4) == 0 ? nasty[below(nasty.size())] : static_cast<char>(rng());
    return s;
  };
  const char* results[] = {"completed", "no_changes", "stopped", "failed", "interrupted"};
  RunReport r;
  r.run_id = text(shape.max_field);
  r.kind = below(2) ? "apply" : "rollback";
  r.account = text(shape.max_field);
  r.plan_file = text(shape.max_field);
  r.plan_identity = text(shape.max_field);
  r.portal = text(shape.max_field);
  r.result = results[below(5)];
  r.message = text(shape.max_message);
  r.calls_total = static_cast<int>(below(100000));
  r.calls_done = static_cast<int>(below(r.calls_total + 1));
  r.wall_seconds = static_cast<double>(below(1000000)) / 100;
  r.started_at = below(2) ? "2026-11-29T10:00:00Z" : text(shape.max_field);
  for (int n = 0; n < shape.differences; ++n) r.reconciliation.push_back(text(shape.max_message));
  for (int n = 0; n < shape.next_steps; ++n) r.next_steps.push_back(text(shape.max_field * 4));
  for (int n = 0; n < shape.intents; ++n) {
    IntentOutcome i;
    i.kind = static_cast<IntentOutcome::Kind>(below(3));
    i.result = static_cast<IntentOutcome::Result>(below(4));
    i.camera = text(shape.max_field);
    i.from = i.kind == K::kMove ? text(shape.max_field) : "";
    i.service = text(shape.max_field);
    i.key = text(shape.max_field);
    i.where = below(3) ? text(shape.max_field) : "";
    i.message = i.result == R::kDone ? "" : text(shape.max_message);
    i.seconds = static_cast<double>(below(10000)) / 1000;
    r.intents.push_back(std::move(i));
  }
  return r;
}

}  // namespace licmove::testing
