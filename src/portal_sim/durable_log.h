// The simulator's write-ahead log: no acknowledged mutation is lost to a
// `kill -9` or a crash, because a response leaves only after the record of its
// mutation is on disk (fdatasync).
//
// On-disk format: one file, STATE_DIR/portal-sim.log (mode 0600; the
// directories Open creates are 0700), a sequence of framed records (after
// LevelDB's log format):
//
//   record  := crc:u32le  length:u32le  type:u8  payload:byte[length]
//   crc      = MaskCrc(CRC32C(type byte, then payload))
//
// The first record has type 1 (header), the rest type 2 (entry). Payloads are
// JSON written by the API (api.cc); this file only frames them. The header
// names the format version of those payloads (api.cc's kLogVersion) and the
// fleet the log applies to; an entry holds a mutation and/or an idempotency
// record (see api.cc).
//
// Reading: a last record that is cut short, or whose checksum fails while it
// ends exactly at the end of the file, or that is followed only by zero bytes,
// is a torn tail: a write the crash interrupted, never acknowledged. It is
// dropped and the file truncated. Any other bad record is corruption and the
// simulator refuses to start. The log is rewritten only whole (a reset), as
// a new file made durable and then renamed over the old one.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace licmove::sim {

inline constexpr std::uint8_t kHeaderRecord = 1;
inline constexpr std::uint8_t kEntryRecord = 2;

std::uint32_t Crc32c(std::string_view data, std::uint32_t crc = 0);
// Masked so that a CRC over data that holds CRCs stays strong (LevelDB).
std::uint32_t MaskCrc(std::uint32_t crc);
std::string EncodeRecord(std::uint8_t type, std::string_view payload);

struct LogRecord {
  std::uint8_t type = 0;
  std::string payload;
};

struct DecodedLog {
  std::vector<LogRecord> records;
  std::size_t valid_bytes = 0;  // the good prefix; what follows is a torn tail
};

// Corruption when a bad record is not the tail.
Result<DecodedLog> DecodeLog(std::string_view data);

class DurableLog {
 public:
  // Opens STATE_DIR/portal-sim.log, creating the directory (mode 0700, and
  // its missing parents) and a log that starts with `new_header` when there
  // is none. `*records` gets every record
  // of an existing log, header first (a torn tail is dropped from the file).
  static Result<std::unique_ptr<DurableLog>> Open(const std::string& dir,
                                                  std::string_view new_header,
                                                  std::vector<LogRecord>* records);
  ~DurableLog();
  DurableLog(const DurableLog&) = delete;
  DurableLog& operator=(const DurableLog&) = delete;

  // Writes an entry; it is durable only after Sync(returned offset).
  // After any write or sync error every call fails: what is on disk is then
  // unknown, and acknowledging anything more would be a lie.
  [[nodiscard]] Result<std::uint64_t> Append(std::string_view payload);
  // Returns when every byte up to `offset` is on disk. Thread-safe; one
  // fdatasync covers every record written before it (group commit).
  [[nodiscard]] Status Sync(std::uint64_t offset);
  // Replaces the log by one holding only `header`, atomically.
  [[nodiscard]] Status Reset(std::string_view header);

  const std::string& path() const { return path_; }

 private:
  DurableLog(std::string dir, std::string path, int fd, std::uint64_t size);

  const std::string dir_;
  const std::string path_;
  std::mutex sync_mu_;  // serializes fdatasync; taken before mu_
  std::mutex mu_;       // guards the fields below
  int fd_;
  std::uint64_t written_;  // bytes written
  std::uint64_t synced_;   // bytes known durable
  Status error_;           // sticky
};

}  // namespace licmove::sim
