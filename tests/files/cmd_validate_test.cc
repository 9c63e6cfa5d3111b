// Runs the built `licmove validate` as an operator or a CI job would.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "alias_bomb.h"

namespace licmove {
namespace {

namespace json = boost::json;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs licmove from tests/files, so that paths read as an operator types
// them ("data/plan_valid.yaml"). `args` pass through the shell unquoted.
RunResult Licmove(const std::string& args) {
  // ctest runs tests in parallel: one pair of output files per process.
  const std::string stem = ::testing::TempDir() + "licmove_validate_" + std::to_string(getpid());
  const std::string out = stem + ".out";
  const std::string err = stem + ".err";
  const std::string command = "cd " LICMOVE_SOURCE_DIR "/tests/files && " LICMOVE_BINARY_DIR
                              "/src/licmove/licmove " +
                              args + " >" + out + " 2>" + err;
  RunResult run;
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = Slurp(out);
  run.err = Slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return run;
}

RunResult Validate(const std::string& args) {
  return Licmove("validate " + args);
}

TEST(CmdValidate, ValidFilesExitZeroWithASummaryEach) {
  RunResult run = Validate("data/plan_valid.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "data/plan_valid.yaml: ok (plan, 2 moves, 1 assign)\n");
  EXPECT_EQ(run.err, "");
  run = Validate("data/fleet_valid.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "data/fleet_valid.yaml: ok (fleet, 1 account, 2 cameras, 2 licenses, 2 users, 1 key "
            "in registry)\n");
  EXPECT_EQ(run.err, "");
}

// Issue 14: a plan given with a fleet is planned against it.
TEST(CmdValidate, APlanGivenWithAFleetItFitsSaysSo) {
  RunResult run = Validate("data/plan_valid.yaml data/fleet_for_plan_valid.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "data/plan_valid.yaml: ok (plan, 2 moves, 1 assign; fits "
            "data/fleet_for_plan_valid.yaml)\n"
            "data/fleet_for_plan_valid.yaml: ok (fleet, 1 account, 6 cameras, 4 licenses, 1 user, "
            "0 keys in registry)\n");
  EXPECT_EQ(run.err, "");
  // The fleet may come first.
  run = Validate("data/fleet_for_plan_valid.yaml data/plan_valid.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST(CmdValidate, APlanGivenWithAFleetItDoesNotFitNamesEveryProblemAtItsValue) {
  // fleet_valid.yaml has CAM-0001 and CAM-0107 (with AM-5Y-0001) only, and
  // no 5y alarm-management license in its pool.
  RunResult run = Validate("data/plan_valid.yaml data/fleet_valid.yaml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err,
            "data/plan_valid.yaml:10:11: camera CAM-0002 is not in account acme\n"
            "data/plan_valid.yaml:11:9: camera CAM-0108 is not in account acme\n"
            "data/plan_valid.yaml:13:5: not enough 5y alarm-management licenses in the pool: 2 "
            "cameras, 0 available\n"
            "data/plan_valid.yaml:13:15: camera CAM-0200 is not in account acme\n"
            "data/plan_valid.yaml:13:25: camera CAM-0201 is not in account acme\n");
  EXPECT_EQ(run.out,
            "data/plan_valid.yaml: invalid (plan, 5 errors)\n"
            "data/fleet_valid.yaml: ok (fleet, 1 account, 2 cameras, 2 licenses, 2 users, 1 key "
            "in registry)\n");
}

TEST(CmdValidate, APlanForAnAccountTheFleetLacksPointsAtTheAccount) {
  const std::string plan =
      ::testing::TempDir() + "globex_plan_" + std::to_string(getpid()) + ".yaml";
  {
    std::ofstream out(plan);
    out << "version: 1\naccount: globex\nmoves:\n  - from: CAM-0001\n    to: CAM-0107\n";
  }
  RunResult run = Validate("--quiet " + plan + " data/fleet_valid.yaml");
  std::remove(plan.c_str());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, plan + ":2:10: account globex is not in data/fleet_valid.yaml\n");
}

TEST(CmdValidate, AKeyGuardTheSourceDoesNotHoldPointsAtTheKey) {
  const std::string plan = ::testing::TempDir() + "key_plan_" + std::to_string(getpid()) + ".yaml";
  {
    std::ofstream out(plan);
    out << "version: 1\naccount: acme\nmoves:\n  - from: CAM-0001\n    to: CAM-0107\n"
           "    key: AM-5Y-0099\n";
  }
  RunResult run = Validate("--format json " + plan + " data/fleet_valid.yaml");
  std::remove(plan.c_str());
  EXPECT_EQ(run.exit_code, 3);
  const json::value doc = json::parse(run.out);
  const json::object& file = doc.at("files").at(0).as_object();
  EXPECT_EQ(file.at("valid"), false);
  const json::object& d = file.at("diagnostics").at(0).as_object();
  EXPECT_EQ(d.at("line"), 6);
  EXPECT_EQ(d.at("column"), 10);
  EXPECT_EQ(d.at("message"),
            "camera CAM-0001 holds AM-5Y-0001 for alarm-management, not AM-5Y-0099 (the move's "
            "key guard)");
}

TEST(CmdValidate, InvalidFilesExitThreeWithEveryProblemOnStderr) {
  RunResult run = Validate("data/plan_valid.yaml data/plan_invalid.yaml data/no-such.yaml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err,
            "data/plan_invalid.yaml:6:9: this move is from CAM-0001 to itself; from and to must "
            "be different cameras\n"
            "data/plan_invalid.yaml:10:11: term \"2y\" is not one of demo, 1y, 3y, 5y, longest\n"
            "data/no-such.yaml: cannot read: No such file or directory\n");
  EXPECT_EQ(run.out,
            "data/plan_valid.yaml: ok (plan, 2 moves, 1 assign)\n"
            "data/plan_invalid.yaml: invalid (plan, 2 errors)\n"
            "data/no-such.yaml: invalid (unknown kind, 1 error)\n");
}

// A plan with moves_csv: the CSV is validated with it, its problems named
// with the CSV's path, line and column.
TEST(CmdValidate, PlanWithMovesCsv) {
  RunResult ok = Validate("../../plans/swaps.yaml");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "../../plans/swaps.yaml: ok (plan, 4 moves, 0 assigns)\n");
  EXPECT_EQ(ok.err, "");

  RunResult bad = Validate("data/plan_csv_invalid.yaml");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.err,
            "data/moves_invalid.csv:1:17: unknown column \"auto_renw\"; did you mean "
            "\"auto_renew\"?\n"
            "data/moves_invalid.csv:2:1: camera CAM-0001 is already moved for alarm-management "
            "by the move at line 5 of data/plan_csv_invalid.yaml; a camera's license of a service "
            "moves once\n"
            "data/moves_invalid.csv:4:10: this row has 2 fields, the header has 4; an empty cell "
            "still needs its comma\n");
  EXPECT_EQ(bad.out, "data/plan_csv_invalid.yaml: invalid (plan, 3 errors)\n");
}

TEST(CmdValidate, QuietPrintsOnlyTheProblems) {
  RunResult ok = Validate("--quiet data/plan_valid.yaml data/fleet_for_plan_valid.yaml");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out, "");
  EXPECT_EQ(ok.err, "");

  RunResult bad = Validate("-q data/fleet_invalid.yaml");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("data/fleet_invalid.yaml:5:49: role \"superuser\" is not one of admin, "
                         "viewer\n"),
            std::string::npos);
}

TEST(CmdValidate, JsonFormatForCi) {
  RunResult run = Validate(
      "--format json data/plan_valid.yaml data/fleet_invalid.yaml "
      "data/unknown_kind.yaml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "");
  const json::value doc = json::parse(run.out);
  EXPECT_EQ(doc.at("format"), json::value("licmove-validate"));
  EXPECT_EQ(doc.at("format_version"), json::value(1));
  const json::array& files = doc.at("files").as_array();
  ASSERT_EQ(files.size(), 3u);

  EXPECT_EQ(files[0].at("file"), json::value("data/plan_valid.yaml"));
  EXPECT_EQ(files[0].at("kind"), json::value("plan"));
  EXPECT_EQ(files[0].at("valid"), json::value(true));
  EXPECT_TRUE(files[0].at("diagnostics").as_array().empty());

  EXPECT_EQ(files[1].at("kind"), json::value("fleet"));
  EXPECT_EQ(files[1].at("valid"), json::value(false));
  const json::array& ds = files[1].at("diagnostics").as_array();
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].at("line"), json::value(5));
  EXPECT_EQ(ds[0].at("column"), json::value(49));
  EXPECT_EQ(ds[0].at("message"), json::value("role \"superuser\" is not one of admin, viewer"));
  EXPECT_EQ(ds[1].at("line"), json::value(10));

