#include "fleet_generator.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

#include "model/timestamp.h"

namespace licmove {
namespace {

// splitmix64: tiny, fast, and identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }

 private:
  std::uint64_t state_;
};

constexpr std::string_view kServices[] = {"alarm-management", "remote-maintenance"};
constexpr std::string_view kPrefixes[] = {"AM", "RM"};
constexpr int kTerms[] = {90, 365, 1095, 1825};
constexpr std::string_view kTermLabels[] = {"DM", "1Y", "3Y", "5Y"};
constexpr std::string_view kSites[] = {"HQ", "Warehouse", "Depot", "Store-North", "Store-South"};
constexpr std::int64_t kDay = 86400;

struct Key {
  std::string key;
  int service = 0;
  int term_index = 0;
  std::int64_t activated_days_ago = -1;  // -1: never activated
  int camera = -1;                       // index into cameras; -1: pool
  bool auto_renew = false;
};

std::string CameraSerial(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "CAM-%06d", i + 1);
  return buf;
}

std::string DaysBefore(UnixSeconds now, std::int64_t days) {
  return FormatTimestamp(now - days * kDay);
}

void AppendLicense(std::string& out, const Key& k, UnixSeconds now,
                   const std::vector<std::string>& serials) {
  out += "      - {key: " + k.key + ", service: " + std::string(kServices[k.service]) +
         ", term_days: " + std::to_string(kTerms[k.term_index]);
  if (k.activated_days_ago >= 0) {
    out += ", activated_at: \"" + DaysBefore(now, k.activated_days_ago) + "\"";
  }
  if (k.camera >= 0) {
    out += ", assigned_to: " + serials[k.camera];
    out += k.auto_renew ? ", auto_renew: true" : ", auto_renew: false";
  }
  out += "}\n";
}

// A JSON string. The generator's texts need no escape but these.
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The JSON twin of AppendLicense: one license an object on its own line.
void AppendJsonLicense(std::string& out, const Key& k, UnixSeconds now,
                       const std::vector<std::string>& serials, bool last) {
  out += "        {\"key\": " + Quoted(k.key) + ", \"service\": " + Quoted(kServices[k.service]) +
         ", \"term_days\": " + std::to_string(kTerms[k.term_index]);
  if (k.activated_days_ago >= 0) {
    out += ", \"activated_at\": " + Quoted(DaysBefore(now, k.activated_days_ago));
  }
  if (k.camera >= 0) {
    out += ", \"assigned_to\": " + Quoted(serials[k.camera]);
    out += k.auto_renew ? ", \"auto_renew\": true" : ", \"auto_renew\": false";
  }
  out += last ? "}\n" : "},\n";
}

// The first line yaml-language-server (VS Code's YAML extension and other
// editors) reads to validate a file as it is edited; docs/FILES.md.
std::string SchemaLine(const std::string& schema) {
  return schema.empty() ? "" : "# yaml-language-server: $schema=" + schema + "\n";
}

}  // namespace

std::string SchemaReference(const std::string& file, const std::string& schema) {
  if (schema.find("://") != std::string::npos) return schema;
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(fs::path(file)).parent_path();
  return fs::absolute(fs::path(schema)).lexically_normal().lexically_relative(dir).generic_string();
}

