#include "journal/record_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <boost/json.hpp>

namespace licmove {
namespace {

TEST(Crc32c, KnownValues) {
  // RFC 3720 B.4 test vectors for CRC-32C.
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62a8ab43u);
  EXPECT_EQ(Crc32c("123456789"), 0xe3069283u);
  EXPECT_EQ(UnmaskCrc(MaskCrc(0x12345678u)), 0x12345678u);
  EXPECT_NE(MaskCrc(0x12345678u), 0x12345678u);
}

std::string ThreeRecords() {
  return EncodeRecord(1, "plan") + EncodeRecord(2, std::string(300, 'x')) + EncodeRecord(3, "");
}

TEST(RecordLog, RoundTrip) {
  const LogScan scan = ScanLog(ThreeRecords());
  EXPECT_EQ(scan.tail, LogScan::Tail::kClean);
  ASSERT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.records[0].type, 1);
  EXPECT_EQ(scan.records[0].payload, "plan");
  EXPECT_EQ(scan.records[1].payload, std::string(300, 'x'));
  EXPECT_EQ(scan.records[2].type, 3);
  EXPECT_EQ(scan.records[2].payload, "");
  EXPECT_EQ(scan.valid_bytes, ThreeRecords().size());
}

TEST(RecordLog, EveryTruncationGivesAPrefixAndATornTail) {
  const std::string full = ThreeRecords();
  const std::size_t ends[] = {kRecordHeaderSize + 4, 2 * kRecordHeaderSize + 4 + 300, full.size()};
  for (std::size_t cut = 0; cut <= full.size(); ++cut) {
    const LogScan scan = ScanLog(std::string_view(full).substr(0, cut));
    std::size_t whole = 0;
    while (whole < 3 && ends[whole] <= cut) ++whole;
    ASSERT_EQ(scan.records.size(), whole) << "cut at " << cut;
    const bool at_boundary = cut == 0 || (whole > 0 && ends[whole - 1] == cut);
    EXPECT_EQ(scan.tail, at_boundary ? LogScan::Tail::kClean : LogScan::Tail::kTorn)
        << "cut at " << cut;
    EXPECT_EQ(scan.valid_bytes, whole ? ends[whole - 1] : 0);
  }
}

TEST(RecordLog, ZeroFilledTailIsTorn) {
  std::string data = ThreeRecords();
  data += std::string(100, '\0');
  const LogScan scan = ScanLog(data);
  EXPECT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.tail, LogScan::Tail::kTorn);
}

TEST(RecordLog, DamageInTheMiddleIsCorruptionNotATornTail) {
  std::string data = ThreeRecords();
  data[kRecordHeaderSize + 20 + kRecordHeaderSize + 4] ^= 0x40;  // inside record 2's payload
  const LogScan scan = ScanLog(data);
  EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt);
  ASSERT_EQ(scan.records.size(), 1u);
  EXPECT_EQ(scan.records[0].payload, "plan");
  EXPECT_NE(scan.problem.find("offset 13"), std::string::npos) << scan.problem;
}

// A log and where each of its records starts, to damage one of them.
struct Built {
  std::string data;
  std::vector<std::size_t> starts;
};

Built Build(const std::vector<std::string>& payloads, std::uint8_t type = 7) {
  Built b;
  for (const std::string& p : payloads) {
    b.starts.push_back(b.data.size());
    b.data += EncodeRecord(type, p);
  }
  return b;
}

void SetLength(std::string& data, std::size_t record, std::uint32_t length) {
  for (int i = 0; i < 4; ++i) data[record + 4 + i] = static_cast<char>(length >> (8 * i));
}

