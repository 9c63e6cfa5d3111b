// Plans that take moves from a CSV file (`moves_csv`): decoding, errors at
// the CSV's cells, the plan rules across both files, and the plan identity.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "diagnostics_matchers.h"
#include "files/plan_file.h"
#include "files/plan_identity.h"
#include "files/validate.h"

namespace licmove {
namespace {

// A fresh folder a test, holding plan.yaml and whatever CSV the test writes.
class PlanCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "licmove_plan_csv_" + std::to_string(getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // Writes the plan and the CSV (swaps.csv) and checks the plan.
  FileCheck Check(const std::string& plan, const std::string& csv) {
    Write("swaps.csv", csv);
    return CheckFile(Write("plan.yaml", plan));
  }
  std::string Csv() const { return dir_ + "/swaps.csv"; }
  std::string PlanFile() const { return dir_ + "/plan.yaml"; }

  std::string dir_;
};

constexpr const char* kCsvOnly = "version: 1\naccount: acme\nmoves_csv: swaps.csv\n";

TEST_F(PlanCsv, CsvMovesComeAfterTheYamlOnesWithTheirCsvPositions) {
  const FileCheck check = Check(R"(version: 1
account: acme
moves:
  - {from: CAM-0001, to: CAM-0002}
moves_csv: swaps.csv
)",
                                "from,to,service,key,auto_renew\r\n"
                                "CAM-0003,CAM-0004,alarm-management,AM-5Y-0001,TRUE\r\n"
                                "CAM-0005,\"CAM-0006\",,,\r\n");
  ASSERT_TRUE(check.valid()) << ListDiagnostics(check.diagnostics);
  const Plan& plan = *check.plan;
  ASSERT_EQ(plan.moves.size(), 3u);
  EXPECT_EQ(plan.moves[0].from, "CAM-0001");
  EXPECT_EQ(plan.moves[0].file, "");
  EXPECT_EQ(plan.moves[0].where.line, 4);
  const MoveIntent& a = plan.moves[1];
  EXPECT_EQ(a.from, "CAM-0003");
  EXPECT_EQ(a.to, "CAM-0004");
  EXPECT_EQ(a.service, "alarm-management");
  EXPECT_EQ(a.key, "AM-5Y-0001");
  EXPECT_EQ(a.auto_renew, true);
  EXPECT_EQ(a.release_destination, std::nullopt);
  EXPECT_EQ(a.file, Csv());
  EXPECT_EQ(a.where.line, 2);
  EXPECT_EQ(a.where.column, 1);
  const MoveIntent& b = plan.moves[2];
  EXPECT_EQ(b.to, "CAM-0006");
  EXPECT_EQ(b.service, std::nullopt);  // an empty cell is left out
  EXPECT_EQ(b.key, std::nullopt);
  EXPECT_EQ(b.auto_renew, std::nullopt);
  EXPECT_EQ(b.where.line, 3);
}

TEST_F(PlanCsv, OnlyACsvWithOptionalColumnsLeftOutAndBlankRowsSkipped) {
  const FileCheck check = Check(kCsvOnly, "\xEF\xBB\xBFto,from\nCAM-0002,CAM-0001\n,\n\n");
  ASSERT_TRUE(check.valid()) << ListDiagnostics(check.diagnostics);
  ASSERT_EQ(check.plan->moves.size(), 1u);
  EXPECT_EQ(check.plan->moves[0].from, "CAM-0001");
  EXPECT_EQ(check.plan->moves[0].to, "CAM-0002");
}

TEST_F(PlanCsv, EveryProblemOfTheCsvAtOnceAtItsCell) {
  const FileCheck check = Check(kCsvOnly,
                                "from,to,servce,auto_renew\n"
                                "CAM-0001,CAM-0002,x,yes\n"
                                "CAM-0003,CAM-0004,x\n"
                                "CAM 5,CAM-0006,x,false\n"
                                ",CAM-0008,,\n");
  const Diagnostics& ds = check.diagnostics;
  EXPECT_FALSE(check.valid());
  EXPECT_TRUE(HasDiagnostic(ds, 1, 9, "unknown column \"servce\"; did you mean \"service\"?"));
  EXPECT_TRUE(HasDiagnostic(ds, 2, 21, "auto_renew \"yes\" must be true or false"));
  EXPECT_TRUE(HasDiagnostic(ds, 3, 19, "this row has 3 fields, the header has 4"));
  EXPECT_TRUE(HasDiagnostic(ds, 4, 1, "\"CAM 5\" must be a camera serial"));
  EXPECT_TRUE(HasDiagnostic(ds, 5, 1, "missing \"from\""));
  for (const Diagnostic& d : ds) EXPECT_EQ(d.file, Csv()) << d.ToString();
  EXPECT_EQ(ds.size(), 5u) << ListDiagnostics(ds);
}

TEST_F(PlanCsv, ARowWithTooManyFieldsIsReportedAtTheFirstExtraOne) {
  const FileCheck check = Check(kCsvOnly, "from,to\nCAM-0001,CAM-0002,x,y\nCAM-0003,CAM-0004\n");
  ASSERT_EQ(check.diagnostics.size(), 1u) << ListDiagnostics(check.diagnostics);
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 2, 19,
                            "has 4 fields, the header has 2; a cell "
                            "with a comma in it must be quoted"));
}

