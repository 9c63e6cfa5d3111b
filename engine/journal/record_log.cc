#include "journal/record_log.h"

#include <algorithm>
#include <array>
#include <optional>

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

// Slices of the data are checked for an embedded record at every position
// after damage, and a candidate's length can be anything up to the end of the
// file; checksumming each candidate byte by byte would be quadratic. CRC-32C
// without its pre- and post-inversion is linear over GF(2), so the register
// for any slice follows from the registers of two prefixes: feeding k bytes
// from state r gives (r * x^(8k) mod P) xor (the same bytes fed from 0).
constexpr std::uint32_t kCrcPoly = 0x82f63b78u;  // reflected: bit 31 is x^0

std::uint32_t MulModPoly(std::uint32_t a, std::uint32_t b) {
  std::uint32_t product = 0;
  for (std::uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
    if (a & bit) product ^= b;
    b = (b & 1) ? (b >> 1) ^ kCrcPoly : b >> 1;
  }
  return product;
}

// x^(8n) mod P: what feeding n zero bytes does to a register.
std::uint32_t ZeroBytes(std::uint64_t n) {
  static const std::array<std::uint32_t, 64> powers = [] {  // x^(8 * 2^k)
    std::array<std::uint32_t, 64> p{};
    p[0] = 1u << (31 - 8);
    for (std::size_t k = 1; k < p.size(); ++k) p[k] = MulModPoly(p[k - 1], p[k - 1]);
    return p;
  }();
  std::uint32_t result = 1u << 31;
  for (std::size_t k = 0; n != 0; ++k, n >>= 1) {
    if (n & 1) result = MulModPoly(result, powers[k]);
  }
  return result;
}

std::uint32_t Feed(std::uint32_t reg, std::string_view data) {
  const auto& table = CrcTable();
  for (unsigned char b : data) reg = table[(reg ^ b) & 0xff] ^ (reg >> 8);
  return reg;
}

// Crc32c of any slice in about a thousand steps whatever its length, after
// one pass over the data that keeps the register every kStride bytes (n / 16
// bytes of memory).
class SliceCrc {
 public:
  explicit SliceCrc(std::string_view data) : data_(data) {
    checkpoints_.reserve(data.size() / kStride + 1);
    std::uint32_t reg = 0;
    for (std::size_t i = 0; i <= data.size(); i += kStride) {
      checkpoints_.push_back(reg);
      reg = Feed(reg, data.substr(i, kStride));
    }
  }

  std::uint32_t Crc(std::size_t begin, std::size_t end) const {
    // Crc32c starts from ~0 and inverts at the end.
    return ~(MulModPoly(~Prefix(begin), ZeroBytes(end - begin)) ^ Prefix(end));
  }

 private:
  static constexpr std::size_t kStride = 64;

  // The register after feeding data[0, i) from 0.
  std::uint32_t Prefix(std::size_t i) const {
    const std::size_t base = i / kStride * kStride;
    return Feed(checkpoints_[i / kStride], data_.substr(base, i - base));
  }

  std::string_view data_;
  std::vector<std::uint32_t> checkpoints_;
};

// Where the first whole record with a matching checksum starts at or after
// `from`, or npos. The checksum is what makes a match mean something: random
// or torn bytes pass for a record with odds of 2^-32 per candidate, and most
// positions are not even candidates (the type is 0, or the length runs past
// the end or over the limit). No candidate costs more than about a thousand
// steps, so the search is linear in the bytes after `from`.
std::size_t FindIntactRecord(std::string_view data, std::size_t from) {
  // Below this a direct checksum is cheaper than combining prefix registers.
  constexpr std::uint32_t kDirectLimit = 1024;
  std::optional<SliceCrc> slices;  // built only once a long candidate turns up
  const std::string_view tail = data.substr(std::min(from, data.size()));
  for (std::size_t q = 0; q + kRecordHeaderSize <= tail.size(); ++q) {
    const std::uint32_t length = GetU32(tail, q + 4);
    const auto type = static_cast<std::uint8_t>(tail[q + 8]);
    if (type == 0 || length > kMaxRecordPayload || length > tail.size() - q - kRecordHeaderSize) {
      continue;
    }
    // The checksum covers the type byte and the payload.
    const std::size_t begin = q + kRecordHeaderSize - 1;
    const std::size_t end = q + kRecordHeaderSize + length;
    std::uint32_t crc;
    if (length < kDirectLimit) {
      crc = Crc32c(tail.substr(begin, end - begin));
    } else {
      if (!slices) slices.emplace(tail);
      crc = slices->Crc(begin, end);
    }
    if (UnmaskCrc(GetU32(tail, q)) == crc) return from + q;
  }
  return std::string_view::npos;
}

}  // namespace

std::uint32_t Crc32c(std::string_view data, std::uint32_t seed) {
  return ~Feed(~seed, data);
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
    const std::string what = length > kMaxRecordPayload
                                 ? "record length " + std::to_string(length) + " over the limit"
                             : !fits     ? "record runs past the end of the file"
                             : type == 0 ? "record of type 0"
                                         : "checksum mismatch";
    // A crash tears only the last append, so everything from a torn record's
    // start to the end of the file belongs to that one append: a prefix of
    // it, or zeros or garbage where its blocks never reached the disk. A
    // whole record with a matching checksum after the bad one was therefore
    // appended after it, and the bad record is damage in the middle, however
    // its length field now reads; truncating there would throw away
    // acknowledged records. The one exception is a torn record whose payload
    // itself holds the bytes of an encoded record (or whose unwritten blocks
    // show stale records of a deleted file): those bytes are identical to a
    // damaged header followed by an appended record, so nothing can tell
    // them apart, and this reads them as corruption, which stops and loses
    // nothing. Journal payloads are JSON, which escapes the control byte
    // every encoded journal record holds (its type, 1 to 4), so they never
    // hold one.
    const std::size_t intact = FindIntactRecord(data, pos + 1);
    const std::size_t end = fits ? kRecordHeaderSize + length : rest.size();
    if (intact != std::string_view::npos) {
      stop(LogScan::Tail::kCorrupt, what);
      scan.problem += "; an intact record follows at offset " + std::to_string(intact);
      scan.next_intact = intact;
    } else if (!fits || AllZero(rest.substr(end))) {
      // Nothing intact follows: the bad record is the last one written.
      stop(LogScan::Tail::kTorn, fits ? what + " in the last record" : what);
    } else {
      // The bytes after a bad record whose length fits may be more records,
      // damaged too: calling this torn would cut them off unreported.
      stop(LogScan::Tail::kCorrupt, what + " with data after it");
    }
    break;
  }
  return scan;
}

}  // namespace licmove
