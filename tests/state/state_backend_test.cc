// Both state backends, held to one contract (state_backend.h, lock_owner.h):
// the same tests run against a directory and against a throwaway PostgreSQL
// server. No mock of either: real files, a real database.
#include "state/state_backend.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "pg_environment.h"
#include "state/dir_backend.h"
#include "state/lease_keeper.h"
#include "state/pg_backend.h"
#include "state/state_location.h"
#include "state/state_migration.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const auto* const kPgEnvironment = ::testing::AddGlobalTestEnvironment(new testing::PgEnvironment);
testing::PgServer* Pg() {
  return testing::PgEnvironment::Server();
}

// The backend `spec` names (a directory or a postgres URL), or nullptr with
// the reason as a test failure.
std::unique_ptr<StateBackend> OpenSpec(const std::string& spec) {
  auto opened = OpenStateBackend(spec, PosixFileSystem());
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(opened.value()) : nullptr;
}

// "dir" or "pg": every test gets a fresh directory or a fresh schema.
class Backend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
    dir_ = (fs::temp_directory_path() / ("licmove-state-" + name_)).string();
    fs::remove_all(dir_);
    if (GetParam() != "dir") {
      ASSERT_NE(Pg(), nullptr);
    }
    spec_ = GetParam() == "dir" ? dir_ : Pg()->Url() + "&schema=" + name_;
    state_ = Open();
    ASSERT_NE(state_, nullptr);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<StateBackend> Open() { return OpenSpec(spec_); }
  static RunHeader Header(const std::string& run_id, const std::string& kind = "apply",
                          const std::string& parent = "") {
    RunHeader h;
    h.run_id = run_id;
    h.kind = kind;
    h.parent_run = parent;
    h.account = "acme";
    h.plan_identity = "acme:abc";
    h.portal = "http://127.0.0.1:1234";
    h.host = "box";
    h.pid = 42;
    h.started_at = 1795990981;
    h.plan_json = R"({"ops":[]})";
    h.before_json = R"({"parked":["AM-5Y-1"]})";
    return h;
  }
  LockOwner Me(const std::string& run = "run-1") {
    return {HostName(), MachineId(), ::getpid(), 1795990981, run};
  }
  // A child process takes the lock for `run`, journals its header (and,
  // with `completed`, its end) and dies holding the lock.
  void StartRunThenDie(const std::string& run, bool journaled = true, bool completed = false) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto state = Open();
      if (!state) ::_exit(1);
      auto lock = state->AcquireLock("acme", {HostName(), MachineId(), ::getpid(), 0, run}, "",
                                     seconds(60));
      if (!lock.ok()) ::_exit(2);
      if (journaled) {
        auto journal = state->CreateJournal(Header(run));
        if (!journal.ok()) ::_exit(3);
        if (completed && !(*journal)->RecordEnd(RunEnd{}).ok()) ::_exit(4);
      }
      ::_exit(0);  // no destructor: the lock stays
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }

  static inline int counter_ = 0;
  std::string name_, dir_, spec_;
  std::unique_ptr<StateBackend> state_;
};

