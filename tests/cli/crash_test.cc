// Reliability (DESIGN §5): the licmove binary applying a 30-move plan with
// parks and restored collateral services against a separate portal-sim
// process, killed with SIGKILL at every journal boundary and at random
// points mid-request. After every kill, every key is in the account or named
// by the journal; `licmove resume` then reaches exactly the state an
// uninterrupted run reaches, and `licmove rollback` exactly the state before.
#include <signal.h>

#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "journal/journal.h"
#include "run_fixture.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ChildPortalSim;
using testing::Normalized;
using testing::RunProcess;
using testing::Subprocess;

class CrashTest : public testing::RunFixture {
 protected:
  CrashTest() : RunFixture("crash") {}
};

TEST_F(CrashTest, ResumeFromEveryJournalBoundary) {
  Normalized original, target;
  {
    auto sim = FreshSim("reference");
    original = Read(*sim);
    const std::string state = (dir_ / "state-reference").string();
    ASSERT_EQ(RunProcess(Apply(*sim, state), {}, (dir_ / "reference.log").string()), 0)
        << testing::ReadFileText((dir_ / "reference.log").string());
    target = Read(*sim);
  }
  ASSERT_FALSE(original == target);

  int kills = 0;
  for (int n = 1; n < 1000; ++n) {
    auto sim = FreshSim("kill");
    const std::string state = (dir_ / ("state-" + std::to_string(n))).string();
    const std::string log = (dir_ / ("kill-" + std::to_string(n) + ".log")).string();
    const int code =
        RunProcess(Apply(*sim, state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=" + std::to_string(n)}, log);
    if (code == 0) break;  // the run needed fewer than n journal syncs
    ASSERT_EQ(code, 128 + SIGKILL) << testing::ReadFileText(log);
    ++kills;
    ExpectNoKeyLost(original, Read(*sim), state);
    const std::string run = RunId(state);
    if (n % 3 == 0) {
      // Undo instead: back to exactly the account before the run (the same
      // keys on the same cameras and in the pool; portal ids differ).
      ASSERT_EQ(RunProcess(Rollback(*sim, state, run), {}, log), 0)
          << "killed after sync " << n << ":\n"
          << testing::ReadFileText(log);
      EXPECT_TRUE(Read(*sim) == original) << "rolled back after sync " << n;
    } else {
      ASSERT_EQ(RunProcess(Resume(*sim, state, run), {}, log), 0)
          << "killed after sync " << n << ":\n"
          << testing::ReadFileText(log);
      EXPECT_TRUE(Read(*sim) == target) << "killed after sync " << n;
      if (n % 3 == 1) {
        // A completed run can be undone too.
        ASSERT_EQ(RunProcess(Rollback(*sim, state, run), {}, log), 0) << testing::ReadFileText(log);
        EXPECT_TRUE(Read(*sim) == original) << "rolled back after resume " << n;
      }
    }
    fs::remove_all(state);
  }
  EXPECT_GT(kills, 5);
}

TEST_F(CrashTest, ResumeAfterKillsMidRequest) {
  Normalized original, target;
  {
    auto sim = FreshSim("reference");
    original = Read(*sim);
    ASSERT_EQ(RunProcess(Apply(*sim, (dir_ / "state-ref").string())), 0);
    target = Read(*sim);
  }
  std::mt19937 rng(20261129);
  for (int i = 0; i < 6; ++i) {
    // Latency keeps requests in flight, so a kill lands mid-request.
    auto sim = FreshSim("mid", {"--latency", "3:2"});
    const std::string state = (dir_ / ("state-mid-" + std::to_string(i))).string();
    const std::string log = (dir_ / ("mid-" + std::to_string(i) + ".log")).string();
    auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 400));
    apply->Kill9();
    if (ListRuns(PosixFileSystem(), state)->empty()) continue;  // killed before the journal
    ExpectNoKeyLost(original, Read(*sim), state);
    if (i % 2 == 0) {
      ASSERT_EQ(RunProcess(Resume(*sim, state, RunId(state)), {}, log), 0)
          << testing::ReadFileText(log);
      EXPECT_TRUE(Read(*sim) == target) << "mid-request kill " << i;
    } else {
      ASSERT_EQ(RunProcess(Rollback(*sim, state, RunId(state)), {}, log), 0)
          << testing::ReadFileText(log);
      EXPECT_TRUE(Read(*sim) == original) << "rolled back after mid-request kill " << i;
    }
  }
}

}  // namespace
}  // namespace licmove
