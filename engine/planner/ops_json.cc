#include "planner/ops_json.h"

#include <map>

namespace licmove {
namespace json = boost::json;

namespace {

// The first op that lists each shared key list: later ops refer to it.
std::map<const std::string*, int> FirstListing(const OpGraph& graph) {
  std::map<const std::string*, int> first;
  for (const Op& op : graph.ops()) {
    if (!op.acceptable_keys.empty()) first.emplace(op.acceptable_keys.begin(), op.id);
  }
  return first;
}

}  // namespace

namespace {

json::object OpToJson(const Op& op, const std::map<const std::string*, int>& first) {
  json::object o;
  o["id"] = op.id;
  o["kind"] = OpKindName(op.kind);
  switch (op.kind) {
    case OpKind::kRemoveCamera:
      o["camera"] = op.camera;
      break;
    case OpKind::kAddCamera:
      o["camera"] = op.camera;
      o["name"] = op.name;
      o["site"] = op.site;
      break;
    case OpKind::kActivate: {
      o["camera"] = op.camera;
      o["service"] = op.service;
      o["expect_key"] = op.expect_key;
      if (!op.acceptable_keys.empty()) {
        const int listed = first.at(op.acceptable_keys.begin());
        if (listed == op.id) {
          json::array keys;
          for (const std::string& k : op.acceptable_keys) keys.emplace_back(k);
          o["acceptable_keys"] = std::move(keys);
        } else {
          o["acceptable_keys_as"] = listed;  // the same keys as that op
        }
      }
      o["auto_renew"] = op.auto_renew;
      // Added within format_version 1: older readers ignore them.
      if (!op.intent.empty()) o["intent"] = op.intent;
      if (!op.from.empty()) o["from"] = op.from;
      if (!op.where.empty()) o["where"] = op.where;
      if (!op.where_file.empty()) o["where_file"] = op.where_file;
      break;
    }
    case OpKind::kPark:
    case OpKind::kUnpark:
      o["key"] = op.key;
      o["service"] = op.service;
      break;
  }
  json::array after;
  for (int a : op.after) after.emplace_back(a);
  o["after"] = std::move(after);
  return o;
}

}  // namespace

json::array OpsToJson(const OpGraph& graph) {
  const std::map<const std::string*, int> first = FirstListing(graph);
  json::array out;
  out.reserve(graph.size());
  for (const Op& op : graph.ops()) out.emplace_back(OpToJson(op, first));
  return out;
}

void WriteOpsJson(const OpGraph& graph, JsonStream& out) {
  const std::map<const std::string*, int> first = FirstListing(graph);
  out.BeginArray();
  for (const Op& op : graph.ops()) out.Value(OpToJson(op, first));
  out.EndArray();
}

namespace {

Status Bad(std::size_t i, const std::string& what) {
  return Status::InvalidArgument("op " + std::to_string(i) + ": " + what);
}

// Reads a string field; `required` fields must be present and non-empty.
bool ReadString(const json::object& o, const char* field, bool required, std::string& out) {
  const json::value* v = o.if_contains(field);
  if (!v) return !required;
  if (!v->is_string()) return false;
  out = std::string(v->get_string());
  return !required || !out.empty();
}

}  // namespace

Result<OpGraph> OpsFromJson(const json::value& ops) {
  if (!ops.is_array()) return Status::InvalidArgument("\"ops\" must be an array");
  OpGraph graph;
  const json::array& arr = ops.get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) return Bad(i, "must be an object");
    const json::object& o = arr[i].get_object();
    const json::value* id = o.if_contains("id");
    if (!id || !id->is_int64() || id->get_int64() != static_cast<std::int64_t>(i)) {
      return Bad(i, "\"id\" must be " + std::to_string(i));
    }
    const json::value* kind = o.if_contains("kind");
    std::optional<OpKind> k;
    if (kind && kind->is_string()) k = OpKindFromName(kind->get_string());
    if (!k) return Bad(i, "unknown \"kind\"");
    Op op;
    op.kind = *k;
    bool ok = true;
    switch (op.kind) {
      case OpKind::kRemoveCamera:
        ok = ReadString(o, "camera", true, op.camera);
        break;
      case OpKind::kAddCamera:
        ok = ReadString(o, "camera", true, op.camera) && ReadString(o, "name", false, op.name) &&
             ReadString(o, "site", false, op.site);
        break;
      case OpKind::kActivate: {
        ok = ReadString(o, "camera", true, op.camera) &&
             ReadString(o, "service", true, op.service) &&
             ReadString(o, "expect_key", true, op.expect_key);
        if (const json::value* keys = o.if_contains("acceptable_keys")) {
          if (!keys->is_array()) return Bad(i, "\"acceptable_keys\" must be an array");
          std::vector<std::string> list;
          for (const json::value& key : keys->get_array()) {
            if (!key.is_string()) return Bad(i, "\"acceptable_keys\" must hold strings");
            list.emplace_back(key.get_string());
          }
          op.acceptable_keys = KeyList(std::move(list));
        } else if (const json::value* as = o.if_contains("acceptable_keys_as")) {
          if (!as->is_int64() || as->get_int64() < 0 ||
              as->get_int64() >= static_cast<std::int64_t>(i) ||
              graph.op(static_cast<int>(as->get_int64())).acceptable_keys.empty()) {
            return Bad(i, "\"acceptable_keys_as\" must name an earlier op that lists keys");
          }
          op.acceptable_keys = graph.op(static_cast<int>(as->get_int64())).acceptable_keys;
        }
        if (const json::value* ar = o.if_contains("auto_renew")) {
          if (!ar->is_bool()) return Bad(i, "\"auto_renew\" must be true or false");
          op.auto_renew = ar->get_bool();
        }
        ok = ReadString(o, "intent", false, op.intent) && ReadString(o, "from", false, op.from) &&
             ReadString(o, "where", false, op.where) &&
             ReadString(o, "where_file", false, op.where_file);
        break;
      }
      case OpKind::kPark:
      case OpKind::kUnpark:
        ok = ReadString(o, "key", true, op.key) && ReadString(o, "service", false, op.service);
        break;
    }
    if (!ok) return Bad(i, "missing or malformed field for " + std::string(OpKindName(op.kind)));
    const json::value* after = o.if_contains("after");
    if (!after || !after->is_array()) return Bad(i, "\"after\" must be an array of ids");
    for (const json::value& a : after->get_array()) {
      if (!a.is_int64() || a.get_int64() < 0 || a.get_int64() >= static_cast<std::int64_t>(i)) {
        return Bad(i, "\"after\" must name earlier ops");
      }
      op.after.push_back(static_cast<int>(a.get_int64()));
    }
    graph.Add(std::move(op));
  }
  graph.Finish();
  return graph;
}

