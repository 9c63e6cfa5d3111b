// What `licmove rollback` and `licmove plan` say, through the real binaries
// against a portal-sim process (issue 13):
// - a rollback shows its plan as plan and apply do: trimmed to a few hundred
//   lines with "... N more steps not shown; --detailed prints all", every op
//   with --detailed;
// - a rollback killed mid-way and resumed says the same "cannot be undone"
//   lines as when it started (its journal keeps them), in its summary, its
//   events and its reports;
// - `plan --parallelism auto` is the graph `apply --parallelism auto` runs.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "fleet_generator.h"
#include "planner/render.h"
#include "planner/saved_plan.h"
#include "run_fixture.h"

namespace licmove::testing {
namespace {

namespace fs = std::filesystem;

class RollbackOutput : public RunFixture {
 protected:
  RollbackOutput() : RunFixture("rollback-output") {}

  struct Ran {
    int code;
    std::string out;
    std::string err;
  };
  // argv with stdin from /dev/null (nobody can confirm), stdout and stderr
  // apart; `env` as Subprocess takes it.
  Ran Licmove(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    const std::string out = (dir_ / "out.txt").string(), err = (dir_ / "err.txt").string();
    std::vector<std::string> sh = {"/bin/sh", "-c",
                                   "exec \"$@\" </dev/null >'" + out + "' 2>'" + err + "'", "sh"};
    sh.insert(sh.end(), argv.begin(), argv.end());
    const int code = RunProcess(sh, env);
    return {code, ReadFileText(out), ReadFileText(err)};
  }
  static std::vector<std::string> With(std::vector<std::string> argv,
                                       const std::vector<std::string>& more) {
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  }
  static std::vector<std::string> Without(std::vector<std::string> argv, const std::string& flag) {
    argv.erase(std::find(argv.begin(), argv.end(), flag));
    return argv;
  }
  // The JSON lines of a --log-format json run.
  static std::vector<boost::json::object> Events(const std::string& out) {
    std::vector<boost::json::object> events;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      events.push_back(boost::json::parse(line).as_object());
    }
    return events;
  }
  static std::vector<std::string> Strings(const boost::json::value& array) {
    std::vector<std::string> out;
    for (const boost::json::value& v : array.as_array()) out.emplace_back(v.as_string());
    return out;
  }
  // The lines of `text` that start with `prefix`, without it.
  static std::vector<std::string> LinesAfter(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(prefix, 0) == 0) out.push_back(line.substr(prefix.size()));
    }
    return out;
  }
  // What follows each `prefix` in `text` to the end of its line, wherever
  // the line starts (in XML, after an element's start).
  static std::vector<std::string> Following(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    for (std::size_t at = text.find(prefix); at != std::string::npos;
         at = text.find(prefix, at + 1)) {
      const std::size_t from = at + prefix.size();
      out.push_back(text.substr(from, text.find('\n', from) - from));
    }
    return out;
  }
  // The graph a run executed, from its journal.
  SavedPlan JournaledPlan(const std::string& state, const std::string& run) {
    auto backend = OpenStateOf(state);
    EXPECT_NE(backend, nullptr);
    if (!backend) return {};
    auto journal = backend->ReadJournal(run);
    EXPECT_TRUE(journal.ok()) << journal.status().ToString();
    if (!journal.ok()) return {};
    auto saved = LoadSavedPlan(journal->header.plan_json, "journal");
    EXPECT_TRUE(saved.ok()) << saved.status().ToString();
    return saved.ok() ? std::move(saved.value()) : SavedPlan{};
  }
};

