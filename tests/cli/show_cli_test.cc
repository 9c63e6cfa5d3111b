// `licmove show` and `licmove snapshot` (issue 12), through the real binary:
// show's filters and formats, read back as a program reads them (json, csv,
// yaml parsed, then rows asserted); a snapshot of the embedded simulator
// plans exactly as the live portal does, and portal-sim serves it; usage
// errors exit 64.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "files/diagnostic.h"
#include "files/fleet_file.h"
#include "files/yaml_document.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string kSource = LICMOVE_SOURCE_DIR;
const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";
const std::string kSmall = "examples/fleets/small.yaml";

struct Ran {
  int code = -1;
  std::string out, err;
};

class ShowCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("licmove-show-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs licmove with `args` from the source directory, stdin closed.
  Ran Licmove(const std::string& args) {
    const std::string out = (dir_ / "out").string(), err = (dir_ / "err").string();
    const int status = std::system(
        ("cd " + kSource + " && " + kLicmove + " " + args + " </dev/null >" + out + " 2>" + err)
            .c_str());
    Ran r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = testing::ReadFileText(out);
    r.err = testing::ReadFileText(err);
    return r;
  }

  json::object ShowJson(const std::string& args) {
    const Ran r = Licmove("show " + args + " -o json");
    EXPECT_EQ(r.code, 0) << r.err;
    json::value v = json::parse(r.out);
    EXPECT_TRUE(v.is_object()) << r.out;
    return v.as_object();
  }

  // The keys of a `show licenses -o json`, in order.
  std::vector<std::string> Keys(const std::string& args) {
    std::vector<std::string> keys;
    const json::object doc = ShowJson("licenses " + args);  // outlives the loop
    for (const auto& l : doc.at("licenses").as_array()) {
      keys.emplace_back(l.at("key").as_string());
    }
    return keys;
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::vector<std::vector<std::string>> CsvRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> row;
    std::string cell;
    std::istringstream cells(line);
    while (std::getline(cells, cell, ',')) row.push_back(cell);
    if (!line.empty() && line.back() == ',') row.emplace_back();
    rows.push_back(row);
  }
  return rows;
}

TEST_F(ShowCli, LicensesAsJsonWithDaysLeftAndExpiry) {
  const json::object doc = ShowJson("licenses --snapshot " + kSmall + " --account acme");
  EXPECT_EQ(doc.at("format_version"), 1);
  EXPECT_EQ(doc.at("kind"), "licenses");
  EXPECT_EQ(doc.at("account"), "acme");
  EXPECT_EQ(doc.at("now"), "2026-11-29T00:00:00Z");
  const json::array& licenses = doc.at("licenses").as_array();
  ASSERT_EQ(licenses.size(), 16u);
  std::vector<std::string> keys;
  for (const auto& l : licenses) keys.emplace_back(l.at("key").as_string());
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  for (const auto& v : licenses) {
    const json::object& l = v.as_object();
    if (l.at("key") == "AM-1Y-0011") {  // a pool license that was used: 184 days left
      EXPECT_EQ(l.at("remaining_days"), 184);
      EXPECT_EQ(l.at("activated_at"), "2026-06-01T00:00:00Z");
      EXPECT_EQ(l.at("expires_at"), "2027-06-01T00:00:00Z");
      EXPECT_TRUE(l.at("assigned_to").is_null());
      EXPECT_EQ(l.at("auto_renew"), false);
    }
    if (l.at("key") == "AM-5Y-0013") {  // never activated: its whole term, no expiry
      EXPECT_EQ(l.at("remaining_days"), 1825);
      EXPECT_TRUE(l.at("activated_at").is_null());
      EXPECT_TRUE(l.at("expires_at").is_null());
    }
    if (l.at("key") == "AM-5Y-0001") {
      EXPECT_EQ(l.at("assigned_to"), "CAM-0001");
      EXPECT_EQ(l.at("auto_renew"), true);
      EXPECT_EQ(l.at("term_days"), 1825);
    }
  }
}

