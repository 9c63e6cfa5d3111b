// Runs whose state lives in PostgreSQL (DESIGN §6, docs/STATE.md), end to end:
// the real licmove binary against a portal-sim process and a throwaway
// PostgreSQL server. "Machines" are processes with their own local state
// directories; "another machine" runs in its own pid namespace (unshare), so
// that its process ids mean nothing here and only its lease can say whether
// it is alive, as for a runner on another host.
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "fleet_generator.h"
#include "pg_environment.h"
#include "run_fixture.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ChildPortalSim;
using testing::kLicmove;
using testing::Normalized;
using testing::ReadFileText;
using testing::RunProcess;
using testing::Subprocess;

const auto* const kPgEnvironment = ::testing::AddGlobalTestEnvironment(new testing::PgEnvironment);

class PgState : public testing::RunFixture {
 protected:
  PgState() : RunFixture("pgstate") {}

  void SetUp() override {
    RunFixture::SetUp();
    ASSERT_NE(Pg(), nullptr);
  }
  static testing::PgServer* Pg() { return testing::PgEnvironment::Server(); }
  // A schema of its own for each test, named after it (the server is shared
  // when the binary runs all its tests in one process).
  static std::string State(const std::string& suffix = "runs") {
    std::string schema;
    for (const char c :
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        schema += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return Pg()->Url() + "&schema=" + schema.substr(0, 40) + "_" + suffix;
  }
  // The environment of a process on machine `which`: its own local state.
  std::vector<std::string> Machine(const std::string& which, std::vector<std::string> env = {}) {
    env.push_back("XDG_STATE_HOME=" + (dir_ / ("machine-" + which)).string());
    return env;
  }
  // `argv` as another host would run it: in a pid namespace of its own,
  // under a shell (the namespace's first process ignores even its own
  // SIGKILL, which the crash points raise). Without root, in a user
  // namespace too (as root not: its root could not reach the server's
  // socket, which belongs to the postgres user).
  static std::vector<std::string> Unshare() {
    if (::geteuid() == 0) return {"/usr/bin/unshare", "--pid", "--fork"};
    return {"/usr/bin/unshare", "--user", "--map-root-user", "--pid", "--fork"};
  }
  static std::vector<std::string> OnAnotherHost(std::vector<std::string> argv) {
    std::vector<std::string> wrapped = Unshare();
    wrapped.insert(wrapped.end(), {"/bin/sh", "-c", "\"$@\"; exit $?", "sh"});
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
  }
  // util-linux's unshare is in every Debian; a kernel without user
  // namespaces would make the "another host" tests fail here, saying so.
  static bool CanUnshare() {
    std::vector<std::string> argv = Unshare();
    argv.push_back("true");
    return RunProcess(argv) == 0;
  }
  std::vector<std::string> WithLease(std::vector<std::string> argv, int seconds) {
    argv.insert(argv.end(), {"--lock-lease", std::to_string(seconds)});
    return argv;
  }
  // A new, empty log for the next command (RunProcess appends), and the
  // last one handed out.
  std::string Fresh(const std::string& name) {
    last_log_ = (dir_ / (name + "-" + std::to_string(++logs_) + ".log")).string();
    return last_log_;
  }
  std::string Last() const { return ReadFileText(last_log_); }
  std::optional<LockRecord> LockOf(const std::string& state, const std::string& account) {
    auto backend = OpenStateOf(state);
    if (!backend) return std::nullopt;
    auto view = backend->ReadLock(account);
    EXPECT_TRUE(view.ok());
    return view.ok() ? view->lock : std::nullopt;
  }
  // Stops licmove's database connections (application_name=licmove), as an
  // administrator or a failover would.
  void TerminateLicmoveConnections() {
    Pg()->Psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        "'licmove'");
  }
  // An apply stopped because its database went away: it stops sending,
  // says how to go on, and a resume from another machine reaches the target.
  void ExpectStoppedSafelyThenResumed(Subprocess& apply, const ChildPortalSim& sim,
                                      const std::string& state, const Normalized& original,
                                      const Normalized& target, const std::string& log) {
    const int code = apply.Wait();
    const std::string out = ReadFileText(log);
    EXPECT_NE(code, 0) << out;
    EXPECT_NE(code, 128 + SIGKILL) << out;
    EXPECT_NE(out.find("licmove resume"), std::string::npos) << out;
    ExpectNoKeyLost(original, Read(sim), state);
    const std::string resume_log = (dir_ / "resume.log").string();
    ASSERT_EQ(RunProcess(Resume(sim, state, RunId(state)), Machine("b"), resume_log), 0)
        << ReadFileText(resume_log);
    EXPECT_TRUE(Read(sim) == target);
  }

