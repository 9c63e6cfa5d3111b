#include "report/junit_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "model/timestamp.h"
#include "report/outcome_counts.h"
#include "report/xml_text.h"

namespace licmove {
namespace {

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + XmlEscape(value, XmlContext::kAttribute) + "\"";
}

std::string Text(std::string_view text) {
  return XmlEscape(text, XmlContext::kText);
}

// xs:decimal: never an exponent, never NaN or negative.
std::string Seconds(double s) {
  if (!std::isfinite(s) || s < 0) s = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// The Ant format's timestamp has no zone ("2026-11-29T10:00:00"); ours is UTC.
std::optional<std::string> AntTimestamp(const std::string& rfc3339) {
  const std::optional<UnixSeconds> t = ParseTimestamp(rfc3339);
  if (!t) return std::nullopt;
  std::string s = FormatTimestamp(*t);
  s.pop_back();  // the "Z"
  return s;
}

// Dots in a classname make levels of a package tree in CI views; the account
// is one level, whatever its name.
std::string ClassName(const RunReport& r, std::string_view what) {
  std::string account = r.account.empty() ? "_" : r.account;
  for (char& c : account) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    if (!plain) c = '_';
  }
  return "licmove." + account + "." + std::string(what);
}

struct Case {
  std::string classname;
  std::string name;
  double seconds = 0;
  std::string body;  // child elements, already XML
  bool failed = false;
  bool skipped = false;
};

std::string NextSteps(const RunReport& r) {
  std::string s;
  for (const std::string& step : r.next_steps) s += "next: " + step + "\n";
  for (const std::string& line : r.cannot_undo) s += "cannot be undone: " + line + "\n";
  return s;
}

Case IntentCase(const RunReport& r, const IntentOutcome& i) {
  Case c;
  c.classname = ClassName(r, KindName(i.kind));
  c.name = DescribeIntent(i);
  if (!i.where.empty()) c.name += " (" + i.where + ")";
  c.seconds = i.seconds;
  switch (i.result) {
    case IntentOutcome::Result::kDone:
      c.body = "<system-out>" + Text("done: " + i.key + " on " + i.camera) + "</system-out>";
      break;
    case IntentOutcome::Result::kAlreadyDone:
      c.body = "<system-out>" +
               Text("already done: " + i.key + " was already on " + i.camera +
                    "; nothing was sent" + (i.message.empty() ? "" : " (" + i.message + ")")) +
               "</system-out>";
      break;
    case IntentOutcome::Result::kFailed: {
      c.failed = true;
      std::string detail = DescribeIntent(i) + "\n";
      if (!i.where.empty()) detail += "plan: " + i.where + "\n";
      if (!i.key.empty()) detail += "key: " + i.key + "\n";
      detail += i.message + "\n";
      c.body = "<failure" + Attr("message", i.message) + Attr("type", "activation failed") + ">" +
               Text(detail) + "</failure>";
      break;
    }
    case IntentOutcome::Result::kNotRun:
      c.skipped = true;
      c.body = "<skipped" + Attr("message", "not run: " + i.message) + "/>";
      break;
  }
  return c;
}

// The run itself as a test case: failing when it failed with nobody to blame
// (RunLevelFailure), passing when it is the only case there is.
Case RunCase(const RunReport& r) {
  Case c;
  c.classname = ClassName(r, "run");
  const std::string result =
      "run " + r.result + (r.message.empty() ? std::string() : ": " + r.message);
  if (!RunLevelFailure(r)) {
    c.name = r.result == "no_changes" ? "no changes" : "run";
    const std::string said = r.result != "no_changes" ? result
                             : r.message.empty()
                                 ? "no changes: the account already matches the plan"
                                 : "no changes: " + r.message;
    c.body = "<system-out>" + Text(said + "\n") + "</system-out>";
    return c;
  }
  c.failed = true;
  std::string message;
  std::string type;
  std::string detail = result + "\n";
  if (!r.reconciliation.empty()) {
    c.name = "reconciliation";
    type = "reconciliation";
    message = "the account does not match the plan: " + std::to_string(r.reconciliation.size()) +
              (r.reconciliation.size() == 1 ? " difference" : " differences");
    for (const std::string& d : r.reconciliation) detail += "- " + d + "\n";
  } else {
    c.name = "run";
    type = "run " + r.result;
    message = result;
  }
  detail += NextSteps(r);
  c.body = "<failure" + Attr("message", message) + Attr("type", type) + ">" + Text(detail) +
           "</failure>";
  return c;
}

}  // namespace

std::string RenderJUnit(const RunReport& r) {
  std::vector<Case> cases;
  cases.reserve(r.intents.size() + 1);
  std::map<std::string, int> seen;  // names stay unique: CI systems merge equal ones
  for (const IntentOutcome& i : r.intents) {
    Case c = IntentCase(r, i);
    if (int n = ++seen[c.name]; n > 1) c.name += " #" + std::to_string(n);
    cases.push_back(std::move(c));
  }
  if (RunLevelFailure(r) || cases.empty()) cases.push_back(RunCase(r));

  int failures = 0;
  int skipped = 0;
  for (const Case& c : cases) {
    failures += c.failed;
    skipped += c.skipped;
  }
  const std::string counts = Attr("tests", std::to_string(cases.size())) +
                             Attr("failures", std::to_string(failures)) + Attr("errors", "0") +
                             Attr("skipped", std::to_string(skipped)) +
                             Attr("time", Seconds(r.wall_seconds));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + Attr("name", "licmove") + counts + ">\n";
  out += "  <testsuite" +
         Attr("name", "licmove " + r.kind + " " + r.plan_file + " on " + r.account) + counts;
  if (std::optional<std::string> t = AntTimestamp(r.started_at)) out += Attr("timestamp", *t);
  out += ">\n    <properties>\n";
  const std::pair<const char*, std::string> properties[] = {
      {"run_id", r.run_id},
      {"kind", r.kind},
      {"account", r.account},
      {"plan_file", r.plan_file},
      {"plan_identity", r.plan_identity},
      {"portal", r.portal},
      {"result", r.result},
      {"message", r.message},
      {"started_at", r.started_at},
      {"calls_total", std::to_string(r.calls_total)},
      {"calls_done", std::to_string(r.calls_done)},
      {"requests_sent", std::to_string(r.requests_sent)},
      {"retries", std::to_string(r.retries)},
      {"parallelism", std::to_string(r.parallelism)},
      {"critical_path", std::to_string(r.critical_path)},
  };
  for (const auto& [name, value] : properties) {
    if (!value.empty())
      out += "      <property" + Attr("name", name) + Attr("value", value) + "/>\n";
  }
  out += "    </properties>\n";
  for (const Case& c : cases) {
    out += "    <testcase" + Attr("classname", c.classname) + Attr("name", c.name) +
           Attr("time", Seconds(c.seconds)) + ">" + c.body + "</testcase>\n";
  }
  std::string summary = "licmove " + r.kind + " " + r.plan_file + " on " + r.account + ": " +
                        r.result + (r.message.empty() ? "" : " (" + r.message + ")") + "\n" +
                        NextSteps(r);
  out += "    <system-out>" + Text(summary) + "</system-out>\n";
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace licmove
