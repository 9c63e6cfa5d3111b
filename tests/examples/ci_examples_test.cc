// The CI examples cannot drift apart: examples/ci/github-actions.yml,
// examples/ci/gitlab-ci.yml and examples/ci/run-local.sh run the same licmove
// command lines in the same order (up to variables: shell_commands.h), each
// workflow's matrix lists exactly the accounts that have a plan in
// examples/ci/plans/, and run-local.sh, which runs those commands against
// portal-sim and PostgreSQL, passes (the ctest ci_run_local, in
// CMakeLists.txt). So a workflow edited without the script, or the other way
// round, fails here; and the script failing means the workflows would.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "files/plan_file.h"
#include "shell_commands.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::FindLicmoveCommands;
using testing::NormalizeLicmoveCommand;

const fs::path kSource = LICMOVE_SOURCE_DIR;
const fs::path kCi = kSource / "examples/ci";

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Normalized(std::string_view shell) {
  std::vector<std::string> out;
  for (const auto& words : FindLicmoveCommands(shell))
    out.push_back(NormalizeLicmoveCommand(words));
  return out;
}

void Append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// The licmove commands of a GitHub Actions workflow: its jobs in file order,
// each job's steps' `run:` in order.
std::vector<std::string> GitHubCommands(const YAML::Node& workflow) {
  std::vector<std::string> out;
  for (const auto& job : workflow["jobs"]) {
    for (const auto& step : job.second["steps"]) {
      if (step["run"]) Append(out, Normalized(step["run"].as<std::string>()));
    }
  }
  return out;
}

// A GitLab job's script entry: a line, or a list of lines (nested lists are
// allowed, for YAML anchors), as one piece of shell.
std::string ScriptText(const YAML::Node& script) {
  if (!script) return "";
  if (script.IsScalar()) return script.as<std::string>() + "\n";
  std::string text;
  for (const auto& line : script) text += ScriptText(line);
  return text;
}

// The jobs of a .gitlab-ci.yml: its top-level mappings with a script, except
// hidden ones (.name), in the order of their stages (then of the file).
// (Sorted by name: assigning a YAML::Node assigns to the node it refers to.)
std::vector<std::pair<std::string, YAML::Node>> GitLabJobs(const YAML::Node& pipeline) {
  std::vector<std::string> stages;
  for (const auto& s : pipeline["stages"]) stages.push_back(s.as<std::string>());
  std::vector<std::pair<std::ptrdiff_t, std::string>> order;
  for (const auto& entry : pipeline) {
    const std::string name = entry.first.as<std::string>();
    const YAML::Node job = entry.second;
    if (name.empty() || name[0] == '.' || !job.IsMap() || !job["script"]) continue;
    const std::string stage = job["stage"] ? job["stage"].as<std::string>() : "test";
    order.emplace_back(std::find(stages.begin(), stages.end(), stage) - stages.begin(), name);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, YAML::Node>> jobs;
  for (const auto& [stage, name] : order) jobs.emplace_back(name, pipeline[name]);
  return jobs;
}

// The licmove commands of a .gitlab-ci.yml: each job's before_script, script
// and after_script.
std::vector<std::string> GitLabCommands(const YAML::Node& pipeline) {
  std::vector<std::string> out;
  for (const auto& [name, job] : GitLabJobs(pipeline)) {
    for (const char* part : {"before_script", "script", "after_script"}) {
      Append(out, Normalized(ScriptText(job[part])));
    }
  }
  return out;
}

std::vector<std::string> RunLocalCommands() {
  return Normalized(ReadText(kCi / "run-local.sh"));
}

std::string Numbered(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += "  " + std::to_string(i + 1) + ". " + lines[i] + "\n";
  return out;
}

// The plans' accounts, from examples/ci/plans/ACCOUNT.yaml.
std::set<std::string> PlanAccounts() {
  std::set<std::string> accounts;
  for (const auto& entry : fs::directory_iterator(kCi / "plans")) {
    if (entry.path().extension() == ".yaml") accounts.insert(entry.path().stem().string());
  }
  return accounts;
}

std::set<std::string> AsSet(const YAML::Node& list) {
  std::set<std::string> out;
  for (const auto& v : list) out.insert(v.as<std::string>());
  return out;
}

TEST(ShellCommands, FindsCommandsAcrossContinuationsAndStopsAtOperators) {
  const auto found = FindLicmoveCommands(
      "code=0\n"
      "licmove plan \"$PLAN\" --portal \"$LICMOVE_PORTAL\" \\\n"
      "  --out saved.json --detailed-exitcode > plan.md || code=$?\n"
      "if true; then licmove runs --format json 2>/dev/null; fi\n"
      "X=1 licmove validate a.yaml | tee out >&2\n");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0],
            (std::vector<std::string>{"plan", "\"$PLAN\"", "--portal", "\"$LICMOVE_PORTAL\"",
                                      "--out", "saved.json", "--detailed-exitcode"}));
  EXPECT_EQ(found[1], (std::vector<std::string>{"runs", "--format", "json"}));
  EXPECT_EQ(found[2], (std::vector<std::string>{"validate", "a.yaml"}));
}

