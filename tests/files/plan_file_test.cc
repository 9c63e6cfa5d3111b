#include "files/plan_file.h"

#include <gtest/gtest.h>

#include "diagnostics_matchers.h"
#include "files/document_checks.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

Diagnostics PlanProblems(std::string_view text) {
  Diagnostics out;
  if (std::optional<YamlDocument> doc = ParseYamlDocument(text, "plan.yaml", out)) {
    (void)CheckPlanDocument(*doc, out);
  }
  SortDiagnostics(out);
  return out;
}

TEST(PlanFile, ValidPlanDecodesEveryField) {
  Result<Plan> plan = ParsePlan(R"(version: 1
account: acme
moves:
  - from: CAM-0001
    to: CAM-0107
    service: alarm-management
    key: AM-5Y-0001
    auto_renew: true
    release_destination: false
  - {from: CAM-0002, to: CAM-0108}
assign:
  - cameras: [CAM-0200, CAM-0201]
    service: alarm-management
    term: 5y
    auto_renew: true
  - cameras:
      - CAM-0300
    service: remote-maintenance
    term: longest
options:
  restore_sources: false
  release_destinations: true
)",
                                "plans/move.yaml");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->file, "plans/move.yaml");
  EXPECT_EQ(plan->version, 1);
  EXPECT_EQ(plan->account, "acme");
  ASSERT_EQ(plan->moves.size(), 2u);
  const MoveIntent& m = plan->moves[0];
  EXPECT_EQ(m.from, "CAM-0001");
  EXPECT_EQ(m.to, "CAM-0107");
  EXPECT_EQ(m.service, "alarm-management");
  EXPECT_EQ(m.key, "AM-5Y-0001");
  EXPECT_EQ(m.auto_renew, true);
  EXPECT_EQ(m.release_destination, false);
  EXPECT_EQ(m.where.line, 4);
  EXPECT_EQ(m.where.column, 5);
  const MoveIntent& bare = plan->moves[1];
  EXPECT_EQ(bare.from, "CAM-0002");
  EXPECT_EQ(bare.to, "CAM-0108");
  EXPECT_FALSE(bare.service.has_value());
  EXPECT_FALSE(bare.key.has_value());
  EXPECT_FALSE(bare.auto_renew.has_value());
  EXPECT_FALSE(bare.release_destination.has_value());
  EXPECT_EQ(bare.where.line, 10);
  EXPECT_EQ(bare.where.column, 5);

  ASSERT_EQ(plan->assigns.size(), 2u);
  const AssignIntent& a = plan->assigns[0];
  EXPECT_EQ(a.cameras, (std::vector<std::string>{"CAM-0200", "CAM-0201"}));
  ASSERT_EQ(a.camera_where.size(), 2u);
  EXPECT_EQ(a.camera_where[0].line, 12);
  EXPECT_EQ(a.camera_where[0].column, 15);
  EXPECT_EQ(a.camera_where[1].line, 12);
  EXPECT_EQ(a.camera_where[1].column, 25);
  EXPECT_EQ(a.service, "alarm-management");
  EXPECT_FALSE(a.term.longest);
  EXPECT_EQ(a.term.term, Term::kFiveYears);
  EXPECT_EQ(a.auto_renew, true);
  EXPECT_EQ(a.where.line, 12);
  const AssignIntent& b = plan->assigns[1];
  EXPECT_EQ(b.cameras, (std::vector<std::string>{"CAM-0300"}));
  EXPECT_EQ(b.camera_where[0].line, 17);
  EXPECT_EQ(b.camera_where[0].column, 9);
  EXPECT_EQ(b.service, "remote-maintenance");
  EXPECT_TRUE(b.term.longest);
  EXPECT_FALSE(b.auto_renew.has_value());

  EXPECT_FALSE(plan->options.restore_sources);
  EXPECT_TRUE(plan->options.release_destinations);
}

TEST(PlanFile, OptionsDefaultWhenLeftOut) {
  Result<Plan> plan = ParsePlan("version: 1\naccount: acme\nmoves: [{from: A, to: B}]\n", "p");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->options.restore_sources);
  EXPECT_FALSE(plan->options.release_destinations);
  EXPECT_TRUE(plan->assigns.empty());
}