TEST_P(Backend, JournalRoundTripAndIndex) {
  auto w = state_->CreateJournal(Header("r1"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->RecordIntents({{0, "r1-op0", 1}, {1, "r1-op1", 1}}).ok());
  OpOutcome o;
  o.op = 0;
  o.http_status = 200;
  o.license_key = "AM-5Y-0001";
  ASSERT_TRUE((*w)->RecordOutcome(o).ok());
  ASSERT_TRUE((*w)->Sync().ok());
  w->reset();
  // Reopened (a resume): numbering goes on after what is there.
  auto again = state_->ReopenJournal("r1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  o.op = 1;
  o.result = OpOutcome::Result::kFailed;
  o.message = "409 conflict";
  ASSERT_TRUE((*again)->RecordOutcome(o).ok());
  const auto before_end = std::chrono::system_clock::now();
  ASSERT_TRUE((*again)->RecordEnd({RunEnd::Result::kStopped, "why"}).ok());
  const auto after_end = std::chrono::system_clock::now();

  auto read = state_->ReadJournal("r1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->header.plan_identity, "acme:abc");
  EXPECT_EQ(read->header.before_json, Header("r1").before_json);
  ASSERT_EQ(read->intents.size(), 2u);
  EXPECT_EQ(read->intents[1].idempotency_key, "r1-op1");
  ASSERT_EQ(read->outcomes.size(), 2u);
  EXPECT_EQ(read->outcomes[0].license_key, "AM-5Y-0001");
  EXPECT_EQ(read->outcomes[1].message, "409 conflict");
  ASSERT_TRUE(read->end.has_value());
  EXPECT_EQ(read->end->result, RunEnd::Result::kStopped);
  // The writer stamped the end with the time it was journaled.
  EXPECT_GE(read->end->ended_at,
            std::chrono::duration_cast<seconds>(before_end.time_since_epoch()).count());
  EXPECT_LE(read->end->ended_at,
            std::chrono::duration_cast<seconds>(after_end.time_since_epoch()).count());

  ASSERT_TRUE(state_->CreateJournal(Header("r0-rollback", "rollback", "r1")).ok());
  auto runs = state_->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].run_id, "r0-rollback");
  EXPECT_FALSE((*runs)[0].end.has_value());
  EXPECT_EQ((*runs)[1].run_id, "r1");
  ASSERT_TRUE((*runs)[1].end.has_value());
  EXPECT_EQ((*runs)[1].end->message, "why");
  EXPECT_EQ((*runs)[1].end->ended_at, read->end->ended_at);
  auto rollbacks = FindRollbacksOf(*state_, "r1");
  ASSERT_TRUE(rollbacks.ok());
  ASSERT_EQ(rollbacks->size(), 1u);
  EXPECT_FALSE((*rollbacks)[0].completed);

  auto found = state_->FindRun("r1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->account, "acme");
  auto none = state_->FindRun("nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(state_->ReadJournal("nope").ok());
  EXPECT_EQ(state_->CreateJournal(Header("r1")).status().code(), Status::Code::kConflict);
}

TEST_P(Backend, ASecondLockIsRefusedAndNamesTheOwner) {
  auto first = state_->AcquireLock("acme", Me(), "", seconds(60));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = state_->AcquireLock("acme", Me("run-2"), "", seconds(60));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kConflict);
  EXPECT_NE(second.status().message().find("run run-1"), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  // Another account is independent; a released lock can be taken again.
  EXPECT_TRUE(state_->AcquireLock("globex", Me(), "", seconds(60)).ok());
  first->reset();
  EXPECT_TRUE(state_->AcquireLock("acme", Me("run-3"), "", seconds(60)).ok());
}

TEST_P(Backend, AStaleLockIsTakenOverOnlyByItsRun) {
  StartRunThenDie("run-dead");
  auto again = state_->AcquireLock("acme", Me(), "", seconds(60));
  ASSERT_FALSE(again.ok());
  const std::string& m = again.status().message();
  EXPECT_NE(m.find("stale"), std::string::npos) << m;
  EXPECT_NE(m.find("licmove unlock acme"), std::string::npos) << m;
  EXPECT_NE(m.find("run-dead"), std::string::npos) << m;
  EXPECT_FALSE(state_->AcquireLock("acme", Me(), "run-other", seconds(60)).ok());
  auto resumed = state_->AcquireLock("acme", Me("run-dead"), "run-dead", seconds(60));
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  // Its new owner is alive: nobody takes it, not even the same run.
  EXPECT_FALSE(state_->AcquireLock("acme", Me("run-dead"), "run-dead", seconds(60)).ok());
}

TEST_P(Backend, AStaleLockOfARunThatLeftNothingToFinishIsTakenOver) {
  StartRunThenDie("run-never-started", /*journaled=*/false);
  auto taken = state_->AcquireLock("acme", Me(), "", seconds(60));
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  taken->reset();
  StartRunThenDie("run-completed", /*journaled=*/true, /*completed=*/true);
  taken = state_->AcquireLock("acme", Me(), "", seconds(60));
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
}

TEST_P(Backend, ALiveLeaseIsNeverTakenAnExpiredOneIs) {
  // An owner on another machine: its process cannot be checked, only its
  // lease counts.
  LockOwner elsewhere{"other-host", "other-machine", 1, 1795990981, "run-far"};
  ASSERT_TRUE(state_->CreateJournal(Header("run-far")).ok());
  auto far = state_->AcquireLock("acme", elsewhere, "", seconds(2));
  ASSERT_TRUE(far.ok()) << far.status().ToString();
  const std::string token = (*far)->record().token;
  ASSERT_TRUE((*far)->Renew().ok());
  // Live: refused, even to a resume of the same run.
  auto refused = state_->AcquireLock("acme", Me("run-far"), "run-far", seconds(60));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("Wait for it"), std::string::npos)
      << refused.status().message();
  // Expired (wait past its two seconds): the run's resume takes it over,
  // and the far owner's renewals fail from then on.
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  auto view = state_->ReadLock("acme");
  ASSERT_TRUE(view.ok() && view->lock.has_value());
  EXPECT_NE(StaleReason(*view->lock, view->now).find("lease ran out"), std::string::npos);
  auto taken = state_->AcquireLock("acme", Me("run-far"), "run-far", seconds(60));
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ((*far)->Renew().code(), Status::Code::kConflict);
  EXPECT_EQ(state_->BreakLock("acme", token).code(), Status::Code::kNotFound);
  far->reset();  // its release must not remove the new owner's lock
  auto held = state_->ReadLock("acme");
  ASSERT_TRUE(held.ok() && held->lock.has_value());
  EXPECT_EQ(held->lock->owner.pid, ::getpid());
}

TEST_P(Backend, RenewExtendsTheLeaseAndBreakLockClearsIt) {
  auto lock = state_->AcquireLock("acme", Me(), "", seconds(30));
  ASSERT_TRUE(lock.ok());
  auto before = state_->ReadLock("acme");
  ASSERT_TRUE(before.ok() && before->lock.has_value());
  EXPECT_NEAR(static_cast<double>(before->lock->lease_expires_at - before->now), 30, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE((*lock)->Renew().ok());
  auto after = state_->ReadLock("acme");
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->lock->lease_expires_at, before->lock->lease_expires_at);
  ASSERT_TRUE(state_->BreakLock("acme", after->lock->token).ok());
  EXPECT_FALSE(state_->ReadLock("acme")->lock.has_value());
  EXPECT_EQ((*lock)->Renew().code(), Status::Code::kConflict);  // lost
}

TEST_P(Backend, OfManyTakeOversOfOneStaleLockExactlyOneWins) {
  StartRunThenDie("run-dead");
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  std::vector<pid_t> takers;
  for (int i = 0; i < 6; ++i) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(gate[1]);
      char c;
      (void)!::read(gate[0], &c, 1);  // returns when the parent closes its end
      auto state = Open();
      const std::string run = "rollback-" + std::to_string(i);
      auto lock = state->AcquireLock("acme", {HostName(), MachineId(), ::getpid(), 0, run},
                                     "run-dead", seconds(60));
      if (lock.ok()) {
        // Journaled, as a rollback is before it sends anything: a late
        // taker then finds a stale lock of a run with work to finish.
        if (!state->CreateJournal(Header(run, "rollback", "run-dead")).ok()) ::_exit(2);
        ::usleep(300 * 1000);
      }
      ::_exit(lock.ok() ? 0 : 1);
    }
    takers.push_back(child);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  int winners = 0;
  for (pid_t child : takers) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    winners += WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  EXPECT_EQ(winners, 1);
}

TEST_P(Backend, TheLeaseKeeperRenewsAndFencesTheJournal) {
  auto lock = state_->AcquireLock("acme", Me(), "", seconds(3));
  ASSERT_TRUE(lock.ok());
  auto journal = state_->CreateJournal(Header("run-1"));
  ASSERT_TRUE(journal.ok());
  {
    LeaseKeeper keeper(**lock, seconds(3));
    auto fenced = FenceJournal(std::move(journal.value()), keeper);
    // Kept alive past its length by renewals.
    std::this_thread::sleep_for(std::chrono::milliseconds(4000));
    EXPECT_TRUE(keeper.Check().ok()) << keeper.Check().ToString();
    EXPECT_TRUE(fenced->RecordIntents({{0, "k0", 1}}).ok());
    // Someone breaks the lock: the next renewal finds out, and no intent is
    // written after that.
    auto view = state_->ReadLock("acme");
    ASSERT_TRUE(view.ok() && view->lock.has_value());
    ASSERT_TRUE(state_->BreakLock("acme", view->lock->token).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_FALSE(keeper.Check().ok());
    EXPECT_FALSE(fenced->RecordIntents({{1, "k1", 1}}).ok());
  }
  auto read = state_->ReadJournal("run-1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->intents.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(DirAndPostgres, Backend, ::testing::Values("dir", "pg"),
                         [](const auto& info) { return info.param; });

// --- state migrate: every pair of backends ------------------------------------

// "dir>pg", "pg>dir", "dir>dir": where runs are copied from and to.
class Migration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_NE(Pg(), nullptr);
    const std::string param = GetParam();
    from_ = OpenOne(param.substr(0, param.find('>')), "src");
    to_ = OpenOne(param.substr(param.find('>') + 1), "dst");
    ASSERT_TRUE(from_ && to_);
  }
  void TearDown() override {
    for (const std::string& d : dirs_) fs::remove_all(d);
  }
  std::unique_ptr<StateBackend> OpenOne(const std::string& kind, const std::string& side) {
    const std::string name =
        "m" + std::to_string(::getpid()) + "_" + std::to_string(++counter_) + "_" + side;
    std::string spec;
    if (kind == "dir") {
      spec = (fs::temp_directory_path() / ("licmove-state-" + name)).string();
      fs::remove_all(spec);
      dirs_.push_back(spec);
    } else {
      spec = Pg()->Url() + "&schema=" + name;
    }
    return OpenSpec(spec);
  }
  // A run with intents and outcomes interleaved, ended or not.
  static void WriteRun(StateBackend& state, const std::string& run, bool ended,
                       const std::string& account = "acme") {
    RunHeader h;
    h.run_id = run;
    h.kind = "apply";
    h.account = account;
    h.plan_identity = account + ":" + run;
    h.portal = "http://127.0.0.1:1";
    h.host = "laptop";
    h.pid = 7;
    h.started_at = 1795990981;
    h.plan_json = R"({"ops":[1,2,3]})";
    h.before_json = R"({"parked":["AM-5Y-0001"]})";
    auto w = state.CreateJournal(h);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int op = 0; op < 3; ++op) {
      ASSERT_TRUE((*w)->RecordIntents({{op, run + "-op" + std::to_string(op), 1}}).ok());
      OpOutcome o;
      o.op = op;
      o.http_status = 200;
      o.license_key = "AM-5Y-000" + std::to_string(op);
      ASSERT_TRUE((*w)->RecordOutcome(o).ok());
    }
    if (ended) {
      ASSERT_TRUE((*w)->RecordEnd({RunEnd::Result::kInterrupted, "SIGTERM", 1795991000}).ok());
    } else {
      ASSERT_TRUE((*w)->Sync().ok());
    }
  }
  static MigratedRun::What WhatOf(const MigrationReport& report, const std::string& run) {
    for (const MigratedRun& r : report.runs) {
      if (r.run_id == run) return r.what;
    }
    ADD_FAILURE() << run << " is not in the report";
    return MigratedRun::What::kRefused;
  }

  static inline int counter_ = 0;
  std::vector<std::string> dirs_;
  std::unique_ptr<StateBackend> from_, to_;
};

