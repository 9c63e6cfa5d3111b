// A problem found in an input file, pointing at the text:
// "plans/move.yaml:12:9: camera CAM-0001 is moved twice for alarm-management".
#pragma once

#include <string>
#include <vector>

#include "model/status.h"

namespace licmove {

// Where something was written in a file.
struct TextPosition {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem is the file as a whole
  int column = 0;  // 1-based
  std::string message;

  std::string ToString() const;  // "file:line:col: message", or "file: message" for line 0
};

using Diagnostics = std::vector<Diagnostic>;

// In file/line/column order, exact repeats removed. Stable: two problems at
// one position keep the order in which they were found.
void SortDiagnostics(Diagnostics& diagnostics);

// One diagnostic a line, in file/line/column order, no trailing newline.
std::string FormatDiagnostics(Diagnostics diagnostics);

// InvalidArgument holding FormatDiagnostics(diagnostics), for the Results of
// Parse*/Load*. REQUIRES: !diagnostics.empty().
Status DiagnosticsStatus(Diagnostics diagnostics);

}  // namespace licmove
