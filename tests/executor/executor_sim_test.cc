// The executor against the real portal-sim over loopback HTTP, with a graph
// written by hand (so this tests the executor, not the planner): the seed's
// move of a 5-year key, with parks and a restored collateral service.
#include "executor/executor.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "journal/file_journal.h"
#include "planner/ops_json.h"
#include "portal/account_reader.h"
#include "portal_sim/portal_sim.h"

namespace licmove {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

const std::string kFleet = std::string(LICMOVE_SOURCE_DIR) + "/examples/fleets/small.yaml";

// plans/move.yaml against examples/fleets/small.yaml: AM-5Y-0001 from
// CAM-0001 to CAM-0007. Every shorter alarm-management pool key is parked;
// CAM-0001's remote-maintenance key RM-1Y-0101 (92 days) is restored after
// parking RM-DEMO-0110 (90 days).
const char* kMovePlan = R"({"format_version":1,"account":"acme","ops":[
 {"id":0,"kind":"park","key":"AM-DEMO-0012","after":[]},
 {"id":1,"kind":"park","key":"AM-1Y-0011","after":[]},
 {"id":2,"kind":"park","key":"AM-1Y-0010","after":[]},
 {"id":3,"kind":"park","key":"AM-3Y-0015","after":[]},
 {"id":4,"kind":"park","key":"RM-DEMO-0110","after":[]},
 {"id":5,"kind":"remove_camera","camera":"CAM-0001","after":[]},
 {"id":6,"kind":"activate","camera":"CAM-0007","service":"alarm-management",
  "expect_key":"AM-5Y-0001","auto_renew":true,"after":[0,1,2,3,5]},
 {"id":7,"kind":"add_camera","camera":"CAM-0001","name":"Lobby","site":"HQ","after":[5]},
 {"id":8,"kind":"activate","camera":"CAM-0001","service":"remote-maintenance",
  "expect_key":"RM-1Y-0101","auto_renew":false,"after":[4,7]},
 {"id":9,"kind":"unpark","key":"AM-DEMO-0012","after":[6]},
 {"id":10,"kind":"unpark","key":"AM-1Y-0011","after":[6]},
 {"id":11,"kind":"unpark","key":"AM-1Y-0010","after":[6]},
 {"id":12,"kind":"unpark","key":"AM-3Y-0015","after":[6]},
 {"id":13,"kind":"unpark","key":"RM-DEMO-0110","after":[8]}]})";

struct Harness {
  std::unique_ptr<sim::PortalSim> sim;
  HttpClientOptions http;

  explicit Harness(sim::FaultOptions faults = {}) {
    sim::SimOptions o;
    o.fleet_file = kFleet;
    o.faults = faults;
    auto started = sim::PortalSim::Start(o);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    sim = std::move(started.value());
    http.url = *ParsePortalUrl(sim->url(), false);
    http.token = "admin-secret";
    http.timeout = std::chrono::seconds(5);
  }

  // A plain GET (for /sim/).
  std::string Get(const std::string& target) {
    HttpRequest req;
    req.target = target;
    auto res = SendBlocking(http, std::move(req));
    return res.ok() ? res->body : std::string();
  }

  AccountSnapshot Read() {
    auto snap = ReadAccountBlocking(http, "acme");
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    return snap.ok() ? std::move(snap.value()) : AccountSnapshot{};
  }

  ExecutionSummary Execute(const std::string& plan_json, ExecutorOptions options,
                           JournalWriter* journal = nullptr,
                           ExecutionObserver* observer = nullptr) {
    auto plan = OpsFromJson(boost::json::parse(plan_json).at("ops"));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_TRUE(plan->Validate().ok());
    const AccountSnapshot before = Read();
    std::map<std::string, std::string> ids;
    for (const Camera& c : before.account.cameras) ids[c.serial] = c.id;
    asio::io_context io;
    HttpClient client(io.get_executor(), http);
    Schedule schedule(*plan);
    Executor executor(io.get_executor(), "acme", *plan, schedule, client, journal, ids, options,
                      observer);
    ExecutionSummary out;
    asio::co_spawn(io, executor.Run(), [&](std::exception_ptr e, ExecutionSummary s) {
      EXPECT_FALSE(e);
      out = std::move(s);
    });
    io.run();
    return out;
  }
};

