// Saved plans: round trip, and a later apply's binding check refusing an
// account that changed under the plan, with a message naming what changed.
#include "planner/saved_plan.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "planner/planner.h"

namespace licmove::testing {
namespace {

AccountSnapshot Account() {
  return AccountBuilder()
      .Camera("CAM-1")
      .Camera("CAM-7")
      .Camera("CAM-9")
      .Key("AM-1", "am", 1825, 546, "CAM-1", true)
      .Key("RM-1", "rm", 365, 273, "CAM-1")
      .Key("RM-DEMO", "rm", 90)
      .Key("AM-DEMO", "am", 90, 10)
      .Key("AM-OTHER", "am", 365, 10, "CAM-9")
      .Build();
}

struct Saved {
  AccountSnapshot snapshot;
  PlannedChange plan;
  std::string text;
};

Saved Make() {
  Saved s{Account(), {}, {}};
  Result<PlannedChange> p = BuildPlan(MakePlan({Move("CAM-1", "CAM-7", "am", 3)}), s.snapshot);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  s.plan = std::move(*p);
  s.text = SaveGraph(s.plan, s.snapshot, "0.1.0");
  return s;
}

TEST(SavedPlan, RoundTrip) {
  Saved s = Make();
  Result<SavedPlan> loaded = LoadSavedPlan(s.text, "saved.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->format_version, kSavedPlanFormatVersion);
  EXPECT_EQ(loaded->account, "acme");
  EXPECT_EQ(loaded->plan_file, "plans/x.yaml");
  EXPECT_EQ(loaded->planned_at, kNow);
  EXPECT_EQ(loaded->licmove_version, "0.1.0");
  ASSERT_EQ(loaded->graph.size(), s.plan.graph.size());
  for (int i = 0; i < s.plan.graph.size(); ++i) {
    const Op& a = s.plan.graph.op(i);
    const Op& b = loaded->graph.op(i);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.camera, b.camera);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.site, b.site);
    EXPECT_EQ(a.service, b.service);
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.expect_key, b.expect_key);
    EXPECT_EQ(a.acceptable_keys, b.acceptable_keys);
    EXPECT_EQ(a.auto_renew, b.auto_renew);
    EXPECT_EQ(a.after, b.after);
  }
  // What it binds: the touched cameras with ids and services, the licenses.
  const Binding& b = loaded->binding;
  ASSERT_EQ(b.cameras.size(), 2u);
  EXPECT_EQ(b.cameras[0].serial, "CAM-1");
  EXPECT_EQ(b.cameras[0].id, "id-CAM-1");
  EXPECT_EQ(b.cameras[0].services.size(), 2u);
  EXPECT_EQ(b.cameras[1].serial, "CAM-7");
  bool bound_demo = false;
  for (const BoundLicense& l : b.licenses) bound_demo |= l.key == "RM-DEMO";
  EXPECT_TRUE(bound_demo);
  EXPECT_TRUE(CheckBinding(*loaded, s.snapshot).ok());
  // Saving what was loaded gives the same graph again.
  PlannedChange again = s.plan;
  again.graph = loaded->graph;
  EXPECT_EQ(SaveGraph(again, s.snapshot, "0.1.0"), s.text);
}

TEST(SavedPlan, TimePassingAloneIsFine) {
  Saved s = Make();
  Result<SavedPlan> loaded = LoadSavedPlan(s.text, "saved.json");
  ASSERT_TRUE(loaded.ok());
  AccountSnapshot later = s.snapshot;
  later.now += 2 * 3600;
  EXPECT_TRUE(CheckBinding(*loaded, later).ok()) << CheckBinding(*loaded, later).ToString();
}

TEST(SavedPlan, ChangedLicenseIsRefusedByName) {
  Saved s = Make();
  Result<SavedPlan> loaded = LoadSavedPlan(s.text, "saved.json");
  ASSERT_TRUE(loaded.ok());
  AccountSnapshot changed = s.snapshot;
  for (License& l : changed.account.licenses) {
    if (l.key == "RM-DEMO") l.assigned_to = "CAM-9";  // someone activated it
  }
  Status st = CheckBinding(*loaded, changed);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kConflict);
  EXPECT_NE(st.message().find("license RM-DEMO is on CAM-9, planned on the pool"),
            std::string::npos)
      << st.message();

  changed = s.snapshot;
  License extra;
  extra.key = "AM-NEW";
  extra.service = "am";
  extra.term_days = 90;
  changed.account.licenses.push_back(extra);
  st = CheckBinding(*loaded, changed);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("license AM-NEW is now in the am pool"), std::string::npos)
      << st.message();
}

