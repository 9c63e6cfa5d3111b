#include "report/markdown_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "report/outcome_counts.h"
#include "model/utf8.h"

namespace licmove {
namespace {

constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

// How much of the report a rendering shows: the summary's caps, or none.
struct Caps {
  std::size_t field = kAll;        // a camera, key, file name, run id
  std::size_t title = kAll;        // "move CAM-1 -> CAM-2 alarm-management"
  std::size_t message = kAll;      // the run's message, a failure's, a difference
  std::size_t cell = kAll;         // a message in the table
  std::size_t command = kAll;      // a next step: shown whole or not at all
  std::size_t failures = kAll;     // failed intents listed
  std::size_t differences = kAll;  // reconciliation differences listed
};

constexpr Caps kSummaryCaps{120, 400, 400, 160, 2000, 200, 50};

// The text being written and the room left in it. Whatever does not fit is
// left out and marks the page cut.
class Page {
 public:
  explicit Page(std::size_t capacity) : capacity_(capacity) {}

  std::size_t size() const { return out_.size(); }
  std::size_t left() const { return out_.size() < capacity_ ? capacity_ - out_.size() : 0; }
  // `text` fits with `keep` bytes to spare for what must follow it.
  bool Fits(std::size_t bytes, std::size_t keep = 0) const {
    return bytes <= left() && keep <= left() - bytes;
  }
  bool Add(std::string_view text, std::size_t keep = 0) {
    if (!Fits(text.size(), keep)) {
      cut_ = true;
      return false;
    }
    out_ += text;
    return true;
  }
  // For what an earlier Add kept room for.
  void Force(std::string_view text) { out_ += text; }
  void MarkCut() { cut_ = true; }
  bool cut() const { return cut_; }
  std::string Take() { return std::move(out_); }

 private:
  std::size_t capacity_;
  std::string out_;
  bool cut_ = false;
};

enum class Where { kLine, kCell };

// `text` as Markdown shows it literally, on one line, at most `max` bytes of
// it (then "…", and the page is cut): Markdown and HTML punctuation escaped,
// line breaks as spaces (in a table cell: <br>), controls left out.
std::string Md(std::string_view text, std::size_t max, Page& page, Where where = Where::kLine) {
  const std::string_view shown = ClipUtf8(text, max);
  std::string out;
  out.reserve(shown.size() + 8);
  for (std::size_t i = 0; i < shown.size();) {
    const char32_t c = NextCodePoint(shown, i);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
        out += where == Where::kCell ? "<br>" : " ";
        break;
      case '\t':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '~':
      case '|':
        out += '\\';
        out += static_cast<char>(c);
        break;
      default:
        if (c >= 0x20 && c != 0x7F) AppendUtf8(out, c);  // \r and other controls: left out
    }
  }
  if (shown.size() < text.size()) {
    out += "…";
    page.MarkCut();
  }
  return out;
}

// A fenced code block holding `text` as it is, less controls other than line
// breaks and tabs: the fence is longer than any run of backticks inside.
std::string CodeBlock(std::string_view text) {
  std::string code;
  std::size_t run = 0;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, i);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) continue;
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    AppendUtf8(code, c);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + "sh\n" + code + "\n" + fence + "\n";
}

std::string Fixed(double value, int decimals) {
  if (!std::isfinite(value) || value < 0) value = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// "0.4 s", "12.0 s", "1 min 3 s", "2 h 5 min".
std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  if (seconds < 60) return Fixed(seconds, 1) + " s";
  const long long s = std::llround(seconds);
  if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
}

