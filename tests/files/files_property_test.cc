// Loading never crashes, throws or points nowhere, whatever the input:
// random bytes, random YAML documents, and valid files mutated at random.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "files/fleet_file.h"
#include "files/plan_file.h"
#include "files/validate.h"

namespace licmove {
namespace {

constexpr std::string_view kPlan = R"(version: 1
account: acme
moves:
  - from: CAM-0001
    to: CAM-0107
    service: alarm-management
    key: AM-5Y-0001
    auto_renew: true
    release_destination: false
assign:
  - cameras: [CAM-0200, CAM-0201]
    service: alarm-management
    term: 5y
    auto_renew: true
options:
  restore_sources: true
  release_destinations: false
)";

constexpr std::string_view kFleet = R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: admin-secret, name: ops@acme, role: admin, accounts: [acme]}
  - {token: viewer-secret, name: audit@acme, role: viewer, accounts: [acme]}
accounts:
  - name: acme
    cameras:
      - {serial: CAM-0001, name: Lobby, site: HQ}
      - {serial: CAM-0107, name: Dock, site: HQ, id: c-107}
    licenses:
      - {key: AM-5Y-0001, service: alarm-management, term_days: 1825,
         activated_at: "2025-01-10T00:00:00Z", assigned_to: CAM-0001, auto_renew: true}
      - {key: AM-1Y-0002, service: alarm-management, term_days: 365}
registry:
  - {key: AM-3Y-0009, service: alarm-management, term_days: 1095}
)";

// Words that make YAML, plan and fleet files interesting to break.
const std::vector<std::string> kTokens = {"version",
                                          "account",
                                          "moves",
                                          "assign",
                                          "options",
                                          "from",
                                          "to",
                                          "service",
                                          "key",
                                          "auto_renew",
                                          "release_destination",
                                          "cameras",
                                          "term",
                                          "now",
                                          "users",
                                          "accounts",
                                          "registry",
                                          "licenses",
                                          "serial",
                                          "term_days",
                                          "activated_at",
                                          "assigned_to",
                                          "token",
                                          "role",
                                          "name",
                                          "id",
                                          "site",
                                          "CAM-0001",
                                          "AM-5Y-0001",
                                          "alarm-management",
                                          "5y",
                                          "2y",
                                          "admin",
                                          "viewer",
                                          "acme",
                                          "1",
                                          "2",
                                          "0",
                                          "-1",
                                          "99999999999999999999999",
                                          "1e400",
                                          "0x",
                                          "1.5",
                                          "true",
                                          "false",
                                          "yes",
                                          "null",
                                          "~",
                                          "",
                                          " ",
                                          "  ",
                                          "\t",
                                          "\n",
                                          "- ",
                                          ": ",
                                          ":",
                                          ",",
                                          "[",
                                          "]",
                                          "{",
                                          "}",
                                          "#",
                                          "&a ",
                                          "*a",
                                          "!!str ",
                                          "!x ",
                                          "? ",
                                          "|",
                                          ">",
                                          "'",
                                          "\"",
                                          "---",
                                          "...",
                                          "%YAML 1.2",
                                          "\\",
                                          "\xc3\xa9",
                                          "\xff",
                                          std::string(1, '\0'),
                                          "2026-11-29T00:00:00Z",
                                          "2027-01-01T00:00:00Z",
                                          "2026-02-30T00:00:00Z"};

// Every diagnostic points into the file (or at the whole of it) and says
// something.
void CheckDiagnostics(const Diagnostics& ds, const std::string& file, std::string_view text) {
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const Diagnostic& d : ds) {
    RC_ASSERT(d.file == file);
    RC_ASSERT(!d.message.empty());
    // Small inputs never exhaust memory (observable under `ulimit -v`).
    RC_ASSERT(d.message.find("bad_alloc") == std::string::npos);
    if (d.line == 0) {
      RC_ASSERT(d.column == 0);
    } else {
      RC_ASSERT(d.line >= 1);
      RC_ASSERT(d.column >= 1);
      RC_ASSERT(d.line <= lines + 1);
    }
  }
  RC_ASSERT(std::is_sorted(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  }));
}

// Runs every entry point on `text` and checks that they agree.
void CheckEverything(const std::string& text) {
  const std::string file = "in.yaml";
  FileCheck check = CheckText(text, file);
  CheckDiagnostics(check.diagnostics, file, text);
  RC_ASSERT(check.valid() == (check.plan.has_value() || check.fleet.has_value()));

  Result<Plan> plan = ParsePlan(text, file);
  Result<Fleet> fleet = ParseFleet(text, file);
  RC_ASSERT(plan.ok() == check.plan.has_value());
  RC_ASSERT(fleet.ok() == check.fleet.has_value());
  if (!plan.ok()) RC_ASSERT(!plan.status().message().empty());
  if (!fleet.ok()) RC_ASSERT(!fleet.status().message().empty());
}

// Builds YAML text from a stream of choices: nested maps, lists and
// scalars, in block or flow style, with indentation sometimes wrong.
class RandomYaml {
 public:
  explicit RandomYaml(const std::vector<std::uint16_t>& choices) : choices_(choices) {}

  std::string Build() {
    std::string out;
    Node(out, 0, 0);
    return out;
  }

 private:
  std::uint16_t Next() { return pos_ < choices_.size() ? choices_[pos_++] : 0; }
  const std::string& Token() { return kTokens[Next() % kTokens.size()]; }

