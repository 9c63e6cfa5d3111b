// `licmove runs --format json` and `licmove status RUN --format json` through
// the real binary, read as a CI job reads them (docs/EXECUTOR.md, "Reading
// runs"): runs killed, rolled back, applied, at work and interrupted, with
// the state in a directory and in PostgreSQL.
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "pg_environment.h"
#include "run_fixture.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::kLicmove;
using testing::ReadFileText;
using testing::RunProcess;
using testing::Subprocess;

const auto* const kPgEnvironment = ::testing::AddGlobalTestEnvironment(new testing::PgEnvironment);

const std::string kFleet = LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml";
const std::string kMovePlan = LICMOVE_SOURCE_DIR "/plans/move.yaml";

// What a command wrote to each stream, and its exit code.
struct Output {
  int code = -1;
  std::string out, err;
};

// Runs licmove with `args`, stdout and stderr kept apart (under a shell:
// Subprocess sends both to one file).
Output Licmove(const fs::path& dir, const std::vector<std::string>& args,
               std::vector<std::string> env = {}) {
  const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$@\" >\"$OUT\" 2>\"$ERR\"", "sh",
                                   kLicmove};
  argv.insert(argv.end(), args.begin(), args.end());
  env.push_back("OUT=" + out);
  env.push_back("ERR=" + err);
  Output o;
  o.code = RunProcess(argv, env);
  o.out = ReadFileText(out);
  o.err = ReadFileText(err);
  return o;
}

// The document a command printed, or null with a test failure.
json::value Document(const Output& o) {
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_EQ(o.err, "");
  boost::system::error_code ec;
  json::value v = json::parse(o.out, ec);
  EXPECT_FALSE(ec) << "not one JSON document: " << o.out;
  return ec ? json::value() : v;
}

std::string Str(const json::value& v, std::string_view key) {
  const json::value* f = v.as_object().if_contains(key);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

// -1 when missing or not an integer.
std::int64_t Int(const json::value& v, std::string_view key) {
  const json::value* f = v.as_object().if_contains(key);
  if (f && f->is_int64()) return f->as_int64();
  if (f && f->is_uint64()) return static_cast<std::int64_t>(f->as_uint64());
  return -1;
}

// "2026-11-29T23:23:01Z": RFC 3339 in UTC, whole seconds (which sorts as
// time does).
bool IsUtcTimestamp(const std::string& t) {
  return t.size() == 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
         t[16] == ':' && t[19] == 'Z';
}

// Every field of a run in both documents, and what holds for any run.
void ExpectRunFields(const json::value& run) {
  for (const char* key : {"run_id", "kind", "account", "plan_identity", "parent_run", "portal",
                          "host", "pid", "started_at", "result", "rolled_back_by", "ops_total",
                          "ops_done", "ops_failed", "ops_unknown"}) {
    EXPECT_TRUE(run.as_object().contains(key)) << key << " missing in " << run;
  }
  EXPECT_TRUE(IsUtcTimestamp(Str(run, "started_at"))) << run;
  if (run.as_object().contains("ended_at")) {
    EXPECT_TRUE(IsUtcTimestamp(Str(run, "ended_at"))) << run;
    EXPECT_GE(Str(run, "ended_at"), Str(run, "started_at")) << run;
  }
  EXPECT_GT(Int(run, "pid"), 0) << run;
  EXPECT_LE(Int(run, "ops_done") + Int(run, "ops_failed") + Int(run, "ops_unknown"),
            Int(run, "ops_total"))
      << run;
}

// The runs of a `runs` document of one kind, in its order (oldest first).
std::vector<json::value> RunsOfKind(const json::value& doc, const std::string& kind) {
  std::vector<json::value> out;
  for (const json::value& r : doc.at("runs").as_array()) {
    if (Str(r, "kind") == kind) out.push_back(r);
  }
  return out;
}

// The embedded simulator on the small fleet, the move plan, and a state that
// is a directory or a PostgreSQL schema.
class RunsJson : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string name = "runsjson" + std::to_string(::getpid());
    for (char c : test) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u)) name += static_cast<char>(std::tolower(u));
    }
    dir_ = fs::temp_directory_path() / ("licmove-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "dir") {
      state_ = (dir_ / "state").string();
    } else {
      ASSERT_NE(testing::PgEnvironment::Server(), nullptr);
      state_ = testing::PgEnvironment::Server()->Url() + "&schema=" + name.substr(0, 50);
    }
    // The embedded simulator keeps its state in the local state directory,
    // which with PostgreSQL is the default one: here, not in $HOME.
    env_ = {"XDG_STATE_HOME=" + (dir_ / "xdg").string()};
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Output Run(std::vector<std::string> args, std::vector<std::string> extra_env = {}) {
    args.insert(args.end(), {"--state", state_});
    extra_env.insert(extra_env.end(), env_.begin(), env_.end());
    return Licmove(dir_, args, extra_env);
  }
  std::vector<std::string> Apply() {
    return {"apply", kMovePlan, "--portal", "sim://" + kFleet, "--yes"};
  }
  json::value Runs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"runs", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Document(Run(args));
  }
  json::value Status(const std::string& run) {
    return Document(Run({"status", run, "--format", "json"}));
  }
  // The plan the runs apply, as `licmove plan --format json` shows it.
  json::value Plan() {
    return Document(Licmove(dir_, {"plan", kMovePlan, "--snapshot", kFleet, "--format", "json"}));
  }

  fs::path dir_;
  std::string state_;
  std::vector<std::string> env_;
};

