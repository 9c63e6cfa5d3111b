#include "state/lock_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>

namespace licmove {

namespace {

bool ProcessIsRunning(int pid) {
  if (pid <= 0) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

std::string MachineId() {
  static const std::string id = [] {
    std::string boot = FirstLine("/proc/sys/kernel/random/boot_id");
    char ns[128] = {};
    const ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    return (boot.empty() ? HostName() : boot) + "/" + (n > 0 ? std::string(ns, n) : "pid:[?]");
  }();
  return id;
}

std::string NewLockToken() {
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t v = rd();
    for (int j = 0; j < 8; ++j, v >>= 4) t += kHex[v & 15];
  }
  return t;
}

std::string StaleReason(const LockRecord& lock, UnixSeconds now) {
  if (lock.lease_expires_at <= now) {
    return "its lease ran out at " + FormatTimestamp(lock.lease_expires_at);
  }
  if (lock.owner.machine == MachineId() && !ProcessIsRunning(lock.owner.pid)) {
    return "its process (pid " + std::to_string(lock.owner.pid) + " on this machine) is gone";
  }
  return "";
}

std::string DescribeLock(const LockRecord& lock) {
  const LockOwner& o = lock.owner;
  return "run " + (o.run_id.empty() ? std::string("?") : o.run_id) + " (pid " +
         std::to_string(o.pid) + " on " + (o.host.empty() ? std::string("?") : o.host) +
         ", since " + FormatTimestamp(o.started_at) + "; lease until " +
         FormatTimestamp(lock.lease_expires_at) + ")";
}

}  // namespace licmove
