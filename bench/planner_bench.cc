// Planner benchmark (DESIGN §5: a 100,000-camera fleet with 10,000 moves
// planned in under 1 s and 300 MB, cost growing about linearly).
//
// Fleets and plans come from the fleet generator (examples/generator): N
// cameras, N/10 moves of alarm-management (sources holding remote-maintenance
// too get it restored), N/100 cameras given a 5-year license, 1.5 keys per
// camera, pools full of shorter keys that have to be parked. Generating and
// parsing the YAML is set-up, not measured. Measured: BuildPlan, i.e.
// resolution, allocation, parking, edges, the predicted state and its checks.
//
// Counters: ops (portal calls), parks, critical_path, and heap_peak_mb: the
// most heap the planner held at once on top of its input, counted by this
// program's operator new/delete (every planner allocation goes through them).
// input_heap_mb is the snapshot and plan it is given. bench/planner_peak_mem.sh
// measures the resident memory of a whole `licmove plan` process instead.
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <string>

#include <benchmark/benchmark.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "fleet_generator.h"
#include "planner/planner.h"

namespace {

// Heap accounting: bytes held now, and the most held since the last reset.
std::atomic<std::size_t> g_heap_now{0};
std::atomic<std::size_t> g_heap_peak{0};

void* Allocate(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) throw std::bad_alloc();
  const std::size_t now = g_heap_now += malloc_usable_size(p);
  std::size_t peak = g_heap_peak.load();
  while (now > peak && !g_heap_peak.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void Release(void* p) {
  if (!p) return;
  g_heap_now -= malloc_usable_size(p);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) {
  return Allocate(n);
}
void* operator new[](std::size_t n) {
  return Allocate(n);
}
void operator delete(void* p) noexcept {
  Release(p);
}
void operator delete[](void* p) noexcept {
  Release(p);
}
void operator delete(void* p, std::size_t) noexcept {
  Release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  Release(p);
}

namespace licmove {
namespace {

struct Input {
  AccountSnapshot snapshot;
  Plan plan;
};

// One generated fleet per size, parsed once.
const Input& InputFor(int cameras) {
  static std::map<int, std::unique_ptr<Input>> cache;
  auto it = cache.find(cameras);
  if (it != cache.end()) return *it->second;
  FleetGenOptions o;
  o.cameras = cameras;
  o.moves = cameras / 10;
  o.assigns = cameras / 100;
  o.seed = 7;
  auto input = std::make_unique<Input>();
  {
    GeneratedFleet g = GenerateFleet(o);
    Result<Fleet> fleet = ParseFleet(g.fleet_yaml, "generated-fleet.yaml");
    Result<Plan> plan = ParsePlan(g.plan_yaml, "generated-plan.yaml");
    if (!fleet.ok() || !plan.ok()) {
      std::fprintf(stderr, "generated input does not parse: %s %s\n",
                   fleet.status().ToString().c_str(), plan.status().ToString().c_str());
      std::abort();
    }
    input->snapshot = {std::move(fleet->accounts.front()), fleet->now};
    input->plan = std::move(*plan);
  }
  malloc_trim(0);  // hand the parser's memory back before measuring
  return *cache.emplace(cameras, std::move(input)).first->second;
}

void BM_BuildPlan(benchmark::State& state) {
  const Input& in = InputFor(static_cast<int>(state.range(0)));
  const std::size_t before = g_heap_now.load();
  g_heap_peak = before;
  PlannerOptions options;
  options.parallelism = static_cast<int>(state.range(1));  // 0: not shaped
  PlanSummary summary;
  for (auto _ : state) {
    Result<PlannedChange> r = BuildPlan(in.plan, in.snapshot, options);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    summary = r->summary;
    benchmark::DoNotOptimize(r);
  }
  constexpr double kMB = 1024.0 * 1024.0;
  state.counters["moves"] = summary.moves;
  state.counters["ops"] = summary.calls;
  state.counters["parks"] = summary.parks;
  state.counters["critical_path"] = summary.critical_path;
  state.counters["est_rounds"] = summary.estimated_rounds;
  state.counters["optimal_proven"] = summary.optimal_proven;
  state.counters["heap_peak_mb"] = static_cast<double>(g_heap_peak.load() - before) / kMB;
  state.counters["input_heap_mb"] = static_cast<double>(before) / kMB;
}

BENCHMARK(BM_BuildPlan)
    ->ArgNames({"cameras", "parallelism"})
    ->ArgsProduct({{1000, 10000, 100000}, {0, kDefaultParallelism, 16}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace licmove

BENCHMARK_MAIN();
