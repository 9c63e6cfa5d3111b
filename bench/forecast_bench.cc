// Forecast benchmark (issue 12): 100,000 cameras played forward by R7 over a
// 5-year horizon in under 1 s beyond reading the account.
//
// The account is built in memory, not read (reading is the portal's or the
// fleet file's cost, measured elsewhere): every camera holds an
// alarm-management license, 40% also remote-maintenance, of every term,
// activated so that their expiries spread evenly over the 5 years; 70% renew
// automatically. The pools hold half a license per camera, half of them
// never activated (they never expire), half running. Same bytes every run
// (own PRNG).
//
// Measured: ForecastAccount, with the purchase advice (which re-runs the
// forecast to verify it) and without. Counters: events, renewals, lapses,
// expired_in_pool, licenses (in the account), purchases (licenses advised).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include <benchmark/benchmark.h>

#include "forecast/forecast.h"

namespace {

using licmove::AccountSnapshot;
using licmove::kSecondsPerDay;
using licmove::License;
using licmove::UnixSeconds;

constexpr UnixSeconds kNow = 1'795'910'400;  // 2026-11-29T00:00:00Z
constexpr UnixSeconds kHorizon = kNow + 5 * 365 * kSecondsPerDay;

// splitmix64: a fixed sequence on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t Next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
};

AccountSnapshot MakeAccount(int cameras) {
  static const int kTerms[] = {90, 365, 1095, 1825};
  static const char* kServices[] = {"alarm-management", "remote-maintenance"};
  Rng rng{20261206};
  AccountSnapshot s;
  s.now = kNow;
  s.account.name = "acme";
  int next_key = 0;
  auto key = [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "KEY-%08d", next_key++);
    return std::string(buf);
  };
  // A running license whose expiry falls uniformly in (now, now + span].
  auto running = [&](const char* service, UnixSeconds span) {
    License l;
    l.key = key();
    l.service = service;
    l.term_days = kTerms[rng.Below(4)];
    const UnixSeconds term = static_cast<UnixSeconds>(l.term_days) * kSecondsPerDay;
    const UnixSeconds expires =
        kNow + 1 +
        static_cast<UnixSeconds>(rng.Below(static_cast<std::uint64_t>(std::min(span, term))));
    l.activated_at = expires - term;
    return l;
  };
  s.account.cameras.reserve(cameras);
  s.account.licenses.reserve(cameras * 2);
  for (int c = 0; c < cameras; ++c) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "CAM-%06d", c + 1);
    s.account.cameras.push_back({serial, serial, "site-" + std::to_string(c % 50), ""});
    for (int sv = 0; sv < 2; ++sv) {
      if (sv == 1 && rng.Below(10) >= 4) continue;
      License l = running(kServices[sv], kHorizon - kNow);
      l.assigned_to = serial;
      l.auto_renew = rng.Below(10) < 7;
      s.account.licenses.push_back(std::move(l));
    }
  }
  for (int p = 0; p < cameras / 2; ++p) {
    const char* service = kServices[rng.Below(10) < 7 ? 0 : 1];
    if (rng.Below(2) == 0) {
      License l;
      l.key = key();
      l.service = service;
      l.term_days = kTerms[rng.Below(4)];
      s.account.licenses.push_back(std::move(l));
    } else {
      s.account.licenses.push_back(running(service, kHorizon - kNow));
    }
  }
  return s;
}

void Run(benchmark::State& state, bool advise) {
  const AccountSnapshot account = MakeAccount(static_cast<int>(state.range(0)));
  licmove::Forecast last;
  for (auto _ : state) {
    auto f = licmove::ForecastAccount(account, kHorizon,
                                      licmove::ForecastOptions{.advise_purchases = advise});
    if (!f.ok()) {
      state.SkipWithError(f.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(f->events.data());
    last = std::move(*f);
  }
  int renewals = 0, lapses = 0, expired = 0, purchases = 0;
  for (const auto& [service, sf] : last.services) {
    renewals += sf.renewals;
    lapses += sf.lapses;
    expired += sf.expired_in_pool;
  }
  for (const auto& p : last.purchases) purchases += p.count;
  state.counters["licenses"] = static_cast<double>(account.account.licenses.size());
  state.counters["events"] = static_cast<double>(last.events.size());
  state.counters["renewals"] = renewals;
  state.counters["lapses"] = lapses;
  state.counters["expired_in_pool"] = expired;
  state.counters["purchases"] = purchases;
}

void BM_Forecast(benchmark::State& state) {
  Run(state, /*advise=*/false);
}
void BM_ForecastWithPurchaseAdvice(benchmark::State& state) {
  Run(state, /*advise=*/true);
}

BENCHMARK(BM_Forecast)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastWithPurchaseAdvice)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