TEST_P(RunsJson, KilledRolledBackAndAppliedRunsAsCiReadsThem) {
  const json::value plan = Plan();
  ASSERT_TRUE(plan.is_object());
  const std::int64_t calls = plan.at("summary").at("calls").as_int64();
  const json::array& plan_ops = plan.at("ops").as_array();
  ASSERT_EQ(calls, 14);

  // No runs yet: the document is there, with an empty list.
  json::value doc = Runs();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(Str(doc, "format"), "licmove-runs");
  EXPECT_EQ(Int(doc, "format_version"), 1);
  EXPECT_FALSE(Str(doc, "state").empty());
  EXPECT_EQ(Str(doc, "state").find("password"), std::string::npos);
  EXPECT_TRUE(doc.at("runs").as_array().empty());

  // An apply killed after its third journal write: unfinished, no end.
  Output killed = Run(Apply(), {"LICMOVE_TEST_KILL_AFTER_SYNCS=3"});
  ASSERT_EQ(killed.code, 128 + SIGKILL) << killed.out << killed.err;
  doc = Runs();
  ASSERT_EQ(doc.at("runs").as_array().size(), 1u) << doc;
  const json::value a = doc.at("runs").as_array()[0];
  ExpectRunFields(a);
  const std::string first = Str(a, "run_id");
  EXPECT_EQ(Str(a, "kind"), "apply");
  EXPECT_EQ(Str(a, "account"), "acme");
  EXPECT_TRUE(a.at("parent_run").is_null());
  EXPECT_EQ(Str(a, "result"), "unfinished");  // its process is gone: not running
  EXPECT_FALSE(a.as_object().contains("ended_at"));
  EXPECT_TRUE(a.at("rolled_back_by").is_null());
  EXPECT_EQ(Int(a, "ops_total"), calls);
  EXPECT_EQ(Int(a, "ops_failed"), 0);

  // Its status, op by op: the plan's ops, each in the state the counts say.
  json::value status = Status(first);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(Str(status, "format"), "licmove-status");
  EXPECT_EQ(Int(status, "format_version"), 1);
  EXPECT_EQ(Str(status, "state"), Str(doc, "state"));
  ExpectRunFields(status);
  EXPECT_EQ(Str(status, "run_id"), first);
  EXPECT_EQ(Str(status, "result"), "unfinished");
  const json::array& ops = status.at("ops").as_array();
  ASSERT_EQ(static_cast<std::int64_t>(ops.size()), calls);
  std::map<std::string, std::int64_t> states;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const json::value& op = ops[i];
    const json::value& planned = plan_ops[i];
    EXPECT_EQ(Int(op, "id"), static_cast<std::int64_t>(i));
    EXPECT_EQ(Str(op, "kind"), Str(planned, "kind")) << op;
    EXPECT_EQ(Str(op, "camera"), Str(planned, "camera")) << op;
    EXPECT_EQ(Str(op, "service"), Str(planned, "service")) << op;
    if (Str(op, "kind") == "activate") {
      EXPECT_EQ(Str(op, "expect_key"), Str(planned, "expect_key")) << op;
    } else {
      EXPECT_EQ(Str(op, "key"), Str(planned, "key")) << op;
    }
    ++states[Str(op, "state")];
  }
  EXPECT_EQ(states["done"], Int(a, "ops_done"));
  EXPECT_EQ(states["sent"] + states["unknown"], Int(a, "ops_unknown"));
  EXPECT_EQ(states["done"] + states["sent"] + states["unknown"] + states["not_started"], calls)
      << status;
  EXPECT_GT(states["not_started"], 0) << status;

  // Rolled back: the killed run names its rollback, which completed.
  Output rollback = Run({"rollback", first, "--portal", "sim://" + kFleet, "--yes"});
  ASSERT_EQ(rollback.code, 0) << rollback.out << rollback.err;
  doc = Runs();
  ASSERT_EQ(doc.at("runs").as_array().size(), 2u) << doc;
  const std::vector<json::value> rollbacks = RunsOfKind(doc, "rollback");
  ASSERT_EQ(rollbacks.size(), 1u) << doc;
  const json::value& b = rollbacks[0];
  ExpectRunFields(b);
  const std::string second = Str(b, "run_id");
  EXPECT_EQ(Str(b, "parent_run"), first);
  EXPECT_EQ(Str(b, "result"), "completed");
  EXPECT_TRUE(IsUtcTimestamp(Str(b, "ended_at"))) << b;
  EXPECT_EQ(Int(b, "ops_done"), Int(b, "ops_total"));
  EXPECT_TRUE(b.at("rolled_back_by").is_null());
  const std::vector<json::value> applies = RunsOfKind(doc, "apply");
  ASSERT_EQ(applies.size(), 1u);
  EXPECT_EQ(Str(applies[0], "run_id"), first);
  EXPECT_EQ(Str(applies[0], "result"), "unfinished");
  EXPECT_EQ(Str(applies[0], "rolled_back_by"), second);
  EXPECT_EQ(Str(Status(first), "rolled_back_by"), second);

  // Applied again (the ledger shows it rolled back: --reapply), to the end:
  // every call of the plan done.
  std::vector<std::string> reapply = Apply();
  reapply.push_back("--reapply");
  Output applied = Run(reapply);
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  doc = Runs();
  ASSERT_EQ(doc.at("runs").as_array().size(), 3u) << doc;
  const std::vector<json::value> all_applies = RunsOfKind(doc, "apply");
  ASSERT_EQ(all_applies.size(), 2u);
  const json::value& c = Str(all_applies[0], "run_id") == first ? all_applies[1] : all_applies[0];
  ExpectRunFields(c);
  const std::string third = Str(c, "run_id");
  EXPECT_NE(third, first);
  EXPECT_EQ(Str(c, "result"), "completed");
  EXPECT_TRUE(IsUtcTimestamp(Str(c, "ended_at"))) << c;
  EXPECT_EQ(Int(c, "ops_total"), calls);
  EXPECT_EQ(Int(c, "ops_done"), calls);
  EXPECT_EQ(Int(c, "ops_failed"), 0);
  EXPECT_EQ(Int(c, "ops_unknown"), 0);
  EXPECT_TRUE(c.at("rolled_back_by").is_null());
  status = Status(third);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(Str(status, "result"), "completed");
  ASSERT_EQ(static_cast<std::int64_t>(status.at("ops").as_array().size()), calls);
  for (const json::value& op : status.at("ops").as_array()) {
    EXPECT_EQ(Str(op, "state"), "done") << op;
    // An activation's key as the journal has it: the one the portal gave,
    // which the run verified against the plan's.
    if (Str(op, "kind") == "activate") {
      EXPECT_EQ(Str(op, "key"), Str(op, "expect_key")) << op;
    }
    if (Str(op, "kind") == "add_camera") {
      EXPECT_FALSE(Str(op, "camera_id").empty()) << op;  // the portal's new id
    }
  }

  // Only one account's runs.
  EXPECT_EQ(Runs({"--account", "acme"}).at("runs").as_array().size(), 3u);
  EXPECT_TRUE(Runs({"--account", "globex"}).at("runs").as_array().empty());
}

