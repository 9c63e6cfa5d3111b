// Properties of both reports over random run reports (any bytes in any
// field): the Markdown summary stays under its limit, and the JUnit report
// has one test case per intent, plus one for the run when the run must be
// blamed or nothing else would be there.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "junit_inspect.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "sample_reports.h"

namespace licmove::testing {
namespace {

RandomShape AnyShape(int max_intents, std::size_t max_message) {
  RandomShape shape;
  shape.seed = *rc::gen::arbitrary<std::uint64_t>();
  // Mostly small reports, which may fit whole, and some big ones.
  shape.intents = *rc::gen::oneOf(rc::gen::inRange(0, 60), rc::gen::inRange(0, max_intents + 1));
  shape.max_message = *rc::gen::inRange<std::size_t>(0, max_message + 1);
  shape.max_field = *rc::gen::inRange<std::size_t>(0, 300);
  shape.differences = *rc::gen::oneOf(rc::gen::just(0), rc::gen::inRange(0, 200));
  shape.next_steps = *rc::gen::inRange(0, 6);
  return shape;
}

RC_GTEST_PROP(ReportProperty, MarkdownSummaryStaysUnderTheLimit, ()) {
  const RunReport report = RandomReport(AnyShape(2000, 3000));
  const std::size_t limit = *rc::gen::oneOf(
      rc::gen::just(kMarkdownSummaryLimit),
      rc::gen::inRange<std::size_t>(kMinimumMarkdownLimit, kMarkdownSummaryLimit + 1));
  const MarkdownReport md = RenderMarkdownReport(report, limit, "report-full.md");
  RC_LOG() << report.intents.size() << " intents, limit " << limit << ": summary "
           << md.summary.size() << " bytes, full " << md.full.size();
  RC_ASSERT(md.summary.size() < limit);
  if (md.folded) {
    RC_ASSERT(md.summary.find("the full report is in a separate file, report-full.md.") !=
              std::string::npos);
  } else {
    RC_ASSERT(md.summary == md.full);
  }
}

RC_GTEST_PROP(ReportProperty, JUnitHasOneCasePerIntentAndOneForABlamedRun, ()) {
  const RunReport r = RandomReport(AnyShape(500, 200));
  int failed = 0;
  int not_run = 0;
  for (const IntentOutcome& i : r.intents) {
    failed += i.result == IntentOutcome::Result::kFailed;
    not_run += i.result == IntentOutcome::Result::kNotRun;
  }
  const bool red_result = r.result != "completed" && r.result != "no_changes";
  const bool blame_run = !r.reconciliation.empty() || (red_result && failed == 0);
  const bool run_case = blame_run || r.intents.empty();
  const int tests = static_cast<int>(r.intents.size()) + (run_case ? 1 : 0);

  const std::string xml = RenderJUnit(r);
  RC_LOG() << r.intents.size() << " intents, result " << r.result << ", " << r.reconciliation.size()
           << " differences";
  RC_ASSERT(IntAttrOf(xml, "testsuite", "tests") == tests);
  RC_ASSERT(CountOf(xml, "<testcase ") == tests);
  RC_ASSERT(IntAttrOf(xml, "testsuite", "failures") == failed + (blame_run ? 1 : 0));
  RC_ASSERT(CountOf(xml, "<failure ") == failed + (blame_run ? 1 : 0));
  RC_ASSERT(IntAttrOf(xml, "testsuite", "skipped") == not_run);
  RC_ASSERT(IntAttrOf(xml, "testsuites", "tests") == tests);
}

}  // namespace
}  // namespace licmove::testing
