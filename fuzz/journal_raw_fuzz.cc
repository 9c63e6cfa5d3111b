// A journal file's raw bytes, as a crash, a bad disk or a hand edit may leave
// them: ScanLog and ReadJournal on anything. Most inputs stop at a checksum;
// journal_framed_fuzz.cc reaches the JSON decoding behind it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "journal/record_log.h"
#include "journal_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const licmove::LogScan scan = licmove::ScanLog(bytes);

  // The records read back are exactly the intact prefix, byte for byte.
  FUZZ_CHECK(scan.valid_bytes <= bytes.size());
  std::string prefix;
  for (const licmove::LogRecord& r : scan.records) {
    FUZZ_CHECK(r.type != 0);
    prefix += licmove::EncodeRecord(r.type, r.payload);
  }
  FUZZ_CHECK(prefix == bytes.substr(0, scan.valid_bytes));
  // Whatever follows the prefix is reported, never dropped silently.
  FUZZ_CHECK((scan.tail == licmove::LogScan::Tail::kClean) == (scan.valid_bytes == bytes.size()));
  FUZZ_CHECK(scan.tail == licmove::LogScan::Tail::kClean || !scan.problem.empty());

  licmove::Result<licmove::JournalContents> journal = licmove::fuzz::ReadJournalBytes(bytes);
  if (journal.ok()) {
    // A journal starts with its header; every other record is one of these.
    FUZZ_CHECK(!scan.records.empty());
    FUZZ_CHECK(journal->intents.size() + journal->outcomes.size() < scan.records.size());
  }
  return 0;
}
