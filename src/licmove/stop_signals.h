// How licmove stops on SIGINT, SIGTERM and SIGHUP (what a dropped SSH session
// sends), and why SIGPIPE never stops it.
//
// The three stop signals are blocked in every thread from the start of main
// and taken by a thread of their own (sigwait), so that no library call is
// ever cut short by a handler and every decision is made in one place:
//
//  - While a StopHandler lives (a run is under way: its journal exists), the
//    innermost one is called. A run's handler tells the executor to start
//    nothing new and lets the ops in flight finish and be journaled; the
//    command then exits 130 with the resume command.
//  - Otherwise nothing has been sent yet: the account locks registered with
//    ReleaseOnStop are given up, a line says nothing changed, and the
//    process exits 130 at once.
//
// SIGPIPE is ignored: a reader that goes away (`licmove apply | head`) makes
// writes to stdout fail, never the run. What could not be printed is in the
// journal (`licmove status`).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace licmove {

// Call first in main, before any thread exists (threads inherit the mask).
void InstallStopSignals();

// The last stop signal received (0: none), for code that starts after it
// came but before its StopHandler was in place.
int StopSignalReceived();

// "SIGHUP".
std::string StopSignalName(int signal);

// While alive, a stop signal calls `on_stop` (on the signal thread) instead
// of ending the process. Handlers nest; the innermost is called.
class StopHandler {
 public:
  explicit StopHandler(std::function<void(int signal)> on_stop);
  ~StopHandler();
  StopHandler(const StopHandler&) = delete;
  StopHandler& operator=(const StopHandler&) = delete;

 private:
  std::function<void(int)> on_stop_;
};

// While alive, a stop signal waits: it takes effect (as if it came then) when
// the object goes. For steps that must not be cut in two, such as creating a
// lock file and registering it with ReleaseOnStop.
class DeferStops {
 public:
  DeferStops();
  ~DeferStops();
  DeferStops(const DeferStops&) = delete;
  DeferStops& operator=(const DeferStops&) = delete;

 private:
  int received_ = 0;  // written on the signal thread under the state's mutex
  std::optional<StopHandler> handler_;
};

// While alive, a stop with no StopHandler calls `release` (which gives up
// an account lock) before the process exits.
class ReleaseOnStop {
 public:
  explicit ReleaseOnStop(std::function<void()> release);
  ~ReleaseOnStop();
  ReleaseOnStop(const ReleaseOnStop&) = delete;
  ReleaseOnStop& operator=(const ReleaseOnStop&) = delete;

 private:
  std::function<void()> release_;
};

}  // namespace licmove
