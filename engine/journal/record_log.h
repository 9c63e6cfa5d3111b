// Framed, checksummed records in an append-only file: the journal's bytes.
//
// On-disk format (little-endian), one record after another:
//
//   checksum : uint32  masked CRC-32C of (type, payload), as LevelDB masks it
//   length   : uint32  payload bytes
//   type     : uint8   what the payload is; 0 is never used
//   payload  : length bytes
//
// A crash can leave the last record incomplete or garbled: it was never
// acknowledged (its Sync did not return), so a reader drops it quietly and
// reports a torn tail. A bad record with intact data after it is corruption
// in the middle: reported, never skipped over. A bad record counts as the
// last one only when no whole record with a matching checksum starts
// anywhere after it, so a damaged length field that points past the end of
// the file does not pass for a torn tail.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "journal/file_system.h"

namespace licmove {

inline constexpr std::size_t kRecordHeaderSize = 9;
inline constexpr std::uint32_t kMaxRecordPayload = 256u << 20;

struct LogRecord {
  std::uint8_t type = 0;
  std::string payload;
};

struct LogScan {
  enum class Tail { kClean, kTorn, kCorrupt };
  std::vector<LogRecord> records;  // every intact record before any problem
  std::uint64_t valid_bytes = 0;   // offset just past the last intact record
  Tail tail = Tail::kClean;
  std::string problem;  // for kTorn and kCorrupt: what and at which offset
  // kCorrupt: where the first intact record after the damage starts, or 0
  // when none was found (the damage was reported for other reasons).
  std::uint64_t next_intact = 0;
};

// Reads records from a whole file's bytes. Never fails: problems are in the
// result.
LogScan ScanLog(std::string_view data);

// The framed bytes of one record.
std::string EncodeRecord(std::uint8_t type, std::string_view payload);

// Appends records to a log file. Append buffers nothing itself: it writes;
// Sync makes everything appended so far durable.
class LogWriter {
 public:
  explicit LogWriter(std::unique_ptr<AppendableFile> file) : file_(std::move(file)) {}
  [[nodiscard]] Status Append(std::uint8_t type, std::string_view payload);
  [[nodiscard]] Status Sync() { return file_->Sync(); }
  [[nodiscard]] Status Close() { return file_->Close(); }

 private:
  std::unique_ptr<AppendableFile> file_;
};

// CRC-32C (Castagnoli) and LevelDB's mask, which keeps a CRC of data that
// itself holds CRCs from being a fixed point.
std::uint32_t Crc32c(std::string_view data, std::uint32_t seed = 0);
std::uint32_t MaskCrc(std::uint32_t crc);
std::uint32_t UnmaskCrc(std::uint32_t masked);

}  // namespace licmove
