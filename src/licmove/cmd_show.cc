// `licmove show cameras|licenses`: the inventory a person looks at first, as
// `kubectl get` shows one: from a live portal (a viewer token is enough) or a
// fleet file, filtered, as an aligned table or as json, yaml or csv for
// programs (docs/INVENTORY.md). Keys are shown whole: this is the list an
// operator copies them from (docs/EXECUTOR.md, "Keys: whole or masked").
//
// Exit codes (README.md "Exit codes"): 0 ok (also when nothing matches), 1 the
// portal failed or refused the token, 3 the fleet file is missing or invalid
// or the account is not there, 64 a bad command line.
#include <algorithm>
#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "account_source.h"
#include "command.h"
#include "exit_codes.h"
#include "files/csv_file.h"
#include "files/fleet_writer.h"
#include "model/license.h"

namespace licmove {
namespace {

struct ShowFlags {
  std::string what;  // cameras | licenses
  AccountSourceFlags source;
  std::string service;
  std::string expiring_within;  // "30d"
  bool pool = false;
  std::string camera;
  std::string output = "table";
};

// The filters, all of which a license must pass (AND).
struct Filter {
  std::string service;
  std::optional<std::int64_t> expiring_within;  // seconds
  bool pool = false;
  std::string camera;

  bool LicensePasses(const License& l, UnixSeconds now) const {
    if (!service.empty() && l.service != service) return false;
    // A license never activated has its whole term ahead of it, however
    // long: it never "expires within" anything.
    if (expiring_within && (!l.activated_at || RemainingSeconds(l, now) > *expiring_within)) {
      return false;
    }
    if (pool && l.assigned()) return false;
    if (!camera.empty() && l.assigned_to != camera) return false;
    return true;
  }
  // Whether a camera is listed only for licenses that pass.
  bool ByLicense() const { return !service.empty() || expiring_within.has_value(); }
};

std::string DateOf(UnixSeconds t) {
  return FormatTimestamp(t).substr(0, 10);
}

boost::json::value TimeOrNull(std::optional<UnixSeconds> t) {
  if (!t) return nullptr;
  return boost::json::value(FormatTimestamp(*t));
}

// One license as json/yaml show it; `with_camera` for `show licenses`.
boost::json::object LicenseObject(const License& l, UnixSeconds now, bool with_camera) {
  boost::json::object o;
  if (with_camera) o["key"] = l.key;
  o["service"] = l.service;
  if (!with_camera) o["key"] = l.key;
  o["term_days"] = l.term_days;
  o["activated_at"] = TimeOrNull(l.activated_at);
  o["expires_at"] = TimeOrNull(l.expires_at());
  o["remaining_days"] = RemainingDays(l, now);
  if (with_camera) {
    o["assigned_to"] = l.assigned() ? boost::json::value(l.assigned_to) : nullptr;
  }
  o["auto_renew"] = l.assigned() && l.auto_renew;
  return o;
}

// The listing, already filtered and sorted: cameras with the licenses they
// hold (that pass), or licenses.
struct Listing {
  const AccountSnapshot* snapshot = nullptr;
  bool cameras = false;
  std::vector<std::pair<const Camera*, std::vector<const License*>>> camera_rows;
  std::vector<const License*> licenses;
};

Listing Select(const AccountSnapshot& s, bool cameras, const Filter& filter) {
  Listing out;
  out.snapshot = &s;
  out.cameras = cameras;
  const UnixSeconds now = s.now;
  if (!cameras) {
    for (const License& l : s.account.licenses) {
      if (filter.LicensePasses(l, now)) out.licenses.push_back(&l);
    }
    std::sort(out.licenses.begin(), out.licenses.end(),
              [](const License* a, const License* b) { return a->key < b->key; });
    return out;
  }
  std::unordered_map<std::string_view, std::vector<const License*>> held;
  for (const License& l : s.account.licenses) {
    if (l.assigned()) held[l.assigned_to].push_back(&l);
  }
  for (const Camera& c : s.account.cameras) {
    if (!filter.camera.empty() && c.serial != filter.camera) continue;
    std::vector<const License*> shown;
    for (const License* l : held[c.serial]) {
      if (filter.LicensePasses(*l, now)) shown.push_back(l);
    }
    if (filter.ByLicense() && shown.empty()) continue;
    std::sort(shown.begin(), shown.end(),
              [](const License* a, const License* b) { return a->service < b->service; });
    out.camera_rows.emplace_back(&c, std::move(shown));
  }
  std::sort(out.camera_rows.begin(), out.camera_rows.end(),
            [](const auto& a, const auto& b) { return a.first->serial < b.first->serial; });
  return out;
}

boost::json::object ListingObject(const Listing& listing) {
  boost::json::object o;
  o["format_version"] = 1;
  o["kind"] = listing.cameras ? "cameras" : "licenses";
  o["account"] = listing.snapshot->account.name;
  o["now"] = FormatTimestamp(listing.snapshot->now);
  const UnixSeconds now = listing.snapshot->now;
  boost::json::array items;
  if (listing.cameras) {
    for (const auto& [camera, held] : listing.camera_rows) {
      boost::json::object c;
      c["serial"] = camera->serial;
      c["name"] = camera->name;
      c["site"] = camera->site;
      boost::json::array services;
      for (const License* l : held) services.push_back(LicenseObject(*l, now, false));
      c["services"] = std::move(services);
      items.push_back(std::move(c));
    }
    o["cameras"] = std::move(items);
  } else {
    for (const License* l : listing.licenses) items.push_back(LicenseObject(*l, now, true));
    o["licenses"] = std::move(items);
  }
  return o;
}

// Block-style YAML of a json value: every string double-quoted (so that
// "yes", "1y" or "00:10" stay strings), keys in the json's order.
void AppendYaml(std::string& out, const boost::json::value& v, const std::string& indent,
                bool in_list_item);

void AppendYamlScalar(std::string& out, const boost::json::value& v) {
  if (v.is_string()) {
    AppendQuoted(out, std::string_view(v.get_string()));
  } else {
    out += boost::json::serialize(v);  // null, true, false, numbers
  }
}

void AppendYaml(std::string& out, const boost::json::value& v, const std::string& indent,
                bool in_list_item) {
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out += " {}";
      return;
    }
    bool first = true;
    for (const auto& [key, value] : o) {
      if (!(first && in_list_item)) {
        out += '\n';
        out += indent;
      }
      first = false;
      out += key;
      out += ':';
      if (value.is_object() || (value.is_array() && !value.get_array().empty())) {
        AppendYaml(out, value, indent + "  ", false);
      } else if (value.is_array()) {
        out += " []";
      } else {
        out += ' ';
        AppendYamlScalar(out, value);
      }
    }
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      out += '\n';
      out += indent;
      out += "- ";
      if (item.is_object() && !item.get_object().empty()) {
        AppendYaml(out, item, indent + "  ", true);
      } else {
        AppendYamlScalar(out, item);
      }
    }
  }
}