TEST_P(RunsJson, StatusOfNoSuchRunSaysHowToListRuns) {
  const Output o = Run({"status", "nope", "--format", "json"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("licmove: no such run nope; list runs with: licmove runs", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("--state"), std::string::npos) << o.err;  // this state, not the default
  EXPECT_EQ(Run({"status", "nope"}).code, 1);
}

INSTANTIATE_TEST_SUITE_P(DirAndPostgres, RunsJson, ::testing::Values("dir", "pg"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// A run at work (a portal-sim process whose every answer takes 250 ms, so
// that the run is still at work after two other commands ran, even under
// TSan), then stopped by SIGINT, then resumed.
class RunsJsonLive : public testing::RunFixture {
 protected:
  RunsJsonLive() : RunFixture("runsjson") {}
  json::value RunsDoc(const std::string& state) {
    return Document(Licmove(dir_, {"runs", "--state", state, "--format", "json"}));
  }
};

TEST_F(RunsJsonLive, RunningThenInterruptedThenCompleted) {
  auto sim = FreshSim("live", {"--latency", "250"});
  const std::string state = (dir_ / "state").string();
  const std::string log = (dir_ / "apply.log").string();
  auto apply = Subprocess::Start(Apply(*sim, state), {}, log);
  ASSERT_TRUE(WaitForIntents(state, 4, apply->pid())) << ReadFileText(log);
  json::value doc = RunsDoc(state);
  ASSERT_EQ(doc.at("runs").as_array().size(), 1u) << doc;
  EXPECT_EQ(Str(doc.at("runs").as_array()[0], "result"), "running") << doc;
  EXPECT_FALSE(doc.at("runs").as_array()[0].as_object().contains("ended_at"));
  const std::string run = RunId(state);
  EXPECT_EQ(
      Str(Document(Licmove(dir_, {"status", run, "--state", state, "--format", "json"})), "result"),
      "running");

  ::kill(apply->pid(), SIGINT);
  ASSERT_EQ(apply->Wait(), 130) << ReadFileText(log);
  doc = RunsDoc(state);
  const json::value r = doc.at("runs").as_array()[0];
  ExpectRunFields(r);
  EXPECT_EQ(Str(r, "run_id"), run);
  EXPECT_EQ(Str(r, "result"), "interrupted");
  EXPECT_TRUE(IsUtcTimestamp(Str(r, "ended_at"))) << r;
  // Every op sent was answered before it stopped; the rest wait for a resume.
  EXPECT_EQ(Int(r, "ops_unknown"), 0) << r;
  EXPECT_LT(Int(r, "ops_done"), Int(r, "ops_total")) << r;

  ASSERT_EQ(RunProcess(Resume(*sim, state, run), {}, log), 0) << ReadFileText(log);
  doc = RunsDoc(state);
  const json::value resumed = doc.at("runs").as_array()[0];
  EXPECT_EQ(Str(resumed, "result"), "completed") << resumed;
  EXPECT_EQ(Int(resumed, "ops_done"), Int(resumed, "ops_total")) << resumed;
  EXPECT_GE(Str(resumed, "ended_at"), Str(r, "ended_at"));
}

}  // namespace
}  // namespace licmove
