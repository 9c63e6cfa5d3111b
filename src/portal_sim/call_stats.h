// Calls per route template and outcome, for GET /sim/stats: what a benchmark
// or a test counts to know how many portal calls a plan cost. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace licmove::sim {

class CallStats {
 public:
  // route: "POST /api/v1/accounts/{a}/cameras"; outcome: "201", or "dropped"
  // and "reset" for calls that got no answer.
  void Record(std::string_view route, std::string_view outcome);
  void Clear();
  // route -> outcome -> count.
  using Table =
      std::map<std::string, std::map<std::string, std::uint64_t, std::less<>>, std::less<>>;
  Table Snapshot() const;

 private:
  mutable std::mutex mu_;
  Table table_;
};

}  // namespace licmove::sim
