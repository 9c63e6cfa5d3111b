// Journal records with valid frames and checksums around fuzzed payloads, so
// that the input reaches ReadJournal's JSON decoding (header, intents,
// outcomes, end) instead of stopping at a checksum as raw bytes mostly do.
//
// Input: one record a line; a line's first byte is the record type (1 header,
// 2 intent, 3 outcome, 4 end; others are unknown types), the rest its
// payload. Lines with type 0, which the log never writes, are skipped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "journal/record_log.h"
#include "journal_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<licmove::LogRecord> records;
  std::string file;
  while (!input.empty()) {
    const std::size_t eol = input.find('\n');
    const std::string_view line = input.substr(0, eol);
    input.remove_prefix(eol == std::string_view::npos ? input.size() : eol + 1);
    if (line.empty() || line[0] == 0) continue;
    records.push_back({static_cast<std::uint8_t>(line[0]), std::string(line.substr(1))});
    file += licmove::EncodeRecord(records.back().type, records.back().payload);
  }

  // Well-framed records read back whole, in order, with a clean tail.
  const licmove::LogScan scan = licmove::ScanLog(file);
  FUZZ_CHECK(scan.tail == licmove::LogScan::Tail::kClean);
  FUZZ_CHECK(scan.valid_bytes == file.size());
  FUZZ_CHECK(scan.records.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    FUZZ_CHECK(scan.records[i].type == records[i].type);
    FUZZ_CHECK(scan.records[i].payload == records[i].payload);
  }

  licmove::Result<licmove::JournalContents> journal = licmove::fuzz::ReadJournalBytes(file);
  if (journal.ok()) {
    FUZZ_CHECK(journal->tail == licmove::LogScan::Tail::kClean);
    // The header first, then each intent, outcome and end where it was.
    std::size_t by_type[5] = {0, 0, 0, 0, 0};
    for (std::size_t i = 1; i < records.size(); ++i) {
      FUZZ_CHECK(records[i].type >= 2 && records[i].type <= 4);
      ++by_type[records[i].type];
    }
    FUZZ_CHECK(journal->intents.size() == by_type[2]);
    FUZZ_CHECK(journal->outcomes.size() == by_type[3]);
    FUZZ_CHECK(journal->end.has_value() == (by_type[4] > 0));
  } else {
    FUZZ_CHECK(!journal.status().message().empty());
  }
  return 0;
}
