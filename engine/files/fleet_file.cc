#include "files/fleet_file.h"

#include <exception>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_document.h"
#include "files/json_fields.h"
#include "files/schema_check.h"
#include "files/text_file.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

namespace json = boost::json;

// Where a decoded value is: entry `index` of the list at `list`, or the
// list's own pointer when no index. The pointer string is built only for a
// problem to report: a 100,000-camera fleet has 150,000 licenses.
struct Where {
  std::string_view list;
  std::optional<std::size_t> index;
  std::string Pointer() const { return index ? PointerChild(list, *index) : std::string(list); }
};

// A timestamp field; reports text that is not RFC 3339.
std::optional<UnixSeconds> Timestamp(const YamlDocument& doc, const json::value& object,
                                     const Where& where, std::string_view key, Diagnostics& out) {
  const json::value* v = fields::Get(object, key);
  if (!v || !v->is_string()) return std::nullopt;
  const std::string_view text = v->get_string();
  if (std::optional<UnixSeconds> t = ParseTimestamp(text)) return t;
  out.push_back(doc.At(PointerChild(where.Pointer(), key),
                       std::string(key) + " \"" + std::string(text.substr(0, 60)) +
                           "\" is not a valid time; write it as RFC 3339, such as "
                           "\"2026-11-29T00:00:00Z\""));
  return std::nullopt;
}

License DecodeLicense(const YamlDocument& doc, const json::value& v, const Where& where,
                      Diagnostics& out) {
  License l;
  l.key = fields::Text(v, "key");
  l.service = fields::Text(v, "service");
  // The schema bounds term_days to 1..36500, so it fits an int.
  if (auto days = fields::Integer(v, "term_days"); days && *days > 0 && *days <= 36500) {
    l.term_days = static_cast<int>(*days);
  }
  l.activated_at = Timestamp(doc, v, where, "activated_at", out);
  l.assigned_to = fields::Text(v, "assigned_to");
  l.auto_renew = fields::Bool(v, "auto_renew").value_or(false);
  return l;
}

Account DecodeAccount(const YamlDocument& doc, const json::value& v, const std::string& pointer,
                      Diagnostics& out) {
  Account a;
  a.name = fields::Text(v, "name");
  if (const json::array* cameras = fields::List(v, "cameras")) {
    a.cameras.reserve(cameras->size());
    for (const json::value& c : *cameras) {
      a.cameras.push_back({fields::Text(c, "serial"), fields::Text(c, "name"),
                           fields::Text(c, "site"), fields::Text(c, "id")});
    }
  }
  if (const json::array* licenses = fields::List(v, "licenses")) {
    a.licenses.reserve(licenses->size());
    const std::string list = PointerChild(pointer, "licenses");
    for (std::size_t i = 0; i < licenses->size(); ++i) {
      a.licenses.push_back(DecodeLicense(doc, (*licenses)[i], Where{list, i}, out));
    }
  }
  return a;
}

}  // namespace

const Account* Fleet::FindAccount(std::string_view name) const {
  for (const Account& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Fleet CheckFleetDocument(const YamlDocument& doc, Diagnostics& out) {
  Fleet fleet;
  if (!CheckVersionAndSchema(doc, FileKind::kFleet, out)) return fleet;
  const json::value& root = doc.root;
  fleet.version = kFleetFormatVersion;
  fleet.now = Timestamp(doc, root, Where{"", std::nullopt}, "now", out).value_or(0);
  if (const json::array* users = fields::List(root, "users")) {
    for (const json::value& u : *users) {
      FleetUser user{
          fields::Text(u, "token"), fields::Text(u, "name"), fields::Text(u, "role"), {}};
      if (const json::array* names = fields::List(u, "accounts")) {
        for (const json::value& n : *names) {
          user.accounts.push_back(n.is_string() ? std::string(n.get_string()) : "");
        }
      }
      fleet.users.push_back(std::move(user));
    }
  }
  if (const json::array* accounts = fields::List(root, "accounts")) {
    fleet.accounts.reserve(accounts->size());
    for (std::size_t i = 0; i < accounts->size(); ++i) {
      fleet.accounts.push_back(
          DecodeAccount(doc, (*accounts)[i], PointerChild("/accounts", i), out));
    }
  }
  if (const json::array* registry = fields::List(root, "registry")) {
    fleet.registry.reserve(registry->size());
    for (std::size_t i = 0; i < registry->size(); ++i) {
      fleet.registry.push_back(DecodeLicense(doc, (*registry)[i], Where{"/registry", i}, out));
    }
  }
  CheckFleetRules(fleet, doc, out);
  return fleet;
}

Result<Fleet> ParseFleet(std::string_view text, const std::string& file) {
  try {
    Diagnostics out;
    std::optional<YamlDocument> doc = ParseDocument(text, file, out);
    if (!doc) return DiagnosticsStatus(std::move(out));
    Fleet fleet = CheckFleetDocument(*doc, out);
    if (!out.empty()) return DiagnosticsStatus(std::move(out));
    return fleet;
  } catch (const std::exception& e) {
    // Only allocation failure gets here; the checks themselves do not throw.
    return Status::InvalidArgument(file + ": cannot check the file: " + e.what());
  }
}

Result<Fleet> LoadFleetFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseFleet(*text, path);
}

}  // namespace licmove