TEST(ShellCommands, IgnoresLicmoveThatIsNotACommandWord) {
  EXPECT_TRUE(FindLicmoveCommands("# licmove apply x\n"
                                  "echo \"licmove apply x\" licmove\n"
                                  "fail 'licmove plan'\n"
                                  "ln -s \"$bin\" \"$work/bin/licmove\"\n"
                                  "run=$(licmove runs --state s)\n"
                                  "x=`licmove runs`\n"
                                  "licmove() { \"$bin\" \"$@\"; }\n"
                                  "echo ${{ matrix.account }} licmove\n")
                  .empty());
}

TEST(ShellCommands, NormalizesVariablesQuotesAndTheEnvironmentsArguments) {
  EXPECT_EQ(NormalizeLicmoveCommand({"apply", "plans/${{ matrix.account }}.yaml", "--portal",
                                     "https://portal.example", "--token-file", "t",
                                     "--state=postgres://db/ops", "--yes"}),
            "licmove apply plans/$VAR.yaml --portal $VAR --state $VAR --yes");
  EXPECT_EQ(NormalizeLicmoveCommand({"apply", "\"plans/$ACCOUNT.yaml\"", "--portal", "\"$P\"",
                                     "--state-dir", "'/tmp/x y'", "--yes"}),
            "licmove apply plans/$VAR.yaml --portal $VAR --state $VAR --yes");
  EXPECT_EQ(NormalizeLicmoveCommand({"runs", "--account", "\"${ACCOUNT}\"", "'$literal'", "a\\ b"}),
            "licmove runs --account $VAR $literal a b");
}

TEST(CiExamples, RunLocalHasTheJobsLicmoveSteps) {
  const std::vector<std::string> local = RunLocalCommands();
  ASSERT_GE(local.size(), 6u) << Numbered(local);
  EXPECT_EQ(local.front(), "licmove validate $VAR");
  const std::string all = Numbered(local);
  for (const char* needed :
       {"licmove plan $VAR --portal $VAR --state $VAR --format markdown --out saved.json "
        "--detailed-exitcode",
        "licmove apply reviewed/saved.json", "--report-junit", "--resume-unfinished",
        "--detailed-exitcode\n", "licmove runs --state $VAR --format json --account $VAR"}) {
    EXPECT_NE(all.find(needed), std::string::npos) << needed << " is not in:\n" << all;
  }
}

TEST(CiExamples, GitHubWorkflowRunsTheSameLicmoveStepsAsRunLocal) {
  const YAML::Node workflow = YAML::LoadFile((kCi / "github-actions.yml").string());
  const std::vector<std::string> github = GitHubCommands(workflow);
  const std::vector<std::string> local = RunLocalCommands();
  EXPECT_EQ(github, local) << "examples/ci/github-actions.yml runs:\n"
                           << Numbered(github) << "examples/ci/run-local.sh runs:\n"
                           << Numbered(local)
                           << "Change both (and examples/ci/gitlab-ci.yml) together.";
}

TEST(CiExamples, GitLabPipelineRunsTheSameLicmoveStepsAsRunLocal) {
  const YAML::Node pipeline = YAML::LoadFile((kCi / "gitlab-ci.yml").string());
  const std::vector<std::string> gitlab = GitLabCommands(pipeline);
  const std::vector<std::string> local = RunLocalCommands();
  EXPECT_EQ(gitlab, local) << "examples/ci/gitlab-ci.yml runs:\n"
                           << Numbered(gitlab) << "examples/ci/run-local.sh runs:\n"
                           << Numbered(local)
                           << "Change both (and examples/ci/github-actions.yml) together.";
}

// The workflows find a plan as plans/ACCOUNT.yaml, and run-local.sh plays
// one account per plan file: every matrix must list exactly those accounts,
// and each plan must be for the account it is named after.
TEST(CiExamples, EveryMatrixListsTheAccountsThatHavePlans) {
  const std::set<std::string> accounts = PlanAccounts();
  ASSERT_GE(accounts.size(), 2u) << "the matrix needs at least two accounts to mean anything";
  for (const std::string& account : accounts) {
    auto plan = LoadPlanFile((kCi / "plans" / (account + ".yaml")).string());
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    EXPECT_EQ(plan->account, account) << "examples/ci/plans/" << account << ".yaml";
  }

  const YAML::Node workflow = YAML::LoadFile((kCi / "github-actions.yml").string());
  int github_jobs = 0;
  for (const auto& job : workflow["jobs"]) {
    const YAML::Node matrix = job.second["strategy"]["matrix"];
    ASSERT_TRUE(matrix && matrix["account"]) << "GitHub job " << job.first.as<std::string>();
    EXPECT_EQ(AsSet(matrix["account"]), accounts) << "GitHub job " << job.first.as<std::string>();
    ++github_jobs;
  }
  EXPECT_EQ(github_jobs, 3);

  const YAML::Node pipeline = YAML::LoadFile((kCi / "gitlab-ci.yml").string());
  int gitlab_jobs = 0;
  for (const auto& [name, job] : GitLabJobs(pipeline)) {
    const YAML::Node matrix = job["parallel"]["matrix"];
    ASSERT_TRUE(matrix && matrix.size() == 1 && matrix[0]["ACCOUNT"]) << "GitLab job " << name;
    EXPECT_EQ(AsSet(matrix[0]["ACCOUNT"]), accounts) << "GitLab job " << name;
    ++gitlab_jobs;
  }
  EXPECT_EQ(gitlab_jobs, 3);
}

}  // namespace
}  // namespace licmove
