// The HTML audit as a browser shows it: headless Chromium renders the file
// licmove writes, the screenshot is not a blank page, and the DOM holds the
// key figures, which this test works out on its own from the fleet file by
// R7 (a few lines below, apart from engine/forecast). Without chromium it
// fails: scripts/install-deps.sh installs it, so a skip would hide a set-up
// that lost it.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "files/fleet_file.h"
#include "subprocess.h"

namespace licmove {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileText;
using testing::RunProcess;

const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";
const std::string kFleet = LICMOVE_SOURCE_DIR "/tests/audit/data/audit-fleet.yaml";

// The lapses and each service's first dry day to `until`, by R7 as DESIGN §1
// states it, played instant by instant over the fleet's licenses.
struct HandForecast {
  int lapses = 0;
  std::map<std::string, UnixSeconds> dry;
};

HandForecast PlayR7(const Account& account, UnixSeconds now, UnixSeconds until) {
  std::vector<License> lic = account.licenses;
  HandForecast out;
  auto pool_size = [&](const std::string& service) {
    return std::count_if(lic.begin(), lic.end(),
                         [&](const License& l) { return l.service == service && !l.assigned(); });
  };
  for (;;) {
    std::optional<UnixSeconds> t;
    for (const License& l : lic) {
      if (l.expires_at() && (!t || *l.expires_at() < *t)) t = l.expires_at();
    }
    if (!t || *t > until) break;
    std::map<std::string, long> pool_before;
    for (const License& l : lic) pool_before[l.service] = pool_size(l.service);
    std::map<std::string, License> expired_on;  // serial + service -> license
    std::erase_if(lic, [&](const License& l) {
      if (l.expires_at() != t) return false;
      if (l.assigned()) expired_on[l.assigned_to + "\n" + l.service] = l;
      return true;
    });
    for (auto& [where, old] : expired_on) {  // map order: by serial
      License* best = nullptr;
      for (License& l : lic) {
        if (l.service == old.service && !l.assigned() &&
            (!best || RemainingSeconds(l, *t) < RemainingSeconds(*best, *t))) {
          best = &l;
        }
      }
      if (!old.auto_renew || !best) {
        ++out.lapses;
        continue;
      }
      best->assigned_to = old.assigned_to;
      best->auto_renew = true;
      if (!best->activated_at) best->activated_at = *t;
    }
    for (auto& [service, n] : pool_before) {
      if (n > 0 && pool_size(service) == 0 && !out.dry.count(service)) out.dry[service] = *t;
    }
  }
  (void)now;
  return out;
}

class AuditHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = Which("chromium");
    if (chromium_.empty()) {
      FAIL() << "chromium is not installed: run scripts/install-deps.sh (./dev.sh test does)";
    }
    dir_ = fs::temp_directory_path() / ("licmove-audit-html-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Headless Chromium on `file` with `flags`; its stdout in `out`. A
  // profile of its own, so that parallel tests do not share one.
  int Chromium(const std::string& file, const std::vector<std::string>& flags,
               const std::string& out) {
    std::vector<std::string> argv = {Which("timeout"),
                                     "120",
                                     chromium_,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--hide-scrollbars",
                                     "--no-first-run",
                                     "--user-data-dir=" + (dir_ / "profile").string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("file://" + file);
    return RunProcess(argv, {"HOME=" + dir_.string()}, out);
  }

  // The program's path on $PATH (the test runs it with execv), or "".
  static std::string Which(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      const fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
    return "";
  }

  fs::path dir_;
  std::string chromium_;
};

TEST_F(AuditHtml, ChromiumRendersTheReportWithItsKeyFigures) {
  const std::string html = (dir_ / "audit.html").string();
  ASSERT_EQ(RunProcess({kLicmove, "audit", "--snapshot", kFleet, "--format", "html", "--out", html,
                        "--state", (dir_ / "state").string()},
                       {}, (dir_ / "licmove.log").string()),
            2)
      << ReadFileText((dir_ / "licmove.log").string());

  // The figures, worked out here.
  auto fleet = LoadFleetFile(kFleet);
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  const UnixSeconds until = fleet->now + 365 * kSecondsPerDay;
  const HandForecast hand = PlayR7(fleet->accounts.at(0), fleet->now, until);
  ASSERT_GT(hand.lapses, 0);
  ASSERT_TRUE(hand.dry.count("alarm-management"));

  // The DOM as Chromium built it holds them.
  const std::string dom_file = (dir_ / "dom.html").string();
  ASSERT_EQ(Chromium(html, {"--dump-dom"}, dom_file), 0) << ReadFileText(dom_file);
  const std::string dom = ReadFileText(dom_file);
  EXPECT_NE(dom.find("<b id=\"lapse-count\">" + std::to_string(hand.lapses) + "</b>"),
            std::string::npos)
      << dom.substr(0, 4000);
  EXPECT_NE(dom.find("id=\"pool-dry-alarm-management\">" +
                     FormatTimestamp(hand.dry.at("alarm-management")).substr(0, 10) + "<"),
            std::string::npos);
  EXPECT_NE(dom.find("id=\"pool-dry-remote-maintenance\">never<"), std::string::npos);
  EXPECT_EQ(dom.find("<script"), std::string::npos);

  // The screenshot is not blank: a PNG, far bigger than an empty page's at
  // the same size (a blank page compresses to almost nothing).
  const std::string empty = (dir_ / "empty.html").string();
  std::ofstream(empty) << "<!DOCTYPE html><html><body></body></html>\n";
  const std::string shot = (dir_ / "audit.png").string();
  const std::string blank = (dir_ / "empty.png").string();
  const std::string size = "--window-size=1200,1600";
  ASSERT_EQ(Chromium(html, {"--screenshot=" + shot, size}, (dir_ / "c1.log").string()), 0)
      << ReadFileText((dir_ / "c1.log").string());
  ASSERT_EQ(Chromium(empty, {"--screenshot=" + blank, size}, (dir_ / "c2.log").string()), 0)
      << ReadFileText((dir_ / "c2.log").string());
  const std::string png = ReadFileText(shot);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_GT(fs::file_size(shot), 5 * fs::file_size(blank))
      << "report " << fs::file_size(shot) << " bytes, empty page " << fs::file_size(blank);
}

}  // namespace
}  // namespace licmove
