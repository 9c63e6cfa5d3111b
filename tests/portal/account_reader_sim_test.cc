// ReadAccount against the real portal-sim over loopback HTTP: the concurrent
// read (three listings at once) gives the same account as the sequential one
// (cameras, then every license), and both give the fleet the simulator was
// seeded with.
#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "fleet_generator.h"
#include "portal/account_reader.h"
#include "portal_sim/portal_sim.h"

namespace licmove {
namespace {

// An account as text, cameras by serial and licenses by key, the portal's
// camera ids left out (a fleet file has none): equal text, equal accounts.
std::string Canonical(Account a) {
  std::sort(a.cameras.begin(), a.cameras.end(),
            [](const Camera& x, const Camera& y) { return x.serial < y.serial; });
  std::sort(a.licenses.begin(), a.licenses.end(),
            [](const License& x, const License& y) { return x.key < y.key; });
  std::ostringstream out;
  out << a.name << "\n";
  for (const Camera& c : a.cameras) out << c.serial << "|" << c.name << "|" << c.site << "\n";
  for (const License& l : a.licenses) {
    out << l.key << "|" << l.service << "|" << l.term_days << "|"
        << (l.activated_at ? std::to_string(*l.activated_at) : "-") << "|" << l.assigned_to << "|"
        << (l.assigned() ? (l.auto_renew ? "renew" : "no-renew") : "") << "\n";
  }
  return out.str();
}

class AccountReaderSim : public ::testing::Test {
 protected:
  void SetUp() override {
    FleetGenOptions gen;
    gen.cameras = 1500;  // 2,250 licenses: many pages at the page sizes below
    gen.seed = 11;
    Result<Fleet> fleet = ParseFleet(GenerateFleet(gen).fleet_yaml, "fleet.yaml");
    ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
    expected_ = Canonical(fleet->accounts.at(0));
    sim::SimOptions o;
    o.fleet = std::move(fleet.value());
    auto started = sim::PortalSim::Start(o);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    sim_ = std::move(started.value());
    http_.url = *ParsePortalUrl(sim_->url(), false);
    http_.token = "viewer-secret";
  }

  std::unique_ptr<sim::PortalSim> sim_;
  HttpClientOptions http_;
  std::string expected_;
};

TEST_F(AccountReaderSim, ConcurrentReadEqualsSequentialReadAndTheFleet) {
  for (int page_size : {1000, 97, 1}) {
    SCOPED_TRACE("page size " + std::to_string(page_size));
    auto concurrent = ReadAccountBlocking(http_, "acme", page_size, {}, ReadOrder::kConcurrent);
    ASSERT_TRUE(concurrent.ok()) << concurrent.status().ToString();
    auto sequential = ReadAccountBlocking(http_, "acme", page_size, {}, ReadOrder::kSequential);
    ASSERT_TRUE(sequential.ok()) << sequential.status().ToString();
    EXPECT_EQ(concurrent->account.cameras.size(), 1500u);
    EXPECT_EQ(concurrent->account.licenses.size(), 2250u);
    EXPECT_EQ(concurrent->now, sequential->now);
    EXPECT_EQ(Canonical(concurrent->account), Canonical(sequential->account));
    EXPECT_EQ(Canonical(concurrent->account), expected_);
    // The portal's ids come through on every camera.
    for (const Camera& c : concurrent->account.cameras) ASSERT_FALSE(c.id.empty()) << c.serial;
  }
}

TEST_F(AccountReaderSim, ConcurrentReadSurvivesInjectedFaults) {
  // 503s and reset connections on a third of the requests: every page is
  // retried until it comes, and the account is the same.
  sim::FaultOptions faults = sim_->faults();
  faults.error_rate = 0.2;
  faults.reset_rate = 0.1;
  ASSERT_TRUE(sim_->SetFaults(faults).ok());
  RetryPolicy retry;
  retry.max_attempts = 30;
  retry.base_delay = std::chrono::milliseconds(1);
  retry.max_delay = std::chrono::milliseconds(20);
  auto read = ReadAccountBlocking(http_, "acme", 200, retry, ReadOrder::kConcurrent);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(Canonical(read->account), expected_);
}

}  // namespace
}  // namespace licmove
