// A new user's first minutes with the real binaries: usage, help, version,
// "did you mean" for typos, and --help that shows defaults and examples.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace licmove {
namespace {

const std::string kBin = LICMOVE_BINARY_DIR;
const std::string kLicmove = kBin + "/src/licmove/licmove";
const std::string kSim = kBin + "/src/portal_sim/portal-sim";
const std::string kFleetgen = kBin + "/examples/generator/licmove-fleetgen";
const std::string kSource = LICMOVE_SOURCE_DIR;

struct Ran {
  int code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` (a shell command line) from the source directory, stdin
// closed, capturing stdout and stderr apart.
Ran Shell(const std::string& command) {
  const std::string stem = ::testing::TempDir() + "first_contact_" + std::to_string(getpid());
  const std::string out = stem + ".out", err = stem + ".err";
  const int status = std::system(
      ("cd " + kSource + " && " + command + " </dev/null >" + out + " 2>" + err).c_str());
  Ran r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

Ran Licmove(const std::string& args) {
  return Shell(kLicmove + " " + args);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every line of `text` starts with `prefix`.
void ExpectEveryLineStartsWith(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) EXPECT_EQ(line.rfind(prefix, 0), 0u) << line;
}

TEST(CliFirstContact, NoCommandShowsTheCommandsAndExits64) {
  const Ran r = Licmove("");
  EXPECT_EQ(r.code, 64);
  for (const char* command : {"validate", "plan", "apply", "resume", "rollback", "runs", "status",
                              "unlock", "state", "help", "version"}) {
    EXPECT_TRUE(Has(r.err, "  " + std::string(command) + " ")) << command << "\n" << r.err;
  }
  EXPECT_TRUE(Has(r.err, "licmove: a command is required")) << r.err;
  EXPECT_FALSE(Has(r.err, "A subcommand is required")) << r.err;
}

TEST(CliFirstContact, HelpListsTheCommandsOnStdout) {
  const Ran r = Licmove("help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(Has(r.out, "Usage: licmove")) << r.out;
  EXPECT_TRUE(Has(r.out, "  plan ")) << r.out;
  EXPECT_TRUE(Has(r.out, "licmove help COMMAND")) << r.out;
  // The same as --help.
  EXPECT_EQ(Licmove("--help").out, r.out);
}

TEST(CliFirstContact, HelpCommandIsTheCommandsHelp) {
  const Ran help = Licmove("help plan");
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_EQ(help.out, Licmove("plan --help").out);
  EXPECT_TRUE(Has(help.out, "Usage: licmove plan")) << help.out;
  const Ran nested = Licmove("help state migrate");
  EXPECT_EQ(nested.code, 0) << nested.err;
  EXPECT_TRUE(Has(nested.out, "Usage: licmove state migrate")) << nested.out;
  const Ran typo = Licmove("help pln");
  EXPECT_EQ(typo.code, 64);
  EXPECT_EQ(typo.err, "licmove: unknown command \"pln\"; did you mean \"plan\"?\n");
}

TEST(CliFirstContact, VersionOnEveryProgram) {
  const std::string v = std::string(" ") + LICMOVE_TEST_VERSION + "\n";
  EXPECT_EQ(Licmove("version").out, "licmove" + v);
  EXPECT_EQ(Licmove("--version").out, "licmove" + v);
  EXPECT_EQ(Licmove("version").code, 0);
  const Ran sim = Shell(kSim + " --version");
  EXPECT_EQ(sim.code, 0) << sim.err;
  EXPECT_EQ(sim.out, "portal-sim" + v);
  const Ran gen = Shell(kFleetgen + " --version");
  EXPECT_EQ(gen.code, 0) << gen.err;
  EXPECT_EQ(gen.out, "licmove-fleetgen" + v);
}

TEST(CliFirstContact, ATypoedCommandGetsADidYouMean) {
  Ran r = Licmove("aply plans/move.yaml");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove: unknown command \"aply\"; did you mean \"apply\"?\n");
  r = Licmove("state migarte --to /tmp/x");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove state: unknown command \"migarte\"; did you mean \"migrate\"?\n");
  r = Licmove("deploy");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err,
            "licmove: unknown command \"deploy\"; the commands are listed by: licmove help\n");
}

TEST(CliFirstContact, ATypoedFlagGetsADidYouMean) {
  Ran r = Licmove("plan plans/move.yaml --snapshot examples/fleets/small.yaml --fromat json");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove plan: unknown flag --fromat; did you mean --format?\n");
  r = Licmove("runs --stat /tmp/x");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove runs: unknown flag --stat; did you mean --state?\n");
  r = Licmove("apply plans/move.yaml --portal sim://examples/fleets/small.yaml --yse");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove apply: unknown flag --yse; did you mean --yes?\n");
  r = Licmove("validate -x plans/move.yaml");  // one letter: no guess
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err,
            "licmove validate: unknown flag -x; its flags are listed by: licmove help "
            "validate\n");
  r = Licmove("validate -format json plans/move.yaml");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove validate: unknown flag -format; did you mean --format?\n");
  // --flag=value is one flag.
  r = Licmove("validate --fromat=json plans/move.yaml");
  EXPECT_EQ(r.code, 64);
  EXPECT_EQ(r.err, "licmove validate: unknown flag --fromat; did you mean --format?\n");
  // A value that looks like a typo is not one.
  EXPECT_EQ(Licmove("validate --format json plans/move.yaml").code, 0);
}

TEST(CliFirstContact, EveryUsageErrorLineStartsWithLicmove) {
  for (const char* args : {"plan", "plan plans/move.yaml --snapshot x --parallelism 0",
                           "validate --format xml plans/move.yaml", "state", "plan plans/move.yaml",
                           "plan plans/move.yaml --portal ftp://x",
                           "apply plans/move.yaml --portal http://portal.example --yes"}) {
    const Ran r = Licmove(args);
    EXPECT_EQ(r.code, 64) << args << "\n" << r.err;
    std::string last = r.err.substr(0, r.err.size() - 1);
    last = last.substr(last.rfind('\n') + 1);  // after a usage text, its last line
    EXPECT_EQ(last.rfind("licmove", 0), 0u) << args << ": " << r.err;
  }
  ExpectEveryLineStartsWith(Licmove("plan").err, "licmove plan: ");
}

TEST(CliFirstContact, HelpShowsDefaultsRangesAndExamples) {
  const Ran apply = Licmove("help apply");
  EXPECT_TRUE(Has(apply.out, "--timeout INT:INT in [1 - 3600]=30")) << apply.out;
  EXPECT_TRUE(Has(apply.out, "--parallelism INT|auto:in [1 - 256] or auto=10")) << apply.out;
  EXPECT_TRUE(Has(apply.out, "--rate FLOAT:FLOAT in [0 - 100000]=0")) << apply.out;
  EXPECT_TRUE(Has(apply.out, "Default: $LICMOVE_STATE, else")) << apply.out;
  EXPECT_TRUE(Has(apply.out, "Examples:\n  licmove apply plans/move.yaml")) << apply.out;
  EXPECT_TRUE(Has(apply.out, "Exit codes: 0 applied")) << apply.out;
  const Ran plan = Licmove("help plan");
  EXPECT_TRUE(Has(plan.out, "--parallelism INT|auto:in [1 - 256] or auto=10")) << plan.out;
  EXPECT_TRUE(Has(plan.out, "Examples:\n  licmove plan plans/move.yaml --snapshot")) << plan.out;
  for (const char* command : {"validate", "plan", "apply", "resume", "rollback", "runs", "status",
                              "unlock", "state migrate"}) {
    Ran r = Licmove(std::string("help ") + command);
    EXPECT_EQ(r.code, 0) << command;
    for (char& c : r.out) c = c == '\n' ? ' ' : c;  // footers are wrapped
    EXPECT_TRUE(Has(r.out, "Example")) << command << "\n" << r.out;
    EXPECT_TRUE(Has(r.out, "Exit codes: ")) << command << "\n" << r.out;
    EXPECT_TRUE(Has(r.out, "64 bad command line")) << command << "\n" << r.out;
  }
  // The program's own help has no exit code list of its own: it points at
  // the commands' and the README's.
  EXPECT_FALSE(Has(Licmove("help").out, "Exit codes:"));
}

}  // namespace
}  // namespace licmove
