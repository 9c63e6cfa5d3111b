#include "files/fleet_writer.h"

#include <charconv>

#include "model/timestamp.h"

namespace licmove {
namespace {

void AppendHex4(std::string& out, unsigned code) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
}

void AppendInt(std::string& out, std::int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// Field separators differ only in spelling between the two formats: YAML
// flow mappings take bare keys, JSON wants them quoted.
class LineWriter {
 public:
  LineWriter(std::string& out, FleetFormat format)
      : out_(out), json_(format == FleetFormat::kJson) {}

  void Open() {
    out_ += '{';
    first_ = true;
  }
  void Close() { out_ += '}'; }
  void Key(std::string_view key) {
    if (!first_) out_ += ", ";
    first_ = false;
    if (json_) {
      out_ += '"';
      out_ += key;
      out_ += "\": ";
    } else {
      out_ += key;
      out_ += ": ";
    }
  }
  void Text(std::string_view key, std::string_view value) {
    Key(key);
    AppendQuoted(out_, value);
  }
  void Int(std::string_view key, std::int64_t value) {
    Key(key);
    AppendInt(out_, value);
  }
  void Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
  }

 private:
  std::string& out_;
  bool json_;
  bool first_ = true;
};

void AppendCamera(std::string& out, FleetFormat format, const Camera& c) {
  LineWriter w(out, format);
  w.Open();
  w.Text("serial", c.serial);
  w.Text("name", c.name);
  w.Text("site", c.site);
  if (!c.id.empty()) w.Text("id", c.id);
  w.Close();
}

// A registry key has no assignment: `in_account` false leaves out
// assigned_to and auto_renew, which its schema does not allow.
void AppendLicense(std::string& out, FleetFormat format, const License& l, bool in_account) {
  LineWriter w(out, format);
  w.Open();
  w.Text("key", l.key);
  w.Text("service", l.service);
  w.Int("term_days", l.term_days);
  if (l.activated_at) w.Text("activated_at", FormatTimestamp(*l.activated_at));
  if (in_account && l.assigned()) {
    w.Text("assigned_to", l.assigned_to);
    w.Bool("auto_renew", l.auto_renew);
  }
  w.Close();
}

void AppendUser(std::string& out, FleetFormat format, const FleetUser& u) {
  LineWriter w(out, format);
  w.Open();
  w.Text("token", u.token);
  w.Text("name", u.name);
  w.Text("role", u.role);
  w.Key("accounts");
  out += '[';
  for (std::size_t i = 0; i < u.accounts.size(); ++i) {
    if (i) out += ", ";
    AppendQuoted(out, u.accounts[i]);
  }
  out += ']';
  w.Close();
}

// A list of one-line items under `indent`: YAML block sequence ("- item")
// or a JSON array (one item a line). An empty list is "[]" in both.
template <typename Item, typename Append>
void AppendList(std::string& out, FleetFormat format, const std::string& indent,
                const std::vector<Item>& items, Append append) {
  if (items.empty()) {
    out += format == FleetFormat::kJson ? "[]" : " []";
    return;
  }
  if (format == FleetFormat::kJson) {
    out += "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
      out += indent;
      append(items[i]);
      out += i + 1 < items.size() ? ",\n" : "\n";
    }
    out += indent.substr(2);
    out += ']';
    return;
  }
  for (const Item& item : items) {
    out += '\n';
    out += indent;
    out += "- ";
    append(item);
  }
}

std::string WriteYaml(const Fleet& fleet, std::string_view comment) {
  constexpr FleetFormat f = FleetFormat::kYaml;
  std::string out;
  std::size_t from = 0;
  while (from < comment.size()) {
    std::size_t to = comment.find('\n', from);
    if (to == std::string_view::npos) to = comment.size();
    out += "# ";
    out += comment.substr(from, to - from);
    out += '\n';
    from = to + 1;
  }
  out += "version: 1\nnow: ";
  AppendQuoted(out, FormatTimestamp(fleet.now));
  out += "\nusers:";
  AppendList(out, f, "  ", fleet.users, [&](const FleetUser& u) { AppendUser(out, f, u); });
  out += "\naccounts:";
  if (fleet.accounts.empty()) out += " []";
  for (const Account& a : fleet.accounts) {
    out += "\n  - name: ";
    AppendQuoted(out, a.name);
    out += "\n    cameras:";
    AppendList(out, f, "      ", a.cameras, [&](const Camera& c) { AppendCamera(out, f, c); });
    out += "\n    licenses:";
    AppendList(out, f, "      ", a.licenses,
               [&](const License& l) { AppendLicense(out, f, l, true); });
  }
  out += "\nregistry:";
  AppendList(out, f, "  ", fleet.registry,
             [&](const License& l) { AppendLicense(out, f, l, false); });
  out += '\n';
  return out;
}

std::string WriteJson(const Fleet& fleet) {
  constexpr FleetFormat f = FleetFormat::kJson;
  std::string out = "{\n  \"version\": 1,\n  \"now\": ";
  AppendQuoted(out, FormatTimestamp(fleet.now));
  out += ",\n  \"users\": ";
  AppendList(out, f, "    ", fleet.users, [&](const FleetUser& u) { AppendUser(out, f, u); });
  out += ",\n  \"accounts\": ";
  if (fleet.accounts.empty()) out += "[]";
  for (std::size_t i = 0; i < fleet.accounts.size(); ++i) {
    const Account& a = fleet.accounts[i];
    out += i == 0 ? "[\n    {\"name\": " : ",\n    {\"name\": ";
    AppendQuoted(out, a.name);
    out += ",\n     \"cameras\": ";
    AppendList(out, f, "        ", a.cameras, [&](const Camera& c) { AppendCamera(out, f, c); });
    out += ",\n     \"licenses\": ";
    AppendList(out, f, "        ", a.licenses,
               [&](const License& l) { AppendLicense(out, f, l, true); });
    out += '}';
    if (i + 1 == fleet.accounts.size()) out += "\n  ]";
  }
  out += ",\n  \"registry\": ";
  AppendList(out, f, "    ", fleet.registry,
             [&](const License& l) { AppendLicense(out, f, l, false); });
  out += "\n}\n";
  return out;
}

}  // namespace

std::optional<FleetFormat> FleetFormatForPath(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".yaml") || ends_with(".yml")) return FleetFormat::kYaml;
  if (ends_with(".json")) return FleetFormat::kJson;
  return std::nullopt;
}

std::string WriteFleet(const Fleet& fleet, FleetFormat format, std::string_view comment) {
  return format == FleetFormat::kJson ? WriteJson(fleet) : WriteYaml(fleet, comment);
}

void AppendQuoted(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      AppendHex4(out, c);
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      // U+0080..U+009F (C1 controls): not printable in YAML.
      AppendHex4(out, static_cast<unsigned char>(text[++i]));
    } else if (c == 0xEF && i + 2 < text.size()) {
      // U+FEFF (a byte order mark inside the text), U+FFFE and U+FFFF are
      // not printable in YAML either; the rest of U+F000..U+FFFF is.
      const unsigned code = 0xF000u | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6 |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      if (code == 0xFEFF || code == 0xFFFE || code == 0xFFFF) {
        AppendHex4(out, code);
        i += 2;
      } else {
        out += static_cast<char>(c);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace licmove
