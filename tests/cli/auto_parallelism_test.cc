// `licmove apply --parallelism auto` against a separate portal-sim process
// whose rate limit licmove is not told (issue 13): the run completes with the
// account exactly as a fixed-parallelism run leaves it, the portal answered
// few 429s, and the event stream and the closing line show the limit.
// Counts are asserted with generous margins; wall time never.
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "run_fixture.h"

namespace licmove::testing {
namespace {

class AutoParallelism : public RunFixture {
 protected:
  AutoParallelism() : RunFixture("auto-parallelism") {}

  struct Ran {
    int code;
    std::string out;
    std::string err;
  };
  Ran Licmove(const std::vector<std::string>& argv) {
    const std::string out = (dir_ / "out.txt").string(), err = (dir_ / "err.txt").string();
    std::string cmd;
    for (const std::string& a : argv) cmd += "'" + a + "' ";
    const int status = std::system((cmd + "> " + out + " 2> " + err).c_str());
    return {WEXITSTATUS(status), ReadFileText(out), ReadFileText(err)};
  }
  std::vector<std::string> ApplyAuto(const ChildPortalSim& sim, const std::string& state) {
    return {kLicmove,  "apply", plan_,   "--portal",      sim.url(), "--token-file", token_,
            "--state", state,   "--yes", "--parallelism", "auto",    "--log-format", "json"};
  }
  // /api/ calls the simulator answered 429, from its own count.
  int RateLimitedAnswers(const ChildPortalSim& sim) {
    const boost::json::value stats = boost::json::parse(SimCall(sim, "GET", "/sim/stats"));
    int n = 0;
    for (const auto& [route, statuses] : stats.at("routes").as_object()) {
      if (const boost::json::value* c = statuses.as_object().if_contains("429")) {
        n += c->to_number<int>();
      }
    }
    return n;
  }
};

TEST_F(AutoParallelism, ARateLimitedPortalGetsTheWholeRunWithFew429s) {
  const Normalized target = Target();
  // 40 calls a second at 50 ms: about 2 calls in flight keep the rate, the
  // start (4) is above it and the bucket's first second hides it.
  auto sim = FreshSim("limited", {"--rate-limit", "40", "--latency", "50"});
  const Ran ran = Licmove(ApplyAuto(*sim, (dir_ / "state").string()));
  ASSERT_EQ(ran.code, 0) << ran.err;
  EXPECT_TRUE(Read(*sim) == target);

  std::vector<boost::json::object> events;
  std::istringstream lines(ran.out);
  for (std::string line; std::getline(lines, line);) {
    events.push_back(boost::json::parse(line).as_object());
  }
  ASSERT_GE(events.size(), 2u);
  const boost::json::object& started = events.front();
  EXPECT_EQ(started.at("parallelism_auto").as_bool(), true);
  const std::int64_t calls = started.at("calls").as_int64();
  int limit_events = 0;
  std::int64_t lowest = 1000, highest = 0;
  for (const auto& e : events) {
    if (e.at("event").as_string() != "limit") continue;
    ++limit_events;
    lowest = std::min(lowest, e.at("limit").as_int64());
    highest = std::max(highest, e.at("limit").as_int64());
  }
  EXPECT_GE(limit_events, 2);  // the start, and at least the back-off
  EXPECT_GE(lowest, 1);
  EXPECT_LE(highest, 64);
  EXPECT_LT(lowest, 4) << "the limit never came down under a rate limit";
  const boost::json::object& finished = events.back();
  EXPECT_EQ(finished.at("event").as_string(), "run_finished");
  EXPECT_EQ(finished.at("calls_done").as_int64(), calls);
  EXPECT_GE(finished.at("limit_settled").as_int64(), 1);
  EXPECT_LE(finished.at("limit_settled").as_int64(), 8);
  // The closing line (for people: on stderr with --log-format json).
  EXPECT_NE(ran.err.find("(parallelism auto: settled on "), std::string::npos) << ran.err;

  // Without the back-off, a fixed 10 in flight here would be answered 429 for
  // a large share of its calls; with it, a handful per second of discovery.
  const int rate_limited = RateLimitedAnswers(*sim);
  EXPECT_LE(rate_limited, 10 + calls / 10)
      << rate_limited << " answers 429 for " << calls << " calls";
}

TEST_F(AutoParallelism, AnUnlimitedPortalLetsItGrowAndTheRunMatchesAFixedOne) {
  const Normalized target = Target();
  auto sim = FreshSim("unlimited", {"--latency", "20"});
  const Ran ran = Licmove(ApplyAuto(*sim, (dir_ / "state").string()));
  ASSERT_EQ(ran.code, 0) << ran.err;
  EXPECT_TRUE(Read(*sim) == target);
  EXPECT_EQ(RateLimitedAnswers(*sim), 0);
  EXPECT_NE(ran.err.find("(parallelism auto: settled on "), std::string::npos) << ran.err;
}

TEST_F(AutoParallelism, TheFlagTakesAutoOrAWholeNumberInRange) {
  // Refused while the command line is read: no portal is reached.
  for (const char* bad : {"0", "257", "fast", "4.5", ""}) {
    const Ran ran =
        Licmove({kLicmove, "apply", plan_, "--portal", "http://127.0.0.1:9", "--token-file", token_,
                 "--state", (dir_ / "state").string(), "--yes", "--parallelism", bad});
    EXPECT_EQ(ran.code, 64) << bad << ": " << ran.err;
    EXPECT_NE(ran.err.find("--parallelism"), std::string::npos) << ran.err;
  }
  const Ran help = Licmove({kLicmove, "help", "resume"});
  EXPECT_NE(help.out.find("--parallelism INT|auto"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace licmove::testing
