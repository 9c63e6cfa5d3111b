#include "files/fleet_file.h"

#include <gtest/gtest.h>

#include "diagnostics_matchers.h"
#include "files/document_checks.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

Diagnostics FleetProblems(std::string_view text) {
  Diagnostics out;
  if (std::optional<YamlDocument> doc = ParseYamlDocument(text, "fleet.yaml", out)) {
    (void)CheckFleetDocument(*doc, out);
  }
  SortDiagnostics(out);
  return out;
}

// A valid fleet to which each test adds one mistake. Lines 1-11.
constexpr std::string_view kHead = R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: admin-secret, name: ops@acme, role: admin, accounts: [acme]}
accounts:
  - name: acme
    cameras:
      - {serial: CAM-1, name: Lobby, site: HQ, id: c1}
      - {serial: CAM-2}
    licenses:
      - {key: AM-1, service: alarm-management, term_days: 1825, activated_at: "2025-01-10T00:00:00Z", assigned_to: CAM-1}
)";

Diagnostics WithHead(std::string_view rest) {
  return FleetProblems(std::string(kHead) + std::string(rest));
}

TEST(FleetFile, TheBaseFleetIsValid) {
  Diagnostics ds = FleetProblems(kHead);
  EXPECT_TRUE(ds.empty()) << ListDiagnostics(ds);
}

TEST(FleetFile, ValidFleetDecodesEveryField) {
  Result<Fleet> fleet = ParseFleet(R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: admin-secret, name: ops@acme, role: admin, accounts: [acme, beta]}
  - {token: viewer-secret, name: audit@acme, role: viewer, accounts: [acme]}
accounts:
  - name: acme
    cameras:
      - {serial: CAM-0001, name: Lobby, site: HQ}
      - {serial: CAM-0107, name: Dock 7, site: Warehouse, id: cam-7f3a}
    licenses:
      - {key: AM-5Y-0001, service: alarm-management, term_days: 1825,
         activated_at: "2025-01-10T00:00:00Z", assigned_to: CAM-0001, auto_renew: true}
      - {key: AM-1Y-0002, service: alarm-management, term_days: 365}
      - key: RM-3Y-0003
        service: remote-maintenance
        term_days: 1095
        activated_at: 2024-06-01T12:30:00+02:00
        assigned_to: CAM-0107
        auto_renew: false
      - {key: AM-400-0004, service: alarm-management, term_days: 400, activated_at: null, assigned_to: null}
  - name: beta
registry:
  - {key: AM-3Y-0009, service: alarm-management, term_days: 1095}
  - {key: AM-1Y-0010, service: alarm-management, term_days: 365, activated_at: "2026-01-01T00:00:00Z"}
)",
                                   "fleet.yaml");
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  EXPECT_EQ(fleet->version, 1);
  EXPECT_EQ(fleet->now, *ParseTimestamp("2026-11-29T00:00:00Z"));

  ASSERT_EQ(fleet->users.size(), 2u);
  EXPECT_EQ(fleet->users[0].token, "admin-secret");
  EXPECT_EQ(fleet->users[0].name, "ops@acme");
  EXPECT_EQ(fleet->users[0].role, "admin");
  EXPECT_EQ(fleet->users[0].accounts, (std::vector<std::string>{"acme", "beta"}));
  EXPECT_EQ(fleet->users[1].token, "viewer-secret");
  EXPECT_EQ(fleet->users[1].name, "audit@acme");
  EXPECT_EQ(fleet->users[1].role, "viewer");
  EXPECT_EQ(fleet->users[1].accounts, (std::vector<std::string>{"acme"}));

  ASSERT_EQ(fleet->accounts.size(), 2u);
  const Account& acme = fleet->accounts[0];
  EXPECT_EQ(acme.name, "acme");
  ASSERT_EQ(acme.cameras.size(), 2u);
  EXPECT_EQ(acme.cameras[0].serial, "CAM-0001");
  EXPECT_EQ(acme.cameras[0].name, "Lobby");
  EXPECT_EQ(acme.cameras[0].site, "HQ");
  EXPECT_EQ(acme.cameras[0].id, "");
  EXPECT_EQ(acme.cameras[1].serial, "CAM-0107");
  EXPECT_EQ(acme.cameras[1].name, "Dock 7");
  EXPECT_EQ(acme.cameras[1].site, "Warehouse");
  EXPECT_EQ(acme.cameras[1].id, "cam-7f3a");

  ASSERT_EQ(acme.licenses.size(), 4u);
  const License& l0 = acme.licenses[0];
  EXPECT_EQ(l0.key, "AM-5Y-0001");
  EXPECT_EQ(l0.service, "alarm-management");
  EXPECT_EQ(l0.term_days, 1825);
  EXPECT_EQ(l0.activated_at, ParseTimestamp("2025-01-10T00:00:00Z"));
  EXPECT_EQ(l0.assigned_to, "CAM-0001");
  EXPECT_TRUE(l0.auto_renew);
  const License& l1 = acme.licenses[1];
  EXPECT_EQ(l1.key, "AM-1Y-0002");
  EXPECT_EQ(l1.term_days, 365);
  EXPECT_FALSE(l1.activated_at.has_value());
  EXPECT_FALSE(l1.assigned());
  EXPECT_FALSE(l1.auto_renew);
  const License& l2 = acme.licenses[2];
  EXPECT_EQ(l2.service, "remote-maintenance");
  EXPECT_EQ(l2.activated_at, ParseTimestamp("2024-06-01T10:30:00Z"));
  EXPECT_EQ(l2.assigned_to, "CAM-0107");
  EXPECT_FALSE(l2.auto_renew);
  const License& l3 = acme.licenses[3];
  EXPECT_EQ(l3.term_days, 400);
  EXPECT_FALSE(l3.activated_at.has_value());
  EXPECT_FALSE(l3.assigned());
  EXPECT_EQ(acme.LicenseOn("CAM-0001", "alarm-management"), &acme.licenses[0]);

  const Account& beta = fleet->accounts[1];
  EXPECT_EQ(beta.name, "beta");
  EXPECT_TRUE(beta.cameras.empty());
  EXPECT_TRUE(beta.licenses.empty());
  EXPECT_EQ(fleet->FindAccount("beta"), &beta);
  EXPECT_EQ(fleet->FindAccount("gamma"), nullptr);

  ASSERT_EQ(fleet->registry.size(), 2u);
  EXPECT_EQ(fleet->registry[0].key, "AM-3Y-0009");
  EXPECT_EQ(fleet->registry[0].service, "alarm-management");
  EXPECT_EQ(fleet->registry[0].term_days, 1095);
  EXPECT_FALSE(fleet->registry[0].activated_at.has_value());
  EXPECT_FALSE(fleet->registry[0].assigned());
  EXPECT_EQ(fleet->registry[1].activated_at, ParseTimestamp("2026-01-01T00:00:00Z"));
}

