#include "journal/file_journal.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace licmove {
namespace {

namespace fs = std::filesystem;

// The real file system, except that Sync fails from the Nth call on: the
// journal must refuse to go on once it cannot know what is on disk.
class FailingSyncFileSystem : public FileSystemWrapper {
 public:
  explicit FailingSyncFileSystem(int fail_from)
      : FileSystemWrapper(PosixFileSystem()), fail_from_(fail_from) {}
  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    auto f = FileSystemWrapper::OpenAppendable(path);
    if (!f.ok()) return f.status();
    return std::unique_ptr<AppendableFile>(new File(std::move(f.value()), *this));
  }
  int syncs = 0;

 private:
  struct File : AppendableFileWrapper {
    File(std::unique_ptr<AppendableFile> f, FailingSyncFileSystem& o)
        : AppendableFileWrapper(std::move(f)), owner(o) {}
    Status Sync() override {
      if (++owner.syncs >= owner.fail_from_) return Status::IOError("injected fsync failure");
      return AppendableFileWrapper::Sync();
    }
    FailingSyncFileSystem& owner;
  };
  int fail_from_;
};

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("licmove-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static RunHeader Header() {
    RunHeader h;
    h.run_id = NewRunId(*ParseTimestamp("2026-11-29T23:23:01Z"), 0x4f1c);
    h.kind = "apply";
    h.account = "acme";
    h.portal = "http://127.0.0.1:1234";
    h.host = "box";
    h.pid = 42;
    h.started_at = 1795990981;
    h.plan_json = R"({"ops":[]})";
    h.before_json = R"({"cameras":[{"serial":"CAM-1"}],"parked":["AM-5Y-1"]})";
    return h;
  }
  std::string dir_;
};

TEST_F(JournalTest, RunIdsSortByTime) {
  EXPECT_EQ(NewRunId(*ParseTimestamp("2026-11-29T23:23:01Z"), 0x4f1c), "20261129T232301Z-4f1c");
  EXPECT_LT(NewRunId(*ParseTimestamp("2026-11-29T23:23:01Z"), 0xffff),
            NewRunId(*ParseTimestamp("2026-11-29T23:23:02Z"), 0));
}

TEST_F(JournalTest, WritesAndReadsBackEveryRecord) {
  const RunHeader h = Header();
  {
    auto w = FileJournal::Create(PosixFileSystem(), dir_, h);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->RecordIntent({3, "run-op3", 1}).ok());
    ASSERT_TRUE((*w)->RecordOutcome({3, OpOutcome::Result::kDone, 200, "AM-5Y-1", "", ""}).ok());
    ASSERT_TRUE((*w)->RecordIntent({4, "run-op4", 2}).ok());
    ASSERT_TRUE((*w)->RecordOutcome({4, OpOutcome::Result::kUnknown, 0, "", "", "reset"}).ok());
    ASSERT_TRUE((*w)->RecordEnd({RunEnd::Result::kInterrupted, "SIGINT"}).ok());
  }
  auto j = ReadJournal(PosixFileSystem(), dir_, h.run_id);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->header.run_id, h.run_id);
  EXPECT_EQ(j->header.plan_json, h.plan_json);
  EXPECT_EQ(j->header.before_json, h.before_json);
  EXPECT_EQ(j->header.pid, 42);
  EXPECT_EQ(j->header.started_at, h.started_at);
  ASSERT_EQ(j->intents.size(), 2u);
  EXPECT_EQ(j->intents[1].idempotency_key, "run-op4");
  EXPECT_EQ(j->intents[1].attempt, 2);
  ASSERT_EQ(j->outcomes.size(), 2u);
  EXPECT_EQ(j->outcomes[0].license_key, "AM-5Y-1");
  EXPECT_EQ(j->outcomes[1].result, OpOutcome::Result::kUnknown);
  EXPECT_EQ(j->outcomes[1].message, "reset");
  ASSERT_TRUE(j->end.has_value());
  EXPECT_EQ(j->end->result, RunEnd::Result::kInterrupted);
  EXPECT_GT(j->end->ended_at, h.started_at);  // stamped by the writer
  EXPECT_EQ(j->tail, LogScan::Tail::kClean);

  auto runs = ListRuns(PosixFileSystem(), dir_);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(*runs, std::vector<std::string>{h.run_id});
  EXPECT_EQ(FileJournal::Create(PosixFileSystem(), dir_, h).status().code(),
            Status::Code::kConflict);
}

