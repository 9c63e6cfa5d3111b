// The simulator's write-ahead log: framing, torn tails, corruption, reopen.
#include "portal_sim/durable_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace licmove::sim {
namespace {

namespace fs = std::filesystem;

std::string ThreeRecords() {
  return EncodeRecord(kHeaderRecord, R"({"format":"x"})") + EncodeRecord(kEntryRecord, "first") +
         EncodeRecord(kEntryRecord, std::string(300, 'b'));
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
}

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "sim-log-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(DurableLogTest, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32c("123456789"), 0xe3069283u);
  EXPECT_NE(MaskCrc(0), 0u);
}

TEST(DurableLogTest, RecordsRoundTrip) {
  Result<DecodedLog> log = DecodeLog(ThreeRecords());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->records.size(), 3u);
  EXPECT_EQ(log->records[0].type, kHeaderRecord);
  EXPECT_EQ(log->records[1].payload, "first");
  EXPECT_EQ(log->records[2].payload, std::string(300, 'b'));
  EXPECT_EQ(log->valid_bytes, ThreeRecords().size());
}

// Every crash point leaves a prefix of the records, never an error.
TEST(DurableLogTest, EveryTruncationIsATornTailThatDropsOnlyTheCutRecord) {
  const std::string full = ThreeRecords();
  const std::size_t first_end = EncodeRecord(kHeaderRecord, R"({"format":"x"})").size();
  const std::size_t second_end = first_end + EncodeRecord(kEntryRecord, "first").size();
  for (std::size_t n = 0; n <= full.size(); ++n) {
    Result<DecodedLog> log = DecodeLog(std::string_view(full).substr(0, n));
    ASSERT_TRUE(log.ok()) << "cut at " << n << ": " << log.status().ToString();
    const std::size_t want = n < first_end ? 0 : n < second_end ? 1 : n < full.size() ? 2 : 3;
    EXPECT_EQ(log->records.size(), want) << "cut at " << n;
  }
}

TEST(DurableLogTest, ADamagedLastRecordIsTornButADamagedMiddleOneIsCorruption) {
  std::string data = ThreeRecords();
  std::string last = data;
  last[last.size() - 1] ^= 0x40;
  Result<DecodedLog> torn = DecodeLog(last);
  ASSERT_TRUE(torn.ok());
  EXPECT_EQ(torn->records.size(), 2u);

  const std::size_t second = EncodeRecord(kHeaderRecord, R"({"format":"x"})").size();
  std::string middle = data;
  middle[second + 10] ^= 0x40;  // inside "first"
  EXPECT_EQ(DecodeLog(middle).status().code(), Status::Code::kCorruption);
}

TEST(DurableLogTest, ZerosAfterTheLastRecordAreATornTail) {
  Result<DecodedLog> log = DecodeLog(ThreeRecords() + std::string(64, '\0'));
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->records.size(), 3u);
  EXPECT_EQ(log->valid_bytes, ThreeRecords().size());
}

TEST(DurableLogTest, AppendSyncReopenAndATornTailIsCutFromTheFile) {
  TempDir dir;
  std::vector<LogRecord> records;
  {
    auto log = DurableLog::Open(dir.path().string(), "header-1", &records);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].payload, "header-1");
    Result<std::uint64_t> a = (*log)->Append("one");
    Result<std::uint64_t> b = (*log)->Append("two");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_LT(*a, *b);
    ASSERT_TRUE((*log)->Sync(*b).ok());
    ASSERT_TRUE((*log)->Sync(*a).ok());  // already covered
  }
  const fs::path file = dir.path() / "portal-sim.log";
  const std::string good = ReadAll(file);
  const std::string torn_record = EncodeRecord(kEntryRecord, "three");
  WriteAll(file, good + torn_record.substr(0, torn_record.size() - 2));

  auto log = DurableLog::Open(dir.path().string(), "header-ignored", &records);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].payload, "header-1");  // an existing log keeps its header
  EXPECT_EQ(records[2].payload, "two");
  EXPECT_EQ(fs::file_size(file), good.size());
  Result<std::uint64_t> c = (*log)->Append("three");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*log)->Sync(*c).ok());
  Result<DecodedLog> decoded = DecodeLog(ReadAll(file));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->records.back().payload, "three");
}

TEST(DurableLogTest, ResetLeavesOnlyTheNewHeader) {
  TempDir dir;
  std::vector<LogRecord> records;
  auto log = DurableLog::Open(dir.path().string(), "h", &records);
  ASSERT_TRUE(log.ok());
  Result<std::uint64_t> before = (*log)->Append("entry");
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE((*log)->Reset("h2").ok());
  ASSERT_TRUE((*log)->Sync(*before).ok());  // an offset from before the reset never waits
  Result<DecodedLog> decoded = DecodeLog(ReadAll(dir.path() / "portal-sim.log"));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->records.size(), 1u);
  EXPECT_EQ(decoded->records[0].payload, "h2");
  EXPECT_FALSE(fs::exists(dir.path() / "portal-sim.log.tmp"));
}

// The log holds license keys and idempotency records: like the journal, it
// is readable by its owner only, and so are the directories it creates.
TEST(DurableLogTest, CreatedDirectoriesAre0700AndTheLog0600EvenAfterAReset) {
  TempDir dir;
  const fs::path nested = dir.path() / "new" / "state";
  const mode_t old_umask = ::umask(0);  // what the modes are asked for, not what a umask leaves
  std::vector<LogRecord> records;
  auto log = DurableLog::Open(nested.string(), "h", &records);
  ::umask(old_umask);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  EXPECT_EQ(mode(dir.path() / "new"), fs::perms::owner_all);
  EXPECT_EQ(mode(nested), fs::perms::owner_all);
  const fs::perms owner_rw = fs::perms::owner_read | fs::perms::owner_write;
  EXPECT_EQ(mode(nested / "portal-sim.log"), owner_rw);
  ASSERT_TRUE((*log)->Reset("h2").ok());
  EXPECT_EQ(mode(nested / "portal-sim.log"), owner_rw);
}

TEST(DurableLogTest, CorruptionInTheMiddleRefusesToOpen) {
  TempDir dir;
  std::string data = ThreeRecords();
  data[EncodeRecord(kHeaderRecord, R"({"format":"x"})").size() + 10] ^= 1;
  WriteAll(dir.path() / "portal-sim.log", data);
  std::vector<LogRecord> records;
  auto log = DurableLog::Open(dir.path().string(), "h", &records);
  EXPECT_EQ(log.status().code(), Status::Code::kCorruption);
  EXPECT_NE(log.status().message().find("portal-sim.log"), std::string::npos);
}

}  // namespace
}  // namespace licmove::sim
