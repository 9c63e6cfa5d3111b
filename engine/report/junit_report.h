// A run as JUnit XML, the test-results format GitHub (through the usual
// test-report actions), GitLab (artifacts:reports:junit) and Jenkins (junit
// step) read: apply --report-junit FILE. docs/REPORTS.md has the mapping;
// tests/report/junit.xsd is the shape it keeps to.
//
//   <testsuites>  one <testsuite> named "licmove apply plans/x.yaml on acme",
//                 its <properties> the run id, portal and plan identity
//   <testcase>    one per intent, classname licmove.<account>.<move|assign|restore>
//     done          passes
//     already done  passes, with a <system-out> saying so
//     failed        <failure message type>
//     not run       <skipped message>
//   one more <testcase> "reconciliation" or "run", failing, when the run
//   failed with no intent to blame (RunLevelFailure); a "no changes" or "run"
//   case, passing, when there would be no test case at all.
#pragma once

#include <string>

#include "report/run_report.h"

namespace licmove {

// UTF-8, XML 1.0; every text from the report escaped (xml_text.h).
std::string RenderJUnit(const RunReport& report);

}  // namespace licmove
