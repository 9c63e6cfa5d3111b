// A run is safe under every way it can be stopped, retried or raced
// (issue 9): stop signals finish the ops in flight, a closed stdout never
// stops a run, every portal call licmove makes is retried, the account's lock
// comes before its read and serialises every recovery command, a rolled-back
// run is never resumed, and a run that meets an account changed under it
// stops starting new ops.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "journal/file_journal.h"
#include "planner/saved_plan.h"
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

class RunSafety : public testing::RunFixture {
 protected:
  RunSafety() : RunFixture("safety") {}
};

// --- stop signals -----------------------------------------------------------

class StopSignal : public testing::RunFixture, public ::testing::WithParamInterface<int> {
 protected:
  StopSignal() : RunFixture("signal") {}
};

TEST_P(StopSignal, FinishesInFlightOpsReleasesTheLockThenResumes) {
  const Normalized target = Target();
  auto sim = FreshSim("stopped", {"--latency", "20"});
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 10, apply->pid())) << ReadFileText(log);
  ::kill(apply->pid(), GetParam());
  ASSERT_EQ(apply->Wait(), 130) << ReadFileText(log);
  const std::string out = ReadFileText(log);
  EXPECT_NE(out.find("interrupted; continue with: licmove resume"), std::string::npos) << out;
  // Every op that was sent has its outcome, the end is journaled, and the
  // lock is gone: nothing is left for a stale-lock dance.
  auto journal = ReadJournal(PosixFileSystem(), state, RunId(state));
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->intents.size(), journal->outcomes.size());
  ASSERT_TRUE(journal->end.has_value());
  EXPECT_EQ(journal->end->result, RunEnd::Result::kInterrupted);
  EXPECT_FALSE(fs::exists(LockFile(state)));
  ASSERT_EQ(RunProcess(Resume(*sim, state, RunId(state)), {}, log), 0) << ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == target);
}

INSTANTIATE_TEST_SUITE_P(IntTermHup, StopSignal, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT    ? "SIGINT"
                                              : info.param == SIGTERM ? "SIGTERM"
                                                                      : "SIGHUP");
                         });

