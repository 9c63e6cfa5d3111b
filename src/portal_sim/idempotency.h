// Idempotency-Key records (DESIGN §2): the first response to a mutation, so
// that a retry carrying the same key gets that response again instead of a
// second effect, and a different request reusing the key is refused (422).
//
// Keys are scoped: the same key sent by another token, or for another
// account, is another record. Records live as long as the state (a reset
// clears them) and survive restarts through the durable log.
// REQUIRES: external synchronization (the API's state lock).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace licmove::sim {

struct IdempotencyRecord {
  std::string fingerprint;  // what was asked: method, target and body
  int status = 0;
  std::string body;
  std::uint64_t log_offset = 0;  // where the record ends in the durable log; 0: none
};

class IdempotencyStore {
 public:
  // "SHA256-HEX(token)\naccount": who may replay a key. The token itself is
  // kept nowhere, in memory or in the durable log; its hash tells the same
  // tokens apart.
  static std::string Scope(std::string_view token, std::string_view account);

  const IdempotencyRecord* Find(std::string_view scope, std::string_view key) const;
  void Insert(std::string_view scope, std::string_view key, IdempotencyRecord record);
  void Clear() { records_.clear(); }
  std::size_t size() const { return records_.size(); }

 private:
  static std::string Id(std::string_view scope, std::string_view key);
  std::unordered_map<std::string, IdempotencyRecord> records_;
};

}  // namespace licmove::sim
