// The fleet rules that span values: what must be unique, what must refer to
// something defined, and what the portal's rules make impossible (two
// licenses of one service on a camera, a license activated after `now`).
//
// Everything is looked up by position in the decoded fleet (item i of a
// decoded list is entry i of the document); a JSON pointer is built only for
// a problem to report. A 100,000-camera fleet has 250,000 serials and keys:
// a pointer string and a string-keyed map entry for each cost more than
// parsing the file.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_fields.h"
#include "model/flat_index.h"

namespace licmove {
namespace {

constexpr int kRegistry = -1;  // LicenseAt's account for a registry entry

// Calls `repeat(i, first)` for each key i of `index` that already appeared
// at `first` (< i). Empty keys are never repeats: they are reported as
// missing.
template <typename Repeat>
void ForEachRepeat(const FlatIndex& index, Repeat repeat) {
  const std::vector<std::string_view>& all = index.keys();
  for (int i = 0; i < static_cast<int>(all.size()); ++i) {
    if (all[i].empty()) continue;
    const int first = index.Find(all[i]);
    if (first != i) repeat(i, first);
  }
}

// An index of `keys`, built once for both the repeats and the look-ups.
FlatIndex IndexOf(std::vector<std::string_view> keys) {
  FlatIndex index;
  index.Build(std::move(keys));
  return index;
}

class FleetRules {
 public:
  FleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out)
      : fleet_(fleet), doc_(doc), out_(out) {
    // `now` is reported by the decoder when it is not a valid time.
    if (auto text = fields::OptionalText(doc.root, "now")) now_ = ParseTimestamp(*text);
  }

  void Check() {
    AccountNames();
    Keys();
    CameraIds();
    for (int a = 0; a < static_cast<int>(fleet_.accounts.size()); ++a) {
      Serials(a);
      Licenses(a);
    }
    for (int k = 0; k < static_cast<int>(fleet_.registry.size()); ++k) {
      Activation(fleet_.registry[k], LicenseAt(kRegistry, k));
    }
    Users();
  }

 private:
  struct Place {
    int list;   // an account's index, or kRegistry
    int entry;  // a camera's or license's index in it
  };

  std::string AccountAt(int a) const { return PointerChild("/accounts", a); }
  std::string CameraAt(int a, int c) const { return PointerChild(AccountAt(a) + "/cameras", c); }
  std::string LicenseAt(int a, int k) const {
    return a == kRegistry ? PointerChild("/registry", k)
                          : PointerChild(AccountAt(a) + "/licenses", k);
  }
  const License& LicenseOf(Place p) const {
    return p.list == kRegistry ? fleet_.registry[p.entry]
                               : fleet_.accounts[p.list].licenses[p.entry];
  }

  std::string LineOf(const std::string& pointer) const {
    return std::to_string(doc_.ValueAt(pointer).line);
  }

  void AccountNames() {
    std::vector<std::string_view> names;
    for (const Account& a : fleet_.accounts) names.push_back(a.name);
    account_names_.Build(std::move(names));
    ForEachRepeat(account_names_, [&](int a, int first) {
      Report(AccountAt(a) + "/name",
             "account \"" + fleet_.accounts[a].name + "\" is already defined at line " +
                 LineOf(AccountAt(first) + "/name") + "; account names must be unique");
    });
  }

  // Fleet-wide, registry included.
  void Keys() {
    std::vector<std::string_view> keys;
    std::vector<Place> places;
    auto add = [&](int list, const std::vector<License>& licenses) {
      for (int k = 0; k < static_cast<int>(licenses.size()); ++k) {
        keys.push_back(licenses[k].key);
        places.push_back({list, k});
      }
    };
    for (int a = 0; a < static_cast<int>(fleet_.accounts.size()); ++a) {
      add(a, fleet_.accounts[a].licenses);
    }
    add(kRegistry, fleet_.registry);
    ForEachRepeat(IndexOf(std::move(keys)), [&](int i, int first) {
      Report(LicenseAt(places[i].list, places[i].entry) + "/key",
             "key " + LicenseOf(places[i]).key + " is already listed at line " +
                 LineOf(LicenseAt(places[first].list, places[first].entry) + "/key") +
                 "; a key is in one place only (one account or the registry)");
    });
  }

  // Fleet-wide.
  void CameraIds() {
    std::vector<std::string_view> ids;
    std::vector<Place> places;
    for (int a = 0; a < static_cast<int>(fleet_.accounts.size()); ++a) {
      const std::vector<Camera>& cameras = fleet_.accounts[a].cameras;
      for (int c = 0; c < static_cast<int>(cameras.size()); ++c) {
        if (cameras[c].id.empty()) continue;
        ids.push_back(cameras[c].id);
        places.push_back({a, c});
      }
    }
    ForEachRepeat(IndexOf(std::move(ids)), [&](int i, int first) {
      const Camera& camera = fleet_.accounts[places[i].list].cameras[places[i].entry];
      Report(CameraAt(places[i].list, places[i].entry) + "/id",
             "camera id \"" + camera.id + "\" is already used at line " +
                 LineOf(CameraAt(places[first].list, places[first].entry) + "/id") +
                 "; ids must be unique across the fleet");
    });
  }