// An end record of a journal written before licmove recorded the time
// reads as ended_at 0 (unknown); one that has it keeps it.
TEST_F(JournalTest, EndTimeIsKeptAndMayBeMissing) {
  const std::vector<LogRecord> old_journal = {
      {kHeaderRecord, EncodeHeader(Header())},
      {kEndRecord, R"({"result":"completed","message":""})"}};
  auto old_end = DecodeJournal(old_journal, "old", LogScan::Tail::kClean);
  ASSERT_TRUE(old_end.ok()) << old_end.status().ToString();
  ASSERT_TRUE(old_end->end.has_value());
  EXPECT_EQ(old_end->end->ended_at, 0);
  EXPECT_EQ(EncodeEnd(old_end->end.value()).find("ended_at"), std::string::npos);

  const RunEnd given = WithEndTime({RunEnd::Result::kFailed, "x", 1795991000});
  EXPECT_EQ(given.ended_at, 1795991000);
  auto read =
      DecodeJournal({{kHeaderRecord, EncodeHeader(Header())}, {kEndRecord, EncodeEnd(given)}},
                    "new", LogScan::Tail::kClean);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->end->ended_at, 1795991000);
}

// A rollback journals what it cannot undo with its header, for its resumes
// (issue 13); a header without it (any older journal, and every apply's)
// reads as none, and is written exactly as before.
TEST_F(JournalTest, ARollbacksCannotUndoLinesAreKeptAndMayBeMissing) {
  RunHeader h = Header();
  h.kind = "rollback";
  h.parent_run = "20261129T230000Z-0001";
  h.cannot_undo = {
      "key AM-5Y-1 (alarm-management) had never been activated before the run; its "
      "clock started at 2026-11-29T00:00:00Z and keeps running",
      "key \"quoted\" and \u00e9"};
  {
    auto w = FileJournal::Create(PosixFileSystem(), dir_, h);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->RecordEnd({RunEnd::Result::kInterrupted, "SIGINT"}).ok());
  }
  auto j = ReadJournal(PosixFileSystem(), dir_, h.run_id);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->header.cannot_undo, h.cannot_undo);
  EXPECT_EQ(j->header.parent_run, h.parent_run);

  // A header as licmove wrote it before the field existed.
  const RunHeader old = Header();
  const std::string old_payload = EncodeHeader(old);
  EXPECT_EQ(old_payload.find("cannot_undo"), std::string::npos) << old_payload;
  auto read = DecodeJournal({{kHeaderRecord, old_payload}}, "old", LogScan::Tail::kClean);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->header.cannot_undo.empty());
  EXPECT_EQ(read->header.before_json, old.before_json);
}

TEST_F(JournalTest, EveryTruncationReadsAsAPrefixOrNoHeader) {
  const RunHeader h = Header();
  {
    auto w = FileJournal::Create(PosixFileSystem(), dir_, h);
    ASSERT_TRUE(w.ok());
    for (int op = 0; op < 3; ++op) {
      ASSERT_TRUE((*w)->RecordIntent({op, "k" + std::to_string(op), 1}).ok());
      ASSERT_TRUE((*w)->RecordOutcome({op, OpOutcome::Result::kDone, 200, "", "", ""}).ok());
    }
  }
  const std::string path = JournalPath(dir_, h.run_id);
  const std::string full = *PosixFileSystem().ReadFile(path);
  std::size_t last_records = 0;
  for (std::size_t cut = 0; cut <= full.size(); ++cut) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << full.substr(0, cut);
    auto j = ReadJournal(PosixFileSystem(), dir_, h.run_id);
    if (!j.ok()) {
      // Only a journal without a whole header is unreadable.
      EXPECT_EQ(j.status().code(), Status::Code::kCorruption) << cut;
      EXPECT_EQ(last_records, 0u) << cut;
      continue;
    }
    const std::size_t records = 1 + j->intents.size() + j->outcomes.size();
    EXPECT_GE(records, last_records) << cut;
    last_records = records;
    // Intents come before their outcomes: a prefix never has an outcome alone.
    EXPECT_GE(j->intents.size(), j->outcomes.size()) << cut;
  }
  EXPECT_EQ(last_records, 7u);
}

