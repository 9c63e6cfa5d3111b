#include "planner/saved_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "planner/account_index.h"
#include "planner/ops_json.h"

namespace licmove {
namespace json = boost::json;

Binding BindPlan(const PlannedChange& plan, const AccountSnapshot& snapshot) {
  const AccountIndex index(snapshot);
  std::set<int> cameras, licenses, services;
  std::set<const std::string*> lists;
  auto bind_key = [&](const std::string& key) {
    const int l = index.LicenseIndex(key);
    if (l >= 0) licenses.insert(l);
  };
  for (const Op& op : plan.graph.ops()) {
    if (!op.camera.empty()) {
      const int c = index.CameraIndex(op.camera);
      if (c >= 0) cameras.insert(c);
    }
    if (op.kind == OpKind::kActivate) {
      const int s = index.ServiceId(op.service);
      if (s >= 0) services.insert(s);
      bind_key(op.expect_key);
      // A bulk assign's activations share one list: bind it once.
      if (!op.acceptable_keys.empty() && lists.insert(op.acceptable_keys.begin()).second) {
        for (const std::string& k : op.acceptable_keys) bind_key(k);
      }
    }
    if (!op.key.empty()) bind_key(op.key);
  }
  Binding b;
  for (int c : cameras) {
    const Camera& cam = index.camera(c);
    BoundCamera bc{cam.serial, cam.id, cam.name, cam.site, {}};
    for (int l : index.LicensesOn(c)) {
      licenses.insert(l);
      const License& lic = index.license(l);
      bc.services.push_back({lic.service, lic.key, lic.auto_renew});
    }
    std::sort(bc.services.begin(), bc.services.end(),
              [](const BoundService& x, const BoundService& y) { return x.service < y.service; });
    b.cameras.push_back(std::move(bc));
  }
  for (int s : services) {
    BoundPool pool{index.ServiceName(s), {}};
    for (int l : index.Pool(s)) {
      licenses.insert(l);
      pool.keys.push_back(index.license(l).key);
    }
    std::sort(pool.keys.begin(), pool.keys.end());
    b.pools.push_back(std::move(pool));
  }
  for (int l : licenses) {
    const License& lic = index.license(l);
    b.licenses.push_back({lic.key, lic.service, lic.term_days, lic.activated_at, lic.assigned_to,
                          index.Remaining(l)});
  }
  std::sort(b.cameras.begin(), b.cameras.end(),
            [](const BoundCamera& x, const BoundCamera& y) { return x.serial < y.serial; });
  std::sort(b.licenses.begin(), b.licenses.end(),
            [](const BoundLicense& x, const BoundLicense& y) { return x.key < y.key; });
  std::sort(b.pools.begin(), b.pools.end(),
            [](const BoundPool& x, const BoundPool& y) { return x.service < y.service; });
  return b;
}

std::string SaveGraph(const PlannedChange& plan, const AccountSnapshot& snapshot,
                      const std::string& licmove_version,
                      const std::optional<ForecastBasis>& forecast) {
  const Binding b = BindPlan(plan, snapshot);
  // Written piece by piece (json_stream.h): the same text as one object
  // serialized, without the binding and the ops as values at once.
  std::string text;
  JsonStream out(text);
  out.BeginObject();
  out.Key("format");
  out.Value("licmove-saved-plan");
  out.Key("format_version");
  out.Value(kSavedPlanFormatVersion);
  out.Key("licmove_version");
  out.Value(json::string(licmove_version));
  out.Key("plan_file");
  out.Value(json::string(plan.plan_file));
  out.Key("plan_identity");
  out.Value(json::string(plan.plan_identity));
  out.Key("account");
  out.Value(json::string(plan.account));
  out.Key("planned_at");
  out.Value(json::string(FormatTimestamp(plan.now)));
  out.Key("binding");
  out.BeginObject();
  out.Key("cameras");
  out.BeginArray();
  for (const BoundCamera& c : b.cameras) {
    json::array services;
    for (const BoundService& s : c.services) {
      services.emplace_back(
          json::object{{"service", s.service}, {"key", s.key}, {"auto_renew", s.auto_renew}});
    }
    out.Value(json::object{{"serial", c.serial},
                           {"id", c.id},
                           {"name", c.name},
                           {"site", c.site},
                           {"services", std::move(services)}});
  }
  out.EndArray();
  out.Key("licenses");
  out.BeginArray();
  for (const BoundLicense& l : b.licenses) {
    json::object o{{"key", l.key}, {"service", l.service}, {"term_days", l.term_days}};
    o["activated_at"] =
        l.activated_at ? json::value(FormatTimestamp(*l.activated_at)) : json::value(nullptr);
    o["assigned_to"] = l.assigned_to.empty() ? json::value(nullptr) : json::value(l.assigned_to);
    o["remaining_seconds"] = l.remaining_seconds;
    out.Value(o);
  }
  out.EndArray();
  out.Key("pools");
  out.BeginArray();
  for (const BoundPool& p : b.pools) {
    json::array keys;
    for (const std::string& k : p.keys) keys.emplace_back(k);
    out.Value(json::object{{"service", p.service}, {"keys", std::move(keys)}});
  }
  out.EndArray();
  out.EndObject();
  if (forecast) {
    out.Key("forecast");
    out.Value(json::object{{"read_at", FormatTimestamp(forecast->read_at)},
                           {"at", FormatTimestamp(forecast->at)}});
  }
  out.Key("ops");
  WriteOpsJson(plan.graph, out);
  out.Key("summary");
  out.Value(SummaryToJson(plan.summary));
  out.EndObject();
  text += '\n';
  return text;
}

namespace {

// Field readers: false when the field is missing or of another type.
bool Str(const json::object& o, const char* f, std::string& out) {
  const json::value* v = o.if_contains(f);
  if (!v || !v->is_string()) return false;
  out = std::string(v->get_string());
  return true;
}
bool OptStr(const json::object& o, const char* f, std::string& out) {
  const json::value* v = o.if_contains(f);
  if (!v || v->is_null()) {
    out.clear();
    return true;
  }
  return Str(o, f, out);
}
bool Int(const json::object& o, const char* f, std::int64_t& out) {
  const json::value* v = o.if_contains(f);
  if (!v || !v->is_int64()) return false;
  out = v->get_int64();
  return true;
}
const json::array* Arr(const json::object& o, const char* f) {
  const json::value* v = o.if_contains(f);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

Status Corrupt(const std::string& file, const std::string& what) {
  return Status::InvalidArgument(file + ": not a valid saved plan: " + what);
}

}  // namespace

Result<SavedPlan> LoadSavedPlan(std::string_view text, const std::string& file) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return Corrupt(file, "JSON: " + ec.message());
  if (!root.is_object()) return Corrupt(file, "the top level is not an object");
  const json::object& o = root.get_object();
  std::string format;
  if (!Str(o, "format", format) || format != "licmove-saved-plan") {
    return Corrupt(file, "\"format\" is not \"licmove-saved-plan\"");
  }
  std::int64_t version = 0;
  if (!Int(o, "format_version", version)) return Corrupt(file, "no \"format_version\"");
  if (version != kSavedPlanFormatVersion) {
    return Status::InvalidArgument(file + ": saved plan format_version " + std::to_string(version) +
                                   "; this licmove reads version " +
                                   std::to_string(kSavedPlanFormatVersion) +
                                   ": run licmove plan again with this version");
  }
  SavedPlan s;
  std::string planned_at;
  if (!Str(o, "account", s.account) || !Str(o, "planned_at", planned_at) ||
      !OptStr(o, "plan_file", s.plan_file) || !OptStr(o, "plan_identity", s.plan_identity) ||
      !OptStr(o, "licmove_version", s.licmove_version)) {
    return Corrupt(file, "missing \"account\" or \"planned_at\"");
  }
  std::optional<UnixSeconds> at = ParseTimestamp(planned_at);
  if (!at) return Corrupt(file, "\"planned_at\" is not a timestamp");
  s.planned_at = *at;

