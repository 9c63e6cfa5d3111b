// The audit's model and renderers, fed by hand-built values: the account of
// tests/audit/data/audit-fleet.yaml and its year ahead worked out by hand
// (no forecast implementation involved), so that these tests say what the
// formats show, not what the forecast computes.
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <boost/json.hpp>

#include "audit/audit.h"
#include "audit/inventory.h"
#include "audit/render.h"

namespace licmove {
namespace {

UnixSeconds At(const char* text) {
  return *ParseTimestamp(text);
}

License Lic(std::string key, std::string service, int term, std::optional<UnixSeconds> activated,
            std::string on = "", bool renew = false) {
  License l;
  l.key = std::move(key);
  l.service = std::move(service);
  l.term_days = term;
  l.activated_at = activated;
  l.assigned_to = std::move(on);
  l.auto_renew = renew;
  return l;
}

AccountSnapshot Snapshot() {
  AccountSnapshot s;
  s.now = At("2026-11-29T00:00:00Z");
  s.account.name = "acme";
  s.account.cameras = {
      {"CAM-A1", "Lobby", "HQ", ""}, {"CAM-A2", "Gate", "HQ", ""}, {"CAM-A3", "Roof", "HQ", ""}};
  s.account.licenses = {
      Lic("AM-1Y-A1", "alarm-management", 365, At("2026-01-10T00:00:00Z"), "CAM-A1", true),
      Lic("RM-1Y-R1", "remote-maintenance", 365, At("2026-03-01T00:00:00Z"), "CAM-A2", false),
      Lic("AM-DEMO-P1", "alarm-management", 90, std::nullopt),
      Lic("RM-1Y-P1", "remote-maintenance", 365, At("2026-06-01T00:00:00Z")),
      Lic("RM-5Y-P2", "remote-maintenance", 1825, std::nullopt)};
  return s;
}

ForecastEvent Event(const char* at, ForecastEvent::Kind kind, std::string service,
                    std::string camera, std::string expired) {
  ForecastEvent e;
  e.at = At(at);
  e.kind = kind;
  e.service = std::move(service);
  e.camera = std::move(camera);
  e.expired_key = std::move(expired);
  return e;
}

// The fleet's year ahead, by hand (the fleet file's comment).
Forecast YearAhead() {
  Forecast f;
  f.from = At("2026-11-29T00:00:00Z");
  f.until = At("2027-11-29T00:00:00Z");
  using K = ForecastEvent::Kind;
  ForecastEvent renew =
      Event("2027-01-10T00:00:00Z", K::kRenewed, "alarm-management", "CAM-A1", "AM-1Y-A1");
  renew.new_key = "AM-DEMO-P1";
  renew.new_key_term_days = 90;
  ForecastEvent off =
      Event("2027-03-01T00:00:00Z", K::kLapsed, "remote-maintenance", "CAM-A2", "RM-1Y-R1");
  off.reason = ForecastEvent::LapseReason::kAutoRenewOff;
  ForecastEvent dry =
      Event("2027-04-10T00:00:00Z", K::kLapsed, "alarm-management", "CAM-A1", "AM-DEMO-P1");
  dry.reason = ForecastEvent::LapseReason::kPoolEmpty;
  ForecastEvent waste =
      Event("2027-06-01T00:00:00Z", K::kExpiredInPool, "remote-maintenance", "", "RM-1Y-P1");
  waste.wasted_days = 184;
  f.events = {renew, off, dry, waste};
  f.services["alarm-management"] = {"alarm-management", At("2027-01-10T00:00:00Z"), 1, 1, 0, 0};
  f.services["remote-maintenance"] = {"remote-maintenance", std::nullopt, 0, 1, 1, 184};
  f.purchases = {{"alarm-management", 90, 1, At("2027-04-10T00:00:00Z")}};
  return f;
}

Audit SampleAudit() {
  Audit a;
  a.account = "acme";
  a.source = "https://portal.example";
  a.state = "/tmp/state";
  a.inventory = TakeInventory(Snapshot());
  a.forecast = YearAhead();
  return a;
}

Audit QuietAudit() {
  Audit a = SampleAudit();
  a.forecast.until = At("2026-12-29T00:00:00Z");
  a.forecast.events.clear();
  a.forecast.purchases.clear();
  for (auto& [name, s] : a.forecast.services) s = {name, std::nullopt, 0, 0, 0, 0};
  return a;
}

TEST(AuditInventory, CountsEachServiceByTermBandAndAutoRenew) {
  const Inventory inv = TakeInventory(Snapshot());
  EXPECT_EQ(inv.cameras, 3);
  EXPECT_EQ(inv.licenses, 5);
  ASSERT_EQ(inv.services.size(), 2u);
  const ServiceInventory& am = inv.services[0];
  EXPECT_EQ(am.service, "alarm-management");
  EXPECT_EQ(am.assigned, 1);
  EXPECT_EQ(am.auto_renew_on, 1);
  EXPECT_EQ(am.auto_renew_off, 0);
  EXPECT_EQ(am.pool, 1);
  EXPECT_EQ(am.pool_by_term, (std::map<int, int>{{90, 1}}));
  EXPECT_EQ(am.pool_by_remaining.never_activated, 1);
  EXPECT_EQ(am.cameras_without, 2);
  const ServiceInventory& rm = inv.services[1];
  EXPECT_EQ(rm.assigned, 1);
  EXPECT_EQ(rm.auto_renew_off, 1);
  EXPECT_EQ(rm.pool, 2);
  EXPECT_EQ(rm.pool_by_term, (std::map<int, int>{{365, 1}, {1825, 1}}));
  // RM-1Y-P1: 184 days left at now.
  EXPECT_EQ(rm.pool_by_remaining.d90_to_365, 1);
  EXPECT_EQ(rm.pool_by_remaining.never_activated, 1);
  EXPECT_EQ(rm.pool_by_remaining.under_30d + rm.pool_by_remaining.d30_to_90 +
                rm.pool_by_remaining.over_365d,
            0);
}

TEST(AuditInventory, BandsSplitAtThirtyNinetyAndAYear) {
  AccountSnapshot s;
  s.now = At("2026-11-29T00:00:00Z");
  s.account.name = "b";
  // Activated so that 29, 30, 89, 90, 364 and 365 days are left.
  for (int left : {29, 30, 89, 90, 364, 365}) {
    s.account.licenses.push_back(
        Lic("K" + std::to_string(left), "s", 1825, s.now - (1825 - left) * kSecondsPerDay));
  }
  const RemainingBands b = TakeInventory(s).services.at(0).pool_by_remaining;
  EXPECT_EQ(b.under_30d, 1);
  EXPECT_EQ(b.d30_to_90, 2);
  EXPECT_EQ(b.d90_to_365, 2);
  EXPECT_EQ(b.over_365d, 1);
}

TEST(AuditVerdict, LapsesAndADryPoolNeedAttentionAQuietYearDoesNot) {
  const auto why = AttentionReasons(SampleAudit());
  ASSERT_EQ(why.size(), 2u);
  EXPECT_NE(why[0].find("2 camera service(s) lapse"), std::string::npos);
  EXPECT_NE(why[1].find("alarm-management pool runs dry on 2027-01-10"), std::string::npos);
  EXPECT_TRUE(AttentionReasons(QuietAudit()).empty());
}

TEST(AuditVerdict, UnfinishedRunsKeysOutAndAPlansChangedKeysNeedAttention) {
  Audit a = QuietAudit();
  a.runs.push_back({"R1", "apply", "unfinished", a.inventory.now, {"AM-5Y-1"}, {}, {}, ""});
  auto why = AttentionReasons(a);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_NE(why[0].find("1 unfinished run(s)"), std::string::npos);
  EXPECT_NE(why[1].find("1 key(s) parked outside"), std::string::npos);
  a.runs.clear();
  a.plan = PlanKeysAudit{"plan.yaml", a.inventory.now, {"K1"}, {"K2"}, {"K2"}, ""};
  why = AttentionReasons(a);
  ASSERT_EQ(why.size(), 1u);
  EXPECT_NE(why[0].find("plan.yaml"), std::string::npos);
}

TEST(AuditPoolLevels, StepDownAtRenewalsAndPoolExpiriesNotAtLapses) {
  const Audit a = SampleAudit();
  using Levels = std::vector<std::pair<UnixSeconds, int>>;
  EXPECT_EQ(PoolLevels(a, "alarm-management"),
            (Levels{{At("2026-11-29T00:00:00Z"), 1}, {At("2027-01-10T00:00:00Z"), 0}}));
  EXPECT_EQ(PoolLevels(a, "remote-maintenance"),
            (Levels{{At("2026-11-29T00:00:00Z"), 2}, {At("2027-06-01T00:00:00Z"), 1}}));
}

TEST(AuditText, ShowsVerdictInventoryEventsAndPurchases) {
  Audit a = SampleAudit();
  a.forecast.events[0].tie = true;
  const std::string text = RenderAuditText(a);
  EXPECT_NE(text.find("verdict: needs attention"), std::string::npos) << text;
  EXPECT_NE(text.find("CAM-A1 renews: AM-1Y-A1 -> AM-DEMO-P1 (demo) [tie]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("CAM-A2 LAPSES: RM-1Y-R1 expires, auto-renew off"), std::string::npos);
  EXPECT_NE(text.find("RM-1Y-P1 expires unused in the pool (184 license-days wasted)"),
            std::string::npos);
  EXPECT_NE(text.find("1 x alarm-management demo by 2027-04-10"), std::string::npos);
  EXPECT_NE(RenderAuditText(QuietAudit()).find("verdict: nothing due by 2026-12-29"),
            std::string::npos);
}

TEST(AuditJson, HoldsEveryFigureUnderAFormatVersion) {
  Audit a = SampleAudit();
  a.runs.push_back(
      {"R1", "apply", "unfinished", a.inventory.now, {"AM-5Y-1"}, {"AM-5Y-2"}, {"CAM-9"}, ""});
  a.window =
      WindowAudit{At("2027-02-28T00:00:00Z"), At("2027-03-02T00:00:00Z"), {a.forecast.events[1]}};
  const auto doc = boost::json::parse(RenderAuditJson(a)).as_object();
  EXPECT_EQ(doc.at("format").as_string(), "licmove-audit");
  EXPECT_EQ(doc.at("format_version").as_int64(), kAuditFormatVersion);
  EXPECT_TRUE(doc.at("needs_attention").as_bool());
  const auto& f = doc.at("forecast").as_object();
  EXPECT_EQ(f.at("lapses").as_int64(), 2);
  EXPECT_EQ(f.at("renewals").as_int64(), 1);
  EXPECT_EQ(f.at("events").as_array().size(), 4u);
  EXPECT_EQ(f.at("events").as_array()[2].at("reason").as_string(), "pool_empty");
  EXPECT_EQ(f.at("services").as_array()[0].at("pool_dry_at").as_string(), "2027-01-10T00:00:00Z");
  EXPECT_TRUE(f.at("services").as_array()[1].at("pool_dry_at").is_null());
  EXPECT_EQ(f.at("purchases").as_array()[0].at("buy_by").as_string(), "2027-04-10T00:00:00Z");
  const auto& rm = doc.at("inventory").at("services").as_array()[1].as_object();
  EXPECT_EQ(rm.at("pool_by_term").at("5y").as_int64(), 1);
  EXPECT_EQ(rm.at("pool_by_remaining").at("90_to_365d").as_int64(), 1);
  const auto& run = doc.at("unfinished_runs").as_array()[0].as_object();
  EXPECT_EQ(run.at("parked_keys").as_array()[0].as_string(), "AM-5Y-1");
  EXPECT_EQ(run.at("maybe_parked_keys").as_array()[0].as_string(), "AM-5Y-2");
  EXPECT_EQ(doc.at("window").at("events").as_array().size(), 1u);
}

TEST(AuditMarkdown, TablesWithCellsEscaped) {
  Audit a = SampleAudit();
  a.forecast.events[1].camera = "CAM|A2";
  const std::string md = RenderAuditMarkdown(a);
  EXPECT_NE(md.find("## licmove audit: account `acme`"), std::string::npos);
  EXPECT_NE(md.find("**Needs attention:**"), std::string::npos);
  EXPECT_NE(md.find("| alarm-management | 1 | 1 | 0 | 1 | demo: 1 | 0 | 0 | 0 | 0 | 1 | 2 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("`CAM\\|A2`"), std::string::npos);
  EXPECT_EQ(md.find("`CAM|A2`"), std::string::npos);
}

// Every tag of `html` (the markup, not the text between tags) and its style
// sheet; the text may name URLs, the markup must fetch nothing.
void ExpectSelfContained(const std::string& html) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  static const std::regex tag("<[^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    EXPECT_EQ(it->str().find("http"), std::string::npos) << it->str();
    EXPECT_EQ(it->str().find("src="), std::string::npos) << it->str();
  }
  const std::size_t style = html.find("<style>");
  ASSERT_NE(style, std::string::npos);
  const std::string css = html.substr(style, html.find("</style>") - style);
  EXPECT_EQ(css.find("http"), std::string::npos);
}

TEST(AuditHtml, OneSelfContainedFileWithChartsAndPrintCss) {
  const std::string html = RenderAuditHtml(SampleAudit());
  ExpectSelfContained(html);
  // The source URL is text.
  EXPECT_NE(html.find("<code>https://portal.example</code>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("<b id=\"lapse-count\">2</b>"), std::string::npos);
  EXPECT_NE(html.find("id=\"pool-dry-alarm-management\">2027-01-10<"), std::string::npos);
  EXPECT_NE(html.find("id=\"pool-dry-remote-maintenance\">never<"), std::string::npos);
  // One pool chart a service, the monthly bars and the waste bars.
  std::size_t svgs = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    ++svgs;
  }
  EXPECT_EQ(svgs, 4u);
  EXPECT_NE(html.find("class=\"dry\""), std::string::npos);
}

TEST(AuditHtml, NamesAreEscaped) {
  Audit a = SampleAudit();
  a.account = "<script>alert(1)</script>";
  a.forecast.events[0].camera = "CAM\"<b>";
  const std::string html = RenderAuditHtml(a);
  ExpectSelfContained(html);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("CAM&quot;&lt;b&gt;"), std::string::npos);
}

// Whatever the names (service, camera, key, source), the HTML opens no
// script and names no URL in its markup (an id made of a service name may
// spell "http", never "http:").
RC_GTEST_PROP(AuditHtmlProperty, AnyNamesStaySelfContained,
              (const std::string& service, const std::string& camera, const std::string& key)) {
  Audit a = SampleAudit();
  a.source = "http://" + camera;
  for (ForecastEvent& e : a.forecast.events) {
    e.service = service;
    e.camera = camera;
    e.expired_key = key;
  }
  a.forecast.services[service] = {service, a.inventory.now, 1, 1, 1, 3};
  a.inventory.services[0].service = service;
  const std::string html = RenderAuditHtml(a);
  RC_ASSERT(html.find("<script") == std::string::npos);
  static const std::regex tag("<[^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    RC_ASSERT(it->str().find("http:") == std::string::npos);
  }
}

}  // namespace
}  // namespace licmove
