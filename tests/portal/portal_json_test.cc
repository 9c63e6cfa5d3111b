#include "portal/portal_json.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

TEST(PortalJson, DecodesIdentity) {
  auto me = DecodeIdentity(R"({"user":"ops@acme","role":"admin","accounts":["acme","b"]})");
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(me->user, "ops@acme");
  EXPECT_EQ(me->role, "admin");
  EXPECT_EQ(me->accounts, (std::vector<std::string>{"acme", "b"}));
}

TEST(PortalJson, DecodesCameraPage) {
  auto page = DecodeCameraPage(R"({"items":[{"id":"c-1","serial":"CAM-1","name":"Lobby",
      "site":"HQ","services":[{"service":"alarm-management","license_key":"K1",
      "auto_renew":true}]}],"next_cursor":"abc"})");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 1u);
  const PortalCamera& c = page->items[0];
  EXPECT_EQ(c.id, "c-1");
  EXPECT_EQ(c.serial, "CAM-1");
  EXPECT_EQ(c.site, "HQ");
  ASSERT_EQ(c.services.size(), 1u);
  EXPECT_EQ(c.services[0].license_key, "K1");
  EXPECT_TRUE(c.services[0].auto_renew);
  EXPECT_EQ(page->next_cursor, "abc");
}

TEST(PortalJson, DecodesLicensePageWithNulls) {
  auto page = DecodeLicensePage(R"({"items":[
      {"key":"K1","service":"s","term_days":365,"activated_at":null,"expires_at":null,
       "remaining_days":365,"assigned_to":null},
      {"key":"K2","service":"s","term_days":90,"activated_at":"2026-11-01T00:00:00Z",
       "expires_at":"2027-01-30T00:00:00Z","remaining_days":62,"assigned_to":"c-7"}],
      "next_cursor":null})");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_FALSE(page->items[0].activated_at.has_value());
  EXPECT_TRUE(page->items[0].assigned_to.empty());
  EXPECT_EQ(page->items[1].activated_at, ParseTimestamp("2026-11-01T00:00:00Z"));
  EXPECT_EQ(page->items[1].assigned_to, "c-7");
  EXPECT_EQ(page->items[1].remaining_days, 62);
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST(PortalJson, MalformedAnswersAreErrorsNotCrashes) {
  EXPECT_FALSE(DecodeIdentity("not json").ok());
  EXPECT_FALSE(DecodeIdentity("[]").ok());
  EXPECT_FALSE(DecodeCameraPage(R"({"items":[{"id":1}]})").ok());
  EXPECT_FALSE(DecodeCameraPage(R"({"items":"x"})").ok());
  auto bad = DecodeLicensePage(R"({"items":[{"key":"K","service":"s","term_days":"x",
      "remaining_days":1}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("term_days"), std::string::npos);
  EXPECT_FALSE(
      DecodeLicensePage(R"({"items":[{"key":"K","service":"s","term_days":1,"remaining_days":1,
      "activated_at":"yesterday"}]})")
          .ok());
}

TEST(PortalJson, ErrorsNameTheCallAndMapToCodes) {
  Status s = DecodeError(403, R"({"error":{"code":"forbidden","message":"viewer"}})",
                         "DELETE /api/v1/accounts/acme/cameras/c-1");
  EXPECT_EQ(s.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(s.message(), "DELETE /api/v1/accounts/acme/cameras/c-1: 403 forbidden: viewer");
  EXPECT_EQ(DecodeError(409, "{}", "x").code(), Status::Code::kConflict);
  EXPECT_EQ(DecodeError(429, "", "x").code(), Status::Code::kUnavailable);
  EXPECT_EQ(DecodeError(503, "oops", "x").message(), "x: 503 oops");
  EXPECT_EQ(DecodeError(404, "", "x").code(), Status::Code::kNotFound);
  EXPECT_EQ(DecodeError(500, "", "x").code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace licmove
