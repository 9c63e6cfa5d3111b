#include "model/flat_index.h"

#include <functional>

namespace licmove {

void FlatIndex::Build(std::vector<std::string_view> keys) {
  keys_ = std::move(keys);
  std::size_t size = 16;
  while (size < 2 * keys_.size()) size *= 2;
  slots_.assign(size, -1);
  mask_ = size - 1;
  const std::hash<std::string_view> hash;
  for (int i = 0; i < static_cast<int>(keys_.size()); ++i) {
    std::size_t h = hash(keys_[i]) & mask_;
    while (slots_[h] >= 0 && keys_[slots_[h]] != keys_[i]) h = (h + 1) & mask_;
    if (slots_[h] < 0) slots_[h] = i;
  }
}

int FlatIndex::Find(std::string_view key) const {
  if (slots_.empty()) return -1;
  std::size_t h = std::hash<std::string_view>()(key) & mask_;
  while (slots_[h] >= 0) {
    if (keys_[slots_[h]] == key) return slots_[h];
    h = (h + 1) & mask_;
  }
  return -1;
}

}  // namespace licmove