std::string RandomBytes(std::mt19937& rng, std::size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

TEST(RecordLog, ALengthRunningPastTheEndInTheMiddleIsCorruption) {
  const Built log = Build({"plan", std::string(300, 'x'), "a", "", std::string(40, 'y')});
  const std::size_t second = log.starts[1];
  ASSERT_EQ(second, 13u);
  const std::uint32_t lengths[] = {
      static_cast<std::uint32_t>(log.data.size()),  // past the end of the file
      300u ^ (1u << 20),                            // one flipped bit, still under the limit
      kMaxRecordPayload,                            // the largest a writer writes
      kMaxRecordPayload + 1,                        // over the limit
      300u ^ (1u << 31),
      0xffffffffu,
  };
  for (const std::uint32_t length : lengths) {
    std::string data = log.data;
    SetLength(data, second, length);
    const LogScan scan = ScanLog(data);
    EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt) << length << ": " << scan.problem;
    ASSERT_EQ(scan.records.size(), 1u) << length;
    EXPECT_EQ(scan.records[0].payload, "plan");
    EXPECT_EQ(scan.valid_bytes, second);
    EXPECT_NE(scan.problem.find("at offset 13;"), std::string::npos) << scan.problem;
    EXPECT_EQ(scan.next_intact, log.starts[2]) << scan.problem;
  }
}

TEST(RecordLog, ALengthReachingExactlyTheEndInTheMiddleIsCorruption) {
  // The damaged record now ends where the file does, with nothing after it;
  // the records it swallowed are still there to be found.
  const Built log = Build({"plan", std::string(300, 'x'), "a", "b"});
  std::string data = log.data;
  SetLength(data, log.starts[1],
            static_cast<std::uint32_t>(data.size() - log.starts[1] - kRecordHeaderSize));
  const LogScan scan = ScanLog(data);
  EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt) << scan.problem;
  EXPECT_EQ(scan.records.size(), 1u);
  EXPECT_EQ(scan.next_intact, log.starts[2]);
}

TEST(RecordLog, DamageFollowedByLongRecordsAtAnyAlignmentIsFound) {
  // Records of 1 KiB and more are checked by combining checksums of prefixes
  // rather than byte by byte; their offsets here cover every alignment.
  std::mt19937 rng(11);
  for (std::size_t shift = 0; shift < 70; ++shift) {
    const std::size_t long_length = 1024 + 37 * shift;
    const Built log = Build({std::string(shift, 'p'), RandomBytes(rng, 200),
                             RandomBytes(rng, long_length), RandomBytes(rng, 5000)});
    std::string data = log.data;
    SetLength(data, log.starts[1], 0xfffffff0u);
    const LogScan scan = ScanLog(data);
    EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt) << shift;
    EXPECT_EQ(scan.records.size(), 1u) << shift;
    EXPECT_EQ(scan.next_intact, log.starts[2]) << shift;
  }
}

TEST(RecordLog, TheLastRecordCutAnywhereIsTorn) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::string> payloads(1 + rng() % 6);
    for (std::string& p : payloads) p = RandomBytes(rng, rng() % 300);
    payloads.back() = RandomBytes(rng, trial % 2 ? 200 + rng() % 2000 : rng() % 40);
    const Built log = Build(payloads, static_cast<std::uint8_t>(1 + rng() % 255));
    const std::size_t last = log.starts.back();
    for (std::size_t cut = last + 1; cut < log.data.size(); ++cut) {
      // A crash leaves a prefix of the last append, or its length on disk with
      // blocks that were never written.
      for (const bool zero_filled : {false, true}) {
        std::string data = log.data.substr(0, cut);
        if (zero_filled) data.resize(log.data.size(), '\0');
        const LogScan scan = ScanLog(data);
        ASSERT_EQ(scan.tail, LogScan::Tail::kTorn)
            << "trial " << trial << " cut " << cut << " zeros " << zero_filled << ": "
            << scan.problem;
        ASSERT_EQ(scan.records.size(), payloads.size() - 1);
        for (std::size_t i = 0; i + 1 < payloads.size(); ++i) {
          ASSERT_EQ(scan.records[i].payload, payloads[i]);
        }
        ASSERT_EQ(scan.valid_bytes, last);
      }
    }
  }
}

