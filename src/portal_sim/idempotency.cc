#include "portal_sim/idempotency.h"

#include <openssl/evp.h>

namespace licmove::sim {

std::string IdempotencyStore::Scope(std::string_view token, std::string_view account) {
  static const char kHex[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr);
  std::string s;
  for (unsigned int i = 0; i < size; ++i) {
    s += kHex[digest[i] >> 4];
    s += kHex[digest[i] & 15];
  }
  s += '\n';
  s += account;
  return s;
}

// A NUL cannot occur in an HTTP header value, so the pair never collides.
std::string IdempotencyStore::Id(std::string_view scope, std::string_view key) {
  std::string id(scope);
  id += '\0';
  id += key;
  return id;
}

const IdempotencyRecord* IdempotencyStore::Find(std::string_view scope,
                                                std::string_view key) const {
  auto it = records_.find(Id(scope, key));
  return it == records_.end() ? nullptr : &it->second;
}

void IdempotencyStore::Insert(std::string_view scope, std::string_view key,
                              IdempotencyRecord record) {
  records_.insert_or_assign(Id(scope, key), std::move(record));
}

}  // namespace licmove::sim
