#include "journal/account_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "journal/file_system.h"

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
  // A process that took the lock and died without releasing it.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = AccountLock::Acquire(dir_, "acme", {HostName(), ::getpid(), 0, "run-dead"});
    ::_exit(lock.ok() ? 0 : 1);  // _exit: no destructor, the lock stays
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
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

TEST_F(AccountLockTest, OfManyTakeOversOfOneStaleLockExactlyOneWins) {
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) {
    auto lock = AccountLock::Acquire(dir_, "acme", {HostName(), ::getpid(), 0, "run-dead"});
    ::_exit(lock.ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(dead, &status, 0), dead);
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
      if (lock.ok()) ::usleep(300 * 1000);  // hold it while the others look
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
