#include "journal/record_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

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