  int logs_ = 0;
  std::string last_log_;
};

TEST_F(PgState, TwoMachinesApplyingOneAccountExactlyOneRuns) {
  const Normalized target = Target();
  auto sim = FreshSim("two", {"--latency", "20"});
  const std::string state = State();
  const std::string log_a = (dir_ / "a.log").string(), log_b = (dir_ / "b.log").string();
  auto a = Subprocess::Start(Apply(*sim, state), Machine("a"), log_a);
  auto b = Subprocess::Start(Apply(*sim, state), Machine("b"), log_b);
  const int code_a = a->Wait(), code_b = b->Wait();
  ASSERT_TRUE((code_a == 0 && code_b == 5) || (code_a == 5 && code_b == 0))
      << code_a << ":\n"
      << ReadFileText(log_a) << "\n"
      << code_b << ":\n"
      << ReadFileText(log_b);
  // The one refused named the owner, and never read the account or planned.
  const std::string refused = ReadFileText(code_a == 5 ? log_a : log_b);
  EXPECT_NE(refused.find("account acme is locked by run " + RunId(state)), std::string::npos)
      << refused;
  EXPECT_EQ(refused.find("licmove plan"), std::string::npos) << refused;
  EXPECT_EQ(Runs(state).size(), 1u);
  EXPECT_TRUE(Read(*sim) == target);
  EXPECT_FALSE(LockOf(state, "acme").has_value());
}

TEST_F(PgState, TwoAccountsRunSideBySide) {
  const Normalized target = Target();
  // A second account on a second portal, with its own plan.
  FleetGenOptions o;
  o.cameras = 60;
  o.moves = 10;
  o.seed = 5;
  o.account = "globex";
  const GeneratedFleet g = GenerateFleet(o);
  const std::string fleet2 = (dir_ / "globex.yaml").string();
  const std::string plan2 = (dir_ / "globex-plan.yaml").string();
  std::ofstream(fleet2) << g.fleet_yaml;
  std::ofstream(plan2) << g.plan_yaml;
  fs::create_directories(dir_ / "sim-globex");
  auto sim2 = ChildPortalSim::Start(fleet2, (dir_ / "sim-globex").string(), {"--tie-break", "key"});
  ASSERT_NE(sim2, nullptr);

  auto sim = FreshSim("acme", {"--latency", "20"});
  const std::string state = State();
  const std::string log = (dir_ / "acme.log").string();
  auto first = Subprocess::Start(Apply(*sim, state), Machine("a"), log);
  ASSERT_TRUE(WaitForIntents(state, 2, first->pid())) << ReadFileText(log);
  // While acme's run holds acme's lock, globex's run takes globex's.
  ASSERT_TRUE(LockOf(state, "acme").has_value());
  const std::string log2 = (dir_ / "globex.log").string();
  EXPECT_EQ(RunProcess({kLicmove, "apply", plan2, "--portal", sim2->url(), "--token-file", token_,
                        "--state", state, "--yes"},
                       Machine("b"), log2),
            0)
      << ReadFileText(log2);
  EXPECT_EQ(first->Wait(), 0) << ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == target);
  // Both ran to the end, each under its own account's lock.
  ASSERT_EQ(RunProcess({kLicmove, "runs", "--state", state}, {}, log2), 0);
  const std::string runs = ReadFileText(log2);
  for (const std::string account : {"acme", "globex"}) {
    const std::size_t at = runs.find("  apply  " + account + "  ");
    ASSERT_NE(at, std::string::npos) << runs;
    const std::string line = runs.substr(at, runs.find('\n', at) - at);
    EXPECT_NE(line.find(" ops  completed"), std::string::npos) << line;
  }
  EXPECT_FALSE(LockOf(state, "acme").has_value());
  EXPECT_FALSE(LockOf(state, "globex").has_value());
}