TEST(FleetFile, UsersAndRegistryMayBeLeftOut) {
  Result<Fleet> fleet = ParseFleet("version: 1\nnow: 2026-11-29T00:00:00Z\naccounts: []\n", "f");
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  EXPECT_TRUE(fleet->users.empty());
  EXPECT_TRUE(fleet->accounts.empty());
  EXPECT_TRUE(fleet->registry.empty());
}

TEST(FleetFile, DuplicateSerialWithinAnAccount) {
  Diagnostics ds = WithHead(R"(      - {key: AM-2, service: alarm-management, term_days: 365}
  - name: beta
    cameras:
      - {serial: CAM-1}
      - {serial: CAM-7}
      - {serial: CAM-7}
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(
      HasDiagnostic(ds, 17, 18, "camera CAM-7 is already listed at line 16 of account beta"));
}

TEST(FleetFile, DuplicateCameraIdAcrossTheFleet) {
  Diagnostics ds = WithHead(R"(  - name: beta
    cameras:
      - {serial: CAM-9, id: c1}
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 14, 29, "camera id \"c1\" is already used at line 8"));
}

TEST(FleetFile, DuplicateKeysAnywhere) {
  Diagnostics ds = WithHead(R"(      - {key: AM-1, service: alarm-management, term_days: 365}
  - name: beta
    licenses:
      - {key: AM-1, service: alarm-management, term_days: 365}
registry:
  - {key: AM-1, service: alarm-management, term_days: 90}
)");
  ASSERT_EQ(ds.size(), 3u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 15, "key AM-1 is already listed at line 11"));
  EXPECT_TRUE(HasDiagnostic(ds, 15, 15, "key AM-1 is already listed at line 11"));
  EXPECT_TRUE(HasDiagnostic(ds, 17, 11, "key AM-1 is already listed at line 11"));
}