GeneratedFleet GenerateFleet(const FleetGenOptions& o) {
  Rng rng(o.seed);
  const int n = std::max(1, o.cameras);
  const int total = o.licenses >= 0 ? o.licenses : n + n / 2;

  std::vector<std::string> serials(n);
  for (int i = 0; i < n; ++i) serials[i] = CameraSerial(i);

  // holder[s][c]: index of the key of service s on camera c, or -1.
  std::vector<std::vector<int>> holder(2, std::vector<int>(n, -1));
  std::vector<Key> keys;
  keys.reserve(total);
  int counter = 0;
  auto make_key = [&](int service, int term_index) {
    Key k;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s-%s-%07d", kPrefixes[service].data(),
                  kTermLabels[term_index].data(), ++counter);
    k.key = buf;
    k.service = service;
    k.term_index = term_index;
    return k;
  };

  // Assigned keys: about 70% of cameras hold alarm-management, 35%
  // remote-maintenance, within the total.
  for (int c = 0; c < n && static_cast<int>(keys.size()) < total; ++c) {
    for (int s = 0; s < 2 && static_cast<int>(keys.size()) < total; ++s) {
      if (!rng.Chance(s == 0 ? 70 : 35)) continue;
      Key k = make_key(s, static_cast<int>(rng.Below(4)));
      k.activated_days_ago = static_cast<std::int64_t>(rng.Below(kTerms[k.term_index] - 1));
      k.camera = c;
      k.auto_renew = rng.Chance(50);
      holder[s][c] = static_cast<int>(keys.size());
      keys.push_back(std::move(k));
    }
  }
  // Pool keys: every term, a third of them used before (clock running), and
  // extra 5-year keys so that 5y assigns have something to take.
  while (static_cast<int>(keys.size()) < total) {
    const int s = rng.Chance(65) ? 0 : 1;
    const int term_index = rng.Chance(30) ? 3 : static_cast<int>(rng.Below(4));
    Key k = make_key(s, term_index);
    if (rng.Chance(33)) {
      k.activated_days_ago = static_cast<std::int64_t>(rng.Below(kTerms[term_index] - 1));
    }
    keys.push_back(std::move(k));
  }

  GeneratedFleet g;
  g.cameras = n;
  g.licenses = static_cast<int>(keys.size());

  // ---- plan: moves of alarm-management from holders to non-holders. ----
  std::string moves;
  std::vector<bool> touched(n, false);  // a camera is in at most one intent
  std::vector<int> sources, destinations;
  for (int c = 0; c < n; ++c) (holder[0][c] >= 0 ? sources : destinations).push_back(c);
  // Shuffle deterministically (Fisher-Yates with our own RNG).
  auto shuffle = [&](std::vector<int>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
  };
  shuffle(sources);
  shuffle(destinations);
  std::size_t di = 0;
  for (std::size_t si = 0; si < sources.size() && g.moves < o.moves; ++si) {
    const int from = sources[si];
    if (touched[from]) continue;
    while (di < destinations.size() && touched[destinations[di]]) ++di;
    if (di >= destinations.size()) break;
    const int to = destinations[di++];
    touched[from] = touched[to] = true;
    moves += "  - {from: " + serials[from] + ", to: " + serials[to] +
             ", service: alarm-management, key: " + keys[holder[0][from]].key + "}\n";
    ++g.moves;
  }

  // ---- plan: one assign of 5-year alarm-management licenses. ----
  int pool_5y = 0;
  for (const Key& k : keys) {
    if (k.camera < 0 && k.service == 0 && k.term_index == 3) ++pool_5y;
  }
  std::string assign_cameras;
  for (; di < destinations.size() && g.assigns < std::min(o.assigns, pool_5y); ++di) {
    const int c = destinations[di];
    if (touched[c]) continue;
    touched[c] = true;
    assign_cameras += (g.assigns ? ", " : "") + serials[c];
    ++g.assigns;
  }

  std::string& p = g.plan_yaml;
  // Both files name the command that makes them again.
  const std::string origin = "# Generated by: licmove-fleetgen --cameras " + std::to_string(n) +
                             " --licenses " + std::to_string(total) + " --registry " +
                             std::to_string(o.registry) + " --moves " + std::to_string(o.moves) +
                             " --assigns " + std::to_string(o.assigns) + " --seed " +
                             std::to_string(o.seed) + " --account " + o.account + "\n";
  p = SchemaLine(o.plan_schema) + origin + "# " + std::to_string(g.moves) + " moves, " +
      std::to_string(g.assigns) + " cameras assigned a 5-year license.\n";
  p += "version: 1\naccount: " + o.account + "\n";
  if (g.moves > 0) p += "moves:\n" + moves;
  if (g.assigns > 0) {
    p += "assign:\n  - cameras: [" + assign_cameras +
         "]\n    service: alarm-management\n    term: 5y\n    auto_renew: true\n";
  }
  p += "options:\n  restore_sources: true\n";

  // ---- fleet ----
  const UnixSeconds now = ParseTimestamp(o.now).value_or(0);
  if (o.json_fleet) {
    std::string& j = g.fleet_json;
    j.reserve(static_cast<std::size_t>(keys.size()) * 170 + n * 90);
    j = "{\n  \"version\": 1,\n  \"now\": " + Quoted(o.now) + ",\n  \"users\": [\n";
    j += "    {\"token\": \"admin-secret\", \"name\": " + Quoted("ops@" + o.account) +
         ", \"role\": \"admin\", \"accounts\": [" + Quoted(o.account) + "]},\n";
    j += "    {\"token\": \"viewer-secret\", \"name\": " + Quoted("audit@" + o.account) +
         ", \"role\": \"viewer\", \"accounts\": [" + Quoted(o.account) + "]}\n  ],\n";
    j += "  \"accounts\": [\n    {\"name\": " + Quoted(o.account) + ",\n      \"cameras\": [\n";
    for (int c = 0; c < n; ++c) {
      j += "        {\"serial\": " + Quoted(serials[c]) + ", \"name\": \"Camera " +
           std::to_string(c + 1) + "\", \"site\": " + Quoted(kSites[c % 5]) +
           (c + 1 < n ? "},\n" : "}\n");
    }
    j += "      ],\n      \"licenses\": [\n";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      AppendJsonLicense(j, keys[i], now, serials, i + 1 == keys.size());
    }
    j += "      ]}\n  ]";
    if (o.registry > 0) {
      j += ",\n  \"registry\": [\n";
      for (int r = 0; r < o.registry; ++r) {
        Key k = make_key(r % 2, static_cast<int>(rng.Below(4)));
        j += "    {\"key\": " + Quoted(k.key) + ", \"service\": " + Quoted(kServices[k.service]) +
             ", \"term_days\": " + std::to_string(kTerms[k.term_index]) +
             (r + 1 < o.registry ? "},\n" : "}\n");
      }
      j += "  ]";
    }
    j += "\n}\n";
    return g;
  }
  std::string& f = g.fleet_yaml;
  f.reserve(static_cast<std::size_t>(keys.size()) * 150 + n * 70);
  f = SchemaLine(o.fleet_schema) + origin + "version: 1\nnow: \"" + o.now + "\"\n";
  f += "users:\n  - {token: admin-secret, name: ops@" + o.account + ", role: admin, accounts: [" +
       o.account + "]}\n  - {token: viewer-secret, name: audit@" + o.account +
       ", role: viewer, accounts: [" + o.account + "]}\n";
  f += "accounts:\n  - name: " + o.account + "\n    cameras:\n";
  for (int c = 0; c < n; ++c) {
    f += "      - {serial: " + serials[c] + ", name: Camera " + std::to_string(c + 1) +
         ", site: " + std::string(kSites[c % 5]) + "}\n";
  }
  // An empty list must be written as one: "licenses:" alone is null.
  f += keys.empty() ? "    licenses: []\n" : "    licenses:\n";
  for (const Key& k : keys) AppendLicense(f, k, now, serials);
  if (o.registry > 0) {
    f += "registry:\n";
    for (int r = 0; r < o.registry; ++r) {
      Key k = make_key(r % 2, static_cast<int>(rng.Below(4)));
      f += "  - {key: " + k.key + ", service: " + std::string(kServices[k.service]) +
           ", term_days: " + std::to_string(kTerms[k.term_index]) + "}\n";
    }
  }
  return g;
}

}  // namespace licmove
