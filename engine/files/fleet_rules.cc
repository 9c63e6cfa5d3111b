// The fleet rules that span values: what must be unique, what must refer to
// something defined, and what the portal's rules make impossible (two
// licenses of one service on a camera, a license activated after `now`).
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_fields.h"

namespace licmove {
namespace {

class FleetRules {
 public:
  FleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out)
      : fleet_(fleet), doc_(doc), out_(out) {
    // `now` is reported by the decoder when it is not a valid time.
    if (auto text = fields::OptionalText(doc.root, "now")) now_ = ParseTimestamp(*text);
  }

  void Check() {
    for (std::size_t i = 0; i < fleet_.accounts.size(); ++i) {
      Account(fleet_.accounts[i], PointerChild("/accounts", i));
    }
    for (std::size_t i = 0; i < fleet_.registry.size(); ++i) {
      const std::string at = PointerChild("/registry", i);
      const License& l = fleet_.registry[i];
      Key(l.key, at);
      Activation(l, at);
    }
    Users();
  }

 private:
  // Where in the text a first occurrence was, for "... (first at line N)".
  using FirstSeen = std::unordered_map<std::string, std::string>;

  std::string LineOf(const std::string& pointer) const {
    return std::to_string(doc_.ValueAt(pointer).line);
  }

  void Account(const licmove::Account& account, const std::string& at) {
    if (!account.name.empty()) {
      auto [first, fresh] = accounts_.emplace(account.name, at + "/name");
      if (!fresh) {
        Report(at + "/name", "account \"" + account.name + "\" is already defined at line " +
                                 LineOf(first->second) + "; account names must be unique");
      }
    }
    FirstSeen serials;
    for (std::size_t j = 0; j < account.cameras.size(); ++j) {
      const Camera& c = account.cameras[j];
      const std::string camera_at = PointerChild(at + "/cameras", j);
      if (!c.serial.empty()) {
        auto [first, fresh] = serials.emplace(c.serial, camera_at + "/serial");
        if (!fresh) {
          Report(camera_at + "/serial", "camera " + c.serial + " is already listed at line " +
                                            LineOf(first->second) + " of account " + account.name +
                                            "; serials must be unique");
        }
      }
      if (!c.id.empty()) {
        auto [first, fresh] = camera_ids_.emplace(c.id, camera_at + "/id");
        if (!fresh) {
          Report(camera_at + "/id", "camera id \"" + c.id + "\" is already used at line " +
                                        LineOf(first->second) +
                                        "; ids must be unique across the fleet");
        }
      }
    }
    FirstSeen held;  // serial + '\n' + service -> the license holding it
    for (std::size_t k = 0; k < account.licenses.size(); ++k) {
      const License& l = account.licenses[k];
      const std::string license_at = PointerChild(at + "/licenses", k);
      Key(l.key, license_at);
      Activation(l, license_at);
      if (!l.assigned()) {
        if (l.auto_renew) {
          Report(license_at + "/auto_renew",
                 "auto_renew is true but license " + l.key +
                     " is in the pool (it has no assigned_to); auto_renew belongs to an "
                     "assignment: remove it or assign the license");
        }
        continue;
      }
      if (!serials.count(l.assigned_to)) {
        Report(license_at + "/assigned_to",
               "license " + l.key + " is assigned to " + l.assigned_to +
                   ", which is not a camera of account " + account.name);
        continue;
      }
      if (!l.activated_at && !fields::OptionalText(*Value(license_at), "activated_at")) {
        Report(license_at + "/assigned_to",
               "license " + l.key + " is assigned to " + l.assigned_to +
                   " but has no activated_at; the portal starts a license's clock when it is "
                   "first activated, so an assigned license has a start time");
      }
      if (l.service.empty()) continue;
      auto [first, fresh] = held.emplace(l.assigned_to + '\n' + l.service, license_at);
      if (!fresh) {
        const std::string other = fields::Text(*Value(first->second), "key");
        Report(license_at + "/assigned_to",
               "camera " + l.assigned_to + " already holds " + l.service + " (key " + other +
                   ", line " + LineOf(first->second) + "); a camera holds one license per service");
      }
    }
  }

  void Key(const std::string& key, const std::string& at) {
    if (key.empty()) return;
    auto [first, fresh] = keys_.emplace(key, at + "/key");
    if (!fresh) {
      Report(at + "/key", "key " + key + " is already listed at line " + LineOf(first->second) +
                              "; a key is in one place only (one account or the registry)");
    }
  }

  void Activation(const License& l, const std::string& at) {
    if (!now_ || !l.activated_at || *l.activated_at <= *now_) return;
    Report(at + "/activated_at", "activated_at " + FormatTimestamp(*l.activated_at) +
                                     " is after now (" + FormatTimestamp(*now_) +
                                     "); a license cannot have been activated in the future");
  }

  void Users() {
    FirstSeen tokens;
    for (std::size_t i = 0; i < fleet_.users.size(); ++i) {
      const FleetUser& u = fleet_.users[i];
      const std::string at = PointerChild("/users", i);
      if (!u.token.empty()) {
        auto [first, fresh] = tokens.emplace(u.token, at);
        if (!fresh) {
          // Never echo a token: fleet files hold secrets.
          const std::string other = fields::Text(*Value(first->second), "name");
          Report(at + "/token", "this token is already given to user " + other + " (line " +
                                    LineOf(first->second) + "); tokens must be unique");
        }
      }
      for (std::size_t j = 0; j < u.accounts.size(); ++j) {
        const std::string& name = u.accounts[j];
        if (name.empty() || accounts_.count(name)) continue;
        Report(PointerChild(at + "/accounts", j), "user " + u.name + " names account \"" + name +
                                                      "\", which is not defined under accounts");
      }
    }
  }

  // The document's value at `pointer`, which the decoder walked.
  const boost::json::value* Value(const std::string& pointer) const {
    static const boost::json::value kNull;
    boost::system::error_code ec;
    const boost::json::value* v = doc_.root.find_pointer(pointer, ec);
    return v ? v : &kNull;
  }

  void Report(const std::string& pointer, std::string message) {
    out_.push_back(doc_.At(pointer, std::move(message)));
  }

  const Fleet& fleet_;
  const YamlDocument& doc_;
  Diagnostics& out_;
  std::optional<UnixSeconds> now_;
  FirstSeen accounts_;    // name -> where
  FirstSeen camera_ids_;  // fleet-wide
  FirstSeen keys_;        // fleet-wide, registry included
};

}  // namespace

void CheckFleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out) {
  FleetRules(fleet, doc, out).Check();
}

}  // namespace licmove
