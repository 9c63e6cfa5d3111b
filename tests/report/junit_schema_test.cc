// The JUnit reports against junit.xsd, by a real XML parser: xmllint
// (libxml2-utils) with --schema. Well-formed, valid, and what the escaping
// leaves is what went in.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "report/junit_report.h"
#include "sample_reports.h"
#include "subprocess.h"

namespace licmove::testing {
namespace {

namespace fs = std::filesystem;

class JUnitSchema : public ::testing::Test {
 protected:
  static fs::path Dir() {
    static const fs::path dir = [] {
      fs::path d = fs::temp_directory_path() / ("licmove-junit-" + std::to_string(::getpid()));
      fs::create_directories(d);
      return d;
    }();
    return dir;
  }
  static void TearDownTestSuite() { fs::remove_all(Dir()); }

  // xmllint's exit code for `xml` against the schema; its words in `output`.
  static int Xmllint(const std::string& xml, std::string& output,
                     const std::string& schema = LICMOVE_JUNIT_XSD) {
    const fs::path file = Dir() / "report.xml";
    const fs::path log = Dir() / "xmllint.txt";
    std::ofstream(file, std::ios::binary) << xml;
    fs::remove(log);
    const int code =
        RunProcess({LICMOVE_XMLLINT, "--noout", "--schema", schema, file.string()}, {}, log);
    output = ReadFileText(log.string());
    return code;
  }

  void SetUp() override {
    ASSERT_TRUE(fs::exists(LICMOVE_XMLLINT))
        << "xmllint not found: install libxml2-utils (scripts/install-deps.sh)";
  }
};

TEST_F(JUnitSchema, ReportsOfEveryKindValidate) {
  const std::pair<const char*, RunReport> reports[] = {
      {"completed", CompletedReport()},    {"stopped mid-run", StoppedReport()},
      {"no changes", NoChangesReport()},   {"reconciliation", ReconciliationReport()},
      {"nasty characters", NastyReport()}, {"1000 intents", BigReport(1000, 7, 2048)},
  };
  for (const auto& [what, report] : reports) {
    SCOPED_TRACE(what);
    std::string output;
    EXPECT_EQ(Xmllint(RenderJUnit(report), output), 0) << output;
    EXPECT_NE(output.find("validates"), std::string::npos) << output;
  }
}

// The schema is no rubber stamp: it refuses what CI systems would refuse.
TEST_F(JUnitSchema, SchemaRefusesBrokenReports) {
  const std::string good = RenderJUnit(StoppedReport());
  const std::pair<std::string, std::string> breakages[] = {
      {" tests=\"5\"", " tests=\"five\""},
      {"<testcase classname=\"licmove.acme.move\"", "<testcase"},
      {"<skipped ", "<skip "},
      {"<properties>", "<properties><property name=\"x\"/>"},
      {" time=\"63.250\"", " time=\"-1\""},
      {" timestamp=\"2026-11-29T10:00:00\"", " timestamp=\"2026-11-29T10:00:00Z\""},
  };
  for (const auto& [from, to] : breakages) {
    SCOPED_TRACE(to);
    const std::size_t at = good.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    std::string bad = good;
    bad.replace(at, from.size(), to);
    std::string output;
    EXPECT_NE(Xmllint(bad, output), 0) << output;
  }
}

// What a parser reads back from the escaped report is what the report held,
// less the characters XML cannot carry.
TEST_F(JUnitSchema, ParserReadsBackTheMessage) {
  RunReport r = StoppedReport();
  r.intents[1].message = "a <b> & \"c\" 'd' ]]> e\r\nf\tg";
  const fs::path file = Dir() / "message.xml";
  std::ofstream(file, std::ios::binary) << RenderJUnit(r);
  const fs::path log = Dir() / "xpath.txt";
  fs::remove(log);
  ASSERT_EQ(RunProcess({LICMOVE_XMLLINT, "--xpath", "string(//failure/@message)", file.string()},
                       {}, log.string()),
            0);
  EXPECT_EQ(ReadFileText(log.string()), r.intents[1].message + "\n");  // xmllint adds the \n
}

// Random reports, any bytes in any field: always valid.
RC_GTEST_PROP(JUnitSchemaProperty, RandomReportsValidate, ()) {
  RandomShape shape;
  shape.seed = *rc::gen::arbitrary<std::uint64_t>();
  shape.intents = *rc::gen::inRange(0, 40);
  shape.max_message = *rc::gen::inRange<std::size_t>(0, 300);
  shape.max_field = *rc::gen::inRange<std::size_t>(0, 40);
  shape.differences = *rc::gen::inRange(0, 3);
  shape.next_steps = *rc::gen::inRange(0, 3);
  const fs::path file =
      fs::temp_directory_path() / ("licmove-junit-rc-" + std::to_string(::getpid()) + ".xml");
  const fs::path log = file.string() + ".txt";
  std::ofstream(file, std::ios::binary) << RenderJUnit(RandomReport(shape));
  fs::remove(log);
  const int code = RunProcess(
      {LICMOVE_XMLLINT, "--noout", "--schema", LICMOVE_JUNIT_XSD, file.string()}, {}, log);
  const std::string output = ReadFileText(log.string());
  fs::remove(file);
  fs::remove(log);
  RC_LOG() << output;
  RC_ASSERT(code == 0);
}

}  // namespace
}  // namespace licmove::testing
