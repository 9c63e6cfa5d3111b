#include "state/dir_backend.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <boost/json.hpp>

namespace licmove {

namespace json = boost::json;

namespace {

UnixSeconds WallNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An exclusive flock(2) on a file, held while the object lives. The kernel
// drops it when the process dies, so a guard is never left behind.
class LockGuardFile {
 public:
  static Result<LockGuardFile> Take(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IOError("open " + path + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Status::IOError("flock " + path + ": " + std::strerror(err));
    }
    return LockGuardFile(fd);
  }
  LockGuardFile(LockGuardFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  LockGuardFile& operator=(LockGuardFile&&) = delete;
  ~LockGuardFile() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }

 private:
  explicit LockGuardFile(int fd) : fd_(fd) {}
  int fd_;
};

std::string EncodeLock(const LockRecord& r) {
  return json::serialize(json::object{{"host", r.owner.host},
                                      {"machine", r.owner.machine},
                                      {"pid", r.owner.pid},
                                      {"started_at", r.owner.started_at},
                                      {"run_id", r.owner.run_id},
                                      {"lease_expires_at", r.lease_expires_at},
                                      {"token", r.token}});
}

// A lock file's record; nullopt when it is not one (then it is treated as
// held by an unknown owner, and never taken over).
std::optional<LockRecord> DecodeLock(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  auto str = [&](const char* k) {
    const json::value* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->get_string()) : std::string();
  };
  auto num = [&](const char* k) -> std::int64_t {
    const json::value* x = o.if_contains(k);
    return x && x->is_int64() ? x->get_int64() : 0;
  };
  LockRecord r;
  r.owner = LockOwner{str("host"), str("machine"), static_cast<int>(num("pid")), num("started_at"),
                      str("run_id")};
  r.lease_expires_at = num("lease_expires_at");
  r.token = str("token");
  if (r.token.empty()) return std::nullopt;
  return r;
}

class DirLock final : public HeldLock {
 public:
  DirLock(std::string dir, std::string account, LockRecord record, std::chrono::seconds lease,
          FileSystem& fs)
      : dir_(std::move(dir)),
        account_(std::move(account)),
        record_(std::move(record)),
        lease_(lease),
        fs_(fs) {}
  ~DirLock() override { Release(); }
  void Release() override {
    if (released_) return;
    released_ = true;
    auto guard = LockGuardFile::Take(dir_ + "/locks/.guard");
    if (!guard.ok()) return;
    if (StillMine()) (void)fs_.RemoveFile(LockPath(dir_, account_));
  }

  Status Renew() override {
    auto guard = LockGuardFile::Take(dir_ + "/locks/.guard");
    if (!guard.ok()) return guard.status();
    if (!StillMine()) {
      return Status::Conflict("the lock of account " + account_ +
                              " is no longer this run's (unlocked or taken over)");
    }
    LockRecord renewed = record_;
    renewed.lease_expires_at = WallNow() + lease_.count();
    if (Status s = fs_.WriteFileAtomically(LockPath(dir_, account_), EncodeLock(renewed));
        !s.ok()) {
      return s;
    }
    record_ = renewed;
    return Status::Ok();
  }
  const LockRecord& record() const override { return record_; }

 private:
  // REQUIRES: the guard is held.
  bool StillMine() {
    auto text = fs_.ReadFile(LockPath(dir_, account_));
    if (!text.ok()) return false;
    auto held = DecodeLock(*text);
    return held && held->token == record_.token;
  }

  std::string dir_;
  std::string account_;
  LockRecord record_;
  std::chrono::seconds lease_;
  FileSystem& fs_;
  bool released_ = false;
};

}  // namespace

std::string LockPath(const std::string& state_dir, const std::string& account) {
  return state_dir + "/locks/" + account + ".lock";
}

DirBackend::DirBackend(std::string dir, FileSystem& fs, DurableWriteHook hook)
    : dir_(std::move(dir)), fs_(fs), hook_(std::move(hook)) {}

std::string DirBackend::JournalLocation(const std::string& run_id) const {
  return JournalPath(dir_, run_id);
}

Result<std::unique_ptr<JournalWriter>> DirBackend::CreateJournal(const RunHeader& header) {
  return FileJournal::Create(fs_, dir_, header, hook_);
}

Result<std::unique_ptr<JournalWriter>> DirBackend::ReopenJournal(const std::string& run_id) {
  return FileJournal::Reopen(fs_, dir_, run_id, hook_);
}

Result<JournalContents> DirBackend::ReadJournal(const std::string& run_id) {
  return licmove::ReadJournal(fs_, dir_, run_id);
}

