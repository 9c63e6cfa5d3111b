// engine/files/fleet_writer.h: whatever the account, the fleet file written as
// YAML and as JSON reads back (LoadFleetFile's parser, schema and rules) to
// the same fleet; the shipped example fleet too.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "files/fleet_file.h"
#include "files/fleet_writer.h"

namespace licmove {
namespace {

// Pieces that are hard to quote in YAML or JSON: indicators, escapes, words
// YAML would read as booleans, nulls or numbers, controls, DEL, C1 (U+0085
// is YAML's "next line"), a BOM, U+2028, U+FFFF, wide characters.
const std::vector<std::string> kAwkward = {"",
                                           "a",
                                           " ",
                                           "yes",
                                           "no",
                                           "null",
                                           "~",
                                           "0x1F",
                                           "1e3",
                                           "2026-11-29",
                                           ":",
                                           ": ",
                                           "#",
                                           " #",
                                           "- ",
                                           "?",
                                           "!tag",
                                           "&a",
                                           "*a",
                                           "|",
                                           ">",
                                           "'",
                                           "\"",
                                           "\\",
                                           "\\u0041",
                                           "{",
                                           "}",
                                           "[",
                                           "]",
                                           ",",
                                           "%",
                                           "@",
                                           "`",
                                           "\t",
                                           "\n",
                                           "\r",
                                           "\x01",
                                           "\x7f",
                                           "\xc2\x85",
                                           "\xc2\x9f",
                                           "\xc2\xa0",
                                           "\xef\xbb\xbf",
                                           "\xe2\x80\xa8",
                                           "\xef\xbf\xbf",
                                           "\xef\xbf\xbd",
                                           "Zürich",
                                           "東京",
                                           "\xf0\x9f\x93\xb7"};

// Word-safe pieces (no blanks, no slash) for serials and keys.
const std::vector<std::string> kWordish = {"A", "z", "0", "-", "_", ".", ":", "#", "\"", "'", "\\",
                                           "{", "[", ",", "*", "&", "!", "%", "@", "`",  "é", "東"};

rc::Gen<std::string> Text(const std::vector<std::string>& pieces, int max_pieces) {
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces)),
                      [max_pieces](const std::vector<std::string>& v) {
                        std::string s;
                        for (std::size_t i = 0;
                             i < v.size() && i < static_cast<std::size_t>(max_pieces); ++i) {
                          s += v[i];
                        }
                        return s;
                      });
}

constexpr UnixSeconds kBase = 1795910400;  // 2026-11-29T00:00:00Z

Fleet GenerateFleet() {
  Fleet fleet;
  fleet.now = kBase + *rc::gen::inRange<std::int64_t>(0, 400 * kSecondsPerDay);
  Account a;
  a.name = "acme" + *Text(kWordish, 3);
  const int cameras = *rc::gen::inRange(0, 9);
  for (int i = 0; i < cameras; ++i) {
    Camera c;
    c.serial = "C" + std::to_string(i) + *Text(kWordish, 4);
    c.name = *Text(kAwkward, 5);
    c.site = *Text(kAwkward, 3);
    if (*rc::gen::arbitrary<bool>()) c.id = "id-" + std::to_string(i);
    a.cameras.push_back(c);
  }
  const std::vector<std::string> services = {"alarm-management", "remote-maintenance", "x1"};
  const int licenses = *rc::gen::inRange(0, 13);
  std::vector<std::string> held;  // serial + '/' + service
  for (int i = 0; i < licenses; ++i) {
    License l;
    l.key = "K" + std::to_string(i) + *Text(kWordish, 4);
    l.service = *rc::gen::elementOf(services);
    l.term_days = *rc::gen::inRange(1, 36501);
    const bool activated = *rc::gen::arbitrary<bool>();
    if (activated) l.activated_at = fleet.now - *rc::gen::inRange<std::int64_t>(0, 100000000);
    if (activated && !a.cameras.empty() && *rc::gen::arbitrary<bool>()) {
      const Camera& c = a.cameras[*rc::gen::inRange<std::size_t>(0, a.cameras.size())];
      const std::string slot = c.serial + "/" + l.service;
      if (std::find(held.begin(), held.end(), slot) == held.end()) {
        held.push_back(slot);
        l.assigned_to = c.serial;
        l.auto_renew = *rc::gen::arbitrary<bool>();
      }
    }
    a.licenses.push_back(l);
  }
  fleet.accounts.push_back(a);
  const int registry = *rc::gen::inRange(0, 3);
  for (int i = 0; i < registry; ++i) {
    License l;
    l.key = "R" + std::to_string(i);
    l.service = *rc::gen::elementOf(services);
    l.term_days = 365;
    if (*rc::gen::arbitrary<bool>()) l.activated_at = fleet.now;
    fleet.registry.push_back(l);
  }
  if (*rc::gen::arbitrary<bool>()) {
    fleet.users.push_back({"tok:\"\\#{" + std::to_string(*rc::gen::inRange(0, 99)),
                           *Text(kAwkward, 2) + "x",
                           "viewer",
                           {a.name}});  // tokens are printable ASCII
  }
  return fleet;
}

