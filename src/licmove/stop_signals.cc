#include "stop_signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "exit_codes.h"

namespace licmove {

namespace {

struct StopState {
  std::mutex mutex;
  std::vector<std::function<void(int)>*> handlers;  // innermost last
  std::vector<std::function<void()>*> releases;
  std::atomic<int> received{0};
};

StopState& State() {
  static StopState* state = new StopState();  // never destroyed: the thread outlives main
  return *state;
}

sigset_t StopSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

// What a stop signal does with no handler: nothing was sent, so release the
// locks and go. REQUIRES: state.mutex held.
[[noreturn]] void StopNow(StopState& state, int signal) {
  for (std::function<void()>* release : state.releases) (*release)();
  const std::string line = "licmove: " + StopSignalName(signal) +
                           ": stopped before this command sent anything to the portal\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  ::_exit(kExitInterrupted);
}

void WaitForSignals() {
  const sigset_t set = StopSet();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    StopState& state = State();
    state.received.store(signal);
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.handlers.empty()) {
      (*state.handlers.back())(signal);
      continue;
    }
    StopNow(state, signal);
  }
}

}  // namespace

void InstallStopSignals() {
  ::signal(SIGPIPE, SIG_IGN);
  const sigset_t set = StopSet();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(WaitForSignals).detach();
}

int StopSignalReceived() {
  return State().received.load();
}

std::string StopSignalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
  }
  return "signal " + std::to_string(signal);
}

StopHandler::StopHandler(std::function<void(int)> on_stop) : on_stop_(std::move(on_stop)) {
  StopState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.handlers.push_back(&on_stop_);
}

StopHandler::~StopHandler() {
  StopState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.handlers.erase(std::remove(state.handlers.begin(), state.handlers.end(), &on_stop_),
                       state.handlers.end());
}

DeferStops::DeferStops() {
  handler_.emplace([this](int signal) { received_ = signal; });
}

DeferStops::~DeferStops() {
  handler_.reset();
  StopState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (received_ == 0) return;
  if (!state.handlers.empty()) {
    (*state.handlers.back())(received_);
  } else {
    StopNow(state, received_);
  }
}

ReleaseOnStop::ReleaseOnStop(std::function<void()> release) : release_(std::move(release)) {
  StopState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.releases.push_back(&release_);
}

ReleaseOnStop::~ReleaseOnStop() {
  StopState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.releases.erase(std::remove(state.releases.begin(), state.releases.end(), &release_),
                       state.releases.end());
}

}  // namespace licmove