TEST_F(PgState, ALiveLeaseIsNeverTakenAnExpiredOneIsTakenOverByResume) {
  ASSERT_TRUE(CanUnshare()) << "unshare --user --pid failed: no way to play another host";
  const Normalized target = Target();
  auto sim = FreshSim("lease");
  const Normalized original = Read(*sim);
  const std::string state = State();
  const std::string log = (dir_ / "apply.log").string();
  // Killed on another host, holding a 12-second lease nobody renews: long
  // enough that the two commands below run inside it even under TSan on a
  // busy machine (3 s was not).
  const int killed = RunProcess(OnAnotherHost(WithLease(Apply(*sim, state), 12)),
                                Machine("a", {"LICMOVE_TEST_KILL_AFTER_SYNCS=8"}), log);
  ASSERT_EQ(killed, 128 + SIGKILL) << ReadFileText(log);
  const std::string run = RunId(state);
  ASSERT_TRUE(LockOf(state, "acme").has_value());
  ExpectNoKeyLost(original, Read(*sim), state);

  // Until the lease runs out, nothing here can know that host is gone.
  EXPECT_EQ(RunProcess(Resume(*sim, state, run), Machine("b"), Fresh("cmd")), 5) << Last();
  EXPECT_NE(Last().find("account acme is locked by run " + run), std::string::npos) << Last();
  EXPECT_EQ(RunProcess({kLicmove, "unlock", "acme", "--state", state, "--yes"}, {}, Fresh("cmd")),
            5)
      << Last();
  EXPECT_NE(Last().find("lease is live"), std::string::npos) << Last();
  ASSERT_TRUE(LockOf(state, "acme").has_value());

  // Then the same run's resume takes it over and finishes.
  std::this_thread::sleep_for(std::chrono::milliseconds(12500));
  ASSERT_EQ(RunProcess(Resume(*sim, state, run), Machine("b"), Fresh("cmd")), 0) << Last();
  EXPECT_TRUE(Read(*sim) == target);
  EXPECT_FALSE(LockOf(state, "acme").has_value());
}

TEST_F(PgState, UnlockShowsTheOwnerAsksAndClearsOnlyAStaleLock) {
  ASSERT_TRUE(CanUnshare()) << "unshare --user --pid failed: no way to play another host";
  const Normalized target = Target();
  auto sim = FreshSim("unlock");
  const std::string state = State();
  const std::string log = (dir_ / "apply.log").string();
  ASSERT_EQ(RunProcess(OnAnotherHost(WithLease(Apply(*sim, state), 2)),
                       Machine("a", {"LICMOVE_TEST_KILL_AFTER_SYNCS=5"}), log),
            128 + SIGKILL)
      << ReadFileText(log);
  const std::string run = RunId(state);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));

  // Another apply of the plan is refused, with the way out: the ledger shows
  // the run unfinished, and its lock is stale (docs/CI.md).
  EXPECT_EQ(RunProcess(Apply(*sim, state), Machine("b"), Fresh("cmd")), 6) << Last();
  EXPECT_NE(Last().find("licmove resume " + run), std::string::npos) << Last();
  EXPECT_NE(Last().find("--resume-unfinished"), std::string::npos) << Last();
  // No terminal and no --yes: shown, not cleared.
  EXPECT_EQ(RunProcess({kLicmove, "unlock", "acme", "--state", state}, {}, Fresh("cmd")), 6)
      << Last();
  const std::string out = Last();
  EXPECT_NE(out.find("account acme is locked by run " + run), std::string::npos) << out;
  EXPECT_NE(out.find("its lease ran out"), std::string::npos) << out;
  EXPECT_NE(out.find("licmove resume " + run), std::string::npos) << out;
  ASSERT_TRUE(LockOf(state, "acme").has_value());
  // Confirmed: cleared; a second unlock finds nothing.
  ASSERT_EQ(RunProcess({kLicmove, "unlock", "acme", "--state", state, "--yes"}, {}, Fresh("cmd")),
            0)
      << Last();
  EXPECT_NE(Last().find("unlocked account acme"), std::string::npos);
  EXPECT_FALSE(LockOf(state, "acme").has_value());
  EXPECT_EQ(RunProcess({kLicmove, "unlock", "acme", "--state", state, "--yes"}, {}, Fresh("cmd")),
            0);
  EXPECT_NE(Last().find("is not locked"), std::string::npos);
  // The run is still there to finish.
  ASSERT_EQ(RunProcess(Resume(*sim, state, run), Machine("b"), Fresh("cmd")), 0) << Last();
  EXPECT_TRUE(Read(*sim) == target);
}

