// Assertions on diagnostics: a problem is identified by its position and a
// phrase of its message, so that rewording the rest of a message does not
// break tests but moving its position does.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "files/diagnostic.h"

namespace licmove {

inline std::string ListDiagnostics(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += "\n  " + d.ToString();
  return out.empty() ? " (none)" : out;
}

// Exactly one diagnostic at line:column holds `phrase`.
inline ::testing::AssertionResult HasDiagnostic(const Diagnostics& ds, int line, int column,
                                                std::string_view phrase) {
  int found = 0;
  for (const Diagnostic& d : ds) {
    if (d.line == line && d.column == column && d.message.find(phrase) != std::string::npos) {
      ++found;
    }
  }
  if (found == 1) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << found << " diagnostics at " << line << ":" << column << " hold \"" << phrase
         << "\"; all of them:" << ListDiagnostics(ds);
}

// No diagnostic holds `phrase`.
inline ::testing::AssertionResult LacksDiagnostic(const Diagnostics& ds, std::string_view phrase) {
  for (const Diagnostic& d : ds) {
    if (d.message.find(phrase) != std::string::npos) {
      return ::testing::AssertionFailure() << "unexpected: " << d.ToString();
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace licmove
