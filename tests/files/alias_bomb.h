// A plan of about 1 MB whose aliases would expand it to 2 GB (issue 9, item
// 6): one assign entry anchors a list of 1000 serials of 1000 bytes each,
// and 1999 more entries alias that list. Every alias stays within the old
// guard, which counted values rather than bytes (the list is 1001 values).
#pragma once

#include <string>

namespace licmove::testing {

inline constexpr int kBombSerials = 1000;
inline constexpr int kBombAliases = 1999;
// The line of the k-th alias (0-based); it sits at column 15.
inline int BombAliasLine(int k) {
  return 4 + kBombSerials + 3 + k;
}

inline std::string AliasByteBomb() {
  std::string text = "version: 1\naccount: acme\nassign:\n  - cameras: &a\n";
  for (int i = 0; i < kBombSerials; ++i) {
    std::string serial = "C" + std::to_string(1000 + i);
    serial.resize(1000, 'Y');
    text += "      - " + serial + "\n";
  }
  text += "    service: alarm-management\n    term: 5y\n";
  for (int k = 0; k < kBombAliases; ++k) {
    text += "  - {cameras: *a, service: s" + std::to_string(k) + ", term: 5y}\n";
  }
  return text;
}

}  // namespace licmove::testing
