#include "journal/journal.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <boost/json.hpp>

namespace licmove {

namespace json = boost::json;

namespace {

std::string Str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t Int(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_int64() ? v->get_int64() : 0;
}

RunHeader DecodeHeader(const json::object& o) {
  RunHeader h;
  h.format_version = static_cast<int>(Int(o, "format_version"));
  h.run_id = Str(o, "run_id");
  h.kind = Str(o, "kind");
  h.parent_run = Str(o, "parent_run");
  h.account = Str(o, "account");
  h.plan_identity = Str(o, "plan_identity");
  h.portal = Str(o, "portal");
  h.host = Str(o, "host");
  h.pid = static_cast<int>(Int(o, "pid"));
  h.started_at = Int(o, "started_at");
  h.plan_json = Str(o, "plan");
  h.before_json = Str(o, "before");
  if (const json::value* v = o.if_contains("cannot_undo"); v && v->is_array()) {
    for (const json::value& line : v->get_array()) {
      if (line.is_string()) h.cannot_undo.emplace_back(line.get_string());
    }
  }
  return h;
}

}  // namespace

const char* OutcomeName(OpOutcome::Result r) {
  switch (r) {
    case OpOutcome::Result::kDone:
      return "done";
    case OpOutcome::Result::kFailed:
      return "failed";
    case OpOutcome::Result::kUnknown:
      return "unknown";
  }
  return "?";
}

const char* RunEndName(RunEnd::Result r) {
  switch (r) {
    case RunEnd::Result::kCompleted:
      return "completed";
    case RunEnd::Result::kStopped:
      return "stopped";
    case RunEnd::Result::kFailed:
      return "failed";
    case RunEnd::Result::kInterrupted:
      return "interrupted";
  }
  return "?";
}

std::string EncodeHeader(const RunHeader& h) {
  json::object o{{"format_version", h.format_version},
                 {"run_id", h.run_id},
                 {"kind", h.kind},
                 {"parent_run", h.parent_run},
                 {"account", h.account},
                 {"plan_identity", h.plan_identity},
                 {"portal", h.portal},
                 {"host", h.host},
                 {"pid", h.pid},
                 {"started_at", h.started_at},
                 {"plan", h.plan_json},
                 {"before", h.before_json}};
  // Only when there are any: a journal without it reads as before.
  if (!h.cannot_undo.empty()) {
    json::array lines;
    for (const std::string& line : h.cannot_undo) lines.emplace_back(line);
    o["cannot_undo"] = std::move(lines);
  }
  return json::serialize(o);
}

std::string EncodeIntent(const OpIntent& i) {
  return json::serialize(
      json::object{{"op", i.op}, {"idempotency_key", i.idempotency_key}, {"attempt", i.attempt}});
}

std::string EncodeOutcome(const OpOutcome& o) {
  return json::serialize(json::object{{"op", o.op},
                                      {"result", OutcomeName(o.result)},
                                      {"http_status", o.http_status},
                                      {"license_key", o.license_key},
                                      {"camera_id", o.camera_id},
                                      {"message", o.message}});
}

std::string EncodeEnd(const RunEnd& e) {
  json::object o{{"result", RunEndName(e.result)}, {"message", e.message}};
  if (e.ended_at != 0) o["ended_at"] = e.ended_at;
  return json::serialize(o);
}

RunEnd WithEndTime(RunEnd end) {
  if (end.ended_at == 0) {
    end.ended_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }
  return end;
}

std::string NewRunId(UnixSeconds now, std::uint64_t entropy) {
  std::string t = FormatTimestamp(now);  // 2026-11-29T23:23:01Z
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':'; }), t.end());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%04x", static_cast<unsigned>(entropy & 0xffff));
  return t + suffix;
}

Result<JournalContents> DecodeJournal(const std::vector<LogRecord>& records,
                                      const std::string& where, LogScan::Tail tail,
                                      bool header_only) {
  if (records.empty()) return Status::Corruption(where + ": no run header");
  JournalContents out;
  out.tail = tail;
  const std::size_t count = header_only ? 1 : records.size();
  for (std::size_t i = 0; i < count; ++i) {
    const LogRecord& r = records[i];
    boost::system::error_code ec;
    json::value v = json::parse(r.payload, ec);
    if (ec || !v.is_object()) {
      return Status::Corruption(where + ": record " + std::to_string(i + 1) + " is not JSON");
    }
    const json::object& o = v.get_object();
    if (i == 0) {
      if (r.type != kHeaderRecord) {
        return Status::Corruption(where + ": does not start with a header");
      }
      out.header = DecodeHeader(o);
      if (out.header.format_version != kJournalFormatVersion) {
        return Status::InvalidArgument(
            where + ": journal format version " + std::to_string(out.header.format_version) +
            " is not one this licmove reads (" + std::to_string(kJournalFormatVersion) + ")");
      }
      continue;
    }
    switch (r.type) {
      case kIntentRecord:
        out.intents.push_back(OpIntent{static_cast<int>(Int(o, "op")), Str(o, "idempotency_key"),
                                       static_cast<int>(Int(o, "attempt"))});
        break;
      case kOutcomeRecord: {
        OpOutcome oc;
        oc.op = static_cast<int>(Int(o, "op"));
        const std::string result = Str(o, "result");
        oc.result = result == "done"     ? OpOutcome::Result::kDone
                    : result == "failed" ? OpOutcome::Result::kFailed
                                         : OpOutcome::Result::kUnknown;
        oc.http_status = static_cast<int>(Int(o, "http_status"));
        oc.license_key = Str(o, "license_key");
        oc.camera_id = Str(o, "camera_id");
        oc.message = Str(o, "message");
        out.outcomes.push_back(std::move(oc));
        break;
      }
      case kEndRecord: {
        RunEnd e;
        const std::string result = Str(o, "result");
        e.result = result == "completed" ? RunEnd::Result::kCompleted
                   : result == "stopped" ? RunEnd::Result::kStopped
                   : result == "failed"  ? RunEnd::Result::kFailed
                                         : RunEnd::Result::kInterrupted;
        e.message = Str(o, "message");
        e.ended_at = Int(o, "ended_at");
        out.end = std::move(e);
        break;
      }
      default:
        return Status::Corruption(where + ": record " + std::to_string(i + 1) + " has type " +
                                  std::to_string(r.type) + ", unknown to this licmove");
    }
  }
  return out;
}

RunInfo InfoOf(const JournalContents& journal) {
  const RunHeader& h = journal.header;
  return RunInfo{h.run_id, h.kind, h.parent_run, h.account,    h.plan_identity,
                 h.portal, h.host, h.pid,        h.started_at, journal.end};
}

std::vector<RollbackRun> FindRollbacksOf(const std::vector<RunInfo>& runs,
                                         const std::string& run_id) {
  std::vector<RollbackRun> out;
  for (const RunInfo& r : runs) {
    if (r.kind != "rollback" || r.parent_run != run_id) continue;
    out.push_back(RollbackRun{r.run_id, r.end && r.end->result == RunEnd::Result::kCompleted});
  }
  return out;
}

}  // namespace licmove