TEST_F(PlanCsv, HeaderProblems) {
  FileCheck check = Check(kCsvOnly, "from,service,from,\nCAM-0001,x,y,\n");
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 1, 1, "no \"to\" column"));
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 1, 14, "named twice"));
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 1, 19, "a column without a name"));
  check = Check(kCsvOnly, "camera,to\n");
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 1, 1, "the columns are from, to, service"));
  check = Check(kCsvOnly, "");
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 0, 0, "the file has no rows"));
}

TEST_F(PlanCsv, CsvSyntaxErrorsNameTheCsv) {
  const FileCheck check = Check(kCsvOnly, "from,to\nCAM-0001,\"CAM-0002\n");
  ASSERT_EQ(check.diagnostics.size(), 1u) << ListDiagnostics(check.diagnostics);
  EXPECT_EQ(check.diagnostics[0].ToString().rfind(Csv() + ":2:10: ", 0), 0u);
}

TEST_F(PlanCsv, AMissingCsvIsReportedAtMovesCsv) {
  const FileCheck check = CheckFile(Write("plan.yaml", kCsvOnly));
  ASSERT_EQ(check.diagnostics.size(), 1u) << ListDiagnostics(check.diagnostics);
  const Diagnostic& d = check.diagnostics[0];
  EXPECT_EQ(d.file, PlanFile());
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 12);
  EXPECT_NE(d.message.find(Csv() + ": cannot read: No such file"), std::string::npos) << d.message;
}

TEST_F(PlanCsv, AnEmptyMovesCsvIsASchemaError) {
  const FileCheck check =
      CheckFile(Write("plan.yaml", "version: 1\naccount: acme\nmoves_csv: ''\n"));
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 3, 12, "must not be empty"));
}

TEST_F(PlanCsv, PlanRulesSpanBothFilesWithCsvPositions) {
  const FileCheck check = Check(R"(version: 1
account: acme
moves:
  - {from: CAM-0001, to: CAM-0002, key: K-1}
moves_csv: swaps.csv
)",
                                "from,to,key\n"
                                "CAM-0001,CAM-0003,K-2\n"
                                "CAM-0004,CAM-0004,K-1\n");
  const Diagnostics& ds = check.diagnostics;
  EXPECT_TRUE(HasDiagnostic(ds, 2, 1, "already moved by the move at line 4 of " + PlanFile()));
  EXPECT_TRUE(HasDiagnostic(ds, 3, 10, "to itself"));
  EXPECT_TRUE(HasDiagnostic(ds, 3, 19, "key K-1 is already guarded by the move at line 4 of"));
  for (const Diagnostic& d : ds) EXPECT_EQ(d.file, Csv()) << d.ToString();
}

TEST_F(PlanCsv, RulesWithinTheCsvNameItsLines) {
  const FileCheck check = Check(kCsvOnly, "from,to\nCAM-0001,CAM-0002\nCAM-0003,CAM-0002\n");
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 3, 10, "a license from the move at line 2, and"));
}

TEST_F(PlanCsv, AHeaderOnlyCsvIsAPlanThatDoesNothing) {
  const FileCheck check = Check(kCsvOnly, "from,to\r\n");
  ASSERT_EQ(check.diagnostics.size(), 1u) << ListDiagnostics(check.diagnostics);
  EXPECT_TRUE(HasDiagnostic(check.diagnostics, 3, 12, "nothing to do"));
}

TEST_F(PlanCsv, LoadPlanFileReadsTheCsvRelativeToThePlan) {
  Write("swaps.csv", "from,to\nCAM-0001,CAM-0002\n");
  Result<Plan> plan = LoadPlanFile(Write("plan.yaml", kCsvOnly));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->moves.size(), 1u);
}

// The identity covers the CSV's moves: a changed cell changes it; how the
// CSV is written (quotes, line ends, column order, a byte order mark) does
// not, nor does moving a row from the YAML into the CSV.
TEST_F(PlanCsv, IdentityFollowsTheCsvContentNotItsFormatting) {
  auto identity = [&](const std::string& csv, const std::string& plan = kCsvOnly) {
    const FileCheck check = Check(plan, csv);
    EXPECT_TRUE(check.valid()) << ListDiagnostics(check.diagnostics);
    return check.plan ? PlanIdentity(*check.plan) : "";
  };
  const std::string base = identity(
      "from,to,service,auto_renew\nCAM-0001,CAM-0002,alarm-management,true\n"
      "CAM-0003,CAM-0004,,\n");
  EXPECT_EQ(base, identity("\xEF\xBB\xBF\"service\",to,auto_renew,from\r\n"
                           "\"alarm-management\",\"CAM-0002\",TRUE,CAM-0001\r\n"
                           ",CAM-0004,,CAM-0003\r\n"));
  EXPECT_EQ(base, identity("from,to,service,auto_renew\nCAM-0003,CAM-0004,,\n",
                           "version: 1\naccount: acme\nmoves:\n  - {from: CAM-0001, to: CAM-0002, "
                           "service: alarm-management, auto_renew: true}\nmoves_csv: swaps.csv\n"));
  EXPECT_NE(base, identity("from,to,service,auto_renew\nCAM-0001,CAM-0009,alarm-management,true\n"
                           "CAM-0003,CAM-0004,,\n"));
  EXPECT_NE(base, identity("from,to,service,auto_renew\nCAM-0001,CAM-0002,alarm-management,\n"
                           "CAM-0003,CAM-0004,,\n"));
  EXPECT_NE(base, identity("from,to,service,auto_renew\nCAM-0003,CAM-0004,,\n"
                           "CAM-0001,CAM-0002,alarm-management,true\n"));
}

}  // namespace
}  // namespace licmove
