#include "portal_sim/durable_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace licmove::sim {
namespace {

constexpr std::size_t kFrameBytes = 9;  // crc, length, type
constexpr std::uint32_t kMaskDelta = 0xa282ead8u;
constexpr const char* kLogName = "portal-sim.log";

const std::array<std::uint32_t, 256>& CrcTable() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;  // Castagnoli
      t[i] = c;
    }
    return t;
  }();
  return table;
}

void PutU32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t GetU32(std::string_view in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

bool AllZero(std::string_view s) {
  for (char c : s) {
    if (c != 0) return false;
  }
  return true;
}

Status Errno(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write " + path);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + dir);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("fsync " + dir);
}

// mkdir -p, each directory it creates with mode 0700 (the log holds license
// keys; the journal's directories are made the same way).
Status MakeDirectories(const std::string& dir) {
  std::filesystem::path prefix;
  for (const std::filesystem::path& part : std::filesystem::path(dir)) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Errno("create " + prefix.string());
    }
  }
  return Status::Ok();
}

// Write a temp file, make it durable, rename it over `path`, make the rename
// durable: a crash leaves either the old file or the new one, whole.
Status ReplaceFile(const std::string& dir, const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("create " + tmp);
  Status st = WriteAll(fd, content, tmp);
  if (st.ok() && ::fsync(fd) != 0) st = Errno("fsync " + tmp);
  ::close(fd);
  if (!st.ok()) return st;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename " + tmp);
  return SyncDir(dir);
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + path);
  std::string data;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = Errno("read " + path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace

std::uint32_t Crc32c(std::string_view data, std::uint32_t crc) {
  const auto& table = CrcTable();
  crc = ~crc;
  for (unsigned char c : data) crc = table[(crc ^ c) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t MaskCrc(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

std::string EncodeRecord(std::uint8_t type, std::string_view payload) {
  const char t = static_cast<char>(type);
  std::string out;
  out.reserve(kFrameBytes + payload.size());
  PutU32(&out, MaskCrc(Crc32c(payload, Crc32c(std::string_view(&t, 1)))));
  PutU32(&out, static_cast<std::uint32_t>(payload.size()));
  out.push_back(t);
  out.append(payload);
  return out;
}

Result<DecodedLog> DecodeLog(std::string_view data) {
  DecodedLog log;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::string_view rest = data.substr(pos);
    if (rest.size() < kFrameBytes) break;  // torn: the frame itself is cut short
    const std::uint32_t length = GetU32(rest.substr(4));
    if (length > rest.size() - kFrameBytes) break;  // torn: the payload is cut short
    const std::size_t end = kFrameBytes + length;
    const std::string_view typed = rest.substr(8, 1 + length);
    if (MaskCrc(Crc32c(typed)) != GetU32(rest)) {
      if (end == rest.size() || AllZero(rest)) break;  // torn: the last write, partly on disk
      return Status::Corruption("log record at offset " + std::to_string(pos) +
                                " fails its checksum and is not the last record");
    }
    const auto type = static_cast<std::uint8_t>(typed[0]);
    if (type != kHeaderRecord && type != kEntryRecord) {
      return Status::Corruption("log record at offset " + std::to_string(pos) +
                                " has unknown type " + std::to_string(type));
    }
    log.records.push_back(LogRecord{type, std::string(typed.substr(1))});
    pos += end;
  }
  log.valid_bytes = pos;
  return log;
}

Result<std::unique_ptr<DurableLog>> DurableLog::Open(const std::string& dir,
                                                     std::string_view new_header,
                                                     std::vector<LogRecord>* records) {
  records->clear();
  if (Status st = MakeDirectories(dir); !st.ok()) return st;
  const std::string path = dir + "/" + kLogName;

  std::string data;
  if (::access(path.c_str(), F_OK) == 0) {
    Result<std::string> read = ReadFile(path);
    if (!read.ok()) return read.status();
    data = std::move(read.value());
  }
  Result<DecodedLog> decoded = DecodeLog(data);
  if (!decoded.ok()) return Status::Corruption(path + ": " + decoded.status().message());

  if (decoded->records.empty()) {
    // New, or only a torn header: nothing was ever acknowledged.
    if (Status st = ReplaceFile(dir, path, EncodeRecord(kHeaderRecord, new_header)); !st.ok()) {
      return st;
    }
    decoded->records.push_back(LogRecord{kHeaderRecord, std::string(new_header)});
  } else if (decoded->valid_bytes < data.size()) {
    if (::truncate(path.c_str(), static_cast<off_t>(decoded->valid_bytes)) != 0) {
      return Errno("truncate " + path);
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Errno("open " + path);
  if (::fsync(fd) != 0) {
    Status st = Errno("fsync " + path);
    ::close(fd);
    return st;
  }
  const off_t size = ::lseek(fd, 0, SEEK_END);
  *records = std::move(decoded->records);
  return std::unique_ptr<DurableLog>(
      new DurableLog(dir, path, fd, static_cast<std::uint64_t>(size)));
}

DurableLog::DurableLog(std::string dir, std::string path, int fd, std::uint64_t size)
    : dir_(std::move(dir)), path_(std::move(path)), fd_(fd), written_(size), synced_(size) {}

DurableLog::~DurableLog() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::uint64_t> DurableLog::Append(std::string_view payload) {
  const std::string record = EncodeRecord(kEntryRecord, payload);
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_.ok()) return error_;
  if (Status st = WriteAll(fd_, record, path_); !st.ok()) {
    error_ = st;
    return st;
  }
  written_ += record.size();
  return written_;
}

Status DurableLog::Sync(std::uint64_t offset) {
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  std::uint64_t target;
  int fd;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return error_;
    if (synced_ >= offset) return Status::Ok();  // an earlier sync covered it
    target = written_;
    fd = fd_;
  }
  const int rc = ::fdatasync(fd);
  std::lock_guard<std::mutex> lock(mu_);
  if (rc != 0) {
    // After a failed fsync the kernel may have dropped the dirty pages: what
    // is on disk is unknown from here on (LevelDB makes the error stick too).
    error_ = Errno("fdatasync " + path_);
    return error_;
  }
  if (target > synced_) synced_ = target;
  return Status::Ok();
}

Status DurableLog::Reset(std::string_view header) {
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_.ok()) return error_;
  const std::string record = EncodeRecord(kHeaderRecord, header);
  if (Status st = ReplaceFile(dir_, path_, record); !st.ok()) {
    error_ = st;
    return st;
  }
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    error_ = Errno("open " + path_);
    return error_;
  }
  ::close(fd_);
  fd_ = fd;
  // Offsets keep growing across resets, so that an offset handed out before
  // the reset is already "synced" and never waits on the new file.
  written_ += record.size();
  synced_ = written_;
  return Status::Ok();
}

}  // namespace licmove::sim
