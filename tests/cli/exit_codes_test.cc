// README.md's "Exit codes" table, row by row, against the real binaries: for
// each code, the mistakes (or successes) that must give it, in every command
// they can happen in. The codes come from the README and from
// src/licmove/exit_codes.h, so that neither can drift from this test.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace licmove {
namespace {

namespace fs = std::filesystem;

const std::string kSource = LICMOVE_SOURCE_DIR;
const std::string kBin = LICMOVE_BINARY_DIR;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The codes of the table under "## Exit codes" in README.md.
std::set<int> ReadmeCodes() {
  const std::string readme = ReadText(kSource + "/README.md");
  const std::size_t start = readme.find("\n## Exit codes\n");
  if (start == std::string::npos) return {};
  const std::size_t end = readme.find("\n## ", start + 1);
  std::istringstream section(readme.substr(start, end - start));
  std::set<int> codes;
  const std::regex row(R"(^\| (\d+) \| .+ \|$)");
  std::string line;
  std::smatch m;
  while (std::getline(section, line)) {
    if (std::regex_match(line, m, row)) codes.insert(std::stoi(m[1]));
  }
  return codes;
}

// The values of licmove's kExit* constants.
std::set<int> HeaderCodes() {
  const std::string header = ReadText(kSource + "/src/licmove/exit_codes.h");
  const std::regex constant(R"(constexpr int kExit\w+\s*=\s*(\d+);)");
  std::set<int> codes;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), constant);
       it != std::sregex_iterator(); ++it) {
    codes.insert(std::stoi((*it)[1]));
  }
  return codes;
}

// Codes whose causes need a run at work (a lock held, the account changed
// under it, a signal); the suites that give them.
const std::map<int, std::string> kTestedElsewhere = {
    {4, "RunSafety.AnAccountChangedUnderTheRunStopsIt"},
    {5,
     "PgState.ALiveLeaseIsNeverTakenAnExpiredOneIsTakenOverByResume, "
     "RunSafety.ASecondApplyIsRefusedBeforeItReadsOrPlans"},
    {130, "StopSignal.FinishesInFlightOpsReleasesTheLockThenResumes"},
};

// For each code of the table, command lines that must exit with it: @X is
// the test's scratch file X, %fleet the example fleet, %sim the embedded
// simulator on it, %state a fresh state directory, %plan the example move plan.
const std::map<int, std::vector<std::string>>& Cases() {
  static const auto* cases = new std::map<int, std::vector<std::string>>{
      {0,  // success, help and version
       {
           "licmove help",
           "licmove help apply",
           "licmove version",
           "licmove --version",
           "licmove plan --help",
           "licmove validate %plan %fleet",
           "licmove plan %plan --snapshot %fleet",
           "licmove runs --state %state",
           "licmove audit --snapshot %fleet --account acme --horizon 1d --state %state",
           "portal-sim --version",
           "licmove-fleetgen --version",
       }},
      {1,  // a runtime error
       {
           // The portal refuses the token.
           "licmove plan %plan --portal %sim --token-file @bad-token --state %state",
           "licmove apply %plan --portal %sim --token-file @bad-token --state %state",
           // No such run.
           "licmove status nope --state %state",
           "licmove resume nope --portal %sim --state %state",
           "licmove rollback nope --portal %sim --state %state",
           "licmove audit --portal %sim --account acme --token-file @bad-token --state %state",
       }},
      {2,  // plan --detailed-exitcode: changes; audit: something needs attention
       {"licmove plan %plan --snapshot %fleet --detailed-exitcode",
        "licmove audit --snapshot %fleet --account acme --state %state",
        "licmove audit --portal %sim --account acme --state %state"}},
      {3,  // invalid input
       {
           // A missing plan file, in every command that reads one.
           "licmove validate @no-such.yaml",
           "licmove plan @no-such.yaml --snapshot %fleet",
           "licmove plan @no-such.yaml --snapshot %fleet --detailed-exitcode",
           "licmove apply @no-such.yaml --portal %sim --state %state --yes",
           // A missing fleet file, named by --snapshot or sim://.
           "licmove plan %plan --snapshot @no-such-fleet.yaml",
           "licmove plan %plan --portal sim://@no-such-fleet.yaml --state %state",
           "licmove apply %plan --portal sim://@no-such-fleet.yaml --state %state --yes",
           // A missing token file.
           "licmove plan %plan --portal %sim --token-file @no-such.token --state %state",
           "licmove apply %plan --portal %sim --token-file @no-such.token --state %state",
           // An account the fleet does not have.
           "licmove validate @nope-account.yaml %fleet",
           "licmove plan @nope-account.yaml --snapshot %fleet",
           "licmove plan @nope-account.yaml --portal %sim --state %state",
           "licmove apply @nope-account.yaml --portal %sim --state %state --yes",
           // A plan that does not fit the account.
           "licmove validate @unfit.yaml %fleet",
           "licmove plan @unfit.yaml --snapshot %fleet",
           "licmove apply @unfit.yaml --portal %sim --state %state --yes",
           // audit: a missing fleet file or plan, an account the fleet lacks.
           "licmove audit --snapshot @no-such-fleet.yaml --state %state",
           "licmove audit --snapshot %fleet --plan @no-such.yaml --state %state",
           "licmove audit --snapshot %fleet --account nope --state %state",
       }},
      {6,  // refused
       {
           // Not confirmed: stdin is not a terminal and there is no --yes.
           "licmove apply %plan --portal %sim --state %state",
       }},
      {64,  // a bad command line
       {
           // No command, an unknown one, an unknown flag.
           "licmove",
           "licmove state",
           "licmove aply %plan",
           "licmove help aply",
           "licmove validate --fromat json %plan",
           "licmove plan %plan --snapshot %fleet --fromat json",
           "licmove apply %plan --portal %sim --yse",
           "licmove runs --stat %state",
           "licmove status RUN --fromat json",
           "licmove rollback RUN --portal %sim --yse",
           "licmove audit --snapshot %fleet --fromat json",
           // A missing argument, a value out of range or not allowed.
           "licmove plan",
           "licmove apply %plan",
           "licmove plan %plan",
           "licmove plan %plan --snapshot %fleet --parallelism 0",
           "licmove audit --state %state",
           "licmove audit --snapshot %fleet --account acme --horizon soon",
           "licmove validate --format xml %plan",
           // A malformed --portal, or plain http to a host not loopback.
           "licmove plan %plan --portal ftp://portal.example --token-file @bad-token",
           "licmove apply %plan --portal portal.example --token-file @bad-token",
           "licmove resume RUN --portal https:// --token-file @bad-token",
           "licmove rollback RUN --portal http://portal.example --token-file @bad-token",
           "licmove plan %plan --portal http://portal.example --token-file @bad-token",
           // No token for a real portal.
           "licmove plan %plan --portal https://portal.example",
           // The other programs.
           "portal-sim",
           "portal-sim --fleet %fleet --thread 2",
           "licmove-fleetgen",
           "licmove-fleetgen --camreas 10 --fleet-out @f.yaml",
       }},
  };
  return *cases;
}