// After Ctrl-C the report is a short summary of where the account is left
// (issue 14): cameras removed and not back, keys parked outside it, as the
// journal says; then the resume and rollback commands. Not one line per
// camera.
TEST_F(RunSafety, AnInterruptedRunSumsUpWhereItLeftTheAccount) {
  auto sim = FreshSim("summary", {"--latency", "20"});
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.out").string();
  const std::string err_log = (dir_ / "apply.err").string();
  // stdout (the report) apart from stderr (progress lines, hints): the shell
  // execs licmove, so the signal reaches it.
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$@\" 2>" + err_log, "sh"};
  for (const std::string& a : Apply(*sim, state)) argv.push_back(a);
  auto apply = Subprocess::Start(argv, {}, log);
  ASSERT_TRUE(WaitForIntents(state, 12, apply->pid())) << ReadFileText(err_log);
  ::kill(apply->pid(), SIGINT);
  ASSERT_EQ(apply->Wait(), 130) << ReadFileText(err_log);
  const std::string out = ReadFileText(log);
  const std::string err = ReadFileText(err_log);
  const std::string run = RunId(state);

  // What the journal says the run left: removals whose camera was not added
  // back, parks whose key was not unparked.
  auto journal = ReadJournal(PosixFileSystem(), state, run);
  ASSERT_TRUE(journal.ok());
  auto saved = LoadSavedPlan(journal->header.plan_json, "journal");
  ASSERT_TRUE(saved.ok());
  std::map<int, bool> done;
  for (const OpOutcome& o : journal->outcomes) done[o.op] = o.result == OpOutcome::Result::kDone;
  std::set<std::string> added, unparked;
  for (const Op& op : saved->graph.ops()) {
    if (op.kind == OpKind::kAddCamera && done[op.id]) added.insert(op.camera);
    if (op.kind == OpKind::kUnpark && done[op.id]) unparked.insert(op.key);
  }
  std::vector<std::string> removed, parked;
  for (const Op& op : saved->graph.ops()) {
    if (op.kind == OpKind::kRemoveCamera && done[op.id] && !added.count(op.camera)) {
      removed.push_back(op.camera);
    }
    if (op.kind == OpKind::kPark && done[op.id] && !unparked.count(op.key)) {
      parked.push_back(op.key);
    }
  }
  ASSERT_FALSE(removed.empty() && parked.empty()) << "the run changed nothing before the stop";
  // stdout: the plan apply showed, then the report.
  const std::size_t report_at = out.find("run " + run + " (acme) interrupted: ");
  ASSERT_NE(report_at, std::string::npos) << out;
  const std::string report = out.substr(report_at);
  auto expect_named = [&](const std::vector<std::string>& names, const std::string& what) {
    if (names.empty()) {
      EXPECT_EQ(report.find(what), std::string::npos) << report;
      return;
    }
    EXPECT_NE(report.find(std::to_string(names.size()) + " " + what), std::string::npos) << report;
    // Up to 20 are named whole, the rest counted.
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) {
      EXPECT_NE(report.find(names[i]), std::string::npos) << names[i] << " not named in:\n"
                                                          << report;
    }
    if (names.size() > 20) {
      EXPECT_NE(report.find("and " + std::to_string(names.size() - 20) + " more"),
                std::string::npos);
    }
  };
  expect_named(removed, "cameras removed and not added back yet");
  expect_named(parked, "keys parked outside the account");
  EXPECT_NE(err.find("interrupted; continue with: licmove resume " + run), std::string::npos)
      << err;
  EXPECT_NE(err.find("or undo it with: licmove rollback " + run), std::string::npos) << err;
  EXPECT_NE(report.find("every op: licmove status " + run), std::string::npos) << report;
  // Short: no per-intent lines ("  CAM-...  SERVICE  KEY  not run").
  EXPECT_EQ(report.find("  not run\n"), std::string::npos) << report;
  EXPECT_EQ(report.find("  done\n"), std::string::npos) << report;
  EXPECT_LE(std::count(report.begin(), report.end(), '\n'), 8) << report;
}