TEST(PlanFile, EveryTermName) {
  for (const char* term : {"demo", "1y", "3y", "5y", "longest"}) {
    Result<Plan> plan = ParsePlan(std::string("version: 1\naccount: a\nassign:\n  - {cameras: [C], "
                                              "service: s, term: ") +
                                      term + "}\n",
                                  "p");
    ASSERT_TRUE(plan.ok()) << term << ": " << plan.status().ToString();
    EXPECT_EQ(TermChoiceName(plan->assigns[0].term), term);
  }
}

TEST(PlanFile, CameraMovedTwiceForOneService) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-2, service: alarm-management}
  - {from: CAM-1, to: CAM-3, service: alarm-management}
  - {from: CAM-1, to: CAM-4, service: remote-maintenance}
)");
  EXPECT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 12,
                            "camera CAM-1 is already moved for alarm-management by "
                            "the move at line 4"));
}

TEST(PlanFile, CameraMovedTwiceWhenOneMoveOmitsTheService) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-2, service: alarm-management}
  - from: CAM-1
    to: CAM-3
)");
  EXPECT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 11, "one of the two names no service"));
}

TEST(PlanFile, KeyGuardedTwice) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-2, key: AM-5Y-0001}
  - {from: CAM-3, to: CAM-4, key: AM-5Y-0001}
)");
  EXPECT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 35, "key AM-5Y-0001 is already guarded by the move at line 4"));
}

TEST(PlanFile, MoveToItself) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - from: CAM-1
    to: CAM-1
)");
  EXPECT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 9, "from CAM-1 to itself"));
}

TEST(PlanFile, DestinationReceivesTwoLicensesOfOneService) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-9, service: alarm-management}
  - {from: CAM-2, to: CAM-9, service: alarm-management}
  - {from: CAM-3, to: CAM-9, service: remote-maintenance}
  - {from: CAM-4, to: CAM-8, service: alarm-management}
  - {from: CAM-5, to: CAM-8}
)");
  EXPECT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 5, 23,
                            "camera CAM-9 already receives alarm-management from the "
                            "move at line 4"));
  EXPECT_TRUE(HasDiagnostic(ds, 8, 23,
                            "camera CAM-8 already receives a license from the move at "
                            "line 7, and one of the two names no service"));
}

TEST(PlanFile, AssignCameraThatIsAlsoAMoveDestination) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-7, service: alarm-management}
  - {from: CAM-2, to: CAM-8}
  - {from: CAM-3, to: CAM-6, service: remote-maintenance}
assign:
  - cameras: [CAM-5, CAM-7, CAM-8, CAM-6]
    service: alarm-management
    term: 5y
)");
  EXPECT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 8, 22,
                            "camera CAM-7 already receives alarm-management from the "
                            "move at line 4; it cannot also be assigned one"));
  EXPECT_TRUE(HasDiagnostic(ds, 8, 29,
                            "camera CAM-8 is the destination of the move at line 5, "
                            "which names no service"));
}

TEST(PlanFile, AssignCameraListedTwiceForOneService) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
assign:
  - cameras: [CAM-1, CAM-2, CAM-1]
    service: alarm-management
    term: 5y
  - cameras: [CAM-2]
    service: alarm-management
    term: 1y
  - cameras: [CAM-2]
    service: remote-maintenance
    term: 1y
)");
  EXPECT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 4, 29,
                            "camera CAM-1 is already assigned alarm-management at "
                            "line 4"));
  EXPECT_TRUE(HasDiagnostic(ds, 7, 15,
                            "camera CAM-2 is already assigned alarm-management at "
                            "line 4"));
}

TEST(PlanFile, UnknownTerm) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
assign:
  - cameras: [CAM-1]
    service: alarm-management
    term: 2y
)");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "plan.yaml:6:11: term \"2y\" is not one of demo, 1y, 3y, 5y, longest");
}

