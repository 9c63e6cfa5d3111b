#include "crash_points.h"

#include <csignal>
#include <cstdlib>
#include <memory>

namespace licmove {

namespace {

class KillAfterSyncs final : public FileSystem {
 public:
  explicit KillAfterSyncs(long kill_after) : kill_after_(kill_after) {}

  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    auto f = PosixFileSystem().OpenAppendable(path);
    if (!f.ok()) return f.status();
    return std::unique_ptr<AppendableFile>(new File(std::move(f.value()), *this));
  }
  Result<std::string> ReadFile(const std::string& p) override {
    return PosixFileSystem().ReadFile(p);
  }
  Status WriteFileAtomically(const std::string& p, std::string_view d) override {
    return PosixFileSystem().WriteFileAtomically(p, d);
  }
  Status CreateDirectories(const std::string& p) override {
    return PosixFileSystem().CreateDirectories(p);
  }
  Result<std::vector<std::string>> ListDirectory(const std::string& p) override {
    return PosixFileSystem().ListDirectory(p);
  }
  bool Exists(const std::string& p) override { return PosixFileSystem().Exists(p); }
  Status RemoveFile(const std::string& p) override { return PosixFileSystem().RemoveFile(p); }
  Status Truncate(const std::string& p, std::uint64_t n) override {
    return PosixFileSystem().Truncate(p, n);
  }

 private:
  struct File final : AppendableFile {
    File(std::unique_ptr<AppendableFile> f, KillAfterSyncs& o) : inner(std::move(f)), owner(o) {}
    Status Append(std::string_view d) override { return inner->Append(d); }
    Status Sync() override {
      Status s = inner->Sync();
      if (s.ok() && ++owner.syncs_ == owner.kill_after_) std::raise(SIGKILL);
      return s;
    }
    Status Close() override { return inner->Close(); }
    std::unique_ptr<AppendableFile> inner;
    KillAfterSyncs& owner;
  };
  long kill_after_;
  long syncs_ = 0;
};

}  // namespace

FileSystem& JournalFileSystem() {
  static FileSystem* fs = []() -> FileSystem* {
    const char* env = std::getenv("LICMOVE_TEST_KILL_AFTER_SYNCS");
    const long n = env ? std::atol(env) : 0;
    if (n <= 0) return &PosixFileSystem();
    return new KillAfterSyncs(n);
  }();
  return *fs;
}

}  // namespace licmove