  const json::value* bv = o.if_contains("binding");
  if (!bv || !bv->is_object()) return Corrupt(file, "no \"binding\"");
  const json::object& b = bv->get_object();
  const json::array* cameras = Arr(b, "cameras");
  const json::array* licenses = Arr(b, "licenses");
  const json::array* pools = Arr(b, "pools");
  if (!cameras || !licenses || !pools) return Corrupt(file, "the binding is incomplete");
  for (const json::value& cv : *cameras) {
    if (!cv.is_object()) return Corrupt(file, "a bound camera is not an object");
    const json::object& c = cv.get_object();
    BoundCamera bc;
    const json::array* services = Arr(c, "services");
    if (!Str(c, "serial", bc.serial) || !OptStr(c, "id", bc.id) || !OptStr(c, "name", bc.name) ||
        !OptStr(c, "site", bc.site) || !services) {
      return Corrupt(file, "a bound camera lacks a field");
    }
    for (const json::value& sv : *services) {
      if (!sv.is_object()) return Corrupt(file, "a bound service is not an object");
      const json::object& so = sv.get_object();
      BoundService bs;
      const json::value* ar = so.if_contains("auto_renew");
      if (!Str(so, "service", bs.service) || !Str(so, "key", bs.key) || !ar || !ar->is_bool()) {
        return Corrupt(file, "a bound service of " + bc.serial + " lacks a field");
      }
      bs.auto_renew = ar->get_bool();
      bc.services.push_back(std::move(bs));
    }
    s.binding.cameras.push_back(std::move(bc));
  }
  for (const json::value& lv : *licenses) {
    if (!lv.is_object()) return Corrupt(file, "a bound license is not an object");
    const json::object& l = lv.get_object();
    BoundLicense bl;
    std::int64_t term = 0;
    std::string activated;
    if (!Str(l, "key", bl.key) || !Str(l, "service", bl.service) || !Int(l, "term_days", term) ||
        !OptStr(l, "activated_at", activated) || !OptStr(l, "assigned_to", bl.assigned_to) ||
        !Int(l, "remaining_seconds", bl.remaining_seconds)) {
      return Corrupt(file, "a bound license lacks a field");
    }
    bl.term_days = static_cast<int>(term);
    if (!activated.empty()) {
      bl.activated_at = ParseTimestamp(activated);
      if (!bl.activated_at) return Corrupt(file, "license " + bl.key + ": bad activated_at");
    }
    s.binding.licenses.push_back(std::move(bl));
  }
  for (const json::value& pv : *pools) {
    if (!pv.is_object()) return Corrupt(file, "a bound pool is not an object");
    const json::object& p = pv.get_object();
    BoundPool bp;
    const json::array* keys = Arr(p, "keys");
    if (!Str(p, "service", bp.service) || !keys) return Corrupt(file, "a bound pool lacks a field");
    for (const json::value& k : *keys) {
      if (!k.is_string()) return Corrupt(file, "a bound pool key is not a string");
      bp.keys.emplace_back(k.get_string());
    }
    std::sort(bp.keys.begin(), bp.keys.end());
    s.binding.pools.push_back(std::move(bp));
  }
  if (const json::value* fv = o.if_contains("forecast"); fv && !fv->is_null()) {
    std::string read_at, at;
    if (!fv->is_object() || !Str(fv->get_object(), "read_at", read_at) ||
        !Str(fv->get_object(), "at", at)) {
      return Corrupt(file, "\"forecast\" lacks \"read_at\" or \"at\"");
    }
    std::optional<UnixSeconds> r = ParseTimestamp(read_at), t = ParseTimestamp(at);
    if (!r || !t) return Corrupt(file, "\"forecast\" times are not timestamps");
    s.forecast = ForecastBasis{*r, *t};
  }
  const json::value* ops = o.if_contains("ops");
  if (!ops) return Corrupt(file, "no \"ops\"");
  Result<OpGraph> graph = OpsFromJson(*ops);
  if (!graph.ok()) return Corrupt(file, graph.status().message());
  if (Status v = graph->Validate(); !v.ok()) return Corrupt(file, v.message());
  s.graph = std::move(*graph);
  return s;
}

Status CheckBinding(const SavedPlan& saved, const AccountSnapshot& current) {
  const AccountIndex index(current);
  std::vector<std::string> changes;
  if (saved.account != current.account.name) {
    changes.push_back("the plan is for account " + saved.account + ", not " + current.account.name);
  }
  for (const BoundCamera& bc : saved.binding.cameras) {
    const int c = index.CameraIndex(bc.serial);
    if (c < 0) {
      changes.push_back("camera " + bc.serial + " is no longer in the account");
      continue;
    }
    const Camera& cam = index.camera(c);
    // A fleet-file snapshot has no portal ids: nothing to compare then.
    if (!bc.id.empty() && cam.id != bc.id) {
      changes.push_back("camera " + bc.serial + " has portal id " + cam.id + ", planned with " +
                        bc.id + " (it was removed and added back)");
    }
    std::vector<BoundService> now;
    for (int l : index.LicensesOn(c)) {
      const License& lic = index.license(l);
      now.push_back({lic.service, lic.key, lic.auto_renew});
    }
    std::sort(now.begin(), now.end(),
              [](const BoundService& x, const BoundService& y) { return x.service < y.service; });
    auto same = [](const BoundService& x, const BoundService& y) {
      return x.service == y.service && x.key == y.key && x.auto_renew == y.auto_renew;
    };
    if (now.size() != bc.services.size() ||
        !std::equal(now.begin(), now.end(), bc.services.begin(), same)) {
      auto list = [](const std::vector<BoundService>& v) {
        std::string s;
        for (const BoundService& b : v) {
          s += (s.empty() ? "" : ", ") + b.service + " " + b.key +
               (b.auto_renew ? " (auto-renew)" : "");
        }
        return s.empty() ? std::string("nothing") : s;
      };
      changes.push_back("camera " + bc.serial + " holds " + list(now) + ", planned with " +
                        list(bc.services));
    }
  }
  std::map<std::string, std::vector<const BoundLicense*>> by_service;
  for (const BoundLicense& bl : saved.binding.licenses) {
    const int l = index.LicenseIndex(bl.key);
    if (l < 0) {
      changes.push_back("license " + bl.key + " is no longer in the account");
      continue;
    }
    const License& lic = index.license(l);
    if (lic.service != bl.service || lic.term_days != bl.term_days ||
        lic.activated_at != bl.activated_at) {
      changes.push_back("license " + bl.key + " changed (service, term or activation)");
      continue;
    }
    if (lic.assigned_to != bl.assigned_to) {
      auto where = [](const std::string& s) { return s.empty() ? std::string("the pool") : s; };
      changes.push_back("license " + bl.key + " is on " + where(lic.assigned_to) + ", planned on " +
                        where(bl.assigned_to));
      continue;
    }
    by_service[bl.service].push_back(&bl);
  }
  // The plan relies on how the keys of a service compare, not on the seconds:
  // time passing is fine as long as no two keys swap places or stop tying.
  for (auto& [service, keys] : by_service) {
    std::sort(keys.begin(), keys.end(), [](const BoundLicense* a, const BoundLicense* b) {
      return a->remaining_seconds < b->remaining_seconds;
    });
    auto now = [&](const BoundLicense* b) { return index.Remaining(index.LicenseIndex(b->key)); };
    for (std::size_t i = 1; i < keys.size(); ++i) {
      const BoundLicense* a = keys[i - 1];
      const BoundLicense* b = keys[i];
      const bool tied = a->remaining_seconds == b->remaining_seconds;
      if (tied ? now(a) != now(b) : now(a) >= now(b)) {
        changes.push_back("licenses " + a->key + " and " + b->key +
                          " no longer compare as planned (remaining validity " +
                          (tied ? "no longer ties" : "changed order") + ")");
      }
    }
  }
  for (const BoundPool& bp : saved.binding.pools) {
    const int s = index.ServiceId(bp.service);
    std::vector<std::string> keys;
    if (s >= 0) {
      for (int l : index.Pool(s)) keys.push_back(index.license(l).key);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> joined, left;
    std::set_difference(keys.begin(), keys.end(), bp.keys.begin(), bp.keys.end(),
                        std::back_inserter(joined));
    std::set_difference(bp.keys.begin(), bp.keys.end(), keys.begin(), keys.end(),
                        std::back_inserter(left));
    for (const std::string& k : joined) {
      changes.push_back("license " + k + " is now in the " + bp.service + " pool");
    }
    for (const std::string& k : left) {
      // Already reported above when the license itself moved.
      if (std::find_if(changes.begin(), changes.end(), [&](const std::string& c) {
            return c.rfind("license " + k + " ", 0) == 0;
          }) == changes.end()) {
        changes.push_back("license " + k + " left the " + bp.service + " pool");
      }
    }
  }
  if (changes.empty()) return Status::Ok();
  std::string message = "the account changed since the plan was made; run licmove plan again:";
  if (saved.forecast) {
    message = "the account does not match the forecast at " + FormatTimestamp(saved.forecast->at) +
              " that the plan was made against (the account read at " +
              FormatTimestamp(saved.forecast->read_at) + ", played forward by R7)";
    if (current.now < saved.forecast->at) {
      message += "; the portal's clock reads " + FormatTimestamp(current.now) +
                 ", before that time: apply it once the portal has reached it";
    }
    message += ":";
  }
  for (const std::string& c : changes) message += "\n  " + c;
  return Status::Conflict(std::move(message));
}

}  // namespace licmove
