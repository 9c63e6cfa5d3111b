#include "portal/portal_url.h"

#include <gtest/gtest.h>

#include <vector>

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

// A refusal is printed, and CI logs keep it: whatever could be a credential
// in the URL (user info, query, fragment) is never echoed, whichever check
// refuses it, and the rest still says which URL it was.
TEST(PortalUrl, ARefusalNeverEchoesCredentials) {
  struct Case {
    const char* url;
    const char* shown;  // what the message still names
  };
  for (const Case& c : std::vector<Case>{
           {"http://user:S3CRET@portal.example.com", "portal.example.com"},  // user info
           {"https://user:S3CRET@portal.example.com/rp", "portal.example.com/rp"},
           {"http://S3CRET@portal.example.com", "portal.example.com"},  // a token as the user
           {"http://user:S3CRET@127.0.0.1:8080", "127.0.0.1:8080"},     // loopback: refused too
           {"ftp://user:S3CRET@portal.example.com", "ftp://"},          // the scheme check
           {"https://user:S3CRET@", "https://"},                        // the host check
           {"https://portal.example.com/?token=S3CRET", "portal.example.com"},  // the query
           {"https://portal.example.com/#access_token=S3CRET", "portal.example.com"},
           {"user:S3CRET@portal.example.com", "portal.example.com"},  // not a URL at all
           {"https://user:S3CRET@portal.example.com:99999", "portal.example.com"},  // bad port
           {"https://user:S3/CRET@portal.example.com", "portal.example.com"},  // a raw '/' in it
       }) {
    auto u = ParsePortalUrl(c.url, false);
    ASSERT_FALSE(u.ok()) << c.url;
    const std::string message = u.status().message();
    EXPECT_EQ(message.find("S3CRET"), std::string::npos) << message;
    EXPECT_NE(message.find(c.shown), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace licmove
