#include "portal_sim/call_stats.h"

namespace licmove::sim {

void CallStats::Record(std::string_view route, std::string_view outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  auto r = table_.find(route);
  if (r == table_.end()) r = table_.emplace(std::string(route), Table::mapped_type{}).first;
  auto o = r->second.find(outcome);
  if (o == r->second.end()) o = r->second.emplace(std::string(outcome), 0).first;
  ++o->second;
}

void CallStats::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  table_.clear();
}

CallStats::Table CallStats::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_;
}

}  // namespace licmove::sim