  void Indent(std::string& out, int indent) {
    // One time in sixteen the indentation is off by one.
    out.append(std::max(0, indent + (Next() % 16 == 0 ? 1 : 0)), ' ');
  }

  void Node(std::string& out, int indent, int depth) {
    const int kind = depth > 6 ? 0 : Next() % 5;
    const int size = Next() % 5;
    switch (kind) {
      case 0:
      case 1:
        out += Token();
        out += "\n";
        return;
      case 2:  // block mapping
        out += "\n";
        for (int i = 0; i < size; ++i) {
          Indent(out, indent);
          out += Token() + ": ";
          Node(out, indent + 2, depth + 1);
        }
        return;
      case 3:  // block list
        out += "\n";
        for (int i = 0; i < size; ++i) {
          Indent(out, indent);
          out += "- ";
          Node(out, indent + 2, depth + 1);
        }
        return;
      default:  // flow
        out += Next() % 2 ? "{" : "[";
        for (int i = 0; i < size; ++i)
          out += (i ? ", " : "") + Token() + (Next() % 2 ? ": " + Token() : "");
        out += Next() % 8 ? (Next() % 2 ? "}" : "]") : "";
        out += "\n";
        return;
    }
  }

  const std::vector<std::uint16_t>& choices_;
  std::size_t pos_ = 0;
};

// Applies random edits to `text`: delete, insert a token, duplicate or swap
// lines, flip a byte.
std::string Mutate(std::string text, const std::vector<std::uint32_t>& edits) {
  // Duplicating a line of a text without line breaks doubles it: stop
  // growing well before that matters.
  constexpr std::size_t kMaxText = 1 << 16;
  for (std::size_t i = 0; i + 2 < edits.size() && text.size() < kMaxText; i += 3) {
    const std::size_t at = text.empty() ? 0 : edits[i + 1] % (text.size() + 1);
    switch (edits[i] % 6) {
      case 0:
        text.erase(at, edits[i + 2] % 8);
        break;
      case 1:
      case 2:
        text.insert(at, kTokens[edits[i + 2] % kTokens.size()]);
        break;
      case 3: {  // duplicate the line holding `at`
        const std::size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t begin = start == std::string::npos ? 0 : start + 1;
        const std::size_t end = text.find('\n', begin);
        const std::string line =
            text.substr(begin, end == std::string::npos ? std::string::npos : end - begin + 1);
        text.insert(begin, line);
        break;
      }
      case 4: {  // swap two lines
        std::vector<std::string> lines;
        std::size_t b = 0;
        for (std::size_t e; (e = text.find('\n', b)) != std::string::npos; b = e + 1) {
          lines.push_back(text.substr(b, e - b + 1));
        }
        if (lines.size() >= 2) {
          std::swap(lines[edits[i + 1] % lines.size()], lines[edits[i + 2] % lines.size()]);
          std::string joined;
          for (const std::string& l : lines) joined += l;
          text = joined + text.substr(b);
        }
        break;
      }
      default:
        if (at < text.size()) text[at] = static_cast<char>(edits[i + 2]);
        break;
    }
  }
  return text;
}

RC_GTEST_PROP(FilesProperty, RandomBytesNeverCrash, (const std::vector<std::uint8_t>& bytes)) {
  CheckEverything(std::string(bytes.begin(), bytes.end()));
}

RC_GTEST_PROP(FilesProperty, RandomTextNeverCrashes, (const std::string& text)) {
  CheckEverything(text);
}

RC_GTEST_PROP(FilesProperty, RandomYamlDocumentsNeverCrash,
              (const std::vector<std::uint16_t>& choices)) {
  const std::string prefix =
      *rc::gen::element<std::string>("", "version: 1\n", "version: 1\nmoves:");
  CheckEverything(prefix + RandomYaml(choices).Build());
}

RC_GTEST_PROP(FilesProperty, MutatedPlansNeverCrash, (const std::vector<std::uint32_t>& edits)) {
  CheckEverything(Mutate(std::string(kPlan), edits));
}

RC_GTEST_PROP(FilesProperty, MutatedFleetsNeverCrash, (const std::vector<std::uint32_t>& edits)) {
  CheckEverything(Mutate(std::string(kFleet), edits));
}

TEST(FilesProperty, TheUnmutatedFilesAreValid) {
  EXPECT_TRUE(ParsePlan(kPlan, "p").ok());
  EXPECT_TRUE(ParseFleet(kFleet, "f").ok());
}

// Every truncation of a valid file loads or fails cleanly (as ninja's
// build-log test does for its log).
TEST(FilesProperty, EveryTruncationLoadsOrFailsCleanly) {
  for (std::string_view text : {kPlan, kFleet}) {
    for (std::size_t n = 0; n <= text.size(); ++n) {
      const std::string cut(text.substr(0, n));
      FileCheck check = CheckText(cut, "cut.yaml");
      for (const Diagnostic& d : check.diagnostics) {
        ASSERT_FALSE(d.message.empty()) << n;
        ASSERT_TRUE(d.line == 0 || (d.line >= 1 && d.column >= 1)) << n << ": " << d.ToString();
      }
      EXPECT_EQ(check.valid(), check.plan.has_value() || check.fleet.has_value());
    }
  }
}

}  // namespace
}  // namespace licmove
