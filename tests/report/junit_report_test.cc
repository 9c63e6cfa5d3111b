// RenderJUnit: outcomes become the elements CI systems count, the counts
// agree with the cases, and a failed run is red even with nobody to blame.
#include "report/junit_report.h"

#include <set>

#include <gtest/gtest.h>

#include "junit_inspect.h"
#include "sample_reports.h"

namespace licmove::testing {
namespace {

// The suite's and the document's counts equal what the cases hold.
void ExpectCountsAgree(const std::string& xml) {
  const int cases = CountOf(xml, "<testcase ");
  const int failures = CountOf(xml, "<failure ");
  const int skipped = CountOf(xml, "<skipped ");
  for (const char* tag : {"testsuites", "testsuite"}) {
    SCOPED_TRACE(tag);
    EXPECT_EQ(IntAttrOf(xml, tag, "tests"), cases);
    EXPECT_EQ(IntAttrOf(xml, tag, "failures"), failures);
    EXPECT_EQ(IntAttrOf(xml, tag, "errors"), 0);
    EXPECT_EQ(IntAttrOf(xml, tag, "skipped"), skipped);
  }
}

TEST(JUnit, CompletedRunPassesEveryIntent) {
  const RunReport r = CompletedReport();
  const std::string xml = RenderJUnit(r);
  ExpectCountsAgree(xml);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "tests"), 4);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "failures"), 0);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "skipped"), 0);
  EXPECT_EQ(AttrOf(xml, "testsuite", "name"), "licmove apply plans/move.yaml on acme");
  EXPECT_EQ(AttrOf(xml, "testsuite", "time"), "63.250");
  EXPECT_EQ(AttrOf(xml, "testsuite", "timestamp"), "2026-11-29T10:00:00");
  EXPECT_EQ(CaseNames(xml),
            (std::vector<std::string>{
                "move CAM-0001 -&gt; CAM-0002 alarm-management (plans/move.yaml:5:5)",
                "move CAM-0003 -&gt; CAM-0004 alarm-management (plans/move.yaml:9:5)",
                "assign alarm-management to CAM-0005 (plans/move.yaml:14:16)",
                "restore remote-maintenance on CAM-0001",
            }));
  EXPECT_NE(xml.find("<testcase classname=\"licmove.acme.move\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"licmove.acme.assign\""), std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"licmove.acme.restore\""), std::string::npos);
  EXPECT_NE(CaseXml(xml, CaseNames(xml)[0]).find("time=\"0.412\""), std::string::npos);
}

TEST(JUnit, PropertiesNameTheRunPortalAndPlan) {
  const std::string xml = RenderJUnit(CompletedReport());
  EXPECT_NE(xml.find("<property name=\"run_id\" value=\"R-20261129-0001\"/>"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<property name=\"portal\" value=\"https://portal.example.com "
                     "(simulator)\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<property name=\"plan_identity\" "
                     "value=\"sha256:5d41402abc4b2a76b9719d911017c592\"/>"),
            std::string::npos);
}

TEST(JUnit, AlreadyDoneIsAPassNotASkip) {
  const std::string xml = RenderJUnit(CompletedReport());
  const std::string c = CaseXml(xml, CaseNames(xml)[1]);
  EXPECT_EQ(c.find("<skipped"), std::string::npos) << c;
  EXPECT_EQ(c.find("<failure"), std::string::npos) << c;
  EXPECT_NE(c.find("<system-out>already done: AM-1Y-0007 was already on CAM-0004"),
            std::string::npos)
      << c;
}

TEST(JUnit, StoppedRunFailsTheFailedIntentAndSkipsTheRest) {
  const RunReport r = StoppedReport();
  const std::string xml = RenderJUnit(r);
  ExpectCountsAgree(xml);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "tests"), 5);  // an intent failed: no "run" case
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "failures"), 1);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "skipped"), 3);
  const std::string failed = CaseXml(xml, CaseNames(xml)[1]);
  EXPECT_NE(failed.find("<failure message=\"portal said 409 Conflict: license AM-1Y-0007 is not "
                        "assignable\" type=\"activation failed\">"),
            std::string::npos)
      << failed;
  EXPECT_NE(failed.find("plan: plans/move.yaml:9:5\nkey: AM-1Y-0007\n"), std::string::npos);
  EXPECT_NE(CaseXml(xml, CaseNames(xml)[2])
                .find("<skipped message=\"not run: the run stopped "
                      "first\"/>"),
            std::string::npos);
  // What to run next is in the suite's output.
  EXPECT_NE(xml.find("next: licmove rollback R-20261129-0001\n"), std::string::npos);
}

