// RenderMarkdownReport: the layout (headline, counts, next steps, failures
// before the table), escaping, and the summary's size whatever the report.
#include "report/markdown_report.h"

#include <gtest/gtest.h>

#include "sample_reports.h"

namespace licmove::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Markdown, CompletedRunInFull) {
  const MarkdownReport md = RenderMarkdownReport(CompletedReport());
  EXPECT_FALSE(md.folded);
  EXPECT_EQ(md.summary, md.full);
  const std::string& s = md.summary;
  EXPECT_EQ(s.rfind("## ✅ licmove apply completed: plans/move.yaml on acme\n", 0), 0u) << s;
  EXPECT_TRUE(Has(s, "| 4 | 3 | 1 | 0 | 0 | 1 min 3 s |")) << s;
  EXPECT_TRUE(Has(s, "Run R-20261129-0001 · ")) << s;
  EXPECT_TRUE(Has(s, "14 of 14 portal calls · 15 requests, 1 retry")) << s;
  EXPECT_TRUE(Has(s, "| 2 | ✅ already done | move CAM-0003 -&gt; CAM-0004 alarm-management |"))
      << s;
  EXPECT_FALSE(Has(s, "<details>"));  // 4 rows: open
  EXPECT_FALSE(Has(s, "### Failures"));
  EXPECT_FALSE(Has(s, "full report"));
}

TEST(Markdown, StoppedRunShowsNextStepsAndFailuresBeforeTheTable) {
  const MarkdownReport md = RenderMarkdownReport(StoppedReport());
  const std::string& s = md.summary;
  EXPECT_EQ(s.rfind("## ❌ licmove apply stopped: plans/move.yaml on acme\n", 0), 0u) << s;
  EXPECT_TRUE(Has(s, "stopped after a failed activation; 9 of 14 calls done")) << s;
  EXPECT_TRUE(Has(s, "```sh\nlicmove rollback R-20261129-0001\n```\n")) << s;
  const std::size_t failures = s.find("### Failures (1)");
  const std::size_t table = s.find("| # | Result |");
  ASSERT_NE(failures, std::string::npos) << s;
  ASSERT_NE(table, std::string::npos) << s;
  EXPECT_LT(failures, table);
  EXPECT_LT(s.find("### Next steps"), failures);
  EXPECT_TRUE(Has(s,
                  "- ❌ **move CAM-0003 -&gt; CAM-0004 alarm-management** "
                  "(plans/move.yaml:9:5): portal said 409 Conflict"))
      << s;
  EXPECT_TRUE(Has(s, "| ⏸️ not run |")) << s;
}

TEST(Markdown, NoChangesSaysSo) {
  const MarkdownReport md = RenderMarkdownReport(NoChangesReport());
  EXPECT_EQ(md.summary.rfind("## ✅ licmove apply no changes: plans/move.yaml on acme\n", 0), 0u)
      << md.summary;
  EXPECT_TRUE(Has(md.summary, "nothing was sent")) << md.summary;
  EXPECT_FALSE(Has(md.summary, "| # |"));
}

TEST(Markdown, ReconciliationMakesACompletedRunRed) {
  const MarkdownReport md = RenderMarkdownReport(ReconciliationReport());
  EXPECT_TRUE(Has(md.summary, "## ❌ licmove apply completed, but the account does not match"))
      << md.summary;
  EXPECT_TRUE(Has(md.summary, "(2 differences)\n\n- CAM-0002: alarm-management is AM-1Y-0099"))
      << md.summary;
  EXPECT_LT(md.summary.find("### Reconciliation"), md.summary.find("| # |"));
}

TEST(Markdown, TableCellsEscapePipesAndLineBreaks) {
  RunReport r = StoppedReport();
  r.intents[1].message = "first | second\nthird <details> `x` *y*";
  const MarkdownReport md = RenderMarkdownReport(r);
  EXPECT_TRUE(Has(md.summary, "| first \\| second<br>third &lt;details&gt; \\`x\\` \\*y\\* |"))
      << md.summary;
  // In the failures list a line break is a space.
  EXPECT_TRUE(Has(md.summary, ": first \\| second third &lt;details&gt;")) << md.summary;
}

