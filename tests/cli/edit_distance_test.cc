// The "did you mean" distance (src/licmove/edit_distance.h).
#include "files/edit_distance.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

TEST(CliEditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("plan", "plan"), 0);
  EXPECT_EQ(EditDistance("", "plan"), 4);
  EXPECT_EQ(EditDistance("plan", ""), 4);
  EXPECT_EQ(EditDistance("aply", "apply"), 1);     // insertion
  EXPECT_EQ(EditDistance("applyy", "apply"), 1);   // deletion
  EXPECT_EQ(EditDistance("statis", "status"), 1);  // substitution
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(CliEditDistance, ASwapOfNeighboursIsOneEdit) {
  EXPECT_EQ(EditDistance("fromat", "format"), 1);
  EXPECT_EQ(EditDistance("palnu", "plan"), 2);  // a swap and a deletion
  EXPECT_EQ(EditDistance("pnal", "plan"), 2);   // n and l are not neighbours
  EXPECT_EQ(EditDistance("ab", "ba"), 1);
  // Optimal string alignment: a swapped pair is not edited again.
  EXPECT_EQ(EditDistance("ca", "abc"), 3);
}

TEST(CliEditDistance, IsSymmetric) {
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"rollbak", "rollback"}, {"--stat", "--state"}, {"migarte", "migrate"}, {"x", "yz"}}) {
    EXPECT_EQ(EditDistance(a, b), EditDistance(b, a)) << a << " " << b;
  }
}

TEST(CliEditDistance, NearestWordSuggestsOnlyWhatIsClose) {
  const std::vector<std::string> commands = {"validate", "plan", "apply",  "resume",
                                             "rollback", "runs", "status", "unlock"};
  EXPECT_EQ(NearestWord("aply", commands), "apply");
  EXPECT_EQ(NearestWord("pnal", commands), "plan");
  EXPECT_EQ(NearestWord("rollbak", commands), "rollback");
  EXPECT_EQ(NearestWord("deploy", commands), "");  // nothing within two edits
  EXPECT_EQ(NearestWord("", commands), "");
  // A word of one or two letters is not turned into any other.
  EXPECT_EQ(NearestWord("x", {"-y"}), "");
  EXPECT_EQ(NearestWord("ru", {"runs"}), "");
  // On a tie, the first candidate.
  EXPECT_EQ(NearestWord("run", {"runs", "rung"}), "runs");
}

TEST(CliEditDistance, NearestFlag) {
  const std::vector<std::string> flags = {"--format",     "--snapshot", "--portal",
                                          "--state",      "--out",      "--detailed-exitcode",
                                          "--parallelism"};
  EXPECT_EQ(NearestWord("--fromat", flags), "--format");
  EXPECT_EQ(NearestWord("--snapshto", flags), "--snapshot");
  EXPECT_EQ(NearestWord("--stat", flags), "--state");
  EXPECT_EQ(NearestWord("--paralelism", flags), "--parallelism");
  EXPECT_EQ(NearestWord("--verbose", flags), "");
}

}  // namespace
}  // namespace licmove