// The text plan's steps section: per step line, its ops as DescribeOp wrote
// them ("  3. park K; remove CAM-1"), and the count in its trim line (0
// without one).
struct StepsShown {
  std::vector<std::string> ops;
  int steps = 0;
  int more_steps = 0;
};
StepsShown StepsOf(const std::string& text) {
  StepsShown shown;
  const std::size_t at = text.find("\nSteps (");
  if (at == std::string::npos) return shown;
  std::istringstream lines(text.substr(at + 1));
  std::string line;
  std::getline(lines, line);  // the title
  while (std::getline(lines, line) && !line.empty()) {
    int more = 0;
    if (std::sscanf(line.c_str(), "  ... %d more steps not shown; --detailed prints all", &more) ==
        1) {
      shown.more_steps = more;
      continue;
    }
    const std::size_t dot = line.find(". ");
    if (dot == std::string::npos) continue;
    ++shown.steps;
    std::string rest = line.substr(dot + 2);
    for (std::size_t semi; (semi = rest.find("; ")) != std::string::npos;) {
      shown.ops.push_back(rest.substr(0, semi));
      rest = rest.substr(semi + 2);
    }
    shown.ops.push_back(rest);
  }
  return shown;
}

TEST_F(RollbackOutput, ABigRollbackIsTrimmedUnlessDetailed) {
  // A fleet whose rollback passes the text plan's limit (as plan_portal_test's
  // big plan does).
  FleetGenOptions o;
  o.cameras = 600;
  o.moves = 150;
  o.assigns = 6;
  o.seed = 11;
  const GeneratedFleet g = GenerateFleet(o);
  std::ofstream(fleet_, std::ios::trunc) << g.fleet_yaml;
  std::ofstream(plan_, std::ios::trunc) << g.plan_yaml;
  auto sim = FreshSim("big");
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const Ran applied = Licmove(Apply(*sim, state));
  ASSERT_EQ(applied.code, 0) << applied.err;
  const std::string run = RunId(state);

  // Without --yes and without a terminal: the plan is shown, nothing runs.
  const std::vector<std::string> rollback = Without(Rollback(*sim, state, run), "--yes");
  const Ran trimmed = Licmove(rollback);
  ASSERT_EQ(trimmed.code, 6) << trimmed.err;
  const Ran detailed = Licmove(With(rollback, {"--detailed"}));
  ASSERT_EQ(detailed.code, 6) << detailed.err;
  EXPECT_EQ(Runs(state).size(), 1u);
  EXPECT_FALSE(Read(*sim) == original);

  // The rollback itself, whose journal holds the graph it ran.
  const Ran done = Licmove(With(rollback, {"--yes", "--log-format", "json"}));
  ASSERT_EQ(done.code, 0) << done.err;
  EXPECT_TRUE(Read(*sim) == original);
  const std::vector<std::string> runs = Runs(state);
  ASSERT_EQ(runs.size(), 2u);
  const SavedPlan ran = JournaledPlan(state, runs[0] == run ? runs[1] : runs[0]);
  const int calls = ran.graph.size();
  ASSERT_GT(calls, 0);
  for (const boost::json::object& e : Events(done.out)) {
    if (e.at("event").as_string() == "run_started") {
      EXPECT_EQ(e.at("calls").as_int64(), calls);
    }
  }

  const StepsShown all = StepsOf(detailed.out);
  const StepsShown some = StepsOf(trimmed.out);
  auto lines = [](const std::string& t) { return std::count(t.begin(), t.end(), '\n'); };
  std::printf("rollback of %d calls: %ld lines shown, %ld with --detailed\n", calls,
              static_cast<long>(lines(trimmed.out)), static_cast<long>(lines(detailed.out)));
  // --detailed: every op of the graph run, once each, and nothing trimmed.
  EXPECT_EQ(detailed.out.find("not shown"), std::string::npos);
  EXPECT_EQ(static_cast<int>(all.ops.size()), calls) << detailed.out;
  std::vector<std::string> expected;
  for (const Op& op : ran.graph.ops()) expected.push_back(DescribeOp(op));
  std::vector<std::string> listed = all.ops;
  std::sort(expected.begin(), expected.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, expected);
  EXPECT_GT(lines(detailed.out), static_cast<long>(kTextPlanLines) + 100)
      << "the rollback is not big enough to test the limit";
  // Trimmed: the first steps, the trim line counting the rest, a few hundred
  // lines in all.
  EXPECT_NE(trimmed.out.find(" more steps not shown; --detailed prints all"), std::string::npos)
      << trimmed.out;
  EXPECT_LT(static_cast<int>(some.ops.size()), calls);
  EXPECT_GT(some.steps, 0);
  EXPECT_EQ(some.steps + some.more_steps, all.steps);
  EXPECT_LT(lines(trimmed.out), static_cast<long>(kTextPlanLines) + 40) << trimmed.out;
  // The summary is whole either way, and counts every call.
  const std::size_t summary_trimmed = trimmed.out.find("\nSummary\n");
  const std::size_t summary_detailed = detailed.out.find("\nSummary\n");
  ASSERT_NE(summary_trimmed, std::string::npos);
  ASSERT_NE(summary_detailed, std::string::npos);
  EXPECT_EQ(trimmed.out.substr(summary_trimmed), detailed.out.substr(summary_detailed));
  EXPECT_NE(trimmed.out.find(" " + std::to_string(calls) + " portal calls"), std::string::npos)
      << trimmed.out;
}

