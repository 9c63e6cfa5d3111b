#include "files/validate.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "diagnostics_matchers.h"

namespace licmove {
namespace {

std::string Data(const std::string& name) {
  return std::string(LICMOVE_SOURCE_DIR) + "/tests/files/data/" + name;
}

TEST(Validate, ValidFilesOfEachKind) {
  FileCheck plan = CheckFile(Data("plan_valid.yaml"));
  EXPECT_EQ(plan.kind, FileKind::kPlan);
  EXPECT_TRUE(plan.valid()) << ListDiagnostics(plan.diagnostics);
  ASSERT_TRUE(plan.plan);
  EXPECT_EQ(plan.plan->file, Data("plan_valid.yaml"));
  EXPECT_FALSE(plan.fleet);

  FileCheck fleet = CheckFile(Data("fleet_valid.yaml"));
  EXPECT_EQ(fleet.kind, FileKind::kFleet);
  EXPECT_TRUE(fleet.valid()) << ListDiagnostics(fleet.diagnostics);
  ASSERT_TRUE(fleet.fleet);
  EXPECT_FALSE(fleet.plan);

  EXPECT_TRUE(ValidateFile(Data("plan_valid.yaml")).empty());
  EXPECT_TRUE(ValidateFile(Data("fleet_valid.yaml")).empty());
}

TEST(Validate, InvalidFilesReportEveryProblemInOrder) {
  Diagnostics ds = ValidateFile(Data("plan_invalid.yaml"));
  ASSERT_EQ(ds.size(), 2u) << ListDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(), Data("plan_invalid.yaml") +
                                  ":6:9: this move is from CAM-0001 to itself; from and to must "
                                  "be different cameras");
  EXPECT_EQ(ds[1].ToString(), Data("plan_invalid.yaml") +
                                  ":10:11: term \"2y\" is not one of demo, 1y, 3y, 5y, longest");

  FileCheck fleet = CheckFile(Data("fleet_invalid.yaml"));
  EXPECT_EQ(fleet.kind, FileKind::kFleet);
  EXPECT_FALSE(fleet.fleet);
  ASSERT_EQ(fleet.diagnostics.size(), 2u) << ListDiagnostics(fleet.diagnostics);
  EXPECT_TRUE(
      HasDiagnostic(fleet.diagnostics, 5, 49, "role \"superuser\" is not one of admin, viewer"));
  EXPECT_TRUE(
      HasDiagnostic(fleet.diagnostics, 10, 18, "camera CAM-0001 is already listed at line 9"));
}

// The bound on aliases (issue 9, item 6) leaves large plans alone, also
// ones that use aliases the way people do: a 51 MB plan of 680,000 moves
// whose service names are all one anchored value. It takes about 30 s.
TEST(Validate, FiftyMegabytePlanWithAliasesStillValidates) {
  constexpr int kMoves = 680000;
  std::string text = "version: 1\naccount: acme\nmoves:\n";
  text.reserve(51u << 20);
  char line[128];
  for (int i = 0; i < kMoves; ++i) {
    std::snprintf(line, sizeof line,
                  "  - {from: CAM-%07d, to: CAM-%07d, service: %s, key: AM-5Y-%07d}\n", i,
                  kMoves + i, i == 0 ? "&am alarm-management" : "*am", i);
    text += line;
  }
  ASSERT_GT(text.size(), 50u * 1000 * 1000);
  const FileCheck check = CheckText(text, "bulk.yaml");
  EXPECT_EQ(check.kind, FileKind::kPlan);
  EXPECT_TRUE(check.valid()) << ListDiagnostics(check.diagnostics);
  ASSERT_TRUE(check.plan);
  ASSERT_EQ(check.plan->moves.size(), static_cast<std::size_t>(kMoves));
  EXPECT_EQ(check.plan->moves.back().service, "alarm-management");
}

TEST(Validate, KindIsToldByContent) {
  EXPECT_EQ(CheckText("version: 1\nmoves: []\n", "x").kind, FileKind::kPlan);
  EXPECT_EQ(CheckText("assign: 5\n", "x").kind, FileKind::kPlan);
  EXPECT_EQ(CheckText("version: 1\nnow: x\n", "x").kind, FileKind::kFleet);
  EXPECT_EQ(CheckText("registry: []\n", "x").kind, FileKind::kFleet);

  FileCheck neither = CheckFile(Data("unknown_kind.yaml"));
  EXPECT_EQ(neither.kind, FileKind::kUnknown);
  ASSERT_EQ(neither.diagnostics.size(), 1u);
  EXPECT_EQ(neither.diagnostics[0].line, 0);
  EXPECT_NE(neither.diagnostics[0].message.find("cannot tell whether this is a plan or a fleet "
                                                "file: a plan has moves or assign"),
            std::string::npos);

  FileCheck both = CheckText("version: 1\nmoves: []\naccounts: []\n", "x");
  EXPECT_EQ(both.kind, FileKind::kUnknown);
  ASSERT_EQ(both.diagnostics.size(), 1u);
  EXPECT_NE(both.diagnostics[0].message.find("it has plan keys (moves) and fleet keys (accounts)"),
            std::string::npos);

  FileCheck list = CheckText("\n- a\n- b\n", "x");
  ASSERT_EQ(list.diagnostics.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(list.diagnostics, 2, 1, "neither a plan nor a fleet file"));
}

TEST(Validate, UnreadableAndBrokenFiles) {
  Diagnostics missing = ValidateFile(Data("no-such-file.yaml"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].ToString(),
            Data("no-such-file.yaml") + ": cannot read: No such file or directory");

  Diagnostics directory = ValidateFile(Data(""));
  ASSERT_EQ(directory.size(), 1u);
  EXPECT_EQ(directory[0].line, 0);
  EXPECT_NE(directory[0].message.find("cannot read"), std::string::npos);

  Diagnostics empty = ValidateFile(Data("empty.yaml"));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].ToString(), Data("empty.yaml") + ": the file is empty");

  Diagnostics syntax = ValidateFile(Data("not_yaml.yaml"));
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].line, 5);
  EXPECT_NE(syntax[0].message.find("'{' is never closed"), std::string::npos);

  Diagnostics utf8 = ValidateFile(Data("not_utf8.yaml"));
  ASSERT_EQ(utf8.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(utf8, 2, 13, "not valid UTF-8"));

  Diagnostics v2 = ValidateFile(Data("plan_v2.yaml"));
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(v2, 1, 10,
                            "version 2 is not supported: this licmove reads plan "
                            "files of version 1"));
}

TEST(Validate, FormatDiagnosticsSortsByFileLineAndColumn) {
  Diagnostics ds = {{"b.yaml", 1, 1, "x"},
                    {"a.yaml", 3, 2, "y"},
                    {"a.yaml", 0, 0, "whole file"},
                    {"a.yaml", 3, 1, "z"},
                    {"a.yaml", 3, 1, "z"}};
  EXPECT_EQ(FormatDiagnostics(ds),
            "a.yaml: whole file\na.yaml:3:1: z\na.yaml:3:2: y\nb.yaml:1:1: x");
}

}  // namespace
}  // namespace licmove
