// The ledger's plan identity: the same for plans that say the same thing in
// other words, different for any change of what they say.
#include "files/plan_identity.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace licmove {
namespace {

constexpr const char* kPlan = R"(version: 1
account: acme
moves:
  - from: CAM-0001
    to: CAM-0007
    service: alarm-management
    key: AM-5Y-0001
    auto_renew: true
assign:
  - service: remote-monitoring
    term: 5y
    cameras: [CAM-0002, CAM-0003]
options:
  restore_sources: true
)";

std::string IdentityOf(const std::string& text) {
  auto plan = ParsePlan(text, "p.yaml");
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? PlanIdentity(*plan) : "";
}

TEST(PlanIdentity, IsAHashOfTheCanonicalText) {
  const std::string id = IdentityOf(kPlan);
  ASSERT_EQ(id.size(), 7u + 64u);
  EXPECT_EQ(id.substr(0, 7), "sha256:");
  EXPECT_TRUE(std::all_of(id.begin() + 7, id.end(),
                          [](char c) { return std::isdigit(c) || (c >= 'a' && c <= 'f'); }));
}

TEST(PlanIdentity, CommentsWhitespaceKeyOrderAndStyleDoNotChangeIt) {
  const std::string reformatted = R"(# a comment the first plan did not have
options: {restore_sources: true}
assign:
  -   cameras:
        - CAM-0002   # first
        - CAM-0003
      term: "5y"
      service: remote-monitoring
account: 'acme'
moves: [{auto_renew: true, key: AM-5Y-0001, service: alarm-management, to: CAM-0007, from: CAM-0001}]

version: 1
)";
  EXPECT_EQ(IdentityOf(kPlan), IdentityOf(reformatted));
}

TEST(PlanIdentity, AnyChangeOfAnIntentChangesIt) {
  const std::string base = IdentityOf(kPlan);
  auto changed = [&](const std::string& from, const std::string& to) {
    std::string text = kPlan;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    return IdentityOf(text);
  };
  EXPECT_NE(base, changed("key: AM-5Y-0001", "key: AM-5Y-0002"));
  EXPECT_NE(base, changed("account: acme", "account: globex"));
  EXPECT_NE(base, changed("to: CAM-0007", "to: CAM-0008"));
  EXPECT_NE(base, changed("auto_renew: true", "auto_renew: false"));
  EXPECT_NE(base, changed("    auto_renew: true\n", ""));  // left out: keeps the source's
  EXPECT_NE(base, changed("term: 5y", "term: 3y"));
  EXPECT_NE(base, changed("[CAM-0002, CAM-0003]", "[CAM-0003, CAM-0002]"));
  EXPECT_NE(base, changed("restore_sources: true", "restore_sources: false"));
  EXPECT_NE(base, changed("service: alarm-management", "service: remote-monitoring"));
}

// For every set of moves: the identity does not depend on the order of the
// keys within each move, and it does depend on each move's key.
RC_GTEST_PROP(PlanIdentity, KeyOrderNeverMattersAndEveryKeyDoes, ()) {
  const int n = *rc::gen::inRange(1, 6);
  std::vector<std::vector<std::pair<std::string, std::string>>> moves;
  for (int i = 0; i < n; ++i) {
    moves.push_back(
        {{"from", "CAM-" + std::to_string(100 + i)},
         {"to", "CAM-" + std::to_string(200 + i)},
         {"service", "alarm-management"},
         {"key", "AM-" + std::to_string(i) + "-" + std::to_string(*rc::gen::inRange(0, 1000))}});
  }
  auto render = [](const std::vector<std::vector<std::pair<std::string, std::string>>>& ms) {
    std::string text = "version: 1\naccount: acme\nmoves:\n";
    for (const auto& m : ms) {
      const char* lead = "  - ";
      for (const auto& [k, v] : m) {
        text += lead + k + ": " + v + "\n";
        lead = "    ";
      }
    }
    return text;
  };
  const std::string base = IdentityOf(render(moves));
  auto shuffled = moves;
  for (auto& m : shuffled) {
    const auto order = *rc::gen::container<std::vector<int>>(4, rc::gen::inRange(0, 1000));
    std::vector<std::pair<int, std::pair<std::string, std::string>>> keyed;
    for (int i = 0; i < 4; ++i) keyed.push_back({order[i], m[i]});
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (int i = 0; i < 4; ++i) m[i] = keyed[i].second;
  }
  RC_ASSERT(IdentityOf(render(shuffled)) == base);
  auto other = moves;
  const int which = *rc::gen::inRange(0, n);
  other[which][3].second += "-X";
  RC_ASSERT(IdentityOf(render(other)) != base);
}

}  // namespace
}  // namespace licmove
