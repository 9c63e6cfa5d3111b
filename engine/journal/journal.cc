#include "journal/journal.h"

#include <algorithm>
#include <cstdio>

#include <boost/json.hpp>

namespace licmove {

namespace json = boost::json;

namespace {

enum RecordType : std::uint8_t { kHeader = 1, kIntent = 2, kOutcome = 3, kEnd = 4 };

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

const char* EndName(RunEnd::Result r) {
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

std::string Str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t Int(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_int64() ? v->get_int64() : 0;
}

std::string EncodeHeader(const RunHeader& h) {
  return json::serialize(json::object{{"format_version", h.format_version},
                                      {"run_id", h.run_id},
                                      {"kind", h.kind},
                                      {"parent_run", h.parent_run},
                                      {"account", h.account},
                                      {"portal", h.portal},
                                      {"host", h.host},
                                      {"pid", h.pid},
                                      {"started_at", h.started_at},
                                      {"plan", h.plan_json},
                                      {"before", h.before_json}});
}

RunHeader DecodeHeader(const json::object& o) {
  RunHeader h;
  h.format_version = static_cast<int>(Int(o, "format_version"));
  h.run_id = Str(o, "run_id");
  h.kind = Str(o, "kind");
  h.parent_run = Str(o, "parent_run");
  h.account = Str(o, "account");
  h.portal = Str(o, "portal");
  h.host = Str(o, "host");
  h.pid = static_cast<int>(Int(o, "pid"));
  h.started_at = Int(o, "started_at");
  h.plan_json = Str(o, "plan");
  h.before_json = Str(o, "before");
  return h;
}

}  // namespace

std::string RunDirectory(const std::string& state_dir, const std::string& run_id) {
  return state_dir + "/runs/" + run_id;
}

std::string JournalPath(const std::string& state_dir, const std::string& run_id) {
  return RunDirectory(state_dir, run_id) + "/journal";
}

std::string NewRunId(UnixSeconds now, std::uint64_t entropy) {
  std::string t = FormatTimestamp(now);  // 2026-11-29T23:23:01Z
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':'; }), t.end());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%04x", static_cast<unsigned>(entropy & 0xffff));
  return t + suffix;
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::Create(FileSystem& fs,
                                                             const std::string& state_dir,
                                                             const RunHeader& header) {
  const std::string path = JournalPath(state_dir, header.run_id);
  if (fs.Exists(path)) return Status::Conflict("run " + header.run_id + " already exists");
  if (Status s = fs.CreateDirectories(RunDirectory(state_dir, header.run_id)); !s.ok()) return s;
  auto file = fs.OpenAppendable(path);
  if (!file.ok()) return file.status();
  std::unique_ptr<JournalWriter> w(new JournalWriter(std::move(file.value())));
  if (Status s = w->Append(kHeader, EncodeHeader(header)); !s.ok()) return s;
  if (Status s = w->Sync(); !s.ok()) return s;
  return w;
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::Reopen(FileSystem& fs,
                                                             const std::string& state_dir,
                                                             const std::string& run_id) {
  const std::string path = JournalPath(state_dir, run_id);
  auto bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const LogScan scan = ScanLog(*bytes);
  if (scan.tail == LogScan::Tail::kCorrupt) {
    return Status::Corruption(path + ": " + scan.problem + "; not appending to it");
  }
  if (scan.records.empty()) return Status::Corruption(path + ": no run header");
  // Appending after a torn tail would bury good records behind garbage.
  if (scan.valid_bytes < bytes->size()) {
    if (Status s = fs.Truncate(path, scan.valid_bytes); !s.ok()) return s;
  }
  auto file = fs.OpenAppendable(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<JournalWriter>(new JournalWriter(std::move(file.value())));
}

Status JournalWriter::Append(std::uint8_t type, const std::string& payload) {
  if (!sticky_.ok()) return sticky_;
  Status s = log_.Append(type, payload);
  if (!s.ok()) sticky_ = s;
  return s;
}

Status JournalWriter::Sync() {
  if (!sticky_.ok()) return sticky_;
  Status s = log_.Sync();
  if (!s.ok()) sticky_ = s;
  return s;
}

Status JournalWriter::RecordIntents(const std::vector<OpIntent>& intents) {
  for (const OpIntent& i : intents) {
    Status s = Append(kIntent, json::serialize(json::object{{"op", i.op},
                                                            {"idempotency_key", i.idempotency_key},
                                                            {"attempt", i.attempt}}));
    if (!s.ok()) return s;
  }
  return Sync();
}

Status JournalWriter::RecordOutcome(const OpOutcome& o) {
  return Append(kOutcome, json::serialize(json::object{{"op", o.op},
                                                       {"result", OutcomeName(o.result)},
                                                       {"http_status", o.http_status},
                                                       {"license_key", o.license_key},
                                                       {"camera_id", o.camera_id},
                                                       {"message", o.message}}));
}

Status JournalWriter::RecordEnd(const RunEnd& e) {
  Status s = Append(
      kEnd, json::serialize(json::object{{"result", EndName(e.result)}, {"message", e.message}}));
  if (!s.ok()) return s;
  return Sync();
}

namespace {

// Reads the journal at `path`; with `header_only`, stops after the header.
Result<JournalContents> ReadJournalFile(FileSystem& fs, const std::string& path, bool header_only) {
  auto bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const LogScan scan = ScanLog(*bytes);
  if (scan.tail == LogScan::Tail::kCorrupt) return Status::Corruption(path + ": " + scan.problem);
  JournalContents out;
  out.tail = scan.tail;
  const std::size_t records =
      header_only ? std::min<std::size_t>(1, scan.records.size()) : scan.records.size();
  for (std::size_t i = 0; i < records; ++i) {
    const LogRecord& r = scan.records[i];
    boost::system::error_code ec;
    json::value v = json::parse(r.payload, ec);
    if (ec || !v.is_object()) {
      return Status::Corruption(path + ": record " + std::to_string(i + 1) + " is not JSON");
    }
    const json::object& o = v.get_object();
    if (i == 0) {
      if (r.type != kHeader) return Status::Corruption(path + ": does not start with a header");
      out.header = DecodeHeader(o);
      if (out.header.format_version != kJournalFormatVersion) {
        return Status::InvalidArgument(
            path + ": journal format version " + std::to_string(out.header.format_version) +
            " is not one this licmove reads (" + std::to_string(kJournalFormatVersion) + ")");
      }
      continue;
    }
    switch (r.type) {
      case kIntent:
        out.intents.push_back(OpIntent{static_cast<int>(Int(o, "op")), Str(o, "idempotency_key"),
                                       static_cast<int>(Int(o, "attempt"))});
        break;
      case kOutcome: {
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
      case kEnd: {
        RunEnd e;
        const std::string result = Str(o, "result");
        e.result = result == "completed" ? RunEnd::Result::kCompleted
                   : result == "stopped" ? RunEnd::Result::kStopped
                   : result == "failed"  ? RunEnd::Result::kFailed
                                         : RunEnd::Result::kInterrupted;
        e.message = Str(o, "message");
        out.end = std::move(e);
        break;
      }
      default:
        return Status::Corruption(path + ": record " + std::to_string(i + 1) + " has type " +
                                  std::to_string(r.type) + ", unknown to this licmove");
    }
  }
  if (scan.records.empty()) return Status::Corruption(path + ": no run header");
  return out;
}

}  // namespace

Result<JournalContents> ReadJournal(FileSystem& fs, const std::string& state_dir,
                                    const std::string& run_id) {
  return ReadJournalFile(fs, JournalPath(state_dir, run_id), /*header_only=*/false);
}

Result<RunHeader> ReadRunHeader(FileSystem& fs, const std::string& state_dir,
                                const std::string& run_id) {
  auto contents = ReadJournalFile(fs, JournalPath(state_dir, run_id), /*header_only=*/true);
  if (!contents.ok()) return contents.status();
  return std::move(contents->header);
}

Result<std::vector<RollbackRun>> FindRollbacksOf(FileSystem& fs, const std::string& state_dir,
                                                 const std::string& run_id) {
  auto ids = ListRuns(fs, state_dir);
  if (!ids.ok()) return ids.status();
  std::vector<RollbackRun> out;
  for (const std::string& id : *ids) {
    if (id == run_id) continue;
    auto header = ReadRunHeader(fs, state_dir, id);
    // A journal that cannot be read is reported by the commands that read
    // it; here it can only be a run we cannot relate to this one.
    if (!header.ok() || header->kind != "rollback" || header->parent_run != run_id) continue;
    auto whole = ReadJournal(fs, state_dir, id);
    const bool completed =
        whole.ok() && whole->end && whole->end->result == RunEnd::Result::kCompleted;
    out.push_back(RollbackRun{id, completed});
  }
  return out;
}

Result<std::vector<std::string>> ListRuns(FileSystem& fs, const std::string& state_dir) {
  const std::string runs = state_dir + "/runs";
  if (!fs.Exists(runs)) return std::vector<std::string>{};
  auto names = fs.ListDirectory(runs);
  if (!names.ok()) return names.status();
  std::vector<std::string> ids;
  for (std::string& n : *names) {
    if (fs.Exists(JournalPath(state_dir, n))) ids.push_back(std::move(n));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace licmove
