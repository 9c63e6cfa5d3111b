// Strings to their position in a list: one flat open-addressing table of
// views instead of a node per entry (a 100,000-camera account has 250,000
// serials and keys). Used where a whole list is indexed at once: the
// planner's account index, the fleet file's uniqueness rules.
//
// REQUIRES: the strings viewed outlive the index.
#pragma once

#include <string_view>
#include <vector>

namespace licmove {

class FlatIndex {
 public:
  // Indexes `keys` by position; of equal keys the first wins, so a later
  // duplicate is the i for which Find(keys[i]) != i.
  void Build(std::vector<std::string_view> keys);
  int Find(std::string_view key) const;  // -1 when absent
  const std::vector<std::string_view>& keys() const { return keys_; }

 private:
  std::vector<std::string_view> keys_;
  std::vector<int> slots_;  // index into keys_, or -1
  std::size_t mask_ = 0;
};

}  // namespace licmove