TEST_P(Migration, CopiesJournalsIntactAndIsSafeToRepeat) {
  WriteRun(*from_, "20261205T100000Z-aaaa", /*ended=*/true);
  WriteRun(*from_, "20261205T110000Z-bbbb", /*ended=*/false);
  // A run still running at the source: its process holds the account lock.
  WriteRun(*from_, "20261205T120000Z-cccc", /*ended=*/false, "busy");
  auto live = from_->AcquireLock(
      "busy", {HostName(), MachineId(), ::getpid(), 0, "20261205T120000Z-cccc"}, "", seconds(60));
  ASSERT_TRUE(live.ok());

  auto report = MigrateRuns(*from_, *to_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->runs.size(), 3u);
  EXPECT_EQ(WhatOf(*report, "20261205T100000Z-aaaa"), MigratedRun::What::kCopied);
  EXPECT_EQ(WhatOf(*report, "20261205T110000Z-bbbb"), MigratedRun::What::kCopied);
  EXPECT_EQ(WhatOf(*report, "20261205T120000Z-cccc"), MigratedRun::What::kRefused);
  EXPECT_NE(report->runs[2].why.find("still running"), std::string::npos) << report->runs[2].why;

  // Record for record what the source holds, and the index agrees.
  for (const std::string run : {"20261205T100000Z-aaaa", "20261205T110000Z-bbbb"}) {
    auto a = from_->ReadJournalRecords(run);
    auto b = to_->ReadJournalRecords(run);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    EXPECT_EQ(a->size(), 1u + 3 * 2 + (run == "20261205T100000Z-aaaa" ? 1 : 0));
    for (std::size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].type, (*b)[i].type);
      EXPECT_EQ((*a)[i].payload, (*b)[i].payload);
    }
  }
  auto runs = to_->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  ASSERT_TRUE((*runs)[0].end.has_value());
  EXPECT_EQ((*runs)[0].end->result, RunEnd::Result::kInterrupted);
  EXPECT_EQ((*runs)[0].end->message, "SIGTERM");
  EXPECT_EQ((*runs)[0].end->ended_at, 1795991000);  // the source's, not the copy's time
  EXPECT_EQ((*runs)[0].plan_identity, "acme:20261205T100000Z-aaaa");
  EXPECT_FALSE((*runs)[1].end.has_value());
  auto journal = to_->ReadJournal("20261205T110000Z-bbbb");
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->outcomes[2].license_key, "AM-5Y-0002");
  EXPECT_EQ(journal->header.before_json, R"({"parked":["AM-5Y-0001"]})");

  // The copy goes on in the destination: a resume appends after it.
  {
    auto w = to_->ReopenJournal("20261205T110000Z-bbbb");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->RecordEnd({RunEnd::Result::kCompleted, ""}).ok());
  }
  // Again, once the busy run stopped: nothing copied twice, the continued
  // run left as it is there.
  live->reset();
  auto again = MigrateRuns(*from_, *to_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(WhatOf(*again, "20261205T100000Z-aaaa"), MigratedRun::What::kAlreadyThere);
  EXPECT_EQ(WhatOf(*again, "20261205T110000Z-bbbb"), MigratedRun::What::kAlreadyThere);
  EXPECT_EQ(WhatOf(*again, "20261205T120000Z-cccc"), MigratedRun::What::kCopied);
  auto continued = to_->ReadJournal("20261205T110000Z-bbbb");
  ASSERT_TRUE(continued.ok() && continued->end.has_value());
  EXPECT_EQ(continued->end->result, RunEnd::Result::kCompleted);
}

