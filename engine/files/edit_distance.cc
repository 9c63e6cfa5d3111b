#include "files/edit_distance.h"

#include <algorithm>

namespace licmove {

int EditDistance(std::string_view a, std::string_view b) {
  // d[i][j]: the distance between the first i characters of a and the first
  // j of b; three rows are enough for the transposition's look-back.
  const std::size_t n = b.size();
  std::vector<int> before(n + 1), previous(n + 1), current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= n; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[n];
}

std::string NearestWord(std::string_view typed, const std::vector<std::string>& candidates) {
  constexpr int kMaxEdits = 2;
  std::string best;
  int best_distance = kMaxEdits + 1;
  for (const std::string& c : candidates) {
    const int d = EditDistance(typed, c);
    if (d < best_distance && d < static_cast<int>(typed.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace licmove
