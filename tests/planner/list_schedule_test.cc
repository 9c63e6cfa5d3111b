// ListScheduleRounds and OpGraph::ChainWeights on graphs small enough to
// count by hand.
#include "planner/list_schedule.h"

#include <gtest/gtest.h>

namespace licmove::testing {
namespace {

OpGraph Graph(int n, const std::vector<std::pair<int, int>>& edges) {
  OpGraph g;
  for (int i = 0; i < n; ++i) g.Add(Op{});
  for (auto [from, to] : edges) g.AddEdge(from, to);
  g.Finish();
  return g;
}

TEST(ListSchedule, AChainTakesItsLengthWhateverTheParallelism) {
  const OpGraph chain = Graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  for (int p : {1, 2, 16}) EXPECT_EQ(ListScheduleRounds(chain, p), 5);
  EXPECT_EQ(chain.ChainWeights(), (std::vector<int>{5, 4, 3, 2, 1}));
}

TEST(ListSchedule, IndependentOpsFillTheSlots) {
  const OpGraph wide = Graph(10, {});
  EXPECT_EQ(ListScheduleRounds(wide, 1), 10);
  EXPECT_EQ(ListScheduleRounds(wide, 3), 4);
  EXPECT_EQ(ListScheduleRounds(wide, 10), 1);
  EXPECT_EQ(ListScheduleRounds(wide, 0), 10);  // counts as one slot
}

TEST(ListSchedule, TheLongestChainGoesFirst) {
  // Ops 0..3 are independent and numbered first; 4 -> 5 -> 6 -> 7 is a chain.
  // Two slots: the chain keeps one and the loose ops share the other, 4
  // rounds. Taking ops by id would start the chain late: 6 rounds.
  const OpGraph g = Graph(8, {{4, 5}, {5, 6}, {6, 7}});
  EXPECT_EQ(ListScheduleRounds(g, 2), 4);
}

TEST(ListSchedule, WaitingOnSeveralOps) {
  // 0 and 1 both before 2; 3 loose. One slot: 4 rounds; two: 0,1 | 2,3.
  const OpGraph g = Graph(4, {{0, 2}, {1, 2}});
  EXPECT_EQ(ListScheduleRounds(g, 1), 4);
  EXPECT_EQ(ListScheduleRounds(g, 2), 2);
}

TEST(ChainWeights, EdgesAgainstIdOrderAreSortedFirst) {
  // 3 -> 1 -> 0 and 2 loose: a graph from elsewhere needs not be numbered in order.
  const OpGraph g = Graph(4, {{3, 1}, {1, 0}});
  EXPECT_EQ(g.ChainWeights(), (std::vector<int>{1, 2, 1, 3}));
  EXPECT_EQ(ListScheduleRounds(g, 4), 3);
}

}  // namespace
}  // namespace licmove::testing