TEST_P(Migration, ADifferentRunOfTheSameIdIsNeverOverwritten) {
  WriteRun(*from_, "20261205T100000Z-aaaa", /*ended=*/true);
  WriteRun(*to_, "20261205T100000Z-aaaa", /*ended=*/false, "other");
  auto report = MigrateRuns(*from_, *to_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->runs.size(), 1u);
  EXPECT_EQ(report->runs[0].what, MigratedRun::What::kRefused);
  EXPECT_NE(report->runs[0].why.find("different run"), std::string::npos) << report->runs[0].why;
  auto kept = to_->ReadJournal("20261205T100000Z-aaaa");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->header.account, "other");
  EXPECT_FALSE(kept->end.has_value());
}

TEST_P(Migration, ABrokenImportLeavesNothing) {
  WriteRun(*from_, "20261205T100000Z-aaaa", /*ended=*/true);
  auto records = from_->ReadJournalRecords("20261205T100000Z-aaaa");
  ASSERT_TRUE(records.ok());
  records->push_back(LogRecord{kOutcomeRecord, "not json"});
  EXPECT_FALSE(to_->ImportJournal(*records).ok());
  auto found = to_->FindRun("20261205T100000Z-aaaa");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

INSTANTIATE_TEST_SUITE_P(BackendPairs, Migration, ::testing::Values("dir>pg", "pg>dir", "dir>dir"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.replace(name.find('>'), 1, "_to_");
                           return name;
                         });

TEST(Migration, ACorruptSourceJournalIsReportedNotCopied) {
  const std::string dir =
      (fs::temp_directory_path() / ("licmove-state-corrupt-" + std::to_string(::getpid())))
          .string();
  fs::remove_all(dir);
  auto from = OpenStateBackend(dir, PosixFileSystem());
  ASSERT_TRUE(from.ok());
  RunHeader h;
  h.run_id = "20261205T100000Z-aaaa";
  h.kind = "apply";
  h.account = "acme";
  {
    auto w = (*from)->CreateJournal(h);
    ASSERT_TRUE(w.ok());
    for (int op = 0; op < 3; ++op) ASSERT_TRUE((*w)->RecordIntents({{op, "k", 1}}).ok());
  }
  // A flipped byte in the first intent, with intact records after it.
  {
    const std::string path = JournalPath(dir, h.run_id);
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[EncodeRecord(kHeaderRecord, EncodeHeader(h)).size() + kRecordHeaderSize + 2] ^= 0x20;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  auto to = OpenStateBackend(Pg()->Url() + "&schema=corrupt_src", PosixFileSystem());
  ASSERT_TRUE(to.ok());
  auto report = MigrateRuns(**from, **to);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->runs.size(), 1u);
  EXPECT_EQ(report->runs[0].what, MigratedRun::What::kRefused);
  EXPECT_NE(report->runs[0].why.find("cannot read"), std::string::npos) << report->runs[0].why;
  auto found = (*to)->FindRun(h.run_id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  fs::remove_all(dir);
}

TEST(PgBackend, ASchemaNewerThanKnownIsRefused) {
  ASSERT_NE(Pg(), nullptr);
  const std::string spec = Pg()->Url() + "&schema=from_the_future";
  ASSERT_TRUE(OpenStateBackend(spec, PosixFileSystem()).ok());
  Pg()->Psql("INSERT INTO from_the_future.schema_version VALUES (99)");
  auto refused = OpenStateBackend(spec, PosixFileSystem());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("version 99, newer than this licmove knows"),
            std::string::npos)
      << refused.status().message();
}

TEST(PgBackend, SchemasAreIndependent) {
  ASSERT_NE(Pg(), nullptr);
  auto a = OpenStateBackend(Pg()->Url() + "&schema=team_a", PosixFileSystem());
  auto b = OpenStateBackend(Pg()->Url() + "&schema=team_b", PosixFileSystem());
  ASSERT_TRUE(a.ok() && b.ok());
  LockOwner me{HostName(), MachineId(), ::getpid(), 0, "r"};
  auto la = (*a)->AcquireLock("acme", me, "", seconds(60));
  auto lb = (*b)->AcquireLock("acme", me, "", seconds(60));
  EXPECT_TRUE(la.ok() && lb.ok());
}

TEST(PgLocation, SchemaIsOursPasswordIsNeverShown) {
  auto where = ParsePgLocation(
      "postgres://ops:s3cret@db.example:5433/licmove?sslmode=require&schema=night_ops");
  ASSERT_TRUE(where.ok()) << where.status().ToString();
  EXPECT_EQ(where->schema, "night_ops");
  EXPECT_EQ(
      where->conninfo,
      "postgres://ops:s3cret@db.example:5433/licmove?sslmode=require&application_name=licmove");
  EXPECT_EQ(where->display,
            "postgres://ops:***@db.example:5433/licmove?sslmode=require&schema=night_ops");
  auto pw = ParsePgLocation("postgresql:///?password=s3cret&host=/tmp");
  ASSERT_TRUE(pw.ok());
  EXPECT_EQ(pw->display.find("s3cret"), std::string::npos) << pw->display;
  EXPECT_FALSE(ParsePgLocation("postgres://h/db?schema=Bad-Name").ok());
  EXPECT_EQ(DescribeStateSpec("postgres://u:pw@h/db").find("pw"), std::string::npos);
}

TEST(StateLocation, DefaultsFollowXdgThenHome) {
  ::setenv("XDG_STATE_HOME", "/x/state", 1);
  EXPECT_EQ(DefaultStateDir(), "/x/state/licmove");
  ::unsetenv("XDG_STATE_HOME");
  ::setenv("HOME", "/home/op", 1);
  EXPECT_EQ(DefaultStateDir(), "/home/op/.local/state/licmove");
  ::setenv("LICMOVE_STATE", "postgres:///x", 1);
  EXPECT_EQ(ResolveStateSpec(""), "postgres:///x");
  EXPECT_EQ(ResolveStateSpec("/given"), "/given");
  ::unsetenv("LICMOVE_STATE");
  EXPECT_EQ(ResolveStateSpec(""), "/home/op/.local/state/licmove");
  EXPECT_FALSE(OpenStateBackend("s3://bucket", PosixFileSystem()).ok());
}

}  // namespace
}  // namespace licmove
