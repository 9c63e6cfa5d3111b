// What a scheduled CI job meets (issue 11): the same apply run again and
// again, after a success, a kill -9, a rollback; plans applied elsewhere; the
// reports and the JSON event stream it reads. Real licmove and portal-sim
// processes; the simulator's /sim/stats counts what was sent.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "planner/saved_plan.h"
#include "run_fixture.h"

namespace licmove::testing {
namespace {

namespace fs = std::filesystem;

class ScheduledRun : public RunFixture {
 protected:
  ScheduledRun() : RunFixture("scheduled") {}

  // Calls that change the account (/api/ POST, PUT, PATCH, DELETE), from
  // the simulator's own count.
  int MutatingCalls(const ChildPortalSim& sim) {
    const boost::json::value stats = boost::json::parse(SimCall(sim, "GET", "/sim/stats"));
    int n = 0;
    for (const auto& [route, statuses] : stats.at("routes").as_object()) {
      const std::string r(route);
      if (r.rfind("GET ", 0) == 0) continue;
      for (const auto& [status, count] : statuses.as_object()) n += count.to_number<int>();
    }
    return n;
  }

  // Runs licmove; the exit code, and its stdout and stderr apart.
  struct Ran {
    int code;
    std::string out;
    std::string err;
  };
  Ran Licmove(std::vector<std::string> argv) {
    const std::string out = (dir_ / "out.txt").string(), err = (dir_ / "err.txt").string();
    std::string cmd;
    for (const std::string& a : argv) cmd += "'" + a + "' ";
    const int status = std::system((cmd + "> " + out + " 2> " + err).c_str());
    return {WEXITSTATUS(status), ReadFileText(out), ReadFileText(err)};
  }
  std::vector<std::string> With(std::vector<std::string> argv,
                                const std::vector<std::string>& more) {
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  }
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(ScheduledRun, ARerunAfterSuccessIsNoChangesAndSendsNothing) {
  auto sim = FreshSim("rerun");
  const std::string state = (dir_ / "state").string();
  ASSERT_EQ(Licmove(Apply(*sim, state)).code, 0);
  const std::string run = RunId(state);
  const Normalized after = Read(*sim);
  const int mutating = MutatingCalls(*sim);
  EXPECT_GT(mutating, 30);

  const Ran again = Licmove(Apply(*sim, state));
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "no changes: " + plan_ + " was applied to account acme by run " + run))
      << again.out;
  EXPECT_EQ(MutatingCalls(*sim), mutating);
  EXPECT_TRUE(Read(*sim) == after);
  EXPECT_EQ(Runs(state).size(), 1u);  // no new run either

  // The dry run agrees: nothing to change.
  const Ran plan = Licmove({kLicmove, "plan", plan_, "--portal", sim->url(), "--token-file", token_,
                            "--state", state, "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan.err;
  EXPECT_TRUE(Has(plan.err, "was applied to account acme by run " + run)) << plan.err;
  EXPECT_EQ(MutatingCalls(*sim), mutating);
}

TEST_F(ScheduledRun, ARerunAfterAKillIsRefusedWithTheResumeCommandOrContinuesWhenTold) {
  const Normalized target = Target();
  auto sim = FreshSim("killed", {"--latency", "5"});
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 20, apply->pid())) << ReadFileText(log);
  apply->Kill9();
  apply->Wait();
  const std::string run = RunId(state);
  const int sent = MutatingCalls(*sim);

  const Ran refused = Licmove(Apply(*sim, state));
  EXPECT_EQ(refused.code, 6) << refused.err;
  EXPECT_TRUE(Has(refused.err, "run " + run)) << refused.err;
  EXPECT_TRUE(Has(refused.err, "is unfinished")) << refused.err;
  EXPECT_TRUE(Has(refused.err, "licmove resume " + run + " --portal " + sim->url())) << refused.err;
  EXPECT_TRUE(Has(refused.err, "--resume-unfinished")) << refused.err;
  EXPECT_FALSE(Has(refused.err, "is not in account")) << refused.err;
  EXPECT_EQ(MutatingCalls(*sim), sent);

  const Ran resumed = Licmove(With(Apply(*sim, state), {"--resume-unfinished"}));
  EXPECT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_TRUE(Has(resumed.err, "continuing unfinished run " + run)) << resumed.err;
  EXPECT_TRUE(Read(*sim) == target);
  EXPECT_EQ(Runs(state).size(), 1u);  // the same run, continued

