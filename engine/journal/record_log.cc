#include "journal/record_log.h"

#include <algorithm>
#include <array>

namespace licmove {

namespace {

constexpr std::uint32_t kMaskDelta = 0xa282ead8u;

const std::array<std::uint32_t, 256>& CrcTable() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t GetU32(std::string_view data, std::size_t pos) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(data[pos + i]);
  return v;
}

std::uint32_t RecordCrc(std::uint8_t type, std::string_view payload) {
  const char t = static_cast<char>(type);
  return Crc32c(payload, Crc32c(std::string_view(&t, 1)));
}

bool AllZero(std::string_view data) {
  return std::all_of(data.begin(), data.end(), [](char c) { return c == 0; });
}

}  // namespace

std::uint32_t Crc32c(std::string_view data, std::uint32_t seed) {
  const auto& table = CrcTable();
  std::uint32_t c = ~seed;
  for (unsigned char b : data) c = table[(c ^ b) & 0xff] ^ (c >> 8);
  return ~c;
}

std::uint32_t MaskCrc(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

std::uint32_t UnmaskCrc(std::uint32_t masked) {
  const std::uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

std::string EncodeRecord(std::uint8_t type, std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeaderSize + payload.size());
  PutU32(out, MaskCrc(RecordCrc(type, payload)));
  PutU32(out, static_cast<std::uint32_t>(payload.size()));
  out.push_back(static_cast<char>(type));
  out.append(payload);
  return out;
}

Status LogWriter::Append(std::uint8_t type, std::string_view payload) {
  if (type == 0) return Status::Internal("log record type 0 is reserved");
  if (payload.size() > kMaxRecordPayload) {
    return Status::InvalidArgument("log record of " + std::to_string(payload.size()) +
                                   " bytes is larger than the limit");
  }
  return file_->Append(EncodeRecord(type, payload));
}

LogScan ScanLog(std::string_view data) {
  LogScan scan;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::string_view rest = data.substr(pos);
    auto stop = [&](LogScan::Tail tail, std::string what) {
      scan.tail = tail;
      scan.problem = what + " at offset " + std::to_string(pos);
    };
    if (rest.size() < kRecordHeaderSize) {
      stop(LogScan::Tail::kTorn, "incomplete record header");
      break;
    }
    const std::uint32_t masked = GetU32(rest, 0);
    const std::uint32_t length = GetU32(rest, 4);
    const auto type = static_cast<std::uint8_t>(rest[8]);
    const bool fits = length <= kMaxRecordPayload && kRecordHeaderSize + length <= rest.size();
    const std::string_view payload =
        fits ? rest.substr(kRecordHeaderSize, length) : std::string_view();
    if (fits && type != 0 && UnmaskCrc(masked) == RecordCrc(type, payload)) {
      scan.records.push_back(LogRecord{type, std::string(payload)});
      pos += kRecordHeaderSize + length;
      scan.valid_bytes = pos;
      continue;
    }
    // A bad record is a torn tail when nothing intact can follow it: it runs
    // past the end of the file (a record is appended in one write, so a crash
    // leaves a prefix of it), or only zeros (blocks never written) follow.
    // A flipped bit in a length field looks the same; the records before it
    // are still all returned.
    const std::size_t end = fits ? kRecordHeaderSize + length : rest.size();
    if (!fits || AllZero(rest.substr(end))) {
      stop(LogScan::Tail::kTorn,
           fits ? "checksum mismatch in the last record" : "record runs past the end of the file");
    } else {
      stop(LogScan::Tail::kCorrupt, "checksum mismatch with data after it");
    }
    break;
  }
  return scan;
}

}  // namespace licmove