TEST(RecordLog, ATornRecordHoldingAWholeEncodedRecordReadsAsCorruption) {
  // Cut just after the inner record, these bytes are exactly what a damaged
  // length field followed by one more appended record looks like. Reading
  // them as torn would, in that other case, truncate an acknowledged record
  // without a word; reading them as corruption stops and loses nothing.
  const std::string first = EncodeRecord(1, "plan");
  const std::string inner = EncodeRecord(2, R"({"op":1})");
  const std::string data = first + EncodeRecord(5, "<<" + inner + ">>");
  const std::size_t inner_start = first.size() + kRecordHeaderSize + 2;
  const std::size_t inner_end = inner_start + inner.size();
  for (std::size_t cut = first.size() + 1; cut < data.size(); ++cut) {
    const LogScan scan = ScanLog(std::string_view(data).substr(0, cut));
    ASSERT_EQ(scan.records.size(), 1u) << cut;
    EXPECT_EQ(scan.valid_bytes, first.size());
    if (cut < inner_end) {
      EXPECT_EQ(scan.tail, LogScan::Tail::kTorn) << cut << ": " << scan.problem;
    } else {
      EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt) << cut << ": " << scan.problem;
      EXPECT_EQ(scan.next_intact, inner_start);
    }
  }
  EXPECT_EQ(ScanLog(data).tail, LogScan::Tail::kClean);
  EXPECT_EQ(ScanLog(data).records.size(), 2u);
}

TEST(RecordLog, AJournalPayloadCannotHoldAnEncodedRecordSoItTearsCleanly) {
  // The journal writes JSON, which escapes the control byte every encoded
  // journal record holds (its type), so the case above cannot arise there.
  const std::string inner = EncodeRecord(2, R"({"op":1})");
  const std::string payload =
      boost::json::serialize(boost::json::object{{"message", inner}, {"more", inner}});
  for (const char c : payload) ASSERT_GE(static_cast<unsigned char>(c), 0x20u);
  const std::string first = EncodeRecord(1, "plan");
  const std::string data = first + EncodeRecord(3, payload);
  for (std::size_t cut = first.size() + 1; cut < data.size(); ++cut) {
    const LogScan scan = ScanLog(std::string_view(data).substr(0, cut));
    EXPECT_EQ(scan.tail, LogScan::Tail::kTorn) << cut << ": " << scan.problem;
    EXPECT_EQ(scan.records.size(), 1u);
  }
}

TEST(RecordLog, SearchingABigLogAfterDamageStaysLinear) {
  // Random bytes are the search's worst case: about one position in a
  // thousand has a length that fits, and a byte-by-byte check of each would
  // take minutes here.
  std::mt19937 rng(3);
  const std::string first = EncodeRecord(1, "plan");
  const std::string huge = EncodeRecord(2, RandomBytes(rng, 8 << 20));
  const LogScan torn = ScanLog(first + huge.substr(0, huge.size() - 1));
  EXPECT_EQ(torn.tail, LogScan::Tail::kTorn) << torn.problem;
  EXPECT_EQ(torn.records.size(), 1u);

  std::vector<std::string> payloads;
  for (std::size_t total = 0; total < (8u << 20); total += payloads.back().size()) {
    payloads.push_back(RandomBytes(rng, 1 + rng() % 4000));
  }
  const Built log = Build(payloads);
  std::string data = log.data;
  SetLength(data, log.starts[3], static_cast<std::uint32_t>(data.size()));
  const LogScan scan = ScanLog(data);
  EXPECT_EQ(scan.tail, LogScan::Tail::kCorrupt);
  EXPECT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.next_intact, log.starts[4]);
}

RC_GTEST_PROP(RecordLog, AnyBytesScanWithoutCrashing, (const std::string& junk)) {
  const LogScan scan = ScanLog(junk);
  RC_ASSERT(scan.valid_bytes <= junk.size());
  // Whatever it accepted re-encodes to exactly the accepted prefix.
  std::string again;
  for (const LogRecord& r : scan.records) again += EncodeRecord(r.type, r.payload);
  RC_ASSERT(again == junk.substr(0, scan.valid_bytes));
}

RC_GTEST_PROP(RecordLog, RecordsSurviveAnyAppendedGarbageAfterTheLastSync,
              (const std::vector<std::string>& payloads, const std::string& tail)) {
  std::string data;
  for (const std::string& p : payloads) data += EncodeRecord(7, p);
  const std::size_t synced = data.size();
  // A crash can leave any prefix of one more record: never a whole valid one.
  const std::string next = EncodeRecord(9, tail);
  const std::size_t keep = *rc::gen::inRange<std::size_t>(0, next.size());
  data += next.substr(0, keep);
  const LogScan scan = ScanLog(data);
  RC_ASSERT(scan.records.size() == payloads.size());
  RC_ASSERT(scan.valid_bytes == synced);
  RC_ASSERT(scan.tail != LogScan::Tail::kCorrupt);
}