TEST(FleetFile, LicenseAssignedToAnUnknownCamera) {
  Diagnostics ds = WithHead(
      R"(      - {key: AM-2, service: alarm-management, term_days: 90, activated_at: "2026-01-01T00:00:00Z", assigned_to: CAM-404}
  - name: beta
    licenses:
      - {key: AM-3, service: alarm-management, term_days: 90, activated_at: "2026-01-01T00:00:00Z", assigned_to: CAM-2}
)");
  ASSERT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 114,
                            "license AM-2 is assigned to CAM-404, which is not a "
                            "camera of account acme"));
  // CAM-2 is a camera of acme, not of beta.
  EXPECT_TRUE(HasDiagnostic(ds, 15, 114,
                            "license AM-3 is assigned to CAM-2, which is not a camera "
                            "of account beta"));
}

TEST(FleetFile, TwoLicensesOfOneServiceOnOneCamera) {
  Diagnostics ds = WithHead(
      R"(      - {key: RM-1, service: remote-maintenance, term_days: 90, activated_at: "2026-01-01T00:00:00Z", assigned_to: CAM-1}
      - {key: AM-2, service: alarm-management, term_days: 90, activated_at: "2026-01-01T00:00:00Z", assigned_to: CAM-1}
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 13, 114,
                            "camera CAM-1 already holds alarm-management (key AM-1, "
                            "line 11)"));
}

TEST(FleetFile, BadTimestamps) {
  Diagnostics ds = FleetProblems(R"(version: 1
now: "2026-11-31T00:00:00Z"
accounts:
  - name: acme
    licenses:
      - {key: K1, service: s, term_days: 90, activated_at: "yesterday"}
registry:
  - {key: K2, service: s, term_days: 90, activated_at: "2025-01-10 00:00:00"}
)");
  ASSERT_EQ(ds.size(), 3u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 2, 6,
                            "now \"2026-11-31T00:00:00Z\" is not a valid time; write it "
                            "as RFC 3339"));
  EXPECT_TRUE(HasDiagnostic(ds, 6, 60, "activated_at \"yesterday\" is not a valid time"));
  EXPECT_TRUE(HasDiagnostic(ds, 8, 56, "activated_at \"2025-01-10 00:00:00\" is not a valid time"));
}

TEST(FleetFile, ActivatedAfterNow) {
  Diagnostics ds = WithHead(
      R"(      - {key: AM-2, service: alarm-management, term_days: 90, activated_at: "2026-11-29T00:00:01Z"}
registry:
  - {key: AM-3, service: alarm-management, term_days: 90, activated_at: "2027-01-01T00:00:00Z"}
  - {key: AM-4, service: alarm-management, term_days: 90, activated_at: "2026-11-29T00:00:00Z"}
)");
  ASSERT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 77,
                            "activated_at 2026-11-29T00:00:01Z is after now "
                            "(2026-11-29T00:00:00Z)"));
  EXPECT_TRUE(HasDiagnostic(ds, 14, 73, "activated_at 2027-01-01T00:00:00Z is after now"));
}

TEST(FleetFile, AutoRenewOnAnUnassignedLicense) {
  Diagnostics ds =
      WithHead(R"(      - {key: AM-2, service: alarm-management, term_days: 90, auto_renew: true}
      - {key: AM-3, service: alarm-management, term_days: 90, auto_renew: false}
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 75, "auto_renew is true but license AM-2 is in the pool"));
}

TEST(FleetFile, AssignedLicenseWithoutActivation) {
  Diagnostics ds = WithHead(
      R"(      - {key: RM-2, service: remote-maintenance, term_days: 90, assigned_to: CAM-2}
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 78,
                            "license RM-2 is assigned to CAM-2 but has no "
                            "activated_at"));
}

TEST(FleetFile, DuplicateAccountNames) {
  Diagnostics ds = WithHead("  - name: acme\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 11, "account \"acme\" is already defined at line 6"));
}