// The columns every license cell group shares, in csv's spelling.
std::vector<std::string> CsvLicenseFields(const License& l, UnixSeconds now) {
  return {l.service,
          l.key,
          std::to_string(l.term_days),
          l.activated_at ? FormatTimestamp(*l.activated_at) : "",
          l.expires_at() ? FormatTimestamp(*l.expires_at()) : "",
          std::to_string(RemainingDays(l, now)),
          l.assigned() && l.auto_renew ? "true" : "false"};
}

// RFC 4180 (engine/files/csv_file.h), LF line ends like the other formats.
std::string RenderCsv(const Listing& listing) {
  const UnixSeconds now = listing.snapshot->now;
  std::vector<std::vector<std::string>> rows;
  if (listing.cameras) {
    rows.push_back({"serial", "name", "site", "service", "key", "term_days", "activated_at",
                    "expires_at", "remaining_days", "auto_renew"});
    for (const auto& [camera, held] : listing.camera_rows) {
      const std::vector<std::string> lead = {camera->serial, camera->name, camera->site};
      if (held.empty()) {
        rows.push_back(lead);
        rows.back().resize(10);
      }
      for (const License* l : held) {
        rows.push_back(lead);
        for (std::string& f : CsvLicenseFields(*l, now)) rows.back().push_back(std::move(f));
      }
    }
  } else {
    rows.push_back({"key", "service", "term_days", "activated_at", "expires_at", "remaining_days",
                    "assigned_to", "auto_renew"});
    for (const License* l : listing.licenses) {
      std::vector<std::string> f = CsvLicenseFields(*l, now);
      rows.push_back({l->key, l->service, f[2], f[3], f[4], f[5], l->assigned_to, f[6]});
    }
  }
  return WriteCsv(rows, "\n");
}

