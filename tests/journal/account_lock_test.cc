#include "journal/account_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "journal/file_system.h"
#include "journal/journal.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;

class AccountLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("licmove-lock-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  LockOwner Me() { return {HostName(), ::getpid(), 1795990981, "run-1"}; }
  // A child process takes the lock for `run`, journals its header (and,
  // with `completed`, its end) and dies holding the lock.
  void StartRunThenDie(const std::string& run, bool journaled = true, bool completed = false) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto lock = AccountLock::Acquire(dir_, "acme", {HostName(), ::getpid(), 0, run});
      if (!lock.ok()) ::_exit(1);
      if (journaled) {
        RunHeader h;
        h.run_id = run;
        h.account = "acme";
        auto journal = JournalWriter::Create(PosixFileSystem(), dir_, h);
        if (!journal.ok()) ::_exit(2);
        if (completed && !(*journal)->RecordEnd(RunEnd{}).ok()) ::_exit(3);
      }
      ::_exit(0);  // _exit: no destructor, the lock stays
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
  std::string dir_;
};

TEST_F(AccountLockTest, SecondAcquireIsRefusedAndNamesTheOwner) {
  auto first = AccountLock::Acquire(dir_, "acme", Me());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = AccountLock::Acquire(dir_, "acme", {HostName(), ::getpid(), 0, "run-2"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kConflict);
  EXPECT_NE(second.status().message().find("run-1"), std::string::npos);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  // Another account is independent.
  EXPECT_TRUE(AccountLock::Acquire(dir_, "globex", Me()).ok());
}

TEST_F(AccountLockTest, ReleasedOnDestruction) {
  {
    auto lock = AccountLock::Acquire(dir_, "acme", Me());
    ASSERT_TRUE(lock.ok());
  }
  EXPECT_FALSE(PosixFileSystem().Exists(LockPath(dir_, "acme")));
  EXPECT_TRUE(AccountLock::Acquire(dir_, "acme", Me()).ok());
}

TEST_F(AccountLockTest, StaleLockIsReportedWithHowToClearIt) {
  // A process that took the lock, journaled a run and died without
  // releasing it.
  StartRunThenDie("run-dead");
  auto again = AccountLock::Acquire(dir_, "acme", Me());
  ASSERT_FALSE(again.ok());
  const std::string& m = again.status().message();
  EXPECT_NE(m.find("stale"), std::string::npos) << m;
  EXPECT_NE(m.find("rm " + LockPath(dir_, "acme")), std::string::npos) << m;
  EXPECT_NE(m.find("run-dead"), std::string::npos) << m;
  // Resuming (or rolling back) the dead run takes its stale lock over; any
  // other run still may not.
  EXPECT_FALSE(AccountLock::Acquire(dir_, "acme", Me(), "run-other").ok());
  auto resumed = AccountLock::Acquire(dir_, "acme", Me(), "run-dead");
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_FALSE(AccountLock::Acquire(dir_, "acme", Me(), "run-dead").ok());  // live owner now
}

TEST_F(AccountLockTest, AStaleLockOfARunThatLeftNothingToFinishIsTakenOver) {
  // Died before its journal's first record: nothing of it exists.
  StartRunThenDie("run-never-started", /*journaled=*/false);
  auto taken = AccountLock::Acquire(dir_, "acme", Me());
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  taken->reset();
  // Died after its journal said it completed (say, in its final read).
  StartRunThenDie("run-completed", /*journaled=*/true, /*completed=*/true);
  taken = AccountLock::Acquire(dir_, "acme", Me());
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
}

TEST_F(AccountLockTest, OfManyTakeOversOfOneStaleLockExactlyOneWins) {
  StartRunThenDie("run-dead");
  int status = 0;
  // Eight rollbacks of the dead run, released at once by closing a pipe:
  // deciding "stale" and taking over must be one step, or several win.
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  std::vector<pid_t> takers;
  for (int i = 0; i < 8; ++i) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(gate[1]);
      char c;
      (void)!::read(gate[0], &c, 1);  // returns when the parent closes its end
      auto lock = AccountLock::Acquire(
          dir_, "acme", {HostName(), ::getpid(), 0, "rollback-" + std::to_string(i)}, "run-dead");
      if (lock.ok()) {
        // Journaled, as a rollback is before it sends anything: a late
        // taker then finds a stale lock of a run with work to finish.
        RunHeader h;
        h.run_id = "rollback-" + std::to_string(i);
        h.account = "acme";
        if (!JournalWriter::Create(PosixFileSystem(), dir_, h).ok()) ::_exit(2);
        ::usleep(300 * 1000);  // hold it while the others look
      }
      ::_exit(lock.ok() ? 0 : 1);
    }
    takers.push_back(child);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  int winners = 0;
  for (pid_t child : takers) {
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    winners += WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  EXPECT_EQ(winners, 1);
}

}  // namespace
}  // namespace licmove