std::string Plural(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string_view ResultIcon(IntentOutcome::Result r) {
  switch (r) {
    case IntentOutcome::Result::kDone:
    case IntentOutcome::Result::kAlreadyDone:
      return "✅";
    case IntentOutcome::Result::kFailed:
      return "❌";
    case IntentOutcome::Result::kNotRun:
      return "⏸️";
  }
  return "";
}

std::string Headline(const RunReport& r, const OutcomeCounts& n, const Caps& caps, Page& page) {
  std::string result = r.result;
  std::replace(result.begin(), result.end(), '_', ' ');
  if (r.result == "completed" && n.failed > 0) {
    result += " with " + Plural(n.failed, "failed intent", "failed intents");
  } else if (r.result == "completed" && !r.reconciliation.empty()) {
    result += ", but the account does not match the plan";
  }
  std::string out = "## " + std::string(RunFailed(r) ? "❌" : "✅") + " licmove " +
                    Md(r.kind, caps.field, page) + " " + Md(result, caps.field, page) + ": " +
                    Md(r.plan_file, caps.field, page) + " on " + Md(r.account, caps.field, page) +
                    "\n\n";
  out +=
      "| Intents | ✅ Done | ✅ Already done | ❌ Failed | ⏸️ Not run | Wall time |\n"
      "|---:|---:|---:|---:|---:|---:|\n";
  out += "| " + std::to_string(n.total()) + " | " + std::to_string(n.done) + " | " +
         std::to_string(n.already_done) + " | " + std::to_string(n.failed) + " | " +
         std::to_string(n.not_run) + " | " + Duration(r.wall_seconds) + " |\n\n";
  return out;
}

// "Run R · 45 of 60 portal calls · 63 requests, 3 retries · portal P · plan sha256:…"
std::string RunFacts(const RunReport& r, const Caps& caps, Page& page) {
  std::string out;
  if (!r.run_id.empty()) out += "Run " + Md(r.run_id, caps.field, page) + " · ";
  out +=
      std::to_string(r.calls_done) + " of " + Plural(r.calls_total, "portal call", "portal calls");
  out += " · " + Plural(r.requests_sent, "request", "requests") + ", " +
         Plural(r.retries, "retry", "retries");
  if (r.parallelism > 0) out += " · " + std::to_string(r.parallelism) + " in flight";
  if (!r.started_at.empty()) out += " · started " + Md(r.started_at, caps.field, page);
  if (!r.portal.empty()) out += " · portal " + Md(r.portal, caps.field, page);
  if (!r.plan_identity.empty()) out += " · plan " + Md(r.plan_identity, caps.field, page);
  return out + "\n\n";
}

std::string NextSteps(const RunReport& r, const Caps& caps, Page& page) {
  std::string out;
  if (!r.cannot_undo.empty()) {
    out += "### Cannot be undone\n\n";
    for (const std::string& line : r.cannot_undo) out += "- " + Md(line, caps.field, page) + "\n";
    out += "\n";
  }
  if (r.next_steps.empty()) return out;
  out += "### Next steps\n\n";
  for (const std::string& step : r.next_steps) {
    if (step.size() > caps.command) {  // a command is whole or not at all
      out += "A next step too long to show here: see the full report.\n\n";
      page.MarkCut();
      continue;
    }
    out += CodeBlock(step) + "\n";
  }
  return out;
}

constexpr std::size_t kMoreLine = 96;  // room for "- and N more ..." lines

// The failed intents, then the reconciliation's differences: each gets at
// most `share` bytes of the page.
void Failures(const RunReport& r, const OutcomeCounts& n, const Caps& caps, std::size_t share,
              Page& page) {
  if (n.failed == 0) return;
  const std::size_t end = page.size() + share;
  if (!page.Add("### Failures (" + std::to_string(n.failed) + ")\n\n", kMoreLine)) return;
  std::size_t shown = 0;
  for (const IntentOutcome& i : r.intents) {
    if (i.result != IntentOutcome::Result::kFailed) continue;
    if (shown == caps.failures) {
      page.MarkCut();
      break;
    }
    std::string line = "- ❌ **" + Md(DescribeIntent(i), caps.title, page) + "**";
    if (!i.where.empty()) line += " (" + Md(i.where, caps.field, page) + ")";
    line += ": " + Md(i.message, caps.message, page) + "\n";
    if (page.size() + line.size() + kMoreLine > end || !page.Add(line, kMoreLine)) {
      page.MarkCut();
      break;
    }
    ++shown;
  }
  if (shown < static_cast<std::size_t>(n.failed)) {
    page.Force("- and " + Plural(n.failed - shown, "more failure", "more failures") +
               ": see the full report\n");
  }
  page.Force("\n");
}

void Differences(const RunReport& r, const Caps& caps, std::size_t share, Page& page) {
  if (r.reconciliation.empty()) return;
  const std::size_t end = page.size() + share;
  const std::size_t count = r.reconciliation.size();
  if (!page.Add("### Reconciliation: the account does not match the plan (" +
                    Plural(count, "difference", "differences") + ")\n\n",
                kMoreLine)) {
    return;
  }
  std::size_t shown = 0;
  for (const std::string& d : r.reconciliation) {
    if (shown == caps.differences) {
      page.MarkCut();
      break;
    }
    const std::string line = "- " + Md(d, caps.message, page) + "\n";
    if (page.size() + line.size() + kMoreLine > end || !page.Add(line, kMoreLine)) {
      page.MarkCut();
      break;
    }
    ++shown;
  }
  if (shown < count) {
    page.Force("- and " + Plural(count - shown, "more difference", "more differences") +
               ": see the full report\n");
  }
  page.Force("\n");
}

void Table(const RunReport& r, const Caps& caps, Page& page) {
  const std::size_t count = r.intents.size();
  if (count == 0) return;
  const bool fold = count > kOpenIntentRows;
  // After the rows: the "not shown" line, and </details> when folded.
  const std::string close = fold ? "\n</details>\n" : "";
  const std::size_t keep = kMoreLine + close.size();
  if (!page.Add("### Intents\n\n", keep + 200)) return;
  // The <summary> says how many rows follow, known only once they are laid
  // out: render them first.
  std::string rows;
  std::size_t shown = 0;
  const std::size_t head_room = 200;  // the <summary> line and the table's header
  for (const IntentOutcome& i : r.intents) {
    const std::string seconds =
        i.result == IntentOutcome::Result::kNotRun ? "-" : Fixed(i.seconds, 1) + " s";
    std::string row = "| " + std::to_string(shown + 1) + " | " + std::string(ResultIcon(i.result)) +
                      " " + std::string(ResultName(i.result)) + " | " +
                      Md(DescribeIntent(i), caps.title, page) + " | " +
                      Md(i.where, caps.field, page) + " | " + Md(i.key, caps.field, page) + " | " +
                      seconds + " | " + Md(i.message, caps.cell, page, Where::kCell) + " |\n";
    if (!page.Fits(rows.size() + row.size(), keep + head_room)) {
      page.MarkCut();
      break;
    }
    rows += row;
    ++shown;
  }
  std::string out;
  if (fold) {
    out += "<details><summary>" +
           (shown == count ? "All " + Plural(count, "intent", "intents")
                           : "The first " + std::to_string(shown) + " of " +
                                 Plural(count, "intent", "intents")) +
           "</summary>\n\n";
  }
  out +=
      "| # | Result | Intent | Plan | Key | Time | Message |\n"
      "|---:|---|---|---|---|---:|---|\n";
  page.Force(out + rows);
  if (shown < count) {
    page.Force("\nAnd " + Plural(count - shown, "more intent", "more intents") +
               " not shown here: see the full report.\n");
  }
  page.Force(close);
}

std::string Render(const RunReport& r, const Caps& caps, Page& page) {
  const OutcomeCounts n = CountOutcomes(r);
  page.Force(Headline(r, n, caps, page));
  if (!r.message.empty()) page.Add(Md(r.message, caps.message, page) + "\n\n");
  page.Add(RunFacts(r, caps, page));
  if (r.result == "no_changes" && r.intents.empty()) {
    page.Add("No changes: the account already matches the plan; nothing was sent.\n\n");
  }
  page.Add(NextSteps(r, caps, page));
  Failures(r, n, caps, page.left() / 2, page);
  Differences(r, caps, page.left() / 2, page);
  Table(r, caps, page);
  return page.Take();
}

}  // namespace

MarkdownReport RenderMarkdownReport(const RunReport& report, std::size_t limit,
                                    std::string_view full_report_file) {
  limit = std::max(limit, kMinimumMarkdownLimit);
  MarkdownReport out;
  Page all(kAll);
  out.full = Render(report, Caps{}, all);

  Page scratch(kAll);  // the trailer's own escaping never cuts the summary
  const std::string trailer =
      "\n---\n\n*Shortened to stay under " + std::to_string(limit) +
      " characters: the full report is in a separate file" +
      (full_report_file.empty() ? "" : ", " + Md(full_report_file, 200, scratch)) + ".*\n";
  Page page(limit - 1 - trailer.size());
  out.summary = Render(report, kSummaryCaps, page);
  out.folded = page.cut();
  if (out.folded) out.summary += trailer;
  return out;
}

}  // namespace licmove