void ExpectSameLicenses(const std::vector<License>& want, const std::vector<License>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(want[i].key, got[i].key);
    EXPECT_EQ(want[i].service, got[i].service);
    EXPECT_EQ(want[i].term_days, got[i].term_days);
    EXPECT_EQ(want[i].activated_at, got[i].activated_at);
    EXPECT_EQ(want[i].assigned_to, got[i].assigned_to);
    EXPECT_EQ(want[i].auto_renew, got[i].auto_renew);
  }
}

void ExpectSameFleet(const Fleet& want, const Fleet& got) {
  EXPECT_EQ(want.now, got.now);
  ASSERT_EQ(want.accounts.size(), got.accounts.size());
  for (std::size_t i = 0; i < want.accounts.size(); ++i) {
    const Account& w = want.accounts[i];
    const Account& g = got.accounts[i];
    EXPECT_EQ(w.name, g.name);
    ASSERT_EQ(w.cameras.size(), g.cameras.size());
    for (std::size_t j = 0; j < w.cameras.size(); ++j) {
      EXPECT_EQ(w.cameras[j].serial, g.cameras[j].serial);
      EXPECT_EQ(w.cameras[j].name, g.cameras[j].name);
      EXPECT_EQ(w.cameras[j].site, g.cameras[j].site);
      EXPECT_EQ(w.cameras[j].id, g.cameras[j].id);
    }
    ExpectSameLicenses(w.licenses, g.licenses);
  }
  ExpectSameLicenses(want.registry, got.registry);
  ASSERT_EQ(want.users.size(), got.users.size());
  for (std::size_t i = 0; i < want.users.size(); ++i) {
    EXPECT_EQ(want.users[i].token, got.users[i].token);
    EXPECT_EQ(want.users[i].name, got.users[i].name);
    EXPECT_EQ(want.users[i].role, got.users[i].role);
    EXPECT_EQ(want.users[i].accounts, got.users[i].accounts);
  }
}

RC_GTEST_PROP(FleetWriter, YamlAndJsonReadBackToTheSameFleet, ()) {
  const Fleet fleet = GenerateFleet();
  for (FleetFormat format : {FleetFormat::kYaml, FleetFormat::kJson}) {
    const std::string text = WriteFleet(fleet, format, "a comment: # \"with\" quotes\nline two");
    const char* file = format == FleetFormat::kYaml ? "round.yaml" : "round.json";
    Result<Fleet> back = ParseFleet(text, file);
    if (!back.ok()) RC_FAIL(back.status().message() + "\n" + text);
    ExpectSameFleet(fleet, *back);
    RC_ASSERT(!::testing::Test::HasFailure());
  }
}

TEST(FleetWriter, TheExampleFleetReadsBackTheSame) {
  Result<Fleet> small = LoadFleetFile(LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml");
  ASSERT_TRUE(small.ok()) << small.status().message();
  for (FleetFormat format : {FleetFormat::kYaml, FleetFormat::kJson}) {
    Result<Fleet> back = ParseFleet(WriteFleet(*small, format), "small");
    ASSERT_TRUE(back.ok()) << back.status().message();
    ExpectSameFleet(*small, *back);
  }
}

TEST(FleetWriter, AnEmptyFleetIsStillAFleetFile) {
  Fleet fleet;
  fleet.now = kBase;
  fleet.accounts.push_back(Account{"acme", {}, {}});
  const std::string yaml = WriteFleet(fleet, FleetFormat::kYaml);
  EXPECT_NE(yaml.find("users: []"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("cameras: []"), std::string::npos) << yaml;
  for (const std::string& text : {yaml, WriteFleet(fleet, FleetFormat::kJson)}) {
    Result<Fleet> back = ParseFleet(text, "empty");
    ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << text;
    ExpectSameFleet(fleet, *back);
  }
}

TEST(FleetWriter, FormatByExtension) {
  EXPECT_EQ(FleetFormatForPath("a/b.yaml"), FleetFormat::kYaml);
  EXPECT_EQ(FleetFormatForPath("b.yml"), FleetFormat::kYaml);
  EXPECT_EQ(FleetFormatForPath("b.json"), FleetFormat::kJson);
  EXPECT_EQ(FleetFormatForPath("b.txt"), std::nullopt);
  EXPECT_EQ(FleetFormatForPath(".yaml"), std::nullopt);
  EXPECT_EQ(FleetFormatForPath("b.yaml.bak"), std::nullopt);
}

TEST(FleetWriter, QuotedIsJsonAndYamlSafe) {
  std::string out;
  AppendQuoted(out, "a\"b\\c\n\x01\x7f\xc2\x85\xef\xbb\xbf\xc3\xa9");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u0085\\ufeff\xc3\xa9\"");
}

}  // namespace
}  // namespace licmove