  // And from then on, the job is green with nothing sent.
  const int done = MutatingCalls(*sim);
  EXPECT_EQ(Licmove(With(Apply(*sim, state), {"--resume-unfinished"})).code, 0);
  EXPECT_EQ(MutatingCalls(*sim), done);
}

TEST_F(ScheduledRun, ARerunAfterARollbackIsRefusedUnlessReapply) {
  auto sim = FreshSim("rolledback");
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  ASSERT_EQ(Licmove(Apply(*sim, state)).code, 0);
  const std::string run = RunId(state);
  const Normalized target = Read(*sim);
  ASSERT_EQ(Licmove(Rollback(*sim, state, run)).code, 0);
  ASSERT_TRUE(Read(*sim) == original);
  const int sent = MutatingCalls(*sim);

  const Ran refused = Licmove(Apply(*sim, state));
  EXPECT_EQ(refused.code, 6) << refused.err;
  EXPECT_TRUE(Has(refused.err, "rolled back by run")) << refused.err;
  EXPECT_TRUE(Has(refused.err, "--reapply")) << refused.err;
  EXPECT_EQ(MutatingCalls(*sim), sent);
  // --resume-unfinished is not a way around it: nothing is unfinished.
  EXPECT_EQ(Licmove(With(Apply(*sim, state), {"--resume-unfinished"})).code, 6);

  const Ran again = Licmove(With(Apply(*sim, state), {"--reapply"}));
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Read(*sim) == target);
  EXPECT_EQ(Runs(state).size(), 3u);
}

TEST_F(ScheduledRun, AReformattedPlanIsTheSamePlanAndAChangedKeyIsNot) {
  auto sim = FreshSim("identity");
  const std::string state = (dir_ / "state").string();
  ASSERT_EQ(Licmove(Apply(*sim, state)).code, 0);
  const int sent = MutatingCalls(*sim);

  // Comments and blank lines added; each move written in block style,
  // its keys in another order, its values quoted.
  const std::string text = ReadFileText(plan_);
  const std::regex flow_move(
      "^  - \\{from: (\\S+), to: (\\S+), service: (\\S+), key: ([A-Za-z0-9-]+)\\}$");
  std::string reformatted = "# reformatted by a person\n\n";
  std::istringstream lines(text);
  int rewritten = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch f;
    if (std::regex_match(line, f, flow_move)) {
      reformatted += "  -   key: \"" + f[4].str() + "\"   # the guard\n      service: '" +
                     f[3].str() + "'\n      to: " + f[2].str() + "\n      from: " + f[1].str() +
                     "\n\n";
      ++rewritten;
    } else {
      reformatted += line + "\n";
    }
  }
  ASSERT_EQ(rewritten, 30) << text;
  const std::string same = (dir_ / "same.yaml").string();
  std::ofstream(same) << reformatted;
  std::vector<std::string> argv = Apply(*sim, state);
  argv[2] = same;
  const Ran rerun = Licmove(argv);
  EXPECT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_TRUE(Has(rerun.out, "no changes")) << rerun.out;
  EXPECT_EQ(MutatingCalls(*sim), sent);

  // One key changed: another plan, planned against the account as it is.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("key: ([A-Za-z0-9-]+)")));
  const std::string changed = (dir_ / "changed.yaml").string();
  std::ofstream(changed) << std::regex_replace(text, std::regex("key: " + m[1].str()),
                                               "key: NO-SUCH-KEY",
                                               std::regex_constants::format_first_only);
  argv[2] = changed;
  const Ran other = Licmove(argv);
  EXPECT_EQ(other.code, 3) << other.err;
  EXPECT_FALSE(Has(other.out, "no changes")) << other.out;
  EXPECT_TRUE(Has(other.err, "see licmove runs")) << other.err;
  EXPECT_EQ(MutatingCalls(*sim), sent);
}

// Applied by another state (another tool, by hand): no ledger entry, but the
// key guards show every move done.
TEST_F(ScheduledRun, KeyGuardedMovesFoundDoneAreReportedAlreadyDone) {
  fleet_ = LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml";
  plan_ = LICMOVE_SOURCE_DIR "/plans/move.yaml";
  auto sim = FreshSim("elsewhere");
  ASSERT_EQ(Licmove(Apply(*sim, (dir_ / "first").string())).code, 0);
  const int sent = MutatingCalls(*sim);

  const std::string junit = (dir_ / "junit.xml").string();
  const Ran other =
      Licmove(With(Apply(*sim, (dir_ / "second").string()), {"--report-junit", junit}));
  EXPECT_EQ(other.code, 0) << other.err;
  EXPECT_TRUE(Has(other.out, "already done: " + plan_ + ":12:5: AM-5Y-0001 is on CAM-0007"))
      << other.out;
  EXPECT_TRUE(Has(other.out, "no changes: every move of")) << other.out;
  EXPECT_EQ(MutatingCalls(*sim), sent);
  const std::string xml = ReadFileText(junit);
  EXPECT_TRUE(Has(xml, "tests=\"1\" failures=\"0\"")) << xml;
  EXPECT_TRUE(Has(xml, "already done")) << xml;
}

// A move from a moves_csv file is reported at its CSV row, in the reports as
// in the errors.
TEST_F(ScheduledRun, AMoveFromACsvFileIsReportedAtItsRow) {
  const std::string junit = (dir_ / "junit.xml").string();
  const Ran ran = Licmove({kLicmove, "apply", LICMOVE_SOURCE_DIR "/plans/swaps.yaml", "--portal",
                           "sim://" LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml", "--state",
                           (dir_ / "state").string(), "--yes", "--report-junit", junit});
  ASSERT_EQ(ran.code, 0) << ran.err;
  const std::string xml = ReadFileText(junit);
  EXPECT_TRUE(Has(xml, "move CAM-0002 -&gt; CAM-0003 alarm-management (" LICMOVE_SOURCE_DIR
                       "/plans/swaps.csv:2:1)"))
      << xml;
  EXPECT_FALSE(Has(xml, "swaps.yaml:2:1")) << xml;
}