TEST_F(ShowCli, FiltersCombine) {
  const std::string from = "--snapshot " + kSmall + " --account acme";
  // Activated alarm-management licenses with at most 200 days left; the
  // never-activated demo AM-DEMO-0012 (90 days) never expires.
  EXPECT_EQ(Keys(from + " --service alarm-management --expiring-within 200d"),
            (std::vector<std::string>{"AM-1Y-0003", "AM-1Y-0011", "AM-DEMO-0004"}));
  EXPECT_EQ(Keys(from + " --service alarm-management --expiring-within 200d --pool"),
            (std::vector<std::string>{"AM-1Y-0011"}));
  EXPECT_EQ(Keys(from + " --expiring-within 92d"),
            (std::vector<std::string>{"AM-DEMO-0004", "RM-1Y-0101"}));
  EXPECT_EQ(Keys(from + " --expiring-within 2208h"),  // 92 days in hours
            (std::vector<std::string>{"AM-DEMO-0004", "RM-1Y-0101"}));
  EXPECT_EQ(Keys(from + " --expiring-within 1y --camera CAM-0001"),
            (std::vector<std::string>{"RM-1Y-0101"}));
  EXPECT_EQ(Keys(from + " --camera CAM-0001"),
            (std::vector<std::string>{"AM-5Y-0001", "RM-1Y-0101"}));
  EXPECT_EQ(Keys(from + " --pool --service remote-maintenance"),
            (std::vector<std::string>{"RM-1Y-0111", "RM-5Y-0112", "RM-DEMO-0110"}));
  EXPECT_EQ(Keys(from + " --expiring-within 12h"), std::vector<std::string>{});
  // Cameras: those holding a license that passes, with only those licenses.
  const json::object doc =
      ShowJson("cameras " + from + " --service remote-maintenance --expiring-within 750d");
  std::vector<std::string> serials;
  for (const auto& c : doc.at("cameras").as_array()) {
    serials.emplace_back(c.at("serial").as_string());
    for (const auto& s : c.at("services").as_array()) {
      EXPECT_EQ(s.at("service"), "remote-maintenance");
    }
  }
  EXPECT_EQ(serials, (std::vector<std::string>{"CAM-0001", "CAM-0004"}));
}

TEST_F(ShowCli, CamerasAsCsvOneRowPerService) {
  const Ran r = Licmove("show cameras --snapshot " + kSmall + " --account acme -o csv");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = CsvRows(r.out);
  ASSERT_EQ(rows.size(), 12u) << r.out;  // header, CAM-0001 twice, nine more
  EXPECT_EQ(rows[0], (std::vector<std::string>{"serial", "name", "site", "service", "key",
                                               "term_days", "activated_at", "expires_at",
                                               "remaining_days", "auto_renew"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"CAM-0001", "Lobby", "HQ", "alarm-management",
                                               "AM-5Y-0001", "1825", "2025-06-01T00:00:00Z",
                                               "2030-05-31T00:00:00Z", "1279", "true"}));
  EXPECT_EQ(rows[2][4], "RM-1Y-0101");
  EXPECT_EQ(rows[2][8], "92");
  // A camera without licenses: one row, its license cells empty.
  EXPECT_EQ(rows[8],
            (std::vector<std::string>{"CAM-0007", "Reception", "HQ", "", "", "", "", "", "", ""}));
  for (const auto& row : rows) EXPECT_EQ(row.size(), 10u);
}

TEST_F(ShowCli, TableIsAlignedAndShowsKeysWhole) {
  const Ran r = Licmove("show cameras --snapshot " + kSmall + " --account acme");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("SERIAL", 0), 0u) << header;
  const std::size_t key_at = header.find("KEY"), days_at = header.find("DAYS LEFT");
  ASSERT_NE(key_at, std::string::npos);
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_EQ(line.substr(key_at - 2, 2), "  ") << line;
    EXPECT_NE(line[key_at], ' ') << line;
    EXPECT_NE(line[days_at], ' ') << line;
  }
  EXPECT_EQ(n, 11);
  EXPECT_NE(r.out.find("AM-5Y-0001"), std::string::npos);  // whole, not ...0001
  EXPECT_NE(r.out.find("2030-05-31"), std::string::npos);
  EXPECT_NE(r.err.find("10 cameras of account acme at 2026-11-29T00:00:00Z"), std::string::npos)
      << r.err;
  const Ran pool = Licmove("show licenses --snapshot " + kSmall + " --account acme --pool");
  EXPECT_NE(pool.out.find("not activated"), std::string::npos) << pool.out;
  EXPECT_NE(pool.out.find("(pool)"), std::string::npos) << pool.out;
}

TEST_F(ShowCli, YamlSaysWhatJsonSays) {
  for (const char* what : {"cameras", "licenses"}) {
    const std::string args = std::string("show ") + what + " --snapshot " + kSmall +
                             " --account acme --service "
                             "alarm-management";
    const Ran y = Licmove(args + " -o yaml");
    const Ran j = Licmove(args + " -o json");
    ASSERT_EQ(y.code, 0) << y.err;
    Diagnostics diagnostics;
    auto doc = ParseYamlDocument(y.out, "show.yaml", diagnostics);
    ASSERT_TRUE(doc.has_value()) << y.out;
    EXPECT_EQ(doc->root, json::parse(j.out)) << y.out;
  }
}