TEST(JUnit, RunThatFailsWithNoIntentToBlameIsStillRed) {
  RunReport r = StoppedReport();
  for (IntentOutcome& i : r.intents) {
    if (i.result == IntentOutcome::Result::kFailed) i.result = IntentOutcome::Result::kNotRun;
  }
  r.result = "interrupted";
  r.message = "interrupted (SIGINT)";
  const std::string xml = RenderJUnit(r);
  ExpectCountsAgree(xml);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "tests"), 6);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "failures"), 1);
  EXPECT_EQ(CaseNames(xml).back(), "run");
  const std::string run = CaseXml(xml, "run");
  EXPECT_NE(run.find("classname=\"licmove.acme.run\""), std::string::npos) << run;
  EXPECT_NE(run.find("<failure message=\"run interrupted: interrupted (SIGINT)\" "
                     "type=\"run interrupted\">"),
            std::string::npos)
      << run;
  EXPECT_NE(run.find("next: licmove apply plans/move.yaml --resume R-20261129-0001"),
            std::string::npos);
}

TEST(JUnit, ReconciliationDifferencesFailTheSuite) {
  const std::string xml = RenderJUnit(ReconciliationReport());
  ExpectCountsAgree(xml);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "tests"), 5);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "failures"), 1);
  const std::string c = CaseXml(xml, "reconciliation");
  EXPECT_NE(c.find("message=\"the account does not match the plan: 2 differences\""),
            std::string::npos)
      << c;
  EXPECT_NE(c.find("- RM-1Y-0110: in the pool, the plan expected it on CAM-0001\n"),
            std::string::npos);
}

TEST(JUnit, NoChangesIsOnePassingCase) {
  const std::string xml = RenderJUnit(NoChangesReport());
  ExpectCountsAgree(xml);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "tests"), 1);
  EXPECT_EQ(IntAttrOf(xml, "testsuite", "failures"), 0);
  EXPECT_EQ(CaseNames(xml), std::vector<std::string>{"no changes"});
  EXPECT_NE(xml.find("<system-out>no changes: the account already matches the plan\n"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("name=\"run_id\""), std::string::npos);  // no run was started
}

TEST(JUnit, NamesStayUniqueAndTextIsEscaped) {
  const std::string xml = RenderJUnit(NastyReport());
  ExpectCountsAgree(xml);
  const std::vector<std::string> names = CaseNames(xml);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  ASSERT_EQ(names.back(), "reconciliation");
  const std::string& twice = names[names.size() - 2];
  EXPECT_EQ(twice.substr(twice.size() - 3), " #2") << twice;
  // The account's dots and markup do not make package levels in a classname.
  EXPECT_NE(xml.find("classname=\"licmove.acme______co_.move\""), std::string::npos);
  for (const char* forbidden : {"\x01", "\x08", "\x0B", "\x1B", "\xFF", "\xEF\xBF\xBE", "]]>"}) {
    EXPECT_EQ(xml.find(forbidden), std::string::npos) << "found " << forbidden;
  }
  EXPECT_EQ(xml.find(std::string(1, '\0')), std::string::npos);
}

TEST(JUnit, TimesAreDecimalsWhateverTheReportSays) {
  RunReport r = CompletedReport();
  r.wall_seconds = -1;
  r.intents[0].seconds = 1e300 * 1e300;  // infinity
  r.intents[1].seconds = 1234567.0;
  const std::string xml = RenderJUnit(r);
  EXPECT_EQ(AttrOf(xml, "testsuite", "time"), "0.000");
  EXPECT_NE(CaseXml(xml, CaseNames(xml)[0]).find("time=\"0.000\""), std::string::npos);
  EXPECT_NE(CaseXml(xml, CaseNames(xml)[1]).find("time=\"1234567.000\""), std::string::npos);
}

TEST(JUnit, TimestampIsUtcWithoutAZoneOrLeftOut) {
  RunReport r = CompletedReport();
  r.started_at = "2026-11-29T12:00:00+02:00";
  EXPECT_EQ(AttrOf(RenderJUnit(r), "testsuite", "timestamp"), "2026-11-29T10:00:00");
  r.started_at = "";
  EXPECT_EQ(AttrOf(RenderJUnit(r), "testsuite", "timestamp"), "<absent>");
}

}  // namespace
}  // namespace licmove::testing