TEST_F(PgState, ATerminatedConnectionStopsTheRunSafely) {
  const Normalized target = Target();
  auto sim = FreshSim("terminated", {"--latency", "20"});
  const Normalized original = Read(*sim);
  const std::string state = State();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), Machine("a"), log);
  ASSERT_TRUE(WaitForIntents(state, 6, apply->pid())) << ReadFileText(log);
  TerminateLicmoveConnections();
  ExpectStoppedSafelyThenResumed(*apply, *sim, state, original, target, log);
}

TEST_F(PgState, AServerRestartStopsTheRunSafely) {
  const Normalized target = Target();
  auto sim = FreshSim("restart", {"--latency", "20"});
  const Normalized original = Read(*sim);
  const std::string state = State();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), Machine("a"), log);
  ASSERT_TRUE(WaitForIntents(state, 6, apply->pid())) << ReadFileText(log);
  ASSERT_TRUE(Pg()->Restart());
  ExpectStoppedSafelyThenResumed(*apply, *sim, state, original, target, log);
}

TEST_F(PgState, RunsMigratedFromADirectoryAreResumedAndRolledBackFromTheDatabase) {
  const Normalized target = Target();
  auto sim = FreshSim("migrate");
  const Normalized original = Read(*sim);
  const std::string dir_state = (dir_ / "laptop-state").string();
  const std::string log = (dir_ / "apply.log").string();
  ASSERT_EQ(RunProcess(Apply(*sim, dir_state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=10"}, log),
            128 + SIGKILL)
      << ReadFileText(log);
  const std::string run = RunId(dir_state);

  const std::string db = State("team");
  ASSERT_EQ(
      RunProcess({kLicmove, "state", "migrate", "--from", dir_state, "--to", db}, {}, Fresh("cmd")),
      0)
      << Last();
  EXPECT_NE(Last().find(run + "  copied"), std::string::npos) << Last();
  EXPECT_NE(Last().find("1 copied, 0 already there, 0 not copied"), std::string::npos) << Last();
  // Again: nothing copied twice.
  ASSERT_EQ(
      RunProcess({kLicmove, "state", "migrate", "--from", dir_state, "--to", db}, {}, Fresh("cmd")),
      0)
      << Last();
  EXPECT_NE(Last().find("0 copied, 1 already there"), std::string::npos) << Last();

  // The killed run, from the database on another machine: its dead
  // process's lock stayed in the directory, not in the database.
  ExpectNoKeyLost(original, Read(*sim), db);
  ASSERT_EQ(RunProcess(Resume(*sim, db, run), Machine("b"), Fresh("cmd")), 0) << Last();
  EXPECT_TRUE(Read(*sim) == target);
  ASSERT_EQ(RunProcess(Rollback(*sim, db, run), Machine("c"), Fresh("cmd")), 0) << Last();
  EXPECT_TRUE(Read(*sim) == original);
  ASSERT_EQ(
      RunProcess({kLicmove, "status", run, "--state", db, "--format", "json"}, {}, Fresh("cmd")),
      0);
  EXPECT_NE(Last().find("\"rolled_back_by\":\""), std::string::npos) << Last();
}

TEST_F(PgState, TheStateComesFromLicmoveStateAndLibpqsVariables) {
  auto sim = FreshSim("env");
  // The URL names only the database and the schema; libpq's PG* variables
  // give the rest, $LICMOVE_STATE the URL.
  const std::string url = Pg()->Url();
  const std::size_t host_at = url.find("host=") + 5;
  const std::string host = url.substr(host_at, url.find('&', host_at) - host_at);
  const std::vector<std::string> env = {"LICMOVE_STATE=postgres:///postgres?schema=from_env",
                                        "PGHOST=" + host, "PGPORT=5432", "PGUSER=postgres",
                                        "XDG_STATE_HOME=" + (dir_ / "machine-a").string()};
  ASSERT_EQ(RunProcess(
                {kLicmove, "apply", plan_, "--portal", sim->url(), "--token-file", token_, "--yes"},
                env, Fresh("apply")),
            0)
      << Last();
  ASSERT_EQ(Runs(Pg()->Url() + "&schema=from_env").size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ / "machine-a" / "licmove" / "runs"));
  ASSERT_EQ(RunProcess({kLicmove, "runs"}, env, Fresh("runs")), 0) << Last();
  EXPECT_NE(Last().find("  apply  acme  "), std::string::npos) << Last();
  // --help names the default directory.
  ASSERT_EQ(
      RunProcess({kLicmove, "runs", "--help"}, {"XDG_STATE_HOME=/srv/ops-state"}, Fresh("help")),
      0);
  EXPECT_NE(Last().find("/srv/ops-state/licmove"), std::string::npos) << Last();
  // Runs in ./.licmove, the default before, are pointed out, not ignored
  // in silence.
  fs::create_directories(dir_ / "old" / ".licmove" / "runs");
  ASSERT_EQ(RunProcess({"/bin/sh", "-c", "cd \"$1\" && exec \"$2\" runs", "sh",
                        (dir_ / "old").string(), kLicmove},
                       {"XDG_STATE_HOME=" + (dir_ / "machine-b").string()}, Fresh("old")),
            0)
      << Last();
  EXPECT_NE(Last().find("state migrate --from .licmove"), std::string::npos) << Last();
}

TEST_F(PgState, ThePasswordIsNeverPrintedOrStored) {
  auto sim = FreshSim("password");
  // Trust authentication ignores the password; licmove must still hide it.
  std::string state = State("secret");
  state.replace(0, std::string("postgres:///").size(), "postgres://postgres:s3cret-pw@/");
  const std::string log = (dir_ / "all.log").string();
  ASSERT_EQ(RunProcess(Apply(*sim, state), Machine("a"), log), 0) << ReadFileText(log);
  const std::string run = RunId(state);
  ASSERT_EQ(RunProcess({kLicmove, "runs", "--state", state}, {}, log), 0);
  ASSERT_EQ(RunProcess({kLicmove, "status", run, "--state", state}, {}, log), 0);
  ASSERT_EQ(RunProcess({kLicmove, "unlock", "acme", "--state", state}, {}, log), 0);
  EXPECT_EQ(RunProcess({kLicmove, "runs", "--state",
                        "postgres://postgres:s3cret-pw@/postgres?host=/nonexistent&port=1"},
                       {}, log),
            1);
  const std::string out = ReadFileText(log);
  EXPECT_EQ(out.find("s3cret-pw"), std::string::npos) << out;
  EXPECT_NE(out.find("postgres://postgres:***@/"), std::string::npos) << out;
  EXPECT_EQ(Pg()->Psql("SELECT count(*) FROM thepasswordisneverprintedorstored_secret.journal "
                       "WHERE payload LIKE '%s3cret-pw%'"),
            "0\n");
}

}  // namespace
}  // namespace licmove