TEST_F(ShowCli, FromTheLivePortalAsFromTheFleetFile) {
  // The embedded simulator: its clock is the fleet's, its account the same.
  const std::string state = "--state " + Path("state");
  EXPECT_EQ(ShowJson("licenses --portal sim://" + kSmall + " --account acme " + state),
            ShowJson("licenses --snapshot " + kSmall + " --account acme"));
  // A viewer token is enough.
  std::ofstream(Path("viewer.token")) << "viewer-secret\n";
  EXPECT_EQ(ShowJson("cameras --portal sim://" + kSmall + " --account acme " + state +
                     " --token-file " + Path("viewer.token")),
            ShowJson("cameras --snapshot " + kSmall + " --account acme"));
}

TEST_F(ShowCli, UsageErrorsExit64) {
  const std::string from = " --snapshot " + kSmall + " --account acme";
  for (const std::string& args : std::vector<std::string>{
           "show licenses --account acme",  // no source
           "show licenses --snapshot " + kSmall + " --portal sim://" + kSmall + " --account acme",
           "show widgets" + from, "show licenses -o xml" + from,
           "show licenses --expiring-within 30x" + from, "show licenses --expiring-within d" + from,
           "show licenses --expiring-within -3d" + from, "show cameras --pool" + from,
           "show licenses --pool --camera CAM-0001" + from,
           "show licenses --snapshot " + kSmall,  // two accounts: which?
           "snapshot --snapshot " + kSmall + " --account acme --out " + Path("a.txt"),
           "snapshot --snapshot " + kSmall + " --account acme"}) {
    const Ran r = Licmove(args);
    EXPECT_EQ(r.code, 64) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
  }
  const Ran which = Licmove("show licenses --snapshot " + kSmall);
  EXPECT_NE(which.err.find("several accounts (acme, globex): say which with --account"),
            std::string::npos)
      << which.err;
  EXPECT_FALSE(fs::exists(Path("a.txt")));
  // Not there: invalid input (3).
  EXPECT_EQ(Licmove("show licenses --snapshot " + kSmall + " --account nope").code, 3);
  EXPECT_EQ(Licmove("show licenses --camera CAM-9999" + from).code, 3);
  EXPECT_EQ(Licmove("show licenses --snapshot " + Path("missing.yaml")).code, 3);
}

TEST_F(ShowCli, SnapshotPlansAsTheLivePortalDoes) {
  const std::string state = " --state " + Path("state");
  const Ran live =
      Licmove("plan plans/move.yaml --portal sim://" + kSmall + state + " --format json");
  ASSERT_EQ(live.code, 0) << live.err;
  for (const char* name : {"acme.yaml", "acme.json"}) {
    const Ran snap = Licmove("snapshot --portal sim://" + kSmall + " --account acme --out " +
                             Path(name) + state);
    ASSERT_EQ(snap.code, 0) << snap.err;
    const std::string text = testing::ReadFileText(Path(name));
    EXPECT_EQ(text.find("secret"), std::string::npos) << "no tokens in a snapshot";
    Result<Fleet> fleet = LoadFleetFile(Path(name));  // schema and rules
    ASSERT_TRUE(fleet.ok()) << fleet.status().message();
    EXPECT_TRUE(fleet->users.empty());
    EXPECT_EQ(fleet->now, 1795910400);  // the portal's Date: 2026-11-29T00:00:00Z
    ASSERT_EQ(fleet->accounts.size(), 1u);
    EXPECT_EQ(fleet->accounts[0].cameras.size(), 10u);
    EXPECT_EQ(fleet->accounts[0].licenses.size(), 16u);
    const Ran offline = Licmove("plan plans/move.yaml --snapshot " + Path(name) + " --format json");
    ASSERT_EQ(offline.code, 0) << offline.err;
    EXPECT_EQ(offline.out, live.out) << name;
  }
  // A snapshot of a snapshot (one account: no --account needed) is the same file.
  ASSERT_EQ(
      Licmove("snapshot --snapshot " + Path("acme.yaml") + " --out " + Path("again.yaml")).code, 0);
  const std::string first = testing::ReadFileText(Path("acme.yaml"));
  const std::string again = testing::ReadFileText(Path("again.yaml"));
  EXPECT_EQ(first.substr(first.find("\nversion:")), again.substr(again.find("\nversion:")));
}

TEST_F(ShowCli, PortalSimServesASnapshotWithACommandLineUser) {
  ASSERT_EQ(
      Licmove("snapshot --snapshot " + kSmall + " --account acme --out " + Path("acme.yaml")).code,
      0);
  fs::create_directories(Path("sim"));
  auto sim = testing::ChildPortalSim::Start(Path("acme.yaml"), Path("sim"),
                                            {"--user", "snap-viewer:viewer"});
  ASSERT_NE(sim, nullptr);
  std::ofstream(Path("token")) << "snap-viewer\n";
  EXPECT_EQ(ShowJson("licenses --portal " + sim->url() + " --token-file " + Path("token")),
            ShowJson("licenses --snapshot " + kSmall + " --account acme"));
}

}  // namespace
}  // namespace licmove
