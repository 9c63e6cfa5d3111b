// licmove gives the cases of data/schema_agreement.json the verdicts a
// strict JSON Schema validator gives them (ctest schema_lint runs Ajv on the
// same cases): licmove rejects exactly what the schema rejects, among them
// every Unicode whitespace character in a one-word field, which valijson's
// ASCII-only \s let through.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "diagnostics_matchers.h"
#include "files/validate.h"

namespace licmove {
namespace {

namespace json = boost::json;

json::value ReadCorpus() {
  std::ifstream in(std::string(LICMOVE_SOURCE_DIR) + "/tests/files/data/schema_agreement.json",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// The value at `pointer`, whose parent exists; a missing member is added.
json::value& Slot(json::value& doc, std::string_view pointer) {
  const std::size_t slash = pointer.rfind('/');
  json::value& parent = slash == 0 ? doc : doc.at_pointer(pointer.substr(0, slash));
  const std::string last(pointer.substr(slash + 1));
  if (parent.is_array()) return parent.as_array().at(std::stoul(last));
  return parent.as_object()[last];
}

// The value's third character and what follows move one place on, with the
// code point `hex` in between: "CAM-0001" -> "CAM\u00A0-0001".
json::value WithInsert(const json::value& base, std::string_view pointer, std::string_view hex) {
  json::value doc = base;
  json::value& slot = Slot(doc, pointer);
  std::string text(slot.as_string());
  text.insert(3, Utf8(static_cast<char32_t>(std::stoul(std::string(hex), nullptr, 16))));
  slot = text;
  return doc;
}

// JSON is YAML, written here with every character beyond ASCII as a \u
// escape so that it reaches the value whatever YAML makes of it raw.
std::string AsYaml(const json::value& doc) {
  const std::string text = json::serialize(doc);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += text[i++];
      continue;
    }
    const int extra = c >= 0xE0 ? 2 : 1;
    char32_t cp = c & (extra == 2 ? 0x0F : 0x1F);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    i += extra + 1;
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(cp));
    out += escape;
  }
  return out + "\n";
}

struct Case {
  std::string name;
  json::value doc;
  bool valid;
  std::string inserted;  // the code point put into a one-word field, if any
};

std::vector<Case> Cases(const json::value& corpus, const char* kind) {
  const json::value& k = corpus.at(kind);
  const json::value& base = k.at("base");
  std::vector<Case> cases = {{std::string(kind) + " base", base, true, ""}};
  for (const json::value& field : k.at("pattern_fields").as_array()) {
    for (const json::value& cp : corpus.at("whitespace").as_array()) {
      cases.push_back({std::string(field.as_string()) + " with U+" + std::string(cp.as_string()),
                       WithInsert(base, field.as_string(), cp.as_string()), false,
                       std::string(cp.as_string())});
    }
  }
  for (const json::value& field : k.at("word_fields").as_array()) {
    for (const json::value& cp : corpus.at("not_whitespace").as_array()) {
      cases.push_back({std::string(field.as_string()) + " with U+" + std::string(cp.as_string()),
                       WithInsert(base, field.as_string(), cp.as_string()), true,
                       std::string(cp.as_string())});
    }
  }
  for (const char* verdict : {"valid", "invalid"}) {
    for (const json::value& change : k.at(verdict).as_array()) {
      json::value doc = base;
      for (const auto& [pointer, value] : change.as_object()) Slot(doc, pointer) = value;
      cases.push_back({json::serialize(change), doc, std::string(verdict) == "valid", ""});
    }
  }
  return cases;
}

TEST(SchemaAgreement, LicmoveGivesTheCasesTheSchemasVerdicts) {
  const json::value corpus = ReadCorpus();
  int checked = 0;
  for (const char* kind : {"plan", "fleet"}) {
    for (const Case& c : Cases(corpus, kind)) {
      const FileCheck check = CheckText(AsYaml(c.doc), "case.yaml");
      ++checked;
      EXPECT_EQ(check.valid(), c.valid)
          << kind << " " << c.name << ":" << ListDiagnostics(check.diagnostics);
      // A whitespace character other than a plain space is named, escaped,
      // where the value is quoted: it is invisible or breaks the line.
      if (!c.valid && !c.inserted.empty() && c.inserted != "0020") {
        bool named = false;
        for (const Diagnostic& d : check.diagnostics) {
          named = named || d.message.find("\\u" + c.inserted) != std::string::npos;
        }
        EXPECT_TRUE(named) << kind << " " << c.name << ":" << ListDiagnostics(check.diagnostics);
      }
    }
  }
  EXPECT_EQ(checked, 30 + 180 + 23 + 237);  // as many as lint.sh gives Ajv
}

}  // namespace
}  // namespace licmove