// Columns padded to their widest cell, two spaces apart, no trailing blanks.
std::string AlignedTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    // Width in code points, so that names beyond ASCII line up too.
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::size_t n = static_cast<std::size_t>(
          std::count_if(row[i].begin(), row[i].end(), [](char c) { return (c & 0xC0) != 0x80; }));
      width[i] = std::max(width[i], n);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 == row.size()) break;
      const std::size_t n = static_cast<std::size_t>(
          std::count_if(row[i].begin(), row[i].end(), [](char c) { return (c & 0xC0) != 0x80; }));
      line.append(width[i] - n + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// DAYS LEFT, EXPIRES: a license never activated has its whole term left and
// no expiry yet.
std::vector<std::string> TableValidity(const License& l, UnixSeconds now) {
  return {std::to_string(RemainingDays(l, now)),
          l.expires_at() ? DateOf(*l.expires_at()) : "not activated"};
}

std::string RenderTable(const Listing& listing) {
  const UnixSeconds now = listing.snapshot->now;
  std::vector<std::vector<std::string>> rows;
  if (listing.cameras) {
    rows.push_back(
        {"SERIAL", "NAME", "SITE", "SERVICE", "KEY", "TERM", "DAYS LEFT", "EXPIRES", "AUTO-RENEW"});
    for (const auto& [camera, held] : listing.camera_rows) {
      if (held.empty()) {
        rows.push_back({camera->serial, camera->name, camera->site, "-", "-", "-", "-", "-", "-"});
      }
      for (const License* l : held) {
        auto v = TableValidity(*l, now);
        rows.push_back({camera->serial, camera->name, camera->site, l->service, l->key,
                        TermLabelForDays(l->term_days), v[0], v[1], l->auto_renew ? "yes" : "no"});
      }
    }
  } else {
    rows.push_back({"KEY", "SERVICE", "TERM", "DAYS LEFT", "EXPIRES", "CAMERA", "AUTO-RENEW"});
    for (const License* l : listing.licenses) {
      auto v = TableValidity(*l, now);
      rows.push_back({l->key, l->service, TermLabelForDays(l->term_days), v[0], v[1],
                      l->assigned() ? l->assigned_to : "(pool)",
                      l->assigned() ? (l->auto_renew ? "yes" : "no") : "-"});
    }
  }
  // Empty cells would break a reader that splits on blanks.
  for (auto& row : rows) {
    for (auto& cell : row) {
      if (cell.empty()) cell = "-";
    }
  }
  return AlignedTable(rows);
}

std::string Render(const Listing& listing, const std::string& output) {
  if (output == "json") return boost::json::serialize(ListingObject(listing)) + "\n";
  if (output == "yaml") {
    std::string out;
    AppendYaml(out, ListingObject(listing), "", false);
    return out.substr(1) + "\n";  // the first key's leading newline
  }
  if (output == "csv") return RenderCsv(listing);
  return RenderTable(listing);
}

int RunShow(const ShowFlags& f) {
  const std::string command = "licmove show " + f.what;
  Filter filter{f.service, std::nullopt, f.pool, f.camera};
  if (!f.expiring_within.empty()) {
    filter.expiring_within = ParseDuration(f.expiring_within);
    if (!filter.expiring_within) {
      std::cerr << command << ": --expiring-within " << f.expiring_within
                << ": not a duration; give a whole number and a unit: s, m, h, d, w or y "
                   "(365 days), e.g. 30d, 12h, 1y\n";
      return kExitUsage;
    }
  }
  if (f.pool && f.what == "cameras") {
    std::cerr << command
              << ": --pool lists the licenses in the pool, which are on no camera: "
                 "use it with `licmove show licenses`\n";
    return kExitUsage;
  }
  if (f.pool && !f.camera.empty()) {
    std::cerr << command
              << ": --pool and --camera exclude each other: a pool license is on no "
                 "camera\n";
    return kExitUsage;
  }
  SourcedAccount source;
  if (const int code = ReadAccountSource(f.source, command, source); code != kExitOk) return code;
  if (!f.camera.empty() && !source.snapshot.account.FindCamera(f.camera)) {
    std::cerr << command << ": account " << source.snapshot.account.name << " has no camera "
              << f.camera << "\n";
    return kExitInvalidInput;
  }
  const Listing listing = Select(source.snapshot, f.what == "cameras", filter);
  std::cout << Render(listing, f.output) << std::flush;
  const std::size_t n = listing.cameras ? listing.camera_rows.size() : listing.licenses.size();
  if (f.output == "table") {
    std::cerr << n << " " << (n == 1 ? f.what.substr(0, f.what.size() - 1) : f.what)
              << " of account " << source.snapshot.account.name << " at "
              << FormatTimestamp(source.snapshot.now) << " (" << source.from << ")\n";
  }
  return kExitOk;
}

}  // namespace

void AddShowCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ShowFlags>();
  CLI::App* cmd = app.add_subcommand(
      "show", "List an account's cameras or licenses, with keys, days left and expiry");
  cmd->add_option("WHAT", flags->what, "cameras or licenses")
      ->required()
      ->check(CLI::IsMember({"cameras", "licenses"}));
  AddAccountSourceFlags(cmd, flags->source);
  cmd->add_option("--service", flags->service, "only licenses of this service");
  cmd->add_option("--expiring-within", flags->expiring_within,
                  "only activated licenses with at most this much validity left at the "
                  "account's now: 30d, 12h, 1y (365 days)...");
  cmd->add_flag("--pool", flags->pool, "only licenses in the pool (show licenses)");
  cmd->add_option("--camera", flags->camera, "only this camera (a serial)");
  cmd->add_option("-o,--output", flags->output, "table (default), json, yaml or csv")
      ->check(CLI::IsMember({"table", "json", "yaml", "csv"}));
  cmd->footer(
      "Filters combine: a row is shown when it passes every one.\n"
      "Examples:\n"
      "  licmove show cameras --snapshot examples/fleets/small.yaml --account acme\n"
      "  licmove show licenses --portal sim://examples/fleets/small.yaml --account acme "
      "--expiring-within 120d -o json\n"
      "Exit codes: 0 ok (also when nothing matches), 1 error (portal, network; a refused "
      "token),\n3 the fleet file is missing or invalid, or the account or camera is not there, 64 "
      "bad\ncommand line.");
  cmd->callback([flags, &exit_code] { exit_code = RunShow(*flags); });
}

}  // namespace licmove
