#include "crash_points.h"

#include <csignal>
#include <cstdlib>
#include <memory>

namespace licmove {

FileSystem& JournalFileSystem() {
  return PosixFileSystem();
}

DurableWriteHook DurableWriteKillHook() {
  const char* env = std::getenv("LICMOVE_TEST_KILL_AFTER_SYNCS");
  const long kill_after = env ? std::atol(env) : 0;
  if (kill_after <= 0) return {};
  // One count for the process, however many copies of the hook there are.
  auto writes = std::make_shared<long>(0);
  return [kill_after, writes] {
    if (++*writes == kill_after) std::raise(SIGKILL);
  };
}

}  // namespace licmove