TEST_F(JournalTest, ReopenCutsATornTailBeforeAppending) {
  const RunHeader h = Header();
  {
    auto w = FileJournal::Create(PosixFileSystem(), dir_, h);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->RecordIntent({1, "k1", 1}).ok());
  }
  const std::string path = JournalPath(dir_, h.run_id);
  {
    // A crash in the middle of appending the next record.
    auto f = PosixFileSystem().OpenAppendable(path);
    ASSERT_TRUE(f.ok());
    const std::string partial = EncodeRecord(3, R"({"op":1,"result":"done"})").substr(0, 12);
    ASSERT_TRUE((*f)->Append(partial).ok());
    ASSERT_TRUE((*f)->Close().ok());
  }
  auto torn = ReadJournal(PosixFileSystem(), dir_, h.run_id);
  ASSERT_TRUE(torn.ok());
  EXPECT_EQ(torn->tail, LogScan::Tail::kTorn);
  EXPECT_TRUE(torn->outcomes.empty());

  auto w = FileJournal::Reopen(PosixFileSystem(), dir_, h.run_id);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->RecordOutcome({1, OpOutcome::Result::kDone, 200, "K", "", ""}).ok());
  auto j = ReadJournal(PosixFileSystem(), dir_, h.run_id);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->tail, LogScan::Tail::kClean);
  ASSERT_EQ(j->outcomes.size(), 1u);
  EXPECT_EQ(j->outcomes[0].license_key, "K");
}

TEST_F(JournalTest, AFailedSyncSticks) {
  FailingSyncFileSystem faulty(/*fail_from=*/2);
  // The header is written whole (WriteFileAtomically), not appended.
  auto w = FileJournal::Create(faulty, dir_, Header());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->RecordIntent({1, "k1", 1}).ok());                          // sync 1
  EXPECT_EQ((*w)->RecordIntent({2, "k2", 1}).code(), Status::Code::kIOError);  // sync 2 fails
  // Nothing more is accepted, even once syncs would work again.
  EXPECT_EQ((*w)->RecordEnd({RunEnd::Result::kFailed, ""}).code(), Status::Code::kIOError);
  EXPECT_EQ(faulty.syncs, 2);
}

TEST_F(JournalTest, UnknownVersionAndCorruptionAreRefused) {
  RunHeader h = Header();
  h.format_version = 99;
  ASSERT_TRUE(FileJournal::Create(PosixFileSystem(), dir_, h).ok());
  auto j = ReadJournal(PosixFileSystem(), dir_, h.run_id);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("version 99"), std::string::npos);

  const RunHeader good = Header();
  const std::string other_dir = dir_ + "/other";
  {
    auto w = FileJournal::Create(PosixFileSystem(), other_dir, good);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->RecordIntent({1, "k1", 1}).ok());
  }
  const std::string path = JournalPath(other_dir, good.run_id);
  std::string bytes = *PosixFileSystem().ReadFile(path);
  bytes[20] ^= 1;  // inside the header's payload, with the intent after it
  ASSERT_TRUE(PosixFileSystem().WriteFileAtomically(path, bytes).ok());
  auto bad = ReadJournal(PosixFileSystem(), other_dir, good.run_id);
  EXPECT_EQ(bad.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(FileJournal::Reopen(PosixFileSystem(), other_dir, good.run_id).status().code(),
            Status::Code::kCorruption);
}

}  // namespace
}  // namespace licmove
