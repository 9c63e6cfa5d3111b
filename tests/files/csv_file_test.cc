// The CSV reader (files/csv_file.h): RFC 4180 as spreadsheets write it, with
// positions for diagnostics, and a writer that it reads back exactly.
#include "files/csv_file.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "diagnostics_matchers.h"

namespace licmove {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows Texts(const std::vector<CsvRecord>& records) {
  Rows rows;
  for (const CsvRecord& r : records) {
    rows.emplace_back();
    for (const CsvField& f : r) rows.back().push_back(f.text);
  }
  return rows;
}

Rows Read(std::string_view text) {
  Diagnostics out;
  Rows rows = Texts(ParseCsv(text, "t.csv", out));
  EXPECT_TRUE(out.empty()) << ListDiagnostics(out);
  return rows;
}

TEST(CsvFile, PlainFieldsAndLineEnds) {
  const Rows want = {{"from", "to"}, {"CAM-1", "CAM-2"}};
  EXPECT_EQ(Read("from,to\nCAM-1,CAM-2\n"), want);
  EXPECT_EQ(Read("from,to\r\nCAM-1,CAM-2\r\n"), want);
  EXPECT_EQ(Read("from,to\rCAM-1,CAM-2\r"), want);
  EXPECT_EQ(Read("from,to\nCAM-1,CAM-2"), want);  // no line end after the last record
}

TEST(CsvFile, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(Read("\xEF\xBB\xBF"
                 "from,to\n"),
            (Rows{{"from", "to"}}));
}

TEST(CsvFile, QuotedFields) {
  EXPECT_EQ(Read("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"\"\n"),
            (Rows{{"a,b", "say \"hi\"", "two\r\nlines", ""}}));
}

TEST(CsvFile, EmptyFieldsAndBlankLines) {
  EXPECT_EQ(Read("a,,c,\n\nx\n"), (Rows{{"a", "", "c", ""}, {""}, {"x"}}));
  EXPECT_EQ(Read(""), Rows{});
}

TEST(CsvFile, PositionsCountLinesAndCharacters) {
  Diagnostics out;
  const std::vector<CsvRecord> r =
      ParseCsv("\xEF\xBB\xBF\xC3\xA9t\xC3\xA9,b\r\n\"x\ny\",z\n", "t.csv", out);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0][0].where.line, 1);
  EXPECT_EQ(r[0][0].where.column, 1);
  EXPECT_EQ(r[0][1].where.column, 5);  // "été," is four characters
  EXPECT_EQ(r[1][0].where.line, 2);
  EXPECT_EQ(r[1][1].where.line, 3);  // after the quoted line break
  EXPECT_EQ(r[1][1].where.column, 4);
}

TEST(CsvFile, UnterminatedQuoteIsReportedAtItsStart) {
  Diagnostics out;
  const std::vector<CsvRecord> r = ParseCsv("a,b\nc,\"d\ne,f\n", "t.csv", out);
  EXPECT_EQ(r.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(out, 2, 3, "no closing quote"));
  EXPECT_EQ(out.front().ToString().rfind("t.csv:2:3: ", 0), 0u);
}

TEST(CsvFile, StrayQuotesAreReportedAndReadingGoesOn) {
  Diagnostics out;
  const std::vector<CsvRecord> r = ParseCsv("ab\"c,\"d\"e\nf,g\n", "t.csv", out);
  EXPECT_EQ(Texts(r), (Rows{{"ab\"c", "de"}, {"f", "g"}}));
  EXPECT_TRUE(HasDiagnostic(out, 1, 3, "a quote inside a field"));
  EXPECT_TRUE(HasDiagnostic(out, 1, 9, "text after the closing quote"));
}

TEST(CsvFile, TextThatIsNotUtf8IsRefused) {
  Diagnostics out;
  EXPECT_TRUE(ParseCsv("from,to\nCAM-\xE9,x\n", "t.csv", out).empty());
  EXPECT_TRUE(HasDiagnostic(out, 2, 5, "not UTF-8"));
}

TEST(CsvFile, WriterQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(WriteCsv({{"a", "b c", "d,e"}, {""}, {"\"q\"", ""}}),
            "a,b c,\"d,e\"\r\n\"\"\r\n\"\"\"q\"\"\",\r\n");
  EXPECT_EQ(WriteCsv({{"a"}}, "\n"), "a\n");
}

// Any table of fields (any bytes: commas, quotes, line breaks, a leading
// byte order mark), written as RFC 4180 with either line end, reads back the
// same. Fields are made of UTF-8 text, as the reader accepts no other.
RC_GTEST_PROP(CsvFileProperty, WrittenTablesReadBack, ()) {
  const auto piece = rc::gen::element<std::string>("a", "CAM-0001", ",", "\"", "\r", "\n", "\r\n",
                                                   " ", "\xEF\xBB\xBF", "\xC3\xA9", "");
  const auto field = rc::gen::map(rc::gen::container<std::vector<std::string>>(piece),
                                  [](const std::vector<std::string>& parts) {
                                    std::string s;
                                    for (const std::string& p : parts) s += p;
                                    return s;
                                  });
  const auto row = rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(field));
  const Rows rows = *rc::gen::container<Rows>(row);
  const std::string line_end = *rc::gen::element<std::string>("\r\n", "\n");
  Diagnostics out;
  const std::vector<CsvRecord> read = ParseCsv(WriteCsv(rows, line_end), "t.csv", out);
  RC_ASSERT(out.empty());
  RC_ASSERT(Texts(read) == rows);
}

// Reading never crashes and every diagnostic points into the text.
RC_GTEST_PROP(CsvFileProperty, AnyBytesReadWithoutCrashing, ()) {
  const std::string text = *rc::gen::container<std::string>(
      rc::gen::element<char>('a', ',', '"', '\r', '\n', '\xEF', '\xBB', '\xBF', '\xC3'));
  Diagnostics out;
  ParseCsv(text, "t.csv", out);
  for (const Diagnostic& d : out) {
    RC_ASSERT(d.line >= 1);
    RC_ASSERT(d.column >= 1);
  }
}

}  // namespace
}  // namespace licmove
