// A plan's moves_csv file: any bytes through the CSV reader and the moves
// read from it (header, rows, the plan schema on the rows). Neither may
// crash or throw; a problem inside the text names a line and column in it;
// text the reader accepts is written back (WriteCsv) and read as the same
// rows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "files/csv_file.h"
#include "files/document_checks.h"
#include "files/schema_check.h"
#include "fuzz_check.h"

namespace {

std::vector<std::vector<std::string>> Texts(const std::vector<licmove::CsvRecord>& records) {
  std::vector<std::vector<std::string>> rows;
  for (const licmove::CsvRecord& r : records) {
    rows.emplace_back();
    for (const licmove::CsvField& f : r) rows.back().push_back(f.text);
  }
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  licmove::Diagnostics out;
  const std::vector<licmove::CsvRecord> records = licmove::ParseCsv(text, "fuzz.csv", out);
  for (const licmove::Diagnostic& d : out) FUZZ_CHECK(d.line >= 1 && d.column >= 1);
  if (out.empty()) {
    const auto rows = Texts(records);
    licmove::Diagnostics again;
    FUZZ_CHECK(Texts(licmove::ParseCsv(licmove::WriteCsv(rows), "fuzz.csv", again)) == rows);
    FUZZ_CHECK(again.empty());
  }

  licmove::Diagnostics problems;
  const licmove::YamlDocument doc = licmove::MovesCsvDocument(text, "fuzz.csv", problems);
  licmove::CheckVersionAndSchema(doc, licmove::FileKind::kPlan, problems);
  for (const licmove::Diagnostic& d : problems) {
    FUZZ_CHECK(d.file == "fuzz.csv" && !d.message.empty());
  }
  return 0;
}