TEST(PlanFile, EmptyAccount) {
  Diagnostics ds = PlanProblems("version: 1\naccount: \"\"\nmoves: [{from: A, to: B}]\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 2, 10, "account is empty"));

  ds = PlanProblems("version: 1\naccount:\nmoves: [{from: A, to: B}]\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 2, 1, "account is empty; it must be text"));

  ds = PlanProblems("version: 1\nmoves: [{from: A, to: B}]\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 1, 1, "the plan is missing \"account\""));

  ds = PlanProblems("version: 1\naccount: my account\nmoves: [{from: A, to: B}]\n");
  EXPECT_TRUE(HasDiagnostic(ds, 2, 10, "account \"my account\" must be an account name"));
}

TEST(PlanFile, NoMovesAndNoAssignsIsAnError) {
  Diagnostics ds = PlanProblems("version: 1\naccount: acme\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 0, 0, "no moves and no assign entries"));

  ds = PlanProblems("version: 1\naccount: acme\nmoves: []\nassign: []\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 3, 1, "nothing to do"));

  // A `moves` that is not a list is one problem, not two.
  ds = PlanProblems("version: 1\naccount: acme\nmoves: CAM-1\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 3, 8, "moves must be a list, not \"CAM-1\""));
}

TEST(PlanFile, SchemaProblemsInPlainWords) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - form: CAM-1
    to: CAM-2
    service: Alarm Management
    auto_renew: yes
  - CAM-3
  - {from: 1234, to: CAM-5, colour: red}
assign:
  - cameras: []
    service: alarm-management
    term: 5y
    carmeras: [X]
optoins: {}
)");
  EXPECT_TRUE(HasDiagnostic(ds, 4, 5, "unknown key \"form\" in move; did you mean \"from\"?"));
  EXPECT_TRUE(HasDiagnostic(ds, 4, 5, "move is missing \"from\""));
  EXPECT_TRUE(HasDiagnostic(ds, 6, 14, "service \"Alarm Management\" must be lowercase letters"));
  EXPECT_TRUE(HasDiagnostic(ds, 7, 17, "auto_renew must be true or false, not \"yes\""));
  EXPECT_TRUE(HasDiagnostic(ds, 8, 5, "move must be a mapping (key: value lines), not \"CAM-3\""));
  EXPECT_TRUE(HasDiagnostic(ds, 9, 12, "from must be text, not the number 1234; put it in quotes"));
  EXPECT_TRUE(HasDiagnostic(ds, 9, 29, "unknown key \"colour\" in move; expected one of"));
  EXPECT_TRUE(HasDiagnostic(ds, 11, 14, "cameras is too short; list at least 1 camera"));
  EXPECT_TRUE(HasDiagnostic(ds, 14, 5,
                            "unknown key \"carmeras\" in assign entry; did you mean "
                            "\"cameras\"?"));
  EXPECT_TRUE(HasDiagnostic(ds, 15, 1,
                            "unknown key \"optoins\" in the plan; did you mean "
                            "\"options\"?"));
  EXPECT_EQ(ds.size(), 10u) << ListDiagnostics(ds);
}

TEST(PlanFile, AllProblemsAtOnceSortedByPosition) {
  Diagnostics ds = PlanProblems(R"(version: 1
account: acme
moves:
  - {from: CAM-1, to: CAM-1}
  - {from: CAM-2, to: CAM-3, key: K}
  - {from: CAM-4, to: CAM-5, key: K}
assign:
  - {cameras: [CAM-3], service: alarm-management, term: 10y}
)");
  ASSERT_EQ(ds.size(), 4u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].line, 4);
  EXPECT_EQ(ds[1].line, 6);
  EXPECT_EQ(ds[2].line, 8);
  EXPECT_EQ(ds[3].line, 8);
  EXPECT_LT(ds[2].column, ds[3].column);
}

TEST(PlanFile, UnknownVersionIsTheOnlyProblemReported) {
  Diagnostics ds = PlanProblems("version: 2\naccount: \"\"\nmoves: [{from: A, to: A}]\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "plan.yaml:1:10: version 2 is not supported: this licmove reads plan files of "
            "version 1; nothing else in the file was checked");
}