// A prompt takes only "yes" (issue 14); the rollback's names the account and
// the portal, and says re-added cameras get new portal ids. The answer comes
// through a terminal (script(1) gives licmove one on stdin).
TEST_F(RunSafety, PromptsTakeOnlyYesAndTheRollbackPromptSaysWhereAndWhat) {
  auto sim = FreshSim("prompt");
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "prompt.log").string();
  auto without_yes = [](std::vector<std::string> argv) {
    argv.erase(std::find(argv.begin(), argv.end(), "--yes"));
    std::string command;
    for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
    return command;
  };
  std::string command = without_yes(Apply(*sim, state));
  auto answer = [&](const std::string& typed) {
    return RunProcess(
        {"/bin/sh", "-c",
         "printf '" + typed + "\\n' | script -qec '" + command + "' /dev/null > " + log + " 2>&1"});
  };

  // apply: "y" is not "yes".
  EXPECT_EQ(answer("y"), 6) << ReadFileText(log);
  EXPECT_NE(ReadFileText(log).find("apply these changes to account acme at http://127.0.0.1:"),
            std::string::npos)
      << ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == original);
  EXPECT_EQ(answer("yes"), 0) << ReadFileText(log);
  EXPECT_FALSE(Read(*sim) == original);

  const std::string run = RunId(state);
  command = without_yes(Rollback(*sim, state, run));
  EXPECT_EQ(answer("y"), 6) << ReadFileText(log);
  std::string out = ReadFileText(log);
  EXPECT_NE(out.find("roll back run " + run + " on account acme at http://127.0.0.1:"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Cameras it adds back get new portal ids."), std::string::npos) << out;
  EXPECT_NE(out.find("Only 'yes' will be accepted"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing changed"), std::string::npos) << out;
  EXPECT_FALSE(Read(*sim) == original);

  EXPECT_EQ(answer("yes"), 0) << ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == original) << ReadFileText(log);
}

// --debug / --verbose trace every HTTP exchange on stderr: method, path,
// status, latency, attempt and Idempotency-Key; never the token, and a key in
// a path masked (issue 14).
TEST_F(RunSafety, DebugTracesEveryExchangeWithoutTheToken) {
  auto sim = FreshSim("trace");
  const std::string state = (dir_ / "state").string();
  const std::string out_log = (dir_ / "trace.out").string();
  const std::string err_log = (dir_ / "trace.err").string();
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$@\" 2>" + err_log, "sh"};
  for (const std::string& a : Apply(*sim, state)) argv.push_back(a);
  argv.push_back("--debug");
  ASSERT_EQ(RunProcess(argv, {}, out_log), 0) << ReadFileText(err_log);
  const std::string err = ReadFileText(err_log);
  const std::string run = RunId(state);
  EXPECT_EQ(err.find("admin-secret"), std::string::npos) << err;
  EXPECT_EQ(ReadFileText(out_log).find("admin-secret"), std::string::npos);
  // The preflight, the account pages and every op, with status and latency.
  EXPECT_TRUE(std::regex_search(err, std::regex("info: http GET /api/v1/me -> 200 in [0-9.]+ ms "
                                                "\\(attempt 1\\)")))
      << err;
  EXPECT_TRUE(std::regex_search(
      err, std::regex("http POST /api/v1/accounts/acme/cameras/[^ ]+/services/[^ ]+/activate -> "
                      "2[0-9][0-9] in [0-9.]+ ms \\(attempt 1, Idempotency-Key " +
                      run + "-op[0-9]+\\)")))
      << err;
  // Parks name the key in the path: masked, as in every log.
  EXPECT_TRUE(std::regex_search(
      err, std::regex("http DELETE /api/v1/accounts/acme/licenses/\\.\\.\\.[A-Z0-9]{4} -> "
                      "2[0-9][0-9] in")))
      << err;
  auto journal = ReadJournal(PosixFileSystem(), state, run);
  ASSERT_TRUE(journal.ok());
  std::size_t traced = 0;
  for (std::size_t at = err.find("Idempotency-Key " + run); at != std::string::npos;
       at = err.find("Idempotency-Key " + run, at + 1)) {
    ++traced;
  }
  EXPECT_EQ(traced, journal->intents.size()) << err;
  // --debug: timestamps and how the portal is reached.
  EXPECT_TRUE(std::regex_search(err, std::regex("licmove: [0-9:.]+ debug: portal "))) << err;
}

TEST_F(RunSafety, ASignalBeforeTheRunChangesNothingAndLeavesNoLock) {
  // The portal answers slowly, so the signal lands while the account is
  // read, with the lock held and nothing sent.
  auto sim = FreshSim("early", {"--latency", "300"});
  const Normalized before = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  for (int i = 0; i < 2000 && !fs::exists(LockFile(state)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(fs::exists(LockFile(state))) << ReadFileText(log);
  ::kill(apply->pid(), SIGHUP);
  EXPECT_EQ(apply->Wait(), 130) << ReadFileText(log);
  EXPECT_NE(ReadFileText(log).find("SIGHUP: stopped before this command sent anything"),
            std::string::npos)
      << ReadFileText(log);
  EXPECT_FALSE(fs::exists(LockFile(state)));
  EXPECT_TRUE(Runs(state).empty());
  EXPECT_TRUE(Read(*sim) == before);
}

TEST_F(RunSafety, AClosedStdoutNeverStopsARun) {
  const Normalized target = Target();
  auto sim = FreshSim("pipe", {"--latency", "2"});
  const std::string state = (dir_ / "state").string();
  const std::string rc = (dir_ / "rc").string();
  // `head -1` goes away after the first line: every later write to stdout
  // fails (EPIPE), which must not end the run (SIGPIPE would, rc 141).
  std::string command;
  for (const std::string& a : Apply(*sim, state)) command += "'" + a + "' ";
  ASSERT_EQ(
      RunProcess({"/bin/bash", "-c",
                  command + "2>/dev/null | head -1 >/dev/null; echo ${PIPESTATUS[0]} > " + rc}),
      0);
  EXPECT_EQ(ReadFileText(rc), "0\n");
  EXPECT_TRUE(Read(*sim) == target);
  auto journal = ReadJournal(PosixFileSystem(), state, RunId(state));
  ASSERT_TRUE(journal.ok());
  ASSERT_TRUE(journal->end.has_value());
  EXPECT_EQ(journal->end->result, RunEnd::Result::kCompleted);
}

// --- retries ----------------------------------------------------------------

TEST_F(RunSafety, EveryCommandRetriesItsFirstCall) {
  // A flaky portal (the issue's rates) whose fault sequence is restarted
  // before each command at a seed whose first call fails: each command's
  // first call (GET /api/v1/me) gets no answer or a 503.
  auto sim = FreshSim("faults");
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "cmd.log").string();
  auto faults = [](int seed) {
    return R"({"drop_rate":0.05,"reset_rate":0.03,"error_rate":0.05,"seed":)" +
           std::to_string(seed) + "}";
  };
  int seed = 0;
  std::set<std::string> kinds_seen;
  auto arm = [&] {
    for (++seed; seed < 1000; ++seed) {
      SimCall(*sim, "PUT", "/sim/faults", faults(seed));
      const std::string status = SimStatus(*sim, "GET", "/api/v1/me");
      if (status == "200") continue;
      kinds_seen.insert(status);
      SimCall(*sim, "PUT", "/sim/faults", faults(seed));  // the same first call again
      return;
    }
    FAIL() << "no seed below 1000 fails the first call";
  };
  auto me_failures = [&] {
    const boost::json::value stats = boost::json::parse(SimCall(*sim, "GET", "/sim/stats"));
    std::uint64_t failures = 0;
    if (const auto* me = stats.at("routes").as_object().if_contains("GET /api/v1/me")) {
      for (const auto& [outcome, n] : me->as_object()) {
        if (outcome != "200") failures += n.to_number<std::uint64_t>();
      }
    }
    return failures;
  };
  std::uint64_t failures = 0;
  auto expect_first_call_failed = [&](const std::string& what) {
    EXPECT_GT(me_failures(), failures) << what << ": its first call did not fail";
  };

  arm();
  failures = me_failures();
  EXPECT_EQ(RunProcess({kLicmove, "plan", plan_, "--portal", sim->url(), "--token-file", token_},
                       {}, log),
            0)
      << ReadFileText(log);
  expect_first_call_failed("plan --portal");

  arm();
  failures = me_failures();
  EXPECT_EQ(RunProcess(Apply(*sim, state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=6"}, log), 128 + SIGKILL)
      << ReadFileText(log);
  expect_first_call_failed("apply");
  const std::string run = RunId(state);

  arm();
  failures = me_failures();
  EXPECT_EQ(RunProcess(Resume(*sim, state, run), {}, log), 0) << ReadFileText(log);
  expect_first_call_failed("resume");

  arm();
  failures = me_failures();
  EXPECT_EQ(RunProcess(Rollback(*sim, state, run), {}, log), 0) << ReadFileText(log);
  expect_first_call_failed("rollback");
  SimCall(*sim, "PUT", "/sim/faults", "{}");
  EXPECT_TRUE(Read(*sim) == original);
  // Both kinds of failure were among them: no answer, and a 503.
  EXPECT_EQ(kinds_seen, (std::set<std::string>{"000", "503"}));
}

// --- the lock -----------------------------------------------------------------

TEST_F(RunSafety, ASecondApplyIsRefusedBeforeItReadsOrPlans) {
  auto sim = FreshSim("two", {"--latency", "20"});
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "first.log").string();
  auto first = Subprocess::Start(Apply(*sim, state), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 2, first->pid())) << ReadFileText(log);
  const std::string second_log = (dir_ / "second.log").string();
  EXPECT_EQ(RunProcess(Apply(*sim, state), {}, second_log), 5);
  const std::string out = ReadFileText(second_log);
  EXPECT_NE(out.find("account acme is locked by run " + RunId(state)), std::string::npos) << out;
  EXPECT_EQ(out.find("licmove plan"), std::string::npos) << "a plan was shown:\n" << out;
  EXPECT_EQ(first->Wait(), 0) << ReadFileText(log);
}

TEST_F(RunSafety, ARolledBackRunIsNeverResumed) {
  auto sim = FreshSim("rolled", {"--latency", "5"});
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "cmd.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 12, apply->pid())) << ReadFileText(log);
  ::kill(apply->pid(), SIGHUP);
  ASSERT_EQ(apply->Wait(), 130) << ReadFileText(log);
  const std::string run = RunId(state);

  // A resume at work holds the lock: a rollback of the same run meanwhile
  // is refused, not interleaved with it.
  auto resume = Subprocess::Start(Resume(*sim, state, run), {}, log);
  for (int i = 0; i < 2000 && !fs::exists(LockFile(state)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const std::string rollback_log = (dir_ / "rollback.log").string();
  const int early_rollback = RunProcess(Rollback(*sim, state, run), {}, rollback_log);
  const int resumed = resume->Wait();
  ASSERT_EQ(resumed, 0) << ReadFileText(log);
  if (early_rollback != 5) {
    // The resume had finished before the rollback looked: it then undid the
    // completed run, which is a legitimate order too.
    ASSERT_EQ(early_rollback, 0) << ReadFileText(rollback_log);
  } else {
    EXPECT_NE(ReadFileText(rollback_log).find("is locked by run " + run), std::string::npos)
        << ReadFileText(rollback_log);
    ASSERT_EQ(RunProcess(Rollback(*sim, state, run), {}, rollback_log), 0)
        << ReadFileText(rollback_log);
  }
  EXPECT_TRUE(Read(*sim) == original);
  const std::vector<std::string> runs = Runs(state);
  ASSERT_EQ(runs.size(), 2u);
  const std::string rollback = runs[0] == run ? runs[1] : runs[0];

  // Listed as rolled back, by the rollback's id...
  ASSERT_EQ(RunProcess({kLicmove, "runs", "--state-dir", state}, {}, log), 0);
  EXPECT_NE(ReadFileText(log).find(run + "  apply  acme  "), std::string::npos)
      << ReadFileText(log);
  EXPECT_NE(ReadFileText(log).find("rolled back by run " + rollback), std::string::npos)
      << ReadFileText(log);
  ASSERT_EQ(
      RunProcess({kLicmove, "status", run, "--state-dir", state, "--format", "json"}, {}, log), 0);
  EXPECT_NE(ReadFileText(log).find("\"rolled_back_by\":\"" + rollback + "\""), std::string::npos)
      << ReadFileText(log);
  // ...and neither resumed nor rolled back again: nothing is sent.
  EXPECT_EQ(RunProcess(Resume(*sim, state, run), {}, log), 6) << ReadFileText(log);
  EXPECT_NE(ReadFileText(log).find("it was rolled back by run " + rollback), std::string::npos)
      << ReadFileText(log);
  EXPECT_EQ(RunProcess(Rollback(*sim, state, run), {}, log), 6) << ReadFileText(log);
  EXPECT_TRUE(Read(*sim) == original);
  EXPECT_EQ(Runs(state).size(), 2u);
}

// A rollback costs what the run did, not what its plan would have done
// (issue 13): runs killed after a few journal syncs are rolled back with a
// number of calls bounded by the ops they got to (done or sent), far below
// the plan's size, and the account is as it was.
TEST_F(RunSafety, ARollbackOfARunStoppedEarlyCostsWhatTheRunDid) {
  int plan_calls = 0;
  for (const int syncs : {3, 6, 10}) {
    SCOPED_TRACE("killed after " + std::to_string(syncs) + " syncs");
    auto sim = FreshSim("early" + std::to_string(syncs));
    const Normalized original = Read(*sim);
    const std::string state = (dir_ / ("state" + std::to_string(syncs))).string();
    const std::string log = (dir_ / ("apply" + std::to_string(syncs) + ".log")).string();
    ASSERT_EQ(RunProcess(Apply(*sim, state),
                         {"LICMOVE_TEST_KILL_AFTER_SYNCS=" + std::to_string(syncs)}, log),
              128 + SIGKILL)
        << ReadFileText(log);
    const std::string run = RunId(state);
    const std::string status = (dir_ / ("status" + std::to_string(syncs) + ".json")).string();
    ASSERT_EQ(
        RunProcess({kLicmove, "status", run, "--state-dir", state, "--format", "json"}, {}, status),
        0);
    const boost::json::value view = boost::json::parse(ReadFileText(status));
    int touched = 0;
    const boost::json::array& ops = view.at("ops").as_array();
    plan_calls = static_cast<int>(ops.size());
    for (const boost::json::value& op : ops) {
      const std::string st(op.at("state").as_string());
      touched += st == "done" || st == "sent";
    }
    const std::string rollback_log =
        (dir_ / ("rollback" + std::to_string(syncs) + ".log")).string();
    ASSERT_EQ(RunProcess(Rollback(*sim, state, run), {}, rollback_log), 0)
        << ReadFileText(rollback_log);
    std::smatch m;
    const std::string out = ReadFileText(rollback_log);
    int calls = 0;
    if (std::regex_search(out, m, std::regex(R"(\n[0-9]+/([0-9]+) ops done)"))) {
      calls = std::stoi(m[1]);
    } else {
      ASSERT_NE(out.find("nothing to undo"), std::string::npos) << out;
    }
    std::printf("killed after %d syncs: %d of %d ops done or sent, rollback %d calls\n", syncs,
                touched, plan_calls, calls);
    // Each op undone by at most itself, its camera's record and services,
    // and a park and unpark of a key in the way.
    EXPECT_LE(calls, 4 * touched + 2) << out;
    EXPECT_LT(calls, plan_calls / 2) << out;
    EXPECT_TRUE(Read(*sim) == original);
  }
}

// Found by the chaos test under ASan: a run killed after its header, before
// its first request, has nothing to undo; its rollback used to record
// nothing, and a later resume applied the whole plan after all.
TEST_F(RunSafety, ARunRolledBackWithNothingToUndoIsNeverResumedEither) {
  auto sim = FreshSim("nothing");
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  ASSERT_EQ(RunProcess(Apply(*sim, state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=1"}, log),
            128 + SIGKILL);
  const std::string run = RunId(state);
  const std::string rollback_log = (dir_ / "rollback.log").string();
  ASSERT_EQ(RunProcess(Rollback(*sim, state, run), {}, rollback_log), 0)
      << ReadFileText(rollback_log);
  EXPECT_NE(ReadFileText(rollback_log).find("nothing to undo"), std::string::npos)
      << ReadFileText(rollback_log);
  EXPECT_EQ(Runs(state).size(), 2u);
  const std::string resume_log = (dir_ / "resume.log").string();
  EXPECT_EQ(RunProcess(Resume(*sim, state, run), {}, resume_log), 6) << ReadFileText(resume_log);
  EXPECT_TRUE(Read(*sim) == original);
}

TEST_F(RunSafety, TwoRollbacksOfAStaleRunNeverBothRun) {
  auto sim = FreshSim("stale", {"--latency", "5"});
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  // Killed: its lock is left behind, stale, for either rollback to take over.
  ASSERT_EQ(RunProcess(Apply(*sim, state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=8"}, log),
            128 + SIGKILL);
  ASSERT_TRUE(fs::exists(LockFile(state)));
  const std::string run = RunId(state);
  const std::string log_a = (dir_ / "a.log").string(), log_b = (dir_ / "b.log").string();
  auto a = Subprocess::Start(Rollback(*sim, state, run), {}, log_a);
  auto b = Subprocess::Start(Rollback(*sim, state, run), {}, log_b);
  const int code_a = a->Wait(), code_b = b->Wait();
  // One undoes the run; the other finds it locked (5) or already rolled
  // back (6), never a second rollback at the same time.
  EXPECT_TRUE((code_a == 0) != (code_b == 0)) << code_a << ":\n"
                                              << ReadFileText(log_a) << "\n"
                                              << code_b << ":\n"
                                              << ReadFileText(log_b);
  EXPECT_TRUE(code_a == 0 || code_a == 5 || code_a == 6) << ReadFileText(log_a);
  EXPECT_TRUE(code_b == 0 || code_b == 5 || code_b == 6) << ReadFileText(log_b);
  EXPECT_EQ(Runs(state).size(), 2u);
  EXPECT_TRUE(Read(*sim) == original);
}

// --- an account changed under the run ---------------------------------------

TEST_F(RunSafety, AnAccountChangedUnderTheRunStopsIt) {
  auto sim = FreshSim("changed");
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "cmd.log").string();
  // Stopped at a journal boundary, so that what was done is exactly known.
  ASSERT_EQ(RunProcess(Apply(*sim, state), {"LICMOVE_TEST_KILL_AFTER_SYNCS=3"}, log),
            128 + SIGKILL);
  const std::string run = RunId(state);
  auto journal = ReadJournal(PosixFileSystem(), state, run);
  ASSERT_TRUE(journal.ok());
  auto saved = LoadSavedPlan(journal->header.plan_json, "journal");
  ASSERT_TRUE(saved.ok());
  // A camera the run has yet to activate a service on, and never removes:
  // someone else removes it now.
  std::set<int> sent;
  for (const OpIntent& i : journal->intents) sent.insert(i.op);
  std::set<std::string> removed_by_plan;
  for (const Op& op : saved->graph.ops()) {
    if (op.kind == OpKind::kRemoveCamera) removed_by_plan.insert(op.camera);
  }
  std::string victim;
  for (const Op& op : saved->graph.ops()) {
    if (op.kind == OpKind::kActivate && !sent.count(op.id) && !removed_by_plan.count(op.camera)) {
      victim = op.camera;
    }
  }
  ASSERT_FALSE(victim.empty());
  const boost::json::value cameras =
      boost::json::parse(SimCall(*sim, "GET", "/api/v1/accounts/acme/cameras?limit=1000"));
  std::string victim_id;
  for (const auto& c : cameras.at("items").as_array()) {
    if (c.at("serial").as_string() == victim) victim_id = c.at("id").as_string().c_str();
  }
  ASSERT_FALSE(victim_id.empty());
  SimCall(*sim, "DELETE", "/api/v1/accounts/acme/cameras/" + victim_id);

  EXPECT_EQ(RunProcess(Resume(*sim, state, run), {}, log), 4) << ReadFileText(log);
  const std::string out = ReadFileText(log);
  EXPECT_NE(out.find("the account changed under the run"), std::string::npos) << out;
  EXPECT_NE(out.find(victim), std::string::npos) << out;
  EXPECT_NE(out.find("licmove resume " + run), std::string::npos) << out;
  EXPECT_NE(out.find("licmove rollback " + run), std::string::npos) << out;
  // The resume's calls in flight were finished and journaled (the killed
  // apply's last batch has intents only); the run has its end.
  const std::size_t intents_before = journal->intents.size();
  const std::size_t outcomes_before = journal->outcomes.size();
  journal = ReadJournal(PosixFileSystem(), state, run);
  ASSERT_TRUE(journal.ok());
  EXPECT_GT(journal->intents.size(), intents_before);
  EXPECT_EQ(journal->intents.size() - intents_before, journal->outcomes.size() - outcomes_before);
  EXPECT_TRUE(journal->end.has_value());
}

}  // namespace
}  // namespace licmove
