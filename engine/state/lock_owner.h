// Who holds an account's lock, and when a lock is stale: the rules every
// state backend applies the same way.
//
// A lock names its owner (host, machine, pid, run, start) and holds a lease
// that the running process renews. It is stale when the lease ran out, or
// when its owner ran on this machine and its process is gone. A stale lock
// is taken over only by the run that left it (a resume or a rollback of it)
// or when that run left nothing to finish (no journal, or a completed one);
// otherwise it is reported with how to clear it (`licmove unlock`). A lock
// held by a live lease of a process that may be running is never taken.
#pragma once

#include <chrono>
#include <string>

#include "model/timestamp.h"

namespace licmove {

inline constexpr std::chrono::seconds kDefaultLockLease{60};

struct LockOwner {
  std::string host;     // for people: the host name
  std::string machine;  // for liveness checks: boot id and pid namespace (MachineId())
  int pid = 0;
  UnixSeconds started_at = 0;
  std::string run_id;
};

// A lock as stored.
struct LockRecord {
  LockOwner owner;
  UnixSeconds lease_expires_at = 0;
  std::string token;  // unique per acquisition: renewals and releases must match it
};

// This machine's host name, for owners and journals.
std::string HostName();
// What makes "pid N" mean one process: the kernel's boot id and this
// process's pid namespace. Two containers on one host differ; one host
// after a reboot differs.
std::string MachineId();
// A random token for a new acquisition.
std::string NewLockToken();

// Why `lock` is stale at `now`, or "" when it is live.
std::string StaleReason(const LockRecord& lock, UnixSeconds now);

// "run R (pid P on HOST, since T; lease until T2)".
std::string DescribeLock(const LockRecord& lock);

}  // namespace licmove