void ExpectMoveLanded(const AccountSnapshot& after) {
  const Account& a = after.account;
  ASSERT_NE(a.LicenseOn("CAM-0007", "alarm-management"), nullptr);
  EXPECT_EQ(a.LicenseOn("CAM-0007", "alarm-management")->key, "AM-5Y-0001");
  EXPECT_TRUE(a.LicenseOn("CAM-0007", "alarm-management")->auto_renew);
  ASSERT_NE(a.LicenseOn("CAM-0001", "remote-maintenance"), nullptr);
  EXPECT_EQ(a.LicenseOn("CAM-0001", "remote-maintenance")->key, "RM-1Y-0101");
  EXPECT_EQ(a.LicenseOn("CAM-0001", "alarm-management"), nullptr);
  EXPECT_EQ(a.cameras.size(), 10u);
  // Every key is back in the account: nothing left parked, nothing activated
  // that the plan did not place.
  EXPECT_EQ(a.licenses.size(), 16u);
  for (const char* k : {"AM-DEMO-0012", "AM-1Y-0011", "AM-1Y-0010", "AM-3Y-0015", "RM-DEMO-0110"}) {
    const License* l = a.FindLicense(k);
    ASSERT_NE(l, nullptr) << k;
    EXPECT_FALSE(l->assigned()) << k;
  }
  EXPECT_FALSE(a.FindLicense("AM-DEMO-0012")->activated_at.has_value());
}

TEST(ExecutorSim, AppliesTheSeedMove) {
  Harness h;
  ExecutorOptions o;
  o.run_id = "t1";
  o.parallelism = 4;
  const ExecutionSummary s = h.Execute(kMovePlan, o);
  EXPECT_TRUE(s.complete()) << s.first_error;
  EXPECT_FALSE(s.verification_failed);
  EXPECT_EQ(s.requests_sent, 14u);
  EXPECT_EQ(s.results[6].license_key, "AM-5Y-0001");
  ExpectMoveLanded(h.Read());
}

TEST(ExecutorSim, SurvivesEveryFaultAtOnceWithoutDoubleEffects) {
  sim::FaultOptions f;
  f.latency_ms = 2;
  f.jitter_ms = 2;
  f.error_rate = 0.2;
  f.rate_limit = 200;
  f.drop_rate = 0.2;
  f.reset_rate = 0.1;
  f.seed = 5;
  Harness h(f);
  ExecutorOptions o;
  o.run_id = "t2";
  o.parallelism = 8;
  o.retry.max_attempts = 30;
  o.retry.base_delay = std::chrono::milliseconds(1);
  o.retry.max_delay = std::chrono::milliseconds(20);
  const ExecutionSummary s = h.Execute(kMovePlan, o);
  ASSERT_TRUE(s.complete()) << s.first_error;
  EXPECT_GT(s.requests_sent, 14u);  // faults forced retries
  ASSERT_TRUE(h.sim->SetFaults({}).ok());
  ExpectMoveLanded(h.Read());
  // No activation took effect twice: a second one on a camera would have been
  // answered 409 (service already active) or moved another key; every retry
  // of a dropped activation was answered from the idempotency record.
  const boost::json::value stats = boost::json::parse(h.Get("/sim/stats"));
  const boost::json::object& routes = stats.at("routes").as_object();
  const auto* activate =
      routes.if_contains("POST /api/v1/accounts/{a}/cameras/{id}/services/{service}/activate");
  ASSERT_NE(activate, nullptr);
  EXPECT_EQ(activate->as_object().if_contains("409"), nullptr) << boost::json::serialize(stats);
  EXPECT_NE(activate->as_object().if_contains("200"), nullptr);
}

TEST(ExecutorSim, WrongPredictionStopsNewWork) {
  // Without the parks the portal hands CAM-0007 the 90-day demo key.
  const char* no_parks = R"({"format_version":1,"account":"acme","ops":[
   {"id":0,"kind":"remove_camera","camera":"CAM-0001","after":[]},
   {"id":1,"kind":"activate","camera":"CAM-0007","service":"alarm-management",
    "expect_key":"AM-5Y-0001","after":[0]},
   {"id":2,"kind":"add_camera","camera":"CAM-0001","name":"Lobby","site":"HQ","after":[1]}]})";
  Harness h;
  ExecutorOptions o;
  o.run_id = "t3";
  const ExecutionSummary s = h.Execute(no_parks, o);
  EXPECT_TRUE(s.verification_failed);
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.results[1].license_key, "AM-DEMO-0012");
  EXPECT_NE(s.first_error.find("expected AM-5Y-0001"), std::string::npos) << s.first_error;
  EXPECT_EQ(s.results[2].state, OpResult::State::kBlocked);
}