TEST(Markdown, NastyTextStaysOnItsLineAndInItsCell) {
  const MarkdownReport md = RenderMarkdownReport(NastyReport());
  // The table's header and each of its rows has the 8 unescaped pipes of its
  // 7 cells.
  std::size_t rows = 0;
  for (std::size_t at = md.full.find("\n| "); at != std::string::npos;
       at = md.full.find("\n| ", at + 1)) {
    const std::string line = md.full.substr(at + 1, md.full.find('\n', at + 1) - at - 1);
    if (line.rfind("| Intents", 0) == 0 || line.rfind("| 6 | 1 | 0 |", 0) == 0) continue;
    int pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    }
    EXPECT_EQ(pipes, 8) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 7u);
  for (const char* raw : {"\x01", "\x1B", "\r", "<details>", "\xFF"}) {
    EXPECT_FALSE(Has(md.full, raw)) << "found " << raw;
  }
  // A next step is a command: whole, in a fence longer than its backticks.
  EXPECT_TRUE(Has(md.full, "````sh\nlicmove apply '")) << md.full;
}

TEST(Markdown, TenThousandIntentsFoldAndStayUnderTheLimit) {
  const MarkdownReport md = RenderMarkdownReport(BigReport(10000, 0, 0));
  EXPECT_LT(md.summary.size(), 65000u);
  EXPECT_TRUE(md.folded);
  EXPECT_TRUE(Has(md.summary, "<details><summary>The first ")) << md.summary.substr(0, 2000);
  EXPECT_TRUE(Has(md.summary, " of 10000 intents</summary>"));
  EXPECT_TRUE(Has(md.summary, "more intents not shown here: see the full report."));
  EXPECT_TRUE(Has(md.summary, "the full report is in a separate file."));
  EXPECT_EQ(md.summary.rfind("</details>"), md.summary.rfind("</details>\n\n---"));
  // The full report holds every row, folded.
  EXPECT_TRUE(Has(md.full, "<details><summary>All 10000 intents</summary>"));
  EXPECT_TRUE(Has(md.full, "| 10000 | ✅ done | move CAM-209999 -&gt; CAM-109999"));
  EXPECT_FALSE(Has(md.full, "full report"));
}

TEST(Markdown, TenThousandFailuresWithLongMessagesStayUnderTheLimit) {
  const MarkdownReport md = RenderMarkdownReport(BigReport(10000, 1, 2048));
  const std::string& s = md.summary;
  EXPECT_LT(s.size(), 65000u);
  EXPECT_TRUE(md.folded);
  const std::size_t failures = s.find("### Failures (10000)");
  ASSERT_NE(failures, std::string::npos) << s.substr(0, 3000);
  EXPECT_TRUE(Has(s, "more failures: see the full report\n")) << s;
  EXPECT_LT(failures, s.find("| # | Result |"));  // the table still shows a few rows
  EXPECT_TRUE(Has(s, "xxx…"));                    // messages shortened
  EXPECT_GT(md.full.size(), 10000u * 2048 * 2);   // each message whole, twice
}

TEST(Markdown, FoldsPastTheOpenRowLimitWithoutCutting) {
  const MarkdownReport md = RenderMarkdownReport(BigReport(kOpenIntentRows + 1, 0, 0));
  EXPECT_FALSE(md.folded);  // nothing left out ...
  EXPECT_EQ(md.summary, md.full);
  EXPECT_TRUE(Has(md.summary, "<details><summary>All 51 intents</summary>"));  // ... but folded
  const MarkdownReport open = RenderMarkdownReport(BigReport(kOpenIntentRows, 0, 0));
  EXPECT_FALSE(Has(open.summary, "<details>"));
}

TEST(Markdown, FoldedSummaryNamesTheFullReportsFile) {
  const MarkdownReport md =
      RenderMarkdownReport(BigReport(2000, 0, 0), kMarkdownSummaryLimit, "out/report-full.md");
  EXPECT_TRUE(Has(md.summary, "the full report is in a separate file, out/report-full.md.*\n"))
      << md.summary.substr(md.summary.size() - 300);
}

TEST(Markdown, SmallLimitsAreRaisedToTheMinimum) {
  const MarkdownReport md = RenderMarkdownReport(NastyReport(), 10);
  EXPECT_LT(md.summary.size(), kMinimumMarkdownLimit);
  EXPECT_TRUE(md.folded);
  EXPECT_EQ(md.summary.rfind("## ❌", 0), 0u);
}

}  // namespace
}  // namespace licmove::testing
