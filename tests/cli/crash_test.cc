// Reliability (DESIGN §5): the licmove binary applying a 30-move plan with
// parks and restored collateral services against a separate portal-sim
// process, killed with SIGKILL at every journal boundary and at random
// points mid-request. After every kill, every key is in the account or named
// by the journal; `licmove resume` then reaches exactly the state an
// uninterrupted run reaches, and `licmove rollback` exactly the state before.
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "fleet_generator.h"
#include "journal/journal.h"
#include "planner/saved_plan.h"
#include "portal/account_reader.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ChildPortalSim;
using testing::RunProcess;
using testing::Subprocess;

const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";

// An account as comparable text: per camera serial its services and keys
// (portal ids differ between runs), and the pool.
struct Normalized {
  std::map<std::string, std::set<std::string>> cameras;
  std::set<std::string> pool;
  std::set<std::string> all_keys;
  bool operator==(const Normalized& o) const { return cameras == o.cameras && pool == o.pool; }
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("licmove-crash-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    FleetGenOptions o;
    o.cameras = 120;
    o.moves = 30;
    o.assigns = 4;
    o.seed = 3;
    const GeneratedFleet g = GenerateFleet(o);
    ASSERT_EQ(g.moves, 30);
    fleet_ = (dir_ / "fleet.yaml").string();
    plan_ = (dir_ / "plan.yaml").string();
    token_ = (dir_ / "token").string();
    std::ofstream(fleet_) << g.fleet_yaml;
    std::ofstream(plan_) << g.plan_yaml;
    std::ofstream(token_) << "admin-secret\n";
  }
  void TearDown() override {
    if (!HasFailure() && !std::getenv("LICMOVE_KEEP_TEST_DIRS")) fs::remove_all(dir_);
  }

  std::unique_ptr<ChildPortalSim> FreshSim(const std::string& name,
                                           const std::vector<std::string>& extra = {}) {
    const std::string state = (dir_ / ("sim-" + name)).string();
    fs::remove_all(state);
    fs::create_directories(state);
    // Ties among interchangeable keys (the plan's assigns) go to the smallest
    // key, so that "the state an uninterrupted run reaches" is one state, not
    // one of several equally right ones.
    std::vector<std::string> args = {"--tie-break", "key"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto sim = ChildPortalSim::Start(fleet_, state, args);
    EXPECT_NE(sim, nullptr);
    return sim;
  }

  Normalized Read(const ChildPortalSim& sim) {
    HttpClientOptions o;
    o.url = *ParsePortalUrl(sim.url(), false);
    o.token = "admin-secret";
    auto snap = ReadAccountBlocking(o, "acme");
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    Normalized n;
    if (!snap.ok()) return n;
    for (const Camera& c : snap->account.cameras) n.cameras[c.serial];
    for (const License& l : snap->account.licenses) {
      n.all_keys.insert(l.key);
      if (l.assigned()) {
        n.cameras[l.assigned_to].insert(l.service + "=" + l.key + (l.auto_renew ? "+renew" : ""));
      } else {
        n.pool.insert(l.key);
      }
    }
    return n;
  }

  std::vector<std::string> Apply(const ChildPortalSim& sim, const std::string& state) {
    return {kLicmove, "apply",       plan_, "--portal", sim.url(),       "--token-file",
            token_,   "--state-dir", state, "--yes",    "--parallelism", "8"};
  }
  std::vector<std::string> Resume(const ChildPortalSim& sim, const std::string& state,
                                  const std::string& run) {
    return {kLicmove,       "resume", run,           "--portal", sim.url(),
            "--token-file", token_,   "--state-dir", state};
  }
  std::vector<std::string> Rollback(const ChildPortalSim& sim, const std::string& state,
                                    const std::string& run) {
    return {kLicmove,       "rollback", run,           "--portal", sim.url(),
            "--token-file", token_,     "--state-dir", state,      "--yes"};
  }

  // The only run under `state`.
  std::string RunId(const std::string& state) {
    auto runs = ListRuns(PosixFileSystem(), state);
    EXPECT_TRUE(runs.ok());
    EXPECT_EQ(runs->size(), 1u);
    return runs->empty() ? "" : runs->front();
  }

  // After a kill: every key of the original account is still in the account
  // or is a key the journaled plan parks (so the journal holds it).
  void ExpectNoKeyLost(const Normalized& original, const Normalized& now,
                       const std::string& state) {
    const std::string run = RunId(state);
    std::set<std::string> journaled;
    if (!run.empty()) {
      auto journal = ReadJournal(PosixFileSystem(), state, run);
      ASSERT_TRUE(journal.ok()) << journal.status().ToString();
      auto saved = LoadSavedPlan(journal->header.plan_json, "journal");
      ASSERT_TRUE(saved.ok()) << saved.status().ToString();
      for (const Op& op : saved->graph.ops()) {
        if (op.kind == OpKind::kPark) journaled.insert(op.key);
      }
    }
    for (const std::string& key : original.all_keys) {
      EXPECT_TRUE(now.all_keys.count(key) || journaled.count(key)) << "lost key " << key;
    }
  }

  fs::path dir_;
  std::string fleet_, plan_, token_;
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

TEST_F(CrashTest, InterruptFinishesInFlightOpsThenResumes) {
  Normalized target;
  {
    auto sim = FreshSim("reference");
    ASSERT_EQ(RunProcess(Apply(*sim, (dir_ / "state-ref").string())), 0);
    target = Read(*sim);
  }
  auto sim = FreshSim("interrupt", {"--latency", "20"});
  const std::string state = (dir_ / "state-int").string();
  const std::string log = (dir_ / "int.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  // Interrupt once ops are being sent (the signal handler is in place then):
  // wait for the journal to hold a few intents, however slow the machine.
  for (int i = 0; i < 2000; ++i) {
    auto runs = ListRuns(PosixFileSystem(), state);
    if (runs.ok() && !runs->empty()) {
      auto j = ReadJournal(PosixFileSystem(), state, runs->front());
      if (j.ok() && j->intents.size() >= 10) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(apply->pid(), SIGINT);
  ASSERT_EQ(apply->Wait(), 130) << testing::ReadFileText(log);
  const std::string out = testing::ReadFileText(log);
  EXPECT_NE(out.find("interrupted; continue with: licmove resume"), std::string::npos) << out;
  // Every op that was sent has its outcome: nothing was left in flight.
  auto journal = ReadJournal(PosixFileSystem(), state, RunId(state));
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->intents.size(), journal->outcomes.size());
  ASSERT_TRUE(journal->end.has_value());
  EXPECT_EQ(journal->end->result, RunEnd::Result::kInterrupted);
  ASSERT_EQ(RunProcess(Resume(*sim, state, RunId(state)), {}, log), 0)
      << testing::ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == target);
}

}  // namespace
}  // namespace licmove