json::object SummaryToJson(const PlanSummary& s) {
  json::object o;
  o["moves"] = s.moves;
  o["assigns"] = s.assigns;
  o["restorations"] = s.restorations;
  o["cameras_removed"] = s.cameras_removed;
  o["activations"] = s.activations;
  o["parks"] = s.parks;
  o["calls"] = s.calls;
  o["critical_path"] = s.critical_path;
  o["edges"] = s.edges;
  o["keys_left_in_pool"] = s.keys_left_in_pool;
  o["parks_lower_bound"] = s.parks_lower_bound;
  o["optimal_proven"] = s.optimal_proven;
  o["exhaustive"] = s.exhaustive;
  if (s.parallelism > 0) {
    o["parallelism"] = s.parallelism;
    o["parallelism_auto"] = s.parallelism_auto;
    o["estimated_rounds"] = s.estimated_rounds;
  }
  return o;
}

namespace {

// The predicted state's parts, one camera or key at a time.
class PredictedJson {
 public:
  explicit PredictedJson(const OpGraph& graph) : first_(FirstListing(graph)) {}

  json::object Camera(const PredictedCamera& c) const {
    json::object o;
    o["serial"] = c.serial;
    o["name"] = c.name;
    o["site"] = c.site;
    o["re_added"] = c.re_added;
    o["before"] = Services(c.before);
    o["after"] = Services(c.after);
    return o;
  }

  static json::object Key(const PredictedKey& k) {
    json::object o;
    o["key"] = k.key;
    o["service"] = k.service;
    o["from"] = k.from.empty() ? json::value(nullptr) : json::value(k.from);
    o["to"] = k.to.empty() ? json::value(nullptr) : json::value(k.to);
    o["remaining_seconds"] = k.remaining_seconds;
    o["parked_on_the_way"] = k.parked;
    return o;
  }

 private:
  json::array Services(const std::vector<PredictedService>& v) const {
    json::array out;
    for (const PredictedService& s : v) {
      json::object o;
      o["service"] = s.service;
      o["key"] = s.key;
      if (!s.acceptable_keys.empty()) {
        auto it = first_.find(s.acceptable_keys.begin());
        if (it != first_.end()) o["acceptable_keys_as"] = it->second;
      }
      o["auto_renew"] = s.auto_renew;
      out.emplace_back(std::move(o));
    }
    return out;
  }

  std::map<const std::string*, int> first_;
};

}  // namespace

json::object PredictedToJson(const PredictedState& p, const OpGraph& graph) {
  const PredictedJson parts(graph);
  json::array cameras;
  for (const PredictedCamera& c : p.cameras) cameras.emplace_back(parts.Camera(c));
  json::array keys;
  for (const PredictedKey& k : p.keys) keys.emplace_back(PredictedJson::Key(k));
  json::object out;
  out["cameras"] = std::move(cameras);
  out["keys"] = std::move(keys);
  out["parked_at_end"] = json::array();
  return out;
}

void WritePredictedJson(const PredictedState& p, const OpGraph& graph, JsonStream& out) {
  const PredictedJson parts(graph);
  out.BeginObject();
  out.Key("cameras");
  out.BeginArray();
  for (const PredictedCamera& c : p.cameras) out.Value(parts.Camera(c));
  out.EndArray();
  out.Key("keys");
  out.BeginArray();
  for (const PredictedKey& k : p.keys) out.Value(PredictedJson::Key(k));
  out.EndArray();
  out.Key("parked_at_end");
  out.Value(json::array());
  out.EndObject();
}

}  // namespace licmove
