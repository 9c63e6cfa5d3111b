// The journal fuzz targets read bytes through ReadJournal, the real reader
// that `licmove runs/status/resume/rollback` call, from a file system whose
// only file is those bytes: nothing touches the disk.
#pragma once
#include <string>
#include <string_view>
#include <utility>

#include "journal/file_system.h"
#include "journal/file_journal.h"

namespace licmove::fuzz {

class OneFileSystem : public FileSystemWrapper {
 public:
  explicit OneFileSystem(std::string_view bytes)
      : FileSystemWrapper(PosixFileSystem()), bytes_(bytes) {}
  Result<std::string> ReadFile(const std::string& path) override { return bytes_; }

 private:
  std::string bytes_;
};

// ReadJournal on `bytes` as the journal of run "fuzz" under state dir "/fuzz".
inline Result<JournalContents> ReadJournalBytes(std::string_view bytes) {
  OneFileSystem fs(bytes);
  return ReadJournal(fs, "/fuzz", "fuzz");
}

}  // namespace licmove::fuzz