  EXPECT_EQ(files[2].at("kind"), json::value("unknown"));
  EXPECT_EQ(files[2].at("valid"), json::value(false));
  EXPECT_EQ(files[2].at("diagnostics").as_array()[0].at("line"), json::value(0));

  RunResult ok = Validate("--format json data/fleet_valid.yaml");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(json::parse(ok.out).at("files").as_array()[0].at("valid"), json::value(true));
}

TEST(CmdValidate, UnsupportedVersionSaysWhichVersionsAreRead) {
  RunResult run = Validate("data/plan_v2.yaml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err,
            "data/plan_v2.yaml:1:10: version 2 is not supported: this licmove reads plan files of "
            "version 1; nothing else in the file was checked\n");
}

// `licmove validate FILE` as a child process, stderr to `err`; the exit
// code and the child's peak resident memory, from the kernel (wait4).
struct MeasuredRun {
  int exit_code = -1;
  long peak_rss_kib = 0;
};

MeasuredRun ValidateMeasured(const std::string& file, const std::string& err) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(LICMOVE_BINARY_DIR "/src/licmove/licmove", "licmove", "validate", file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  MeasuredRun run;
  int status = 0;
  rusage usage{};
  if (pid > 0 && wait4(pid, &status, 0, &usage) == pid) {
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peak_rss_kib = usage.ru_maxrss;
  }
  return run;
}

