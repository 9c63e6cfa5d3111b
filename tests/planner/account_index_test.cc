// The account index numbers cameras by serial and licenses by key whatever
// order the snapshot lists them in (account_index.h), without copying the
// snapshot: the same account listed in any order gives the same plan.
#include "planner/account_index.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "planner/planner.h"
#include "planner/render.h"
#include "random_instance.h"

namespace licmove::testing {
namespace {

TEST(AccountIndex, NumbersCamerasBySerialAndLicensesByKey) {
  const Instance g = GeneratedInstance(1000, 100, 10);
  const AccountIndex index(g.snapshot);
  ASSERT_EQ(index.num_cameras(), static_cast<int>(g.snapshot.account.cameras.size()));
  ASSERT_EQ(index.num_licenses(), static_cast<int>(g.snapshot.account.licenses.size()));
  for (int c = 1; c < index.num_cameras(); ++c) {
    EXPECT_LT(index.camera(c - 1).serial, index.camera(c).serial);
  }
  for (int l = 1; l < index.num_licenses(); ++l) {
    EXPECT_LT(index.license(l - 1).key, index.license(l).key);
  }
  for (int l = 0; l < index.num_licenses(); ++l) {
    EXPECT_EQ(index.LicenseIndex(index.license(l).key), l);
  }
  for (int c = 0; c < index.num_cameras(); ++c) {
    EXPECT_EQ(index.CameraIndex(index.camera(c).serial), c);
  }
}

TEST(AccountIndex, ThePlanDoesNotDependOnTheOrderTheAccountIsListedIn) {
  const Instance g = GeneratedInstance(1000, 100, 10);
  Result<PlannedChange> listed = BuildPlan(g.plan, g.snapshot);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  const std::string expected = RenderJson(*listed);

  AccountSnapshot sorted = g.snapshot;
  std::sort(sorted.account.cameras.begin(), sorted.account.cameras.end(),
            [](const Camera& a, const Camera& b) { return a.serial < b.serial; });
  std::sort(sorted.account.licenses.begin(), sorted.account.licenses.end(),
            [](const License& a, const License& b) { return a.key < b.key; });
  AccountSnapshot shuffled = g.snapshot;
  std::mt19937 rng(13);
  std::shuffle(shuffled.account.cameras.begin(), shuffled.account.cameras.end(), rng);
  std::shuffle(shuffled.account.licenses.begin(), shuffled.account.licenses.end(), rng);
  for (const AccountSnapshot* s : {&sorted, &shuffled}) {
    Result<PlannedChange> p = BuildPlan(g.plan, *s);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(RenderJson(*p), expected);
  }
}

}  // namespace
}  // namespace licmove::testing