TEST(SavedPlan, ChangedCameraIsRefusedByName) {
  Saved s = Make();
  Result<SavedPlan> loaded = LoadSavedPlan(s.text, "saved.json");
  ASSERT_TRUE(loaded.ok());
  AccountSnapshot changed = s.snapshot;
  changed.account.cameras[0].id = "id-new";
  Status st = CheckBinding(*loaded, changed);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("camera CAM-1 has portal id id-new, planned with id-CAM-1"),
            std::string::npos)
      << st.message();

  changed = s.snapshot;
  for (License& l : changed.account.licenses) {
    if (l.key == "RM-1") l.auto_renew = true;
  }
  st = CheckBinding(*loaded, changed);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("camera CAM-1 holds am AM-1 (auto-renew), rm RM-1 (auto-renew), "
                              "planned with am AM-1 (auto-renew), rm RM-1"),
            std::string::npos)
      << st.message();
}

TEST(SavedPlan, ForecastBasisRoundTripsAndNamesTheForecastWhenRefused) {
  Saved s = Make();
  EXPECT_FALSE(LoadSavedPlan(s.text, "saved.json")->forecast);
  const UnixSeconds read_at = kNow - 30 * kSecondsPerDay;
  const std::string text = SaveGraph(s.plan, s.snapshot, "0.1.0", ForecastBasis{read_at, kNow});
  Result<SavedPlan> loaded = LoadSavedPlan(text, "saved.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->forecast);
  EXPECT_EQ(loaded->forecast->read_at, read_at);
  EXPECT_EQ(loaded->forecast->at, kNow);
  EXPECT_TRUE(CheckBinding(*loaded, s.snapshot).ok());
  // Applied before the forecast's time, to an account that is not yet as
  // forecast: refused, naming the forecast, the clock and the difference.
  AccountSnapshot early = s.snapshot;
  early.now = kNow - kSecondsPerDay;
  for (License& l : early.account.licenses) {
    if (l.key == "RM-1") l.auto_renew = true;
  }
  Status st = CheckBinding(*loaded, early);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the account does not match the forecast at " +
                              FormatTimestamp(kNow) + " that the plan was made against"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("the portal's clock reads " + FormatTimestamp(early.now)),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("camera CAM-1 holds"), std::string::npos) << st.message();
}

TEST(SavedPlan, ValidityChangingOrderIsRefused) {
  Saved s = Make();
  Result<SavedPlan> loaded = LoadSavedPlan(s.text, "saved.json");
  ASSERT_TRUE(loaded.ok());
  // RM-1 (92 days left, running) drops below the never-activated RM-DEMO (90).
  AccountSnapshot later = s.snapshot;
  later.now += 3 * kSecondsPerDay;
  Status st = CheckBinding(*loaded, later);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("licenses RM-DEMO and RM-1 no longer compare as planned"),
            std::string::npos)
      << st.message();
}

TEST(SavedPlan, UnknownVersionIsRefused) {
  Saved s = Make();
  std::string text = s.text;
  const std::string from = "\"format_version\":1";
  text.replace(text.find(from), from.size(), "\"format_version\":2");
  Result<SavedPlan> loaded = LoadSavedPlan(text, "saved.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "saved.json: saved plan format_version 2; this licmove reads version 1: run licmove "
            "plan again with this version");
}

TEST(SavedPlan, EveryTruncationFailsCleanly) {
  Saved s = Make();
  for (std::size_t n = 0; n + 1 < s.text.size(); ++n) {
    Result<SavedPlan> loaded = LoadSavedPlan(std::string_view(s.text).substr(0, n), "saved.json");
    EXPECT_FALSE(loaded.ok()) << n;
  }
  Result<SavedPlan> bad = LoadSavedPlan(R"({"format":"licmove-saved-plan","format_version":1,
      "account":"acme","planned_at":"2026-11-29T00:00:00Z",
      "binding":{"cameras":[],"licenses":[],"pools":[]},
      "ops":[{"id":0,"kind":"activate","camera":"C","service":"am","expect_key":"K","after":[1]}]})",
                                        "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("op 0: \"after\" must name earlier ops"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace licmove::testing