// Issue 9, item 6: this 1 MB plan made `licmove validate` take 6 GB and 43 s.
// It is refused at its second alias, having copied one list: the process
// stays within 128 MiB, a bound far above what reading a 1 MB file takes
// and far below what one more copy per alias would.
TEST(CmdValidate, AliasBombIsRefusedWithinBoundedMemory) {
  const std::string stem = ::testing::TempDir() + "licmove_bomb_" + std::to_string(getpid());
  const std::string bomb = stem + ".yaml";
  const std::string err = stem + ".err";
  const std::string text = testing::AliasByteBomb();
  {
    std::ofstream out(bomb, std::ios::binary);
    out << text;
  }
  const MeasuredRun run = ValidateMeasured(bomb, err);
  const std::string messages = Slurp(err);
  std::remove(bomb.c_str());
  std::remove(err.c_str());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(messages, bomb + ":" + std::to_string(testing::BombAliasLine(1)) +
                          ":15: aliases ('*name') expand this document beyond twice its own size "
                          "plus 256 KiB (" +
                          std::to_string(2 * text.size() + 256 * 1024) +
                          " bytes); write the values out instead\n");
  EXPECT_GT(run.peak_rss_kib, 0);
  EXPECT_LT(run.peak_rss_kib, 128 * 1024);
}

TEST(CmdValidate, UsageErrors) {
  EXPECT_EQ(Licmove("validate").exit_code, 64);
  EXPECT_EQ(Validate("--format xml data/plan_valid.yaml").exit_code, 64);
}

}  // namespace
}  // namespace licmove
