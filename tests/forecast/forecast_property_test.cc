// Properties of the forecast on small generated accounts (ties, mixed
// auto-renew, pools running dry): it agrees event for event with the
// brute-force reference, conserves every license, and its purchase advice
// leaves no auto-renewing camera without a license.
//
// Deterministic by default (fixed seed); RC_PARAMS in the environment
// overrides, e.g. RC_PARAMS="seed=42 max_success=5000".
#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "fixtures.h"
#include "forecast/forecast.h"
#include "forecast/purchase_advice.h"
#include "reference_forecast.h"

namespace licmove::testing {
namespace {

template <typename Testable>
void Check(int max_success, Testable&& testable) {
  rc::detail::TestParams params;
  if (std::getenv("RC_PARAMS")) {
    params = rc::detail::configuration().testParams;
  } else {
    params.seed = 20261206;
    params.maxSuccess = max_success;
    params.maxSize = 100;
  }
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const auto result = rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream ss;
    rc::detail::printResultMessage(result, ss);
    FAIL() << ss.str();
  }
}

// Up to 6 cameras, 2 services, short terms (1, 2, 3, 5 days) and expiries on
// whole and half days, so that same-instant expiries, equal remaining
// validities and chains of renewals are common within a 15-day horizon.
struct Generated {
  AccountSnapshot snapshot;
  UnixSeconds until = 0;
};

Generated GenerateAccount() {
  static const int kTerms[] = {1, 2, 3, 5};
  static const char* kServices[] = {"alarm", "video"};
  Generated g;
  g.snapshot.now = kNow;
  g.snapshot.account.name = "acme";
  int next_key = 0;
  // Keys are numbered in creation order but prefixed at random, so that key
  // order and account order disagree.
  auto key = [&]() {
    return "k" + std::to_string(*rc::gen::inRange(10, 99)) + "-" + std::to_string(next_key++);
  };
  auto term = [&]() { return kTerms[*rc::gen::inRange(0, 4)]; };
  auto expires_in = [&]() { return *rc::gen::inRange(0, 13) / 2.0; };
  const int cameras = *rc::gen::inRange(0, 7);
  for (int c = 0; c < cameras; ++c) {
    const std::string serial = "C" + std::to_string((c * 7) % 10);  // not in account order
    g.snapshot.account.cameras.push_back(Cam(serial));
    for (const char* service : kServices) {
      if (*rc::gen::inRange(0, 4) == 0) continue;
      g.snapshot.account.licenses.push_back(
          Running(key(), service, term(), expires_in(), serial, *rc::gen::inRange(0, 4) != 0));
    }
  }
  for (const char* service : kServices) {
    const int pool = *rc::gen::inRange(0, 6);
    for (int i = 0; i < pool; ++i) {
      if (*rc::gen::arbitrary<bool>()) {
        g.snapshot.account.licenses.push_back(Fresh(key(), service, term()));
      } else {
        g.snapshot.account.licenses.push_back(Running(key(), service, term(), expires_in()));
      }
    }
  }
  g.until = Day(*rc::gen::inRange(0, 31) / 2.0);
  return g;
}

std::string Describe(const ForecastEvent& e) {
  std::ostringstream s;
  s << (e.at - kNow) << " " << ForecastEventKindName(e.kind) << " " << e.service << " " << e.camera
    << " " << e.expired_key << " -> " << e.new_key << "/" << e.new_key_term_days
    << (e.tie ? " tie" : "") << " " << LapseReasonName(e.reason) << " wasted=" << e.wasted_days;
  return s.str();
}

std::vector<std::string> Describe(const std::vector<ForecastEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(Describe(e));
  return out;
}

std::vector<std::string> Describe(const AccountSnapshot& s) {
  std::vector<std::string> out;
  for (const License& l : s.account.licenses) {
    out.push_back(l.key + " " + l.service + " " + std::to_string(l.term_days) + " " +
                  (l.activated_at ? std::to_string(*l.activated_at) : "-") + " " + l.assigned_to +
                  (l.auto_renew ? " renew" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ForecastProperty, AgreesWithTheBruteForceReference) {
  Check(3000, [] {
    const Generated g = GenerateAccount();
    Result<Forecast> f = ForecastAccount(g.snapshot, g.until);
    RC_ASSERT(f.ok());
    const Forecast r = ReferenceForecast(g.snapshot, g.until);
    for (const std::string& l : Describe(g.snapshot)) RC_LOG() << "start: " << l << "\n";
    RC_LOG() << "until: " << (g.until - kNow) << "\n";
    for (const std::string& l : Describe(f->events)) RC_LOG() << "got:  " << l << "\n";
    for (const std::string& l : Describe(r.events)) RC_LOG() << "want: " << l << "\n";
    RC_ASSERT(Describe(f->events) == Describe(r.events));
    RC_ASSERT(Describe(f->at_until) == Describe(r.at_until));
    RC_ASSERT(f->at_until.now == g.until);
    RC_ASSERT(f->changed_keys == r.changed_keys);
    RC_ASSERT(f->services.size() == r.services.size());
    for (const auto& [service, want] : r.services) {
      const ServiceForecast& got = f->services.at(service);
      RC_ASSERT(got.renewals == want.renewals);
      RC_ASSERT(got.lapses == want.lapses);
      RC_ASSERT(got.expired_in_pool == want.expired_in_pool);
      RC_ASSERT(got.wasted_days == want.wasted_days);
      RC_ASSERT(got.pool_dry_at == want.pool_dry_at);
    }
  });
}

TEST(ForecastProperty, EveryLicenseIsStillThereOrExpiredOnce) {
  Check(1000, [] {
    const Generated g = GenerateAccount();
    Result<Forecast> f = ForecastAccount(g.snapshot, g.until);
    RC_ASSERT(f.ok());
    std::multiset<std::string> expired;
    for (const ForecastEvent& e : f->events) {
      RC_ASSERT(e.at >= g.snapshot.now);
      RC_ASSERT(e.at <= g.until);
      expired.insert(e.expired_key);
    }
    for (const std::string& l : Describe(g.snapshot)) RC_LOG() << "start: " << l << "\n";
    for (const std::string& l : Describe(f->events)) RC_LOG() << "got:  " << l << "\n";
    std::set<std::string> at_until;
    for (const License& l : f->at_until.account.licenses) at_until.insert(l.key);
    for (const License& l : g.snapshot.account.licenses) {
      RC_ASSERT(expired.count(l.key) + at_until.count(l.key) == 1u);
    }
    RC_ASSERT(expired.size() + at_until.size() == g.snapshot.account.licenses.size());
  });
}

TEST(ForecastProperty, PurchaseAdviceLeavesNoPoolEmptyLapse) {
  Check(1000, [] {
    const Generated g = GenerateAccount();
    Result<Forecast> f = ForecastAccount(g.snapshot, g.until);
    RC_ASSERT(f.ok());
    const bool lapsed = std::any_of(f->events.begin(), f->events.end(), [](const auto& e) {
      return e.reason == ForecastEvent::LapseReason::kPoolEmpty;
    });
    RC_ASSERT(lapsed == !f->purchases.empty());
    AccountSnapshot with = g.snapshot;
    for (License& l : PurchasedLicenses(f->purchases)) with.account.licenses.push_back(l);
    Result<Forecast> again = ForecastAccount(with, g.until);
    RC_ASSERT(again.ok());
    for (const ForecastEvent& e : again->events) {
      RC_ASSERT(e.reason != ForecastEvent::LapseReason::kPoolEmpty);
    }
    for (const PurchaseAdvice& p : f->purchases) {
      RC_ASSERT(p.count > 0);
      RC_ASSERT(p.buy_by >= g.snapshot.now);
      RC_ASSERT(p.buy_by <= g.until);
    }
  });
}

}  // namespace
}  // namespace licmove::testing
