#include "files/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace licmove {

std::string Diagnostic::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

void SortDiagnostics(Diagnostics& diagnostics) {
  auto position = [](const Diagnostic& d) { return std::tie(d.file, d.line, d.column); };
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(),
      [&](const Diagnostic& a, const Diagnostic& b) { return position(a) < position(b); });
  // Repeats share a position, so they sit in one run of equal positions.
  Diagnostics kept;
  kept.reserve(diagnostics.size());
  std::size_t run_start = 0;
  for (Diagnostic& d : diagnostics) {
    if (!kept.empty() && position(kept.back()) != position(d)) run_start = kept.size();
    bool repeat = std::any_of(kept.begin() + run_start, kept.end(),
                              [&](const Diagnostic& k) { return k.message == d.message; });
    if (!repeat) kept.push_back(std::move(d));
  }
  diagnostics = std::move(kept);
}

std::string FormatDiagnostics(Diagnostics diagnostics) {
  SortDiagnostics(diagnostics);
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.ToString();
  }
  return out;
}

Status DiagnosticsStatus(Diagnostics diagnostics) {
  return Status::InvalidArgument(FormatDiagnostics(std::move(diagnostics)));
}

}  // namespace licmove
