#include "journal/file_journal.h"

#include <algorithm>

namespace licmove {

namespace {

class FileJournalWriter final : public JournalWriter {
 public:
  FileJournalWriter(std::unique_ptr<AppendableFile> file, DurableWriteHook hook)
      : log_(std::move(file)), hook_(std::move(hook)) {}

  Status RecordIntents(const std::vector<OpIntent>& intents) override {
    for (const OpIntent& i : intents) {
      if (Status s = Append(kIntentRecord, EncodeIntent(i)); !s.ok()) return s;
    }
    return Sync();
  }
  Status RecordOutcome(const OpOutcome& o) override {
    return Append(kOutcomeRecord, EncodeOutcome(o));
  }
  Status RecordEnd(const RunEnd& e) override {
    if (Status s = Append(kEndRecord, EncodeEnd(WithEndTime(e))); !s.ok()) return s;
    return Sync();
  }
  Status Sync() override {
    if (!sticky_.ok()) return sticky_;
    Status s = log_.Sync();
    if (!s.ok()) {
      sticky_ = s;
      return s;
    }
    if (hook_) hook_();
    return s;
  }
  Status Append(std::uint8_t type, const std::string& payload) {
    if (!sticky_.ok()) return sticky_;
    Status s = log_.Append(type, payload);
    if (!s.ok()) sticky_ = s;
    return s;
  }

 private:
  LogWriter log_;
  DurableWriteHook hook_;
  Status sticky_;
};

// Reads the journal at `path`; with `header_only`, decodes only the header.
Result<JournalContents> ReadJournalFile(FileSystem& fs, const std::string& path, bool header_only) {
  auto bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const LogScan scan = ScanLog(*bytes);
  if (scan.tail == LogScan::Tail::kCorrupt) return Status::Corruption(path + ": " + scan.problem);
  return DecodeJournal(scan.records, path, scan.tail, header_only);
}

}  // namespace

std::string RunDirectory(const std::string& state_dir, const std::string& run_id) {
  return state_dir + "/runs/" + run_id;
}

std::string JournalPath(const std::string& state_dir, const std::string& run_id) {
  return RunDirectory(state_dir, run_id) + "/journal";
}

Result<std::unique_ptr<JournalWriter>> FileJournal::Create(FileSystem& fs,
                                                           const std::string& state_dir,
                                                           const RunHeader& header,
                                                           DurableWriteHook hook) {
  const std::string path = JournalPath(state_dir, header.run_id);
  if (fs.Exists(path)) return Status::Conflict("run " + header.run_id + " already exists");
  if (Status s = fs.CreateDirectories(RunDirectory(state_dir, header.run_id)); !s.ok()) return s;
  // The header appears whole and durable, or not at all: a crash while it
  // is written leaves no journal (the run changed nothing yet), never one
  // without a header.
  if (Status s = fs.WriteFileAtomically(path, EncodeRecord(kHeaderRecord, EncodeHeader(header)));
      !s.ok()) {
    return s;
  }
  if (hook) hook();
  auto file = fs.OpenAppendable(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<JournalWriter>(
      std::make_unique<FileJournalWriter>(std::move(file.value()), std::move(hook)));
}

Result<std::unique_ptr<JournalWriter>> FileJournal::Reopen(FileSystem& fs,
                                                           const std::string& state_dir,
                                                           const std::string& run_id,
                                                           DurableWriteHook hook) {
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
  return std::unique_ptr<JournalWriter>(
      std::make_unique<FileJournalWriter>(std::move(file.value()), std::move(hook)));
}

Result<std::vector<LogRecord>> ReadJournalRecords(FileSystem& fs, const std::string& state_dir,
                                                  const std::string& run_id) {
  const std::string path = JournalPath(state_dir, run_id);
  auto bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  LogScan scan = ScanLog(*bytes);
  if (scan.tail == LogScan::Tail::kCorrupt) return Status::Corruption(path + ": " + scan.problem);
  if (scan.records.empty()) return Status::Corruption(path + ": no run header");
  return std::move(scan.records);
}

Status ImportJournal(FileSystem& fs, const std::string& state_dir, const std::string& run_id,
                     const std::vector<LogRecord>& records) {
  const std::string path = JournalPath(state_dir, run_id);
  if (fs.Exists(path)) return Status::Conflict("run " + run_id + " already exists");
  std::string bytes;
  for (const LogRecord& r : records) bytes += EncodeRecord(r.type, r.payload);
  if (Status s = fs.CreateDirectories(RunDirectory(state_dir, run_id)); !s.ok()) return s;
  return fs.WriteFileAtomically(path, bytes);
}

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

Result<RunInfo> ReadRunInfo(FileSystem& fs, const std::string& state_dir,
                            const std::string& run_id) {
  const std::string path = JournalPath(state_dir, run_id);
  auto bytes = fs.ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const LogScan scan = ScanLog(*bytes);
  if (scan.tail == LogScan::Tail::kCorrupt) return Status::Corruption(path + ": " + scan.problem);
  if (scan.records.empty()) return Status::Corruption(path + ": no run header");
  // The header and, when the run ended, its last record: nothing between.
  std::vector<LogRecord> ends;
  ends.push_back(scan.records.front());
  if (scan.records.size() > 1 && scan.records.back().type == kEndRecord) {
    ends.push_back(scan.records.back());
  }
  auto contents = DecodeJournal(ends, path, scan.tail);
  if (!contents.ok()) return contents.status();
  return InfoOf(*contents);
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