TEST(FleetFile, DuplicateTokensAreReportedWithoutTheToken) {
  Diagnostics ds = FleetProblems(R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: s3cret-token, name: ops@acme, role: admin, accounts: [acme]}
  - {token: s3cret-token, name: audit@acme, role: viewer, accounts: [acme]}
accounts:
  - name: acme
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 13, "this token is already given to user ops@acme (line 4)"));
  EXPECT_TRUE(LacksDiagnostic(ds, "s3cret"));
}

TEST(FleetFile, UserNamingAnUnknownAccount) {
  Diagnostics ds = FleetProblems(R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: t1, name: ops@acme, role: admin, accounts: [acme, acme-eu]}
accounts:
  - name: acme
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 4, 63,
                            "user ops@acme names account \"acme-eu\", which is not "
                            "defined under accounts"));
}

TEST(FleetFile, RoleMustBeAdminOrViewer) {
  Diagnostics ds = FleetProblems(R"(version: 1
now: "2026-11-29T00:00:00Z"
users:
  - {token: t1, name: ops@acme, role: owner, accounts: []}
accounts: []
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(), "fleet.yaml:4:39: role \"owner\" is not one of admin, viewer");
}

TEST(FleetFile, TermDaysMustBePositive) {
  Diagnostics ds = WithHead(R"(      - {key: AM-2, service: alarm-management, term_days: 0}
      - {key: AM-3, service: alarm-management, term_days: -30}
      - {key: AM-4, service: alarm-management, term_days: 99999999999999999999999}
      - {key: AM-5, service: alarm-management, term_days: 1.5}
)");
  ASSERT_EQ(ds.size(), 4u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 12, 59, "term_days must be at least 1, not 0"));
  EXPECT_TRUE(HasDiagnostic(ds, 13, 59, "term_days must be at least 1, not -30"));
  EXPECT_TRUE(HasDiagnostic(ds, 14, 59, "term_days must be at most 36500"));
  EXPECT_TRUE(HasDiagnostic(ds, 15, 59, "term_days must be a whole number, not the number 1.5"));
}

// draft 7: an integer is a number with no fraction, so a second validator
// accepts `term_days: 1825.0`. licmove refused it as "not the number 1825";
// it reads 1825 now, and a fraction is still refused.
TEST(FleetFile, TermDaysWrittenAsAWholeFloatIsThatInteger) {
  Result<Fleet> fleet = ParseFleet(R"(version: 1.0
now: "2026-11-29T00:00:00Z"
accounts:
  - name: acme
    licenses:
      - {key: AM-1, service: alarm-management, term_days: 1825.0}
      - {key: AM-2, service: alarm-management, term_days: 3.65e2}
)",
                                   "fleet.yaml");
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  EXPECT_EQ(fleet->accounts.at(0).licenses.at(0).term_days, 1825);
  EXPECT_EQ(fleet->accounts.at(0).licenses.at(1).term_days, 365);
}

TEST(FleetFile, UnknownVersionNamesTheVersionsThisLicmoveReads) {
  Diagnostics ds = FleetProblems("version: 3\nnow: soon\naccounts: 7\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "fleet.yaml:1:10: version 3 is not supported: this licmove reads fleet files of "
            "version 1; nothing else in the file was checked");
}

TEST(FleetFile, LoadFleetFileReadsFromDisk) {
  Result<Fleet> fleet = LoadFleetFile(LICMOVE_SOURCE_DIR "/tests/files/data/fleet_valid.yaml");
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  ASSERT_NE(fleet->FindAccount("acme"), nullptr);
  EXPECT_EQ(fleet->FindAccount("acme")->cameras.size(), 2u);
  EXPECT_EQ(fleet->registry.size(), 1u);

  Result<Fleet> bad = LoadFleetFile(LICMOVE_SOURCE_DIR "/tests/files/data/fleet_invalid.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("fleet_invalid.yaml:"), std::string::npos);

  Result<Fleet> missing = LoadFleetFile(LICMOVE_SOURCE_DIR "/tests/files/data/no-such-fleet.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);

  Result<Fleet> directory = LoadFleetFile(LICMOVE_SOURCE_DIR "/tests/files/data");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace licmove
