// The snapshot writer (docs/INVENTORY.md): WriteFleet of one account of N
// cameras, 1.5 licenses a camera (two thirds assigned, activated, some
// auto-renewing; a third in the pool), as YAML and as JSON. The account is
// built in memory; only the writing is measured. Counter: mb, the text's size.
#include <string>

#include <benchmark/benchmark.h>

#include "files/fleet_writer.h"

namespace {

licmove::Fleet MakeFleet(int cameras) {
  licmove::Fleet fleet;
  fleet.now = 1795910400;  // 2026-11-29T00:00:00Z
  licmove::Account a;
  a.name = "acme";
  for (int i = 0; i < cameras; ++i) {
    const std::string serial = "CAM-" + std::to_string(100000 + i);
    a.cameras.push_back(
        {serial, "Camera " + std::to_string(i), "Site " + std::to_string(i % 50), ""});
    licmove::License l;
    l.key = "AM-5Y-" + std::to_string(1000000 + i);
    l.service = "alarm-management";
    l.term_days = 1825;
    l.activated_at = fleet.now - 86400 * (i % 1000);
    l.assigned_to = serial;
    l.auto_renew = i % 3 == 0;
    a.licenses.push_back(l);
    if (i % 2 == 0) {
      licmove::License pool;
      pool.key = "AM-1Y-" + std::to_string(1000000 + i);
      pool.service = "alarm-management";
      pool.term_days = 365;
      a.licenses.push_back(pool);
    }
  }
  fleet.accounts.push_back(std::move(a));
  return fleet;
}

void BM_WriteFleet(benchmark::State& state) {
  const licmove::Fleet fleet = MakeFleet(static_cast<int>(state.range(0)));
  const auto format = state.range(1) ? licmove::FleetFormat::kJson : licmove::FleetFormat::kYaml;
  std::size_t size = 0;
  for (auto _ : state) {
    std::string text = licmove::WriteFleet(fleet, format);
    size = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["mb"] = static_cast<double>(size) / 1e6;
  state.SetLabel(state.range(1) ? "json" : "yaml");
}
BENCHMARK(BM_WriteFleet)
    ->ArgsProduct({{1000, 10000, 100000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