TEST_F(RollbackOutput, AResumedRollbackSaysWhatItsStartCouldNotUndo) {
  auto sim = FreshSim("resumed", {"--latency", "2"});
  const Normalized original = Read(*sim);
  const std::string state = (dir_ / "state").string();
  const Ran applied = Licmove(Apply(*sim, state));
  ASSERT_EQ(applied.code, 0) << applied.err;
  const std::string run = RunId(state);

  // Killed after its header and a few batches of intents (kill -9: no end,
  // a stale lock, keys possibly parked outside the account).
  const std::vector<std::string> json = {"--log-format", "json"};
  const Ran killed =
      Licmove(With(Rollback(*sim, state, run), json), {"LICMOVE_TEST_KILL_AFTER_SYNCS=4"});
  ASSERT_EQ(killed.code, 128 + SIGKILL) << killed.err;
  std::vector<std::string> said;
  for (const boost::json::object& e : Events(killed.out)) {
    if (e.at("event").as_string() == "cannot_undo") {
      EXPECT_EQ(e.at("run_id").as_string(), run);
      said = Strings(e.at("items"));
    }
  }
  ASSERT_FALSE(said.empty()) << "the plan's assigns activate fresh keys: " << killed.out
                             << killed.err;
  EXPECT_EQ(LinesAfter(killed.err, "cannot be undone: "), said) << killed.err;
  const std::vector<std::string> runs = Runs(state);
  ASSERT_EQ(runs.size(), 2u);
  const std::string rollback = runs[0] == run ? runs[1] : runs[0];

  const std::string md = (dir_ / "resume.md").string(), junit = (dir_ / "resume.xml").string();
  const Ran resumed =
      Licmove(With(Resume(*sim, state, rollback),
                   {"--log-format", "json", "--report-markdown", md, "--report-junit", junit}));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_TRUE(Read(*sim) == original);
  const std::vector<boost::json::object> events = Events(resumed.out);
  ASSERT_GE(events.size(), 2u);
  // It was a resume of a rollback stopped part way.
  const boost::json::object* started = nullptr;
  std::vector<std::string> resumed_event;
  for (const boost::json::object& e : events) {
    if (e.at("event").as_string() == "run_started") started = &e;
    if (e.at("event").as_string() == "cannot_undo") {
      EXPECT_EQ(e.at("run_id").as_string(), run);
      resumed_event = Strings(e.at("items"));
    }
  }
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->at("kind").as_string(), "rollback");
  EXPECT_EQ(started->at("run_id").as_string(), rollback);
  EXPECT_GT(started->at("calls_done_before").as_int64(), 0);
  EXPECT_LT(started->at("calls_done_before").as_int64(), started->at("calls").as_int64());

  // The same lines in the event, before the run and in its summary, and in
  // both reports.
  EXPECT_EQ(resumed_event, said);
  std::vector<std::string> twice = said;
  twice.insert(twice.end(), said.begin(), said.end());
  EXPECT_EQ(LinesAfter(resumed.err, "cannot be undone: "), twice) << resumed.err;
  // Markdown: whole in the full report; the summary shortens long fields
  // ("...…") but lists every line.
  auto markdown_lines = [](const std::string& markdown) {
    std::vector<std::string> listed;
    const std::size_t section = markdown.find("### Cannot be undone\n\n");
    EXPECT_NE(section, std::string::npos) << markdown;
    if (section == std::string::npos) return listed;
    std::istringstream lines(markdown.substr(section));
    std::string line;
    std::getline(lines, line);  // the heading
    std::getline(lines, line);  // the blank line
    while (std::getline(lines, line) && line.rfind("- ", 0) == 0) listed.push_back(line.substr(2));
    return listed;
  };
  const std::string full_md = (dir_ / "resume.full.md").string();
  const std::string full = ReadFileText(fs::exists(full_md) ? full_md : md);
  EXPECT_EQ(markdown_lines(full), said) << full;
  const std::vector<std::string> summary = markdown_lines(ReadFileText(md));
  ASSERT_EQ(summary.size(), said.size());
  const std::string ellipsis = "\u2026";
  for (std::size_t i = 0; i < said.size(); ++i) {
    std::string shown = summary[i];
    if (shown.size() >= ellipsis.size() &&
        shown.compare(shown.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0) {
      shown.resize(shown.size() - ellipsis.size());
    }
    EXPECT_EQ(said[i].rfind(shown, 0), 0u) << summary[i] << " is not " << said[i];
  }
  EXPECT_EQ(Following(ReadFileText(junit), "cannot be undone: "), said) << ReadFileText(junit);
}

