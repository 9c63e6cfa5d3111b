// Saved plans (`licmove plan --out`, read back by `licmove apply SAVED`): any
// bytes through LoadSavedPlan. A plan it accepts has a valid graph, so the
// graph walks that require one (the executor's) must work on it, and its
// binding can be checked against an account.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "planner/saved_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  licmove::Result<licmove::SavedPlan> saved = licmove::LoadSavedPlan(text, "fuzz.json");
  if (!saved.ok()) {
    FUZZ_CHECK(!saved.status().message().empty());
    return 0;
  }
  const licmove::OpGraph& graph = saved->graph;
  FUZZ_CHECK(graph.Validate().ok());
  FUZZ_CHECK(graph.TopologicalOrder().size() == graph.ops().size());
  FUZZ_CHECK(graph.Levels().size() == graph.ops().size());
  graph.CriticalPath();

  // Against an empty account of the same name every bound camera and
  // license is gone, which CheckBinding must call a change.
  licmove::AccountSnapshot empty;
  empty.account.name = saved->account;
  const licmove::Status binding = licmove::CheckBinding(*saved, empty);
  if (!saved->binding.cameras.empty() || !saved->binding.licenses.empty()) {
    FUZZ_CHECK(!binding.ok());
  }
  return 0;
}