RC_GTEST_PROP(RecordLog, DamageToAnyRecordButTheLastIsCorruption,
              (const std::vector<std::string>& payloads)) {
  RC_PRE(payloads.size() >= 2);
  Built log = Build(payloads);
  const std::size_t damaged = *rc::gen::inRange<std::size_t>(0, payloads.size() - 1);
  const std::size_t size = kRecordHeaderSize + payloads[damaged].size();
  const std::size_t at = log.starts[damaged] + *rc::gen::inRange<std::size_t>(0, size);
  log.data[at] ^= static_cast<char>(*rc::gen::inRange(1, 256));
  if (*rc::gen::arbitrary<bool>()) {
    // And then a crash tore the next append.
    const std::string next = EncodeRecord(9, *rc::gen::arbitrary<std::string>());
    log.data += next.substr(0, *rc::gen::inRange<std::size_t>(1, next.size()));
  }
  const LogScan scan = ScanLog(log.data);
  RC_ASSERT(scan.tail == LogScan::Tail::kCorrupt);
  RC_ASSERT(scan.records.size() == damaged);
  RC_ASSERT(scan.valid_bytes == log.starts[damaged]);
  RC_ASSERT(scan.problem.find("offset " + std::to_string(log.starts[damaged])) !=
            std::string::npos);
}

RC_GTEST_PROP(RecordLog, ALengthRunningPastTheEndMidLogIsNeverTorn,
              (const std::vector<std::string>& payloads)) {
  RC_PRE(payloads.size() >= 2);
  Built log = Build(payloads);
  const std::size_t damaged = *rc::gen::inRange<std::size_t>(0, payloads.size() - 1);
  const std::size_t room = log.data.size() - log.starts[damaged] - kRecordHeaderSize;
  const auto length = static_cast<std::uint32_t>(
      *rc::gen::inRange<std::uint64_t>(room + 1, std::uint64_t{1} << 32));
  SetLength(log.data, log.starts[damaged], length);
  const LogScan scan = ScanLog(log.data);
  RC_ASSERT(scan.tail == LogScan::Tail::kCorrupt);
  RC_ASSERT(scan.records.size() == damaged);
  RC_ASSERT(scan.next_intact == log.starts[damaged + 1]);
}

class PosixFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("licmove-fs-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(PosixFileSystemTest, AppendSyncReadBackWithPrivateModes) {
  FileSystem& fs = PosixFileSystem();
  ASSERT_TRUE(fs.CreateDirectories((dir_ / "a/b").string()).ok());
  struct stat st;
  ASSERT_EQ(::stat((dir_ / "a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  const std::string path = (dir_ / "a/b/journal").string();
  auto file = fs.OpenAppendable(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  LogWriter writer(std::move(file.value()));
  ASSERT_TRUE(writer.Append(1, "hello").ok());
  ASSERT_TRUE(writer.Append(2, "world").ok());
  ASSERT_TRUE(writer.Sync().ok());
  ASSERT_TRUE(writer.Close().ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto bytes = fs.ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  const LogScan scan = ScanLog(*bytes);
  ASSERT_EQ(scan.records.size(), 2u);
  EXPECT_EQ(scan.records[1].payload, "world");

  ASSERT_TRUE(fs.Truncate(path, scan.records.size() ? kRecordHeaderSize + 5 : 0).ok());
  EXPECT_EQ(ScanLog(*fs.ReadFile(path)).records.size(), 1u);
}

TEST_F(PosixFileSystemTest, AtomicWriteReplacesWholeFile) {
  FileSystem& fs = PosixFileSystem();
  ASSERT_TRUE(fs.CreateDirectories(dir_.string()).ok());
  const std::string path = (dir_ / "lock").string();
  ASSERT_TRUE(fs.WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(fs.WriteFileAtomically(path, "second").ok());
  EXPECT_EQ(*fs.ReadFile(path), "second");
  EXPECT_FALSE(fs.Exists(path + ".tmp"));
  auto names = fs.ListDirectory(dir_.string());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"lock"});
  ASSERT_TRUE(fs.RemoveFile(path).ok());
  EXPECT_EQ(fs.ReadFile(path).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace licmove
