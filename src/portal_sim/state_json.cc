#include "portal_sim/state_json.h"

#include <boost/json/serialize.hpp>

#include "model/timestamp.h"

namespace licmove::sim {
namespace json = boost::json;

json::value TimeOrNull(std::optional<UnixSeconds> t) {
  if (!t) return nullptr;
  return json::value(FormatTimestamp(*t));
}

json::object LicenseJson(const SimState& s, const SimLicense& l) {
  json::object o;
  o["key"] = l.key;
  o["service"] = l.service;
  o["term_days"] = l.term_days;
  o["activated_at"] = TimeOrNull(l.activated_at);
  o["expires_at"] = TimeOrNull(s.ExpiresAt(l));
  o["remaining_days"] = s.RemainingSeconds(l) / 86400;
  if (l.camera_id.empty()) {
    o["assigned_to"] = nullptr;
  } else {
    o["assigned_to"] = l.camera_id;
  }
  return o;
}

json::object CameraJson(const SimState& s, const SimCamera& c) {
  json::object o;
  o["id"] = c.id;
  o["serial"] = c.serial;
  o["name"] = c.name;
  o["site"] = c.site;
  json::array services;
  for (const auto& [service, key] : c.services) {
    const SimLicense* l = s.FindLicense(key);
    services.push_back(json::object{
        {"service", service}, {"license_key", key}, {"auto_renew", l && l->auto_renew}});
  }
  o["services"] = std::move(services);
  return o;
}

json::object StateJson(const SimState& s) {
  json::object o;
  o["now"] = FormatTimestamp(s.now());
  o["next_camera_id"] = s.NextCameraId();
  o["activations"] = s.activations();
  json::array accounts;
  for (const auto& [name, a] : s.accounts()) {
    json::array cameras;
    for (const auto& [id, c] : a.cameras) cameras.push_back(CameraJson(s, c));
    json::array licenses;
    for (const std::string& key : a.keys) licenses.push_back(LicenseJson(s, *s.FindLicense(key)));
    accounts.push_back(json::object{
        {"name", name}, {"cameras", std::move(cameras)}, {"licenses", std::move(licenses)}});
  }
  o["accounts"] = std::move(accounts);
  json::array registry;  // keys in no account: parked, or never added to one
  json::array expired;   // R7: gone for good
  for (const auto& [key, l] : s.licenses()) {
    if (l.expired) {
      expired.push_back(LicenseJson(s, l));
    } else if (l.account.empty()) {
      registry.push_back(LicenseJson(s, l));
    }
  }
  o["registry"] = std::move(registry);
  o["expired"] = std::move(expired);
  json::array users;
  for (const SimUser& u : s.users()) {
    json::array accts;
    for (const std::string& a : u.accounts) accts.push_back(json::value(a));
    users.push_back(json::object{
        {"name", u.name}, {"role", u.admin ? "admin" : "viewer"}, {"accounts", std::move(accts)}});
  }
  o["users"] = std::move(users);
  return o;
}

json::object ClockEventJson(const ClockEvent& e) {
  json::object o;
  o["at"] = FormatTimestamp(e.at);
  o["kind"] = ClockEventKindName(e.kind);
  if (!e.account.empty()) o["account"] = e.account;
  if (!e.camera_id.empty()) o["camera_id"] = e.camera_id;
  if (!e.serial.empty()) o["serial"] = e.serial;
  o["service"] = e.service;
  o["expired_key"] = e.expired_key;
  if (!e.new_key.empty()) o["new_key"] = e.new_key;
  if (!e.reason.empty()) o["reason"] = e.reason;
  return o;
}

json::object MutationJson(const Mutation& m) {
  if (m.kind == Mutation::Kind::kAdvanceClock) {
    json::array renewals;
    for (const RenewalPick& p : m.renewals) {
      renewals.push_back(json::object{{"at", p.at},
                                      {"account", p.account},
                                      {"camera_id", p.camera_id},
                                      {"service", p.service},
                                      {"key", p.key}});
    }
    return json::object{
        {"kind", MutationKindName(m.kind)}, {"to", m.to}, {"renewals", std::move(renewals)}};
  }
  return json::object{{"kind", MutationKindName(m.kind)},
                      {"account", m.account},
                      {"camera_id", m.camera_id},
                      {"serial", m.serial},
                      {"name", m.name},
                      {"site", m.site},
                      {"service", m.service},
                      {"key", m.key},
                      {"auto_renew", m.auto_renew}};
}

Result<Mutation> MutationFromJson(const json::value& v) {
  try {  // Boost.JSON's accessors throw on a wrong shape
    const json::object& o = v.as_object();
    auto kind = MutationKindFromName(o.at("kind").as_string());
    if (!kind) return Status::Corruption("unknown mutation kind " + json::serialize(o.at("kind")));
    Mutation m;
    m.kind = *kind;
    if (m.kind == Mutation::Kind::kAdvanceClock) {
      m.to = o.at("to").as_int64();
      for (const json::value& rv : o.at("renewals").as_array()) {
        const json::object& r = rv.as_object();
        m.renewals.push_back(RenewalPick{
            r.at("at").as_int64(), std::string(r.at("account").as_string()),
            std::string(r.at("camera_id").as_string()), std::string(r.at("service").as_string()),
            std::string(r.at("key").as_string())});
      }
      return m;
    }
    m.account = o.at("account").as_string();
    m.camera_id = o.at("camera_id").as_string();
    m.serial = o.at("serial").as_string();
    m.name = o.at("name").as_string();
    m.site = o.at("site").as_string();
    m.service = o.at("service").as_string();
    m.key = o.at("key").as_string();
    m.auto_renew = o.at("auto_renew").as_bool();
    return m;
  } catch (const std::exception& ex) {
    return Status::Corruption(std::string("not a mutation: ") + ex.what());
  }
}

}  // namespace licmove::sim
