#include "run_fixture.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "fleet_generator.h"
#include "journal/file_journal.h"
#include "planner/saved_plan.h"
#include "portal/account_reader.h"
#include "state/state_location.h"

namespace licmove::testing {

namespace fs = std::filesystem;

void RunFixture::SetUp() {
  dir_ =
      fs::temp_directory_path() / ("licmove-" + name_ + "-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
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

void RunFixture::TearDown() {
  if (!HasFailure() && !std::getenv("LICMOVE_KEEP_TEST_DIRS")) fs::remove_all(dir_);
}

std::unique_ptr<ChildPortalSim> RunFixture::FreshSim(const std::string& name,
                                                     const std::vector<std::string>& extra) {
  const std::string state = (dir_ / ("sim-" + name)).string();
  fs::remove_all(state);
  fs::create_directories(state);
  std::vector<std::string> args = {"--tie-break", "key"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto sim = ChildPortalSim::Start(fleet_, state, args);
  EXPECT_NE(sim, nullptr);
  return sim;
}

Normalized RunFixture::Read(const ChildPortalSim& sim) {
  HttpClientOptions o;
  o.url = *ParsePortalUrl(sim.url(), false);
  o.token = "admin-secret";
  auto snap = ReadAccountBlocking(o, "acme");
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  Normalized n;
  if (!snap.ok()) return n;
  for (const Camera& c : snap->account.cameras) n.cameras[c.serial];
  auto class_of = [](const License& l) {
    return "[" + l.service + " " + std::to_string(l.term_days) + "d " +
           (l.activated_at ? std::to_string(*l.activated_at) : std::string("fresh")) + "]";
  };
  // In the pool only service and term: a rollback puts a bulk assign's keys
  // back with their clocks started, in place of keys that were fresh.
  auto pool_class_of = [](const License& l) {
    return "[" + l.service + " " + std::to_string(l.term_days) + "d]";
  };
  std::map<std::string, int> in_class;
  for (const License& l : snap->account.licenses) {
    ++in_class[l.assigned() ? class_of(l) : pool_class_of(l)];
  }
  for (const License& l : snap->account.licenses) {
    n.all_keys.insert(l.key);
    const std::string cls = l.assigned() ? class_of(l) : pool_class_of(l);
    const std::string name = in_class[cls] > 1 ? cls : l.key;
    if (l.assigned()) {
      n.cameras[l.assigned_to].insert(l.service + "=" + name + (l.auto_renew ? "+renew" : ""));
    } else {
      n.pool.insert(name);
    }
  }
  return n;
}

Normalized RunFixture::Target() {
  auto sim = FreshSim("reference");
  const std::string log = (dir_ / "reference.log").string();
  EXPECT_EQ(RunProcess(Apply(*sim, (dir_ / "state-reference").string()), {}, log), 0)
      << ReadFileText(log);
  return Read(*sim);
}

std::vector<std::string> RunFixture::Apply(const ChildPortalSim& sim, const std::string& state) {
  return {kLicmove, "apply",   plan_, "--portal", sim.url(),       "--token-file",
          token_,   "--state", state, "--yes",    "--parallelism", "8"};
}

std::vector<std::string> RunFixture::Resume(const ChildPortalSim& sim, const std::string& state,
                                            const std::string& run) {
  return {kLicmove, "resume", run, "--portal", sim.url(), "--token-file", token_, "--state", state};
}

std::vector<std::string> RunFixture::Rollback(const ChildPortalSim& sim, const std::string& state,
                                              const std::string& run) {
  return {kLicmove,       "rollback", run,       "--portal", sim.url(),
          "--token-file", token_,     "--state", state,      "--yes"};
}

std::unique_ptr<StateBackend> RunFixture::OpenStateOf(const std::string& state) {
  auto opened = OpenStateBackend(state, PosixFileSystem());
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(opened.value()) : nullptr;
}

std::vector<std::string> RunFixture::Runs(const std::string& state) {
  std::vector<std::string> ids;
  auto backend = OpenStateOf(state);
  if (!backend) return ids;
  auto runs = backend->ListRuns();
  EXPECT_TRUE(runs.ok());
  if (runs.ok()) {
    for (const RunInfo& r : *runs) ids.push_back(r.run_id);
  }
  return ids;
}

std::string RunFixture::RunId(const std::string& state) {
  const std::vector<std::string> runs = Runs(state);
  EXPECT_FALSE(runs.empty());
  return runs.empty() ? "" : runs.front();
}

bool RunFixture::WaitForIntents(const std::string& state, std::size_t n, pid_t pid) {
  std::unique_ptr<StateBackend> backend;
  for (int i = 0; i < 4000; ++i) {
    // A directory that does not exist yet is a backend with no runs.
    if (!backend) backend = OpenStateOf(state);
    auto runs = backend ? backend->ListRuns() : Result<std::vector<RunInfo>>(Status::Ok());
    if (backend && runs.ok() && !runs->empty()) {
      auto j = backend->ReadJournal(runs->front().run_id);
      if (j.ok() && j->intents.size() >= n) return true;
    }
    if (::kill(pid, 0) != 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void RunFixture::ExpectNoKeyLost(const Normalized& original, const Normalized& now,
                                 const std::string& state) {
  std::set<std::string> journaled;
  auto backend = OpenStateOf(state);
  ASSERT_NE(backend, nullptr);
  for (const std::string& run : Runs(state)) {
    auto journal = backend->ReadJournal(run);
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

namespace {

// curl with the admin token; what it writes with -w, or the body with -o.
std::string Curl(const fs::path& dir, const ChildPortalSim& sim, const std::string& method,
                 const std::string& target, const std::string& body, bool status_only) {
  const std::string out = (dir / "curl.out").string();
  std::ofstream(out, std::ios::trunc).close();  // RunProcess appends
  // -S only for bodies: with the status alone, the file holds just that.
  std::vector<std::string> argv = {"/usr/bin/curl",
                                   status_only ? "-s" : "-sS",
                                   "-m",
                                   "10",
                                   "-X",
                                   method,
                                   "-H",
                                   "Authorization: Bearer admin-secret"};
  if (!body.empty()) {
    argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data", body});
  }
  if (status_only) {
    argv.insert(argv.end(), {"-o", "/dev/null", "-w", "%{http_code}"});
  } else {
    argv.insert(argv.end(), {"-o", out});
  }
  argv.push_back(sim.url() + target);
  const int code = RunProcess(argv, {}, status_only ? out : "");
  if (!status_only) {
    EXPECT_EQ(code, 0) << method << " " << target;
  }
  return ReadFileText(out);
}

}  // namespace

std::string RunFixture::SimCall(const ChildPortalSim& sim, const std::string& method,
                                const std::string& target, const std::string& body) {
  return Curl(dir_, sim, method, target, body, /*status_only=*/false);
}

std::string RunFixture::SimStatus(const ChildPortalSim& sim, const std::string& method,
                                  const std::string& target) {
  const std::string out = Curl(dir_, sim, method, target, "", /*status_only=*/true);
  return out.substr(0, 3);
}

}  // namespace licmove::testing