// apply --parallelism auto shapes its graph for kAutoShapeParallelism (16):
// plan --parallelism auto gives that graph, the one the apply then runs, and
// says auto where it shows the parallelism.
TEST_F(RollbackOutput, PlanParallelismAutoIsTheGraphApplyAutoRuns) {
  auto sim = FreshSim("auto");
  const std::string state = (dir_ / "state").string();
  auto plan = [&](const std::string& parallelism, const std::string& format) {
    return Licmove({kLicmove, "plan", plan_, "--portal", sim->url(), "--token-file", token_,
                    "--state", state, "--parallelism", parallelism, "--format", format});
  };
  const Ran auto_json = plan("auto", "json");
  ASSERT_EQ(auto_json.code, 0) << auto_json.err;
  const Ran sixteen_json = plan("16", "json");
  ASSERT_EQ(sixteen_json.code, 0) << sixteen_json.err;
  const boost::json::value a = boost::json::parse(auto_json.out);
  const boost::json::value b = boost::json::parse(sixteen_json.out);
  EXPECT_EQ(a.at("ops"), b.at("ops"));
  EXPECT_EQ(a.at("summary").at("parallelism").as_int64(), 16);
  EXPECT_EQ(a.at("summary").at("parallelism_auto").as_bool(), true);
  EXPECT_EQ(b.at("summary").at("parallelism_auto").as_bool(), false);
  EXPECT_EQ(a.at("summary").at("estimated_rounds"), b.at("summary").at("estimated_rounds"));
  const Ran auto_text = plan("auto", "text");
  ASSERT_EQ(auto_text.code, 0) << auto_text.err;
  EXPECT_NE(auto_text.out.find(" at 16 calls in flight (parallelism auto)\n"), std::string::npos)
      << auto_text.out;
  const Ran auto_md = plan("auto", "markdown");
  ASSERT_EQ(auto_md.code, 0) << auto_md.err;
  EXPECT_NE(auto_md.out.find(" calls in flight (parallelism auto) |"), std::string::npos)
      << auto_md.out;

  // The apply's journal holds the graph it ran: the same ops and edges.
  const Ran applied = Licmove(With(Without(Apply(*sim, state), "8"), {"auto"}));
  ASSERT_EQ(applied.code, 0) << applied.err;
  auto backend = OpenStateOf(state);
  ASSERT_NE(backend, nullptr);
  auto journal = backend->ReadJournal(RunId(state));
  ASSERT_TRUE(journal.ok()) << journal.status().ToString();
  const boost::json::value saved = boost::json::parse(journal->header.plan_json);
  EXPECT_EQ(saved.at("ops"), a.at("ops"));
  EXPECT_EQ(saved.at("summary"), a.at("summary"));
}

}  // namespace
}  // namespace licmove::testing