TEST(PlanFile, MissingOrMistypedVersionIsReportedAndTheRestStillChecked) {
  Diagnostics ds = PlanProblems("account: acme\nmoves: [{from: A, to: A}]\n");
  ASSERT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_TRUE(HasDiagnostic(ds, 1, 1, "the plan has no version; add \"version: 1\""));
  EXPECT_TRUE(HasDiagnostic(ds, 2, 23, "to itself"));

  ds = PlanProblems("version: \"1\"\naccount: acme\nmoves: [{from: A, to: B}]\n");
  ASSERT_EQ(ds.size(), 1u) << ListDiagnostics(ds);
  EXPECT_TRUE(
      HasDiagnostic(ds, 1, 10, "version must be a whole number (\"version: 1\"), not text"));
}

// JSON Schema has one kind of number: `const: 1` matches 1.0, and a second
// validator accepts `version: 1.0`. licmove did not, saying "version 1 is
// not supported". It reads it as version 1 now; 1.5 is another version.
TEST(PlanFile, VersionWrittenAsAWholeFloatIsVersionOne) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"1.0", ""},
      {"1.00", ""},
      {"1e0", ""},
      {"0.1e1", ""},
      {"1.5", "version 1.5 is not supported"},
      {"2.0", "version 2 is not supported"},
  };
  for (const auto& [version, problem] : kCases) {
    const Diagnostics ds = PlanProblems("version: " + std::string(version) +
                                        "\naccount: acme\nmoves: [{from: A, to: B}]\n");
    EXPECT_EQ(ds.size(), problem.empty() ? 0u : 1u) << version << ListDiagnostics(ds);
    if (!problem.empty()) {
      EXPECT_TRUE(HasDiagnostic(ds, 1, 10, problem)) << version;
    }
  }
}

// Issue 9, item 10: a no-break space (U+00A0) or an ideographic space
// (U+3000) in a serial passed licmove, whose regular expressions' \s is
// ASCII-only, and failed the schema everywhere else. Written raw, as an
// editor or a copy from a web page leaves them.
TEST(PlanFile, UnicodeSpacesInASerialAreRefusedAndShown) {
  Diagnostics ds = PlanProblems(
      "version: 1\naccount: acme\nmoves:\n  - from: CAM\u00A00001\n    to: CAM\u30000002\n"
      "    key: AM\u2009KEY\n");
  ASSERT_EQ(ds.size(), 3u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "plan.yaml:4:11: from \"CAM\\u00A00001\" must be a camera serial: one word, no "
            "spaces or slashes");
  EXPECT_EQ(ds[1].ToString(),
            "plan.yaml:5:9: to \"CAM\\u30000002\" must be a camera serial: one word, no spaces "
            "or slashes");
  EXPECT_EQ(ds[2].ToString(),
            "plan.yaml:6:10: key \"AM\\u2009KEY\" must be a license key: one word, no spaces or "
            "slashes");
}

TEST(PlanFile, ParsePlanReportsEveryDiagnosticInItsStatus) {
  Result<Plan> plan = ParsePlan(
      "version: 1\naccount: acme\nmoves:\n  - {from: A, to: A}\n"
      "  - {from: B, to: C, service: x, key: K}\n"
      "  - {from: D, to: E, service: x, key: K}\n",
      "plans/x.yaml");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(plan.status().message(),
            "plans/x.yaml:4:19: this move is from A to itself; from and to must be different "
            "cameras\n"
            "plans/x.yaml:6:39: key K is already guarded by the move at line 5; a key moves once");
}

TEST(PlanFile, LoadPlanFileReadsFromDisk) {
  Result<Plan> plan = LoadPlanFile(LICMOVE_SOURCE_DIR "/tests/files/data/plan_valid.yaml");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->account, "acme");
  EXPECT_EQ(plan->moves.size(), 2u);
  EXPECT_EQ(plan->assigns.size(), 1u);

  Result<Plan> missing = LoadPlanFile(LICMOVE_SOURCE_DIR "/tests/files/data/no-such-plan.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("no-such-plan.yaml: cannot read"), std::string::npos);
}

}  // namespace
}  // namespace licmove
