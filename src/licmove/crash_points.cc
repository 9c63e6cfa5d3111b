#include "crash_points.h"

#include <csignal>
#include <cstdlib>
#include <memory>

namespace licmove {

namespace {

class KillAfterSyncs final : public FileSystemWrapper {
 public:
  explicit KillAfterSyncs(long kill_after)
      : FileSystemWrapper(PosixFileSystem()), kill_after_(kill_after) {}

  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    auto f = FileSystemWrapper::OpenAppendable(path);
    if (!f.ok()) return f.status();
    return std::unique_ptr<AppendableFile>(new File(std::move(f.value()), *this));
  }

 private:
  struct File final : AppendableFileWrapper {
    File(std::unique_ptr<AppendableFile> f, KillAfterSyncs& o)
        : AppendableFileWrapper(std::move(f)), owner(o) {}
    Status Sync() override {
      Status s = AppendableFileWrapper::Sync();
      if (s.ok() && ++owner.syncs_ == owner.kill_after_) std::raise(SIGKILL);
      return s;
    }
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