Result<RunHeader> DirBackend::ReadRunHeader(const std::string& run_id) {
  return licmove::ReadRunHeader(fs_, dir_, run_id);
}

Result<std::vector<LogRecord>> DirBackend::ReadJournalRecords(const std::string& run_id) {
  return licmove::ReadJournalRecords(fs_, dir_, run_id);
}

Status DirBackend::ImportJournal(const std::vector<LogRecord>& records) {
  auto journal = DecodeJournal(records, "the journal to import", LogScan::Tail::kClean);
  if (!journal.ok()) return journal.status();
  return licmove::ImportJournal(fs_, dir_, journal->header.run_id, records);
}

Result<std::optional<RunInfo>> DirBackend::FindRun(const std::string& run_id) {
  if (!fs_.Exists(JournalPath(dir_, run_id))) return std::optional<RunInfo>();
  auto info = ReadRunInfo(fs_, dir_, run_id);
  if (!info.ok()) return info.status();
  return std::optional<RunInfo>(std::move(info.value()));
}

Result<std::vector<RunInfo>> DirBackend::ListRuns() {
  auto ids = licmove::ListRuns(fs_, dir_);
  if (!ids.ok()) return ids.status();
  std::vector<RunInfo> out;
  for (const std::string& id : *ids) {
    auto info = ReadRunInfo(fs_, dir_, id);
    if (!info.ok()) {
      // Listed, so that `licmove runs` can say it is unreadable.
      RunInfo broken;
      broken.run_id = id;
      broken.kind = "unreadable: " + info.status().message();
      out.push_back(std::move(broken));
      continue;
    }
    out.push_back(std::move(info.value()));
  }
  return out;
}

Result<std::unique_ptr<HeldLock>> DirBackend::AcquireLock(const std::string& account,
                                                          const LockOwner& owner,
                                                          const std::string& take_over_run,
                                                          std::chrono::seconds lease) {
  if (Status s = fs_.CreateDirectories(dir_ + "/locks"); !s.ok()) return s;
  auto guard = LockGuardFile::Take(dir_ + "/locks/.guard");
  if (!guard.ok()) return guard.status();
  const std::string path = LockPath(dir_, account);
  LockRecord mine{owner, WallNow() + lease.count(), NewLockToken()};
  const std::string body = EncodeLock(mine);
  auto taken = [&]() -> Result<std::unique_ptr<HeldLock>> {
    return std::unique_ptr<HeldLock>(std::make_unique<DirLock>(dir_, account, mine, lease, fs_));
  };
  // Releases happen under the guard too, so a lock file seen here stays.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const ssize_t written = ::write(fd, body.data(), body.size());
    const bool ok = written == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      ::unlink(path.c_str());
      return Status::IOError("write lock " + path);
    }
    return taken();
  }
  if (errno != EEXIST) return Status::IOError("create lock " + path + ": " + std::strerror(errno));
  auto text = fs_.ReadFile(path);
  if (!text.ok()) return text.status();
  const std::optional<LockRecord> held = DecodeLock(*text);
  if (!held) {
    return Status::Conflict("account " + account +
                            " is locked by a lock file licmove cannot read (" + path +
                            "); if nothing is running, remove it");
  }
  const std::string stale = StaleReason(*held, WallNow());
  if (!stale.empty() &&
      (held->owner.run_id == take_over_run || LeftNothingToFinish(*this, held->owner.run_id))) {
    if (Status s = fs_.WriteFileAtomically(path, body); !s.ok()) return s;
    return taken();
  }
  return Status::Conflict(LockConflictMessage(account, *held, stale));
}

Result<StateBackend::LockView> DirBackend::ReadLock(const std::string& account) {
  LockView view;
  view.now = WallNow();
  const std::string path = LockPath(dir_, account);
  if (!fs_.Exists(path)) return view;
  auto text = fs_.ReadFile(path);
  if (!text.ok()) return text.status();
  view.lock = DecodeLock(*text);
  if (!view.lock) return Status::Corruption(path + " is not a lock licmove can read");
  return view;
}

Status DirBackend::BreakLock(const std::string& account, const std::string& token) {
  if (!fs_.Exists(dir_ + "/locks"))
    return Status::NotFound("account " + account + " is not locked");
  auto guard = LockGuardFile::Take(dir_ + "/locks/.guard");
  if (!guard.ok()) return guard.status();
  const std::string path = LockPath(dir_, account);
  auto text = fs_.ReadFile(path);
  const std::optional<LockRecord> held = text.ok() ? DecodeLock(*text) : std::nullopt;
  if (!held || held->token != token) {
    return Status::NotFound("the lock of account " + account + " changed meanwhile; look again");
  }
  return fs_.RemoveFile(path);
}

}  // namespace licmove