TEST_F(ScheduledRun, TheJsonLogIsPureJsonLinesFromRunStartedToRunFinished) {
  auto sim = FreshSim("json");
  const std::string state = (dir_ / "state").string();
  const Ran ran = Licmove(With(Apply(*sim, state), {"--log-format", "json"}));
  ASSERT_EQ(ran.code, 0) << ran.err;
  std::istringstream lines(ran.out);
  std::vector<boost::json::object> events;
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_TRUE(v.is_object()) << line;
    ASSERT_TRUE(v.as_object().contains("event")) << line;
    EXPECT_EQ(v.at("format_version").as_int64(), 1) << line;
    events.push_back(v.as_object());
  }
  ASSERT_GE(events.size(), 3u);
  const boost::json::object& started = events.front();
  EXPECT_EQ(started.at("event").as_string(), "run_started");
  const std::string run = RunId(state);
  EXPECT_EQ(started.at("run_id").as_string(), run);
  EXPECT_EQ(started.at("account").as_string(), "acme");
  EXPECT_TRUE(started.at("plan_hash").as_string().starts_with("sha256:"));
  EXPECT_EQ(started.at("state_backend").as_string(), state);
  const std::int64_t calls = started.at("calls").as_int64();
  EXPECT_GT(started.at("critical_path").as_int64(), 0);

  std::int64_t finished_ops = 0;
  int reconciliations = 0;
  for (const auto& e : events) {
    finished_ops += e.at("event").as_string() == "op_finished";
    reconciliations += e.at("event").as_string() == "reconciliation";
  }
  EXPECT_EQ(finished_ops, calls);
  EXPECT_EQ(reconciliations, 1);
  const boost::json::object& finished = events.back();
  EXPECT_EQ(finished.at("event").as_string(), "run_finished");
  EXPECT_EQ(finished.at("result").as_string(), "completed");
  EXPECT_EQ(finished.at("calls_done").as_int64(), calls);
  EXPECT_EQ(finished.at("exit_code").as_int64(), 0);
  EXPECT_GE(finished.at("wall_seconds").as_double(), 0.0);
  // What is for people went to stderr.
  EXPECT_TRUE(Has(ran.err, "reconciliation: the account matches the plan")) << ran.err;

  // A re-run says so in one event, and nothing else.
  const Ran again = Licmove(With(Apply(*sim, state), {"--log-format", "json"}));
  ASSERT_EQ(again.code, 0);
  const boost::json::value only = boost::json::parse(again.out);
  EXPECT_EQ(only.at("event").as_string(), "no_changes");
}

TEST_F(ScheduledRun, TheReportsOfAnInterruptedRunFailAndSkipWhatItDidNotDo) {
  auto sim = FreshSim("reports", {"--latency", "5"});
  const std::string state = (dir_ / "state").string();
  const std::string junit = (dir_ / "junit.xml").string(), md = (dir_ / "summary.md").string();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(
      With(Apply(*sim, state), {"--report-junit", junit, "--report-markdown", md}), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 20, apply->pid())) << ReadFileText(log);
  ::kill(apply->pid(), SIGINT);
  ASSERT_EQ(apply->Wait(), 130) << ReadFileText(log);

  const std::string xml = ReadFileText(junit);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(xml, m,
                                std::regex("<testsuite [^>]*tests=\"(\\d+)\"[^>]*"
                                           "skipped=\"(\\d+)\"")))
      << xml;
  // One test case per intent: each activation of the journaled plan (a
  // move, an assigned camera or a restored service).
  auto journal = OpenStateOf(state)->ReadJournal(RunId(state));
  ASSERT_TRUE(journal.ok());
  auto saved = LoadSavedPlan(journal->header.plan_json, "journal");
  ASSERT_TRUE(saved.ok());
  int activations = 0;
  for (const Op& op : saved->graph.ops()) activations += op.kind == OpKind::kActivate;
  EXPECT_GE(activations, 34);  // 30 moves, 4+ assigned cameras, restorations
  // And one for the run itself, which did not complete.
  EXPECT_EQ(std::stoi(m[1]), activations + 1) << xml;
  EXPECT_GT(std::stoi(m[2]), 0) << "an interrupted run left intents not run";
  EXPECT_EQ(RunProcess({"/usr/bin/xmllint", "--noout", "--schema",
                        LICMOVE_SOURCE_DIR "/tests/report/junit.xsd", junit},
                       {}, (dir_ / "xmllint.log").string()),
            0)
      << ReadFileText((dir_ / "xmllint.log").string());
  const std::string summary = ReadFileText(md);
  EXPECT_LT(summary.size(), 65000u);
  EXPECT_TRUE(Has(summary, "licmove resume " + RunId(state))) << summary;
}

}  // namespace
}  // namespace licmove::testing