class CliExitCodes : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("licmove-exit-codes-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("nope-account.yaml",
          "version: 1\naccount: nope\nmoves:\n  - from: CAM-0001\n    to: CAM-0007\n");
    Write("unfit.yaml",
          "version: 1\naccount: acme\nmoves:\n  - from: CAM-0001\n    to: CAM-0099\n"
          "    service: alarm-management\n");
    Write("bad-token", "not-a-token\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  // Expands the words of `command` as Cases() says, and the programs' names
  // to the built binaries.
  std::string Expand(const std::string& command) {
    std::string out;
    std::istringstream words(command);
    std::string w;
    while (words >> w) {
      if (const std::size_t at = w.find('@'); at != std::string::npos) {
        w = w.substr(0, at) + (dir_ / w.substr(at + 1)).string();
      }
      if (w == "%fleet") w = kSource + "/examples/fleets/small.yaml";
      if (w == "%sim") w = "sim://" + kSource + "/examples/fleets/small.yaml";
      if (w == "%state") w = (dir_ / "state").string();
      if (w == "%plan") w = kSource + "/plans/move.yaml";
      if (w == "licmove") w = kBin + "/src/licmove/licmove";
      if (w == "portal-sim") w = kBin + "/src/portal_sim/portal-sim";
      if (w == "licmove-fleetgen") w = kBin + "/examples/generator/licmove-fleetgen";
      out += (out.empty() ? "" : " ") + w;
    }
    return out;
  }

  // Runs each command line and expects `code` of it.
  void ExpectCode(int code, const std::vector<std::string>& commands) {
    for (const std::string& command : commands) {
      const std::string log = (dir_ / "log").string();
      const std::string line = Expand(command);
      const int status = std::system(
          ("env -u LICMOVE_TOKEN -u LICMOVE_STATE " + line + " </dev/null >" + log + " 2>&1")
              .c_str());
      const int got = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      EXPECT_EQ(got, code) << command << "\n" << ReadText(log);
    }
  }

  fs::path dir_;
};

// One test a row of the README's table.
TEST_P(CliExitCodes, Row) {
  const int code = GetParam();
  if (auto it = kTestedElsewhere.find(code); it != kTestedElsewhere.end()) {
    GTEST_SKIP() << "exit code " << code << " is tested by " << it->second;
  }
  auto it = Cases().find(code);
  ASSERT_NE(it, Cases().end()) << "README.md lists exit code " << code
                               << " but no case here gives it";
  ExpectCode(code, it->second);
}

std::vector<int> ReadmeCodeList() {
  const std::set<int> codes = ReadmeCodes();
  return {codes.begin(), codes.end()};
}

INSTANTIATE_TEST_SUITE_P(Readme, CliExitCodes, ::testing::ValuesIn(ReadmeCodeList()),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "Code" + std::to_string(info.param);
                         });

// The README's table has a row for every constant of exit_codes.h and for
// no other code, and every code the cases expect is in it.
TEST(CliExitCodesTable, IsTheHeadersCodesAndTheCases) {
  const std::set<int> readme = ReadmeCodes();
  EXPECT_FALSE(readme.empty()) << "no \"## Exit codes\" table in README.md";
  EXPECT_EQ(readme, HeaderCodes());
  for (const auto& [code, commands] : Cases()) {
    EXPECT_EQ(readme.count(code), 1u) << "the cases expect " << code << ", the README lacks it";
  }
  for (const auto& [code, suite] : kTestedElsewhere) {
    EXPECT_EQ(readme.count(code), 1u) << code;
    EXPECT_EQ(Cases().count(code), 0u) << code;
  }
}

}  // namespace
}  // namespace licmove
