#include "journal/account_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <boost/json.hpp>

#include "journal/file_system.h"
#include "journal/journal.h"

namespace licmove {

namespace json = boost::json;

std::string LockPath(const std::string& state_dir, const std::string& account) {
  return state_dir + "/locks/" + account + ".lock";
}

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

namespace {

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

bool ProcessIsRunning(int pid) {
  if (pid <= 0) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

std::string Describe(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return "an unreadable owner";
  const json::object& o = v.get_object();
  auto str = [&](const char* k) {
    const json::value* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->get_string()) : std::string("?");
  };
  auto num = [&](const char* k) -> std::int64_t {
    const json::value* x = o.if_contains(k);
    return x && x->is_int64() ? x->get_int64() : 0;
  };
  return "run " + str("run_id") + " (pid " + std::to_string(num("pid")) + " on " + str("host") +
         ", since " + FormatTimestamp(num("started_at")) + ")";
}

// A dead run whose journal was never created (it died before its first
// record) or says it completed left nothing for its lock to protect.
bool LeftNothingToFinish(FileSystem& fs, const std::string& state_dir, const std::string& run) {
  if (!fs.Exists(JournalPath(state_dir, run))) return true;
  auto journal = ReadJournal(fs, state_dir, run);
  return journal.ok() && journal->end && journal->end->result == RunEnd::Result::kCompleted;
}

}  // namespace

Result<std::unique_ptr<AccountLock>> AccountLock::Acquire(const std::string& state_dir,
                                                          const std::string& account,
                                                          const LockOwner& owner,
                                                          const std::string& take_over_run) {
  FileSystem& fs = PosixFileSystem();
  if (Status s = fs.CreateDirectories(state_dir + "/locks"); !s.ok()) return s;
  // Deciding that a lock is stale and taking it over are two steps: two
  // recovery commands doing them at once would both hold the lock. Every
  // decision about a lock in this state dir is made holding this guard.
  auto guard = LockGuardFile::Take(state_dir + "/locks/.guard");
  if (!guard.ok()) return guard.status();
  const std::string path = LockPath(state_dir, account);
  const std::string body = json::serialize(json::object{{"host", owner.host},
                                                        {"pid", owner.pid},
                                                        {"started_at", owner.started_at},
                                                        {"run_id", owner.run_id}});
  int fd = -1;
  int open_error = 0;
  std::string held;
  // A holder releases without the guard (it unlinks its file): a lock seen
  // to exist may be gone when it is read, and is then tried again.
  for (int tries = 0; tries < 3; ++tries) {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    open_error = fd < 0 ? errno : 0;
    if (fd >= 0 || open_error != EEXIST) break;
    auto text = fs.ReadFile(path);
    if (text.ok()) {
      held = *text;
      break;
    }
  }
  if (fd < 0) {
    if (open_error != EEXIST) {
      return Status::IOError("create lock " + path + ": " + std::strerror(open_error));
    }
    std::string message = "account " + account + " is locked by " + Describe(held);
    boost::system::error_code ec;
    json::value v = json::parse(held, ec);
    const bool same_host = !ec && v.is_object() && v.get_object().if_contains("host") &&
                           v.get_object().at("host").is_string() &&
                           v.get_object().at("host").get_string() == owner.host;
    const json::value* pid = !ec && v.is_object() ? v.get_object().if_contains("pid") : nullptr;
    const bool stale = same_host && pid && pid->is_int64() &&
                       !ProcessIsRunning(static_cast<int>(pid->get_int64()));
    const json::value* held_run =
        !ec && v.is_object() ? v.get_object().if_contains("run_id") : nullptr;
    const std::string held_by =
        held_run && held_run->is_string() ? std::string(held_run->get_string()) : std::string();
    if (stale && !held_by.empty() &&
        (held_by == take_over_run || LeftNothingToFinish(fs, state_dir, held_by))) {
      if (Status s = fs.WriteFileAtomically(path, body); !s.ok()) return s;
      return std::unique_ptr<AccountLock>(new AccountLock(path));
    }
    if (stale) {
      message +=
          ", which is no longer running: the lock is stale. Finish or undo that run "
          "(licmove resume / licmove rollback), or if you are sure nothing is running, "
          "clear it with: rm " +
          path;
    } else {
      message += ". Wait for it to finish; if it is not running, clear the lock with: rm " + path;
    }
    return Status::Conflict(message);
  }
  ssize_t written = ::write(fd, body.data(), body.size());
  const bool ok = written == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return Status::IOError("write lock " + path);
  }
  return std::unique_ptr<AccountLock>(new AccountLock(path));
}

AccountLock::~AccountLock() {
  ::unlink(path_.c_str());
}

}  // namespace licmove
