// A run as Markdown for people: a CI job's summary ($GITHUB_STEP_SUMMARY) or
// a merge-request note (apply --report-markdown FILE). Those hold a limited
// amount of text (a GitHub comment 65,536 characters), so the report comes in
// two sizes; docs/REPORTS.md shows the layout.
//
//   headline  ✅/❌, what ran, the result; the run's message
//   counts    intents done, already done, failed, not run; wall time
//   next      the commands to run next, one code block each
//   failures  every failed intent, then the reconciliation's differences
//   table     every intent, folded in <details> past kOpenIntentRows rows
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "report/run_report.h"

namespace licmove {

inline constexpr std::size_t kMarkdownSummaryLimit = 65000;
// Smaller limits are raised to this: the headline and the counts must fit.
inline constexpr std::size_t kMinimumMarkdownLimit = 4096;
// A table of more intents than this is folded (<details>).
inline constexpr std::size_t kOpenIntentRows = 50;

struct MarkdownReport {
  // Shorter than the limit in bytes (so in characters too), whatever the
  // report holds: the failures and the table are cut, messages shortened,
  // and a last line says the full report is in a separate file.
  std::string summary;
  // Everything: every failure, every row, messages whole.
  std::string full;
  // The summary leaves something out, so `full` needs publishing too. When
  // false, summary == full.
  bool folded = false;
};

// `full_report_file`: where the caller writes `full`, named by the summary's
// last line when it is folded; empty: "a separate file".
MarkdownReport RenderMarkdownReport(const RunReport& report,
                                    std::size_t limit = kMarkdownSummaryLimit,
                                    std::string_view full_report_file = {});

}  // namespace licmove
