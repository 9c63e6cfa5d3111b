#include "portal/portal_url.h"

#include <gtest/gtest.h>

namespace licmove {
namespace {

TEST(PortalUrl, ParsesHttpsWithDefaults) {
  auto u = ParsePortalUrl("https://portal.example.com/", false);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->scheme, PortalUrl::Scheme::kHttps);
  EXPECT_EQ(u->host, "portal.example.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->base_path, "");
  EXPECT_FALSE(u->IsLoopback());
}

TEST(PortalUrl, ParsesLoopbackHttpWithPortAndPrefix) {
  auto u = ParsePortalUrl("http://127.0.0.1:8080/rp", false);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->base_path, "/rp");
  EXPECT_TRUE(u->IsLoopback());
  EXPECT_EQ(u->ToString(), "http://127.0.0.1:8080/rp");
}

TEST(PortalUrl, RefusesPlainHttpToRemoteHostUnlessAsked) {
  auto refused = ParsePortalUrl("http://portal.example.com", false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--insecure-http"), std::string::npos);
  EXPECT_TRUE(ParsePortalUrl("http://portal.example.com", true).ok());
  EXPECT_TRUE(ParsePortalUrl("http://localhost:1234", false).ok());
}

TEST(PortalUrl, SimSchemeNamesAFleet) {
  auto u = ParsePortalUrl("sim://examples/fleets/small.yaml", false);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, PortalUrl::Scheme::kSim);
  EXPECT_EQ(u->sim_fleet, "examples/fleets/small.yaml");
  EXPECT_FALSE(ParsePortalUrl("sim://", false).ok());
}

TEST(PortalUrl, RejectsJunk) {
  for (const char* bad :
       {"", "portal", "ftp://x", "https://", "https://u:p@host", "https://host/?q=1"}) {
    EXPECT_FALSE(ParsePortalUrl(bad, true).ok()) << bad;
  }
}

}  // namespace
}  // namespace licmove
