#include "files/plan_identity.h"

#include <openssl/evp.h>

#include <boost/json.hpp>

namespace licmove {

namespace {

namespace json = boost::json;

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value_from(*v);
}

// boost::json::object keeps insertion order: every object below is written
// with its keys already in sorted order.
json::object MoveObject(const MoveIntent& m) {
  return json::object{{"auto_renew", OrNull(m.auto_renew)},
                      {"from", m.from},
                      {"key", OrNull(m.key)},
                      {"release_destination", OrNull(m.release_destination)},
                      {"service", OrNull(m.service)},
                      {"to", m.to}};
}

json::object AssignObject(const AssignIntent& a) {
  json::array cameras;
  for (const std::string& c : a.cameras) cameras.emplace_back(c);
  return json::object{{"auto_renew", OrNull(a.auto_renew)},
                      {"cameras", std::move(cameras)},
                      {"service", a.service},
                      {"term", TermChoiceName(a.term)}};
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string CanonicalPlanText(const Plan& plan) {
  json::array moves;
  for (const MoveIntent& m : plan.moves) moves.emplace_back(MoveObject(m));
  json::array assigns;
  for (const AssignIntent& a : plan.assigns) assigns.emplace_back(AssignObject(a));
  const json::object doc{
      {"account", plan.account},
      {"assigns", std::move(assigns)},
      {"moves", std::move(moves)},
      {"options", json::object{{"release_destinations", plan.options.release_destinations},
                               {"restore_sources", plan.options.restore_sources}}},
      {"version", plan.version}};
  return json::serialize(doc);
}

std::string PlanIdentity(const Plan& plan) {
  return "sha256:" + Sha256Hex(CanonicalPlanText(plan));
}

}  // namespace licmove
