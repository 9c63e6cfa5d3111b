// portal-sim's clock (R7): one POST /sim/clock's worth of work, SimState::
// AdvanceClock, on a fleet of N cameras advanced 5 years in one call. The
// brief: a 100,000-camera fleet over 5 years in seconds at most, since the
// clock is event-driven (a queue of expiry instants), not stepped day by day.
//
// The fleet is built in code, seeded: every camera holds a started 1y
// alarm-management license (started up to a year ago), auto_renew on for 3
// cameras in 4; the pool holds 2.5 licenses per camera, 1y/3y/5y unused and
// some started ones, so renewals run for years before pools run dry and
// cameras lapse. Loading the fleet is set-up, not measured.
//
// Counters: events (renewed + lapsed + expired), renewals.
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "files/fleet_file.h"
#include "model/timestamp.h"
#include "portal_sim/sim_state.h"

namespace {

using licmove::Fleet;
using licmove::License;
using licmove::UnixSeconds;
using licmove::sim::ClockEvent;
using licmove::sim::RenewalPick;
using licmove::sim::SimState;
using licmove::sim::TieBreak;

constexpr std::int64_t kDay = 86400;

Fleet MakeFleet(int cameras) {
  std::mt19937_64 rng(42);
  Fleet f;
  f.now = *licmove::ParseTimestamp("2026-11-29T00:00:00Z");
  f.users = {{"t", "ops", "admin", {"acme"}}};
  licmove::Account a;
  a.name = "acme";
  auto key = [](const char* prefix, int i) { return std::string(prefix) + std::to_string(i); };
  for (int i = 0; i < cameras; ++i) {
    const std::string serial = key("CAM-", i);
    a.cameras.push_back({serial, serial, "HQ", ""});
    License held;
    held.key = key("H-", i);
    held.service = "alarm-management";
    held.term_days = 365;
    held.activated_at = f.now - static_cast<std::int64_t>(rng() % 364) * kDay - 1;
    held.assigned_to = serial;
    held.auto_renew = rng() % 4 != 0;
    a.licenses.push_back(held);
  }
  const int terms[] = {365, 1095, 1825};
  for (int i = 0; i < cameras * 5 / 2; ++i) {
    License p;
    p.key = key("P-", i);
    p.service = "alarm-management";
    p.term_days = terms[rng() % 3];
    if (rng() % 5 == 0) p.activated_at = f.now - static_cast<std::int64_t>(rng() % 300) * kDay;
    a.licenses.push_back(p);
  }
  f.accounts.push_back(std::move(a));
  return f;
}

void BM_AdvanceFiveYears(benchmark::State& state) {
  const Fleet fleet = MakeFleet(static_cast<int>(state.range(0)));
  std::size_t events = 0, renewals = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto s = std::make_unique<SimState>(std::move(SimState::FromFleet(fleet).value()));
    std::vector<ClockEvent> out;
    std::vector<RenewalPick> picks;
    state.ResumeTiming();
    s->AdvanceClock(fleet.now + 5 * 365 * kDay, TieBreak{TieBreak::Order::kRandom, 1}, &picks,
                    &out);
    benchmark::DoNotOptimize(out.data());
    state.PauseTiming();  // freeing the state is not the advance's work
    events = out.size();
    renewals = picks.size();
    s.reset();
    state.ResumeTiming();
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["renewals"] = static_cast<double>(renewals);
}
BENCHMARK(BM_AdvanceFiveYears)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