// The order in which ops were started.
struct StartOrder : ExecutionObserver {
  std::vector<int> started;
  void OpStarted(const Op& op) override { started.push_back(op.id); }
};

TEST(ExecutorSim, AnAccountChangedUnderTheRunStartsNothingNew) {
  Harness h;
  // Someone else parks AM-3Y-0015 before the run gets to it: the plan's park
  // of it is answered 404.
  HttpRequest park;
  park.method = HttpMethod::kDelete;
  park.target = "/api/v1/accounts/acme/licenses/AM-3Y-0015";
  auto parked = SendBlocking(h.http, std::move(park));
  ASSERT_TRUE(parked.ok());
  ASSERT_EQ(parked->status, 200u);
  ExecutorOptions o;
  o.run_id = "t6";
  o.parallelism = 1;  // one call at a time: "nothing new" is exact
  StartOrder order;
  const ExecutionSummary s = h.Execute(kMovePlan, o, nullptr, &order);
  EXPECT_TRUE(s.account_changed);
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.results[3].state, OpResult::State::kFailed);
  EXPECT_NE(s.first_error.find("404"), std::string::npos) << s.first_error;
  EXPECT_NE(s.first_error.find("AM-3Y-0015"), std::string::npos) << s.first_error;
  ASSERT_FALSE(order.started.empty());
  EXPECT_EQ(order.started.back(), 3) << "an op was started after the 404";
  EXPECT_EQ(s.requests_sent, order.started.size());
}

TEST(ExecutorSim, PortalRefusalNamesTheCallAndCamera) {
  const char* bad = R"({"format_version":1,"account":"acme","ops":[
   {"id":0,"kind":"activate","camera":"CAM-0002","service":"alarm-management",
    "expect_key":"AM-DEMO-0012","after":[]}]})";
  Harness h;
  ExecutorOptions o;
  o.run_id = "t4";
  const ExecutionSummary s = h.Execute(bad, o);
  EXPECT_EQ(s.results[0].state, OpResult::State::kFailed);
  EXPECT_NE(s.first_error.find("CAM-0002"), std::string::npos) << s.first_error;
  EXPECT_NE(s.first_error.find("409"), std::string::npos) << s.first_error;
}

// The journal's files with a slow fsync, or appends that fail from the Nth
// on (the run header is the first). Called on the executor's journal thread.
class ControlledJournalFs : public FileSystemWrapper {
 public:
  ControlledJournalFs() : FileSystemWrapper(PosixFileSystem()) {}
  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    auto f = FileSystemWrapper::OpenAppendable(path);
    if (!f.ok()) return f.status();
    return std::unique_ptr<AppendableFile>(new File(std::move(f.value()), *this));
  }
  std::chrono::milliseconds sync_delay{0};
  int fail_appends_from = 1 << 30;
  std::atomic<int> appends{0};

 private:
  struct File : AppendableFileWrapper {
    File(std::unique_ptr<AppendableFile> f, ControlledJournalFs& o)
        : AppendableFileWrapper(std::move(f)), owner(o) {}
    Status Append(std::string_view data) override {
      if (++owner.appends >= owner.fail_appends_from) return Status::IOError("injected");
      return AppendableFileWrapper::Append(data);
    }
    Status Sync() override {
      std::this_thread::sleep_for(owner.sync_delay);
      return AppendableFileWrapper::Sync();
    }
    ControlledJournalFs& owner;
  };
};

class ExecutorJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("licmove-exec-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs kMovePlan journaled on `files`; `stop_after`: RequestStop then.
  ExecutionSummary Run(ControlledJournalFs& files,
                       std::chrono::milliseconds stop_after = std::chrono::milliseconds::max()) {
    RunHeader header;
    header.run_id = "j1";
    header.kind = "apply";
    header.account = "acme";
    header.plan_json = kMovePlan;
    auto journal = FileJournal::Create(files, dir_, header);
    EXPECT_TRUE(journal.ok());
    auto plan = OpsFromJson(boost::json::parse(kMovePlan).at("ops"));
    std::map<std::string, std::string> ids;
    for (const Camera& c : h_.Read().account.cameras) ids[c.serial] = c.id;
    asio::io_context io;
    HttpClient client(io.get_executor(), h_.http);
    Schedule schedule(*plan);
    ExecutorOptions o;
    o.run_id = "j1";
    Executor executor(io.get_executor(), "acme", *plan, schedule, client, journal->get(), ids, o,
                      nullptr);
    asio::steady_timer stop(io);
    if (stop_after != std::chrono::milliseconds::max()) {
      stop.expires_after(stop_after);
      stop.async_wait([&](boost::system::error_code) { executor.RequestStop(); });
    }
    ExecutionSummary out;
    asio::co_spawn(io, executor.Run(), [&](std::exception_ptr e, ExecutionSummary s) {
      EXPECT_FALSE(e);
      out = std::move(s);
      stop.cancel();
    });
    io.run();
    return out;
  }

  Harness h_;
  std::string dir_;
};

TEST_F(ExecutorJournal, StopWhileIntentsAreWrittenSendsThatBatchAndNothingMore) {
  // The first batch's fsync takes 300 ms; the stop comes 100 ms into it.
  ControlledJournalFs files;
  files.sync_delay = std::chrono::milliseconds(300);
  const ExecutionSummary s = Run(files, std::chrono::milliseconds(100));
  EXPECT_TRUE(s.interrupted);
  EXPECT_EQ(s.requests_sent, 6u);  // the ops with nothing before them
  int done = 0;
  for (const OpResult& r : s.results) done += r.state == OpResult::State::kDone;
  EXPECT_EQ(done, 6);
  // Every intent has its outcome: a resume needs to ask the portal nothing.
  auto read = ReadJournal(PosixFileSystem(), dir_, "j1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->intents.size(), 6u);
  EXPECT_EQ(read->outcomes.size(), 6u);
}

TEST_F(ExecutorJournal, AFailedAppendStopsEverythingAfterIt) {
  // Appends: 1 the header, 2-7 the first batch's intents, 8 the first outcome.
  ControlledJournalFs files;
  files.fail_appends_from = 8;
  const ExecutionSummary s = Run(files);
  EXPECT_FALSE(s.journal_error.ok());
  EXPECT_EQ(s.requests_sent, 6u);  // the first batch only
  EXPECT_FALSE(s.complete());
  int not_sent = 0;
  for (const OpResult& r : s.results) {
    if (r.message.find("not sent: the journal could not be written") != std::string::npos) {
      ++not_sent;
    }
  }
  EXPECT_GT(not_sent, 0);
}

TEST(ExecutorSim, JournalHoldsEveryIntentAndOutcome) {
  Harness h;
  const std::string dir =
      (fs::temp_directory_path() / ("licmove-exec-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  RunHeader header;
  header.run_id = "t5";
  header.kind = "apply";
  header.account = "acme";
  header.plan_json = kMovePlan;
  auto journal = FileJournal::Create(PosixFileSystem(), dir, header);
  ASSERT_TRUE(journal.ok());
  ExecutorOptions o;
  o.run_id = "t5";
  const ExecutionSummary s = h.Execute(kMovePlan, o, journal->get());
  ASSERT_TRUE(s.complete()) << s.first_error;
  auto read = ReadJournal(PosixFileSystem(), dir, "t5");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->intents.size(), 14u);
  EXPECT_EQ(read->outcomes.size(), 14u);
  EXPECT_EQ(read->intents[0].idempotency_key.rfind("t5-op", 0), 0u);
  int activations_seen = 0;
  for (const OpOutcome& out : read->outcomes) {
    EXPECT_EQ(out.result, OpOutcome::Result::kDone);
    if (out.op == 6) {
      EXPECT_EQ(out.license_key, "AM-5Y-0001");
      ++activations_seen;
    }
    if (out.op == 7) {
      EXPECT_FALSE(out.camera_id.empty());
    }
  }
  EXPECT_EQ(activations_seen, 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace licmove
