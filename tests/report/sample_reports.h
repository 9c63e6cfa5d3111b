// Run reports built in code for the report tests: the shapes a run ends in,
// and random ones for the property tests.
#pragma once

#include <cstdint>
#include <string>

#include "report/run_report.h"

namespace licmove::testing {

// Every intent done: two moves, an assign, a restoration, one already done.
RunReport CompletedReport();
// Stopped part way: a failure, the rest not run; a resume and a rollback to
// run next.
RunReport StoppedReport();
// Nothing to do: no run, no intents.
RunReport NoChangesReport();
// Every intent done, yet the account did not match the plan at the end.
RunReport ReconciliationReport();
// Messages and names full of what XML and Markdown must escape: <&">'|,
// controls, ill-formed UTF-8, U+FFFE, "]]>", line breaks.
RunReport NastyReport();
// `intents` intents: failing ones (every `fail_every`-th; 0: none) with
// messages of `message_bytes` bytes.
RunReport BigReport(int intents, int fail_every, std::size_t message_bytes);

// A text holding the characters reports must escape or leave out.
std::string NastyText();

struct RandomShape {
  std::uint64_t seed = 0;
  int intents = 0;
  std::size_t max_message = 0;  // bytes, any byte values
  std::size_t max_field = 0;    // cameras, keys, plan file, ...
  int differences = 0;          // reconciliation
  int next_steps = 0;
};
RunReport RandomReport(const RandomShape& shape);

}  // namespace licmove::testing