  void Serials(int a) {
    const licmove::Account& account = fleet_.accounts[a];
    std::vector<std::string_view> serials;
    serials.reserve(account.cameras.size());
    for (const Camera& c : account.cameras) serials.push_back(c.serial);
    serials_.Build(std::move(serials));
    ForEachRepeat(serials_, [&](int c, int first) {
      Report(CameraAt(a, c) + "/serial",
             "camera " + account.cameras[c].serial + " is already listed at line " +
                 LineOf(CameraAt(a, first) + "/serial") + " of account " + account.name +
                 "; serials must be unique");
    });
  }

  // After Serials(a): serials_ holds the account's cameras.
  void Licenses(int a) {
    const licmove::Account& account = fleet_.accounts[a];
    // (camera, service, license) for each license that holds a service on a
    // known camera; sorted, two of one camera and service are neighbours.
    struct Held {
      int camera;
      std::string_view service;
      int license;
    };
    std::vector<Held> held;
    for (int k = 0; k < static_cast<int>(account.licenses.size()); ++k) {
      const License& l = account.licenses[k];
      Activation(l, LicenseAt(a, k));
      if (!l.assigned()) {
        if (l.auto_renew) {
          Report(LicenseAt(a, k) + "/auto_renew",
                 "auto_renew is true but license " + l.key +
                     " is in the pool (it has no assigned_to); auto_renew belongs to an "
                     "assignment: remove it or assign the license");
        }
        continue;
      }
      const int camera = serials_.Find(l.assigned_to);
      if (camera < 0) {
        Report(LicenseAt(a, k) + "/assigned_to",
               "license " + l.key + " is assigned to " + l.assigned_to +
                   ", which is not a camera of account " + account.name);
        continue;
      }
      if (!l.activated_at && !fields::OptionalText(*Value(LicenseAt(a, k)), "activated_at")) {
        Report(LicenseAt(a, k) + "/assigned_to",
               "license " + l.key + " is assigned to " + l.assigned_to +
                   " but has no activated_at; the portal starts a license's clock when it is "
                   "first activated, so an assigned license has a start time");
      }
      if (!l.service.empty()) held.push_back({camera, l.service, k});
    }
    std::stable_sort(held.begin(), held.end(), [](const Held& x, const Held& y) {
      return x.camera != y.camera ? x.camera < y.camera : x.service < y.service;
    });
    for (std::size_t i = 1, first = 0; i < held.size(); ++i) {
      if (held[i].camera != held[first].camera || held[i].service != held[first].service) {
        first = i;
        continue;
      }
      const License& l = account.licenses[held[i].license];
      const std::string first_at = LicenseAt(a, held[first].license);
      Report(LicenseAt(a, held[i].license) + "/assigned_to",
             "camera " + l.assigned_to + " already holds " + l.service + " (key " +
                 account.licenses[held[first].license].key + ", line " + LineOf(first_at) +
                 "); a camera holds one license per service");
    }
  }

  void Activation(const License& l, const std::string& at) {
    if (!now_ || !l.activated_at || *l.activated_at <= *now_) return;
    Report(at + "/activated_at", "activated_at " + FormatTimestamp(*l.activated_at) +
                                     " is after now (" + FormatTimestamp(*now_) +
                                     "); a license cannot have been activated in the future");
  }

  void Users() {
    std::vector<std::string_view> tokens;
    for (const FleetUser& u : fleet_.users) tokens.push_back(u.token);
    ForEachRepeat(IndexOf(std::move(tokens)), [&](int i, int first) {
      // Never echo a token: fleet files hold secrets.
      const std::string first_at = PointerChild("/users", first);
      Report(PointerChild("/users", i) + "/token",
             "this token is already given to user " + fleet_.users[first].name + " (line " +
                 LineOf(first_at) + "); tokens must be unique");
    });
    for (int i = 0; i < static_cast<int>(fleet_.users.size()); ++i) {
      const FleetUser& u = fleet_.users[i];
      for (std::size_t j = 0; j < u.accounts.size(); ++j) {
        const std::string& name = u.accounts[j];
        if (name.empty() || account_names_.Find(name) >= 0) continue;
        Report(PointerChild(PointerChild("/users", i) + "/accounts", j),
               "user " + u.name + " names account \"" + name +
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
  FlatIndex account_names_;
  FlatIndex serials_;  // of the account being checked
};

}  // namespace

void CheckFleetRules(const Fleet& fleet, const YamlDocument& doc, Diagnostics& out) {
  FleetRules(fleet, doc, out).Check();
}

}  // namespace licmove
