// Child processes for end-to-end tests: the real licmove and portal-sim
// binaries, started with fork/exec, waited for, or killed with SIGKILL.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace licmove::testing {

class Subprocess {
 public:
  // Starts argv[0] with `args`; `env` entries ("NAME=value") are added to the
  // environment. stdout and stderr go to `output_file` when it is not empty.
  static std::unique_ptr<Subprocess> Start(const std::vector<std::string>& argv,
                                           const std::vector<std::string>& env = {},
                                           const std::string& output_file = "");
  ~Subprocess();  // kills the child if it still runs

  // Exit code, or 128 + signal number when a signal ended it. Again after
  // the child was reaped: the same code.
  int Wait();
  void Kill9();
  pid_t pid() const { return pid_; }

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  int exit_code_ = -1;
};

// Runs to completion; the exit code as Wait() gives it.
int RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
               const std::string& output_file = "");

// The portal-sim binary as a child process on a free loopback port.
class ChildPortalSim {
 public:
  static std::unique_ptr<ChildPortalSim> Start(const std::string& fleet,
                                               const std::string& state_dir,
                                               const std::vector<std::string>& extra = {});
  ~ChildPortalSim();
  const std::string& url() const { return url_; }
  std::uint16_t port() const;
  void Kill9();
  // SIGTERM, then the exit code (-1 when a signal ended it).
  int Terminate();

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string url_;
};

std::string ReadFileText(const std::string& path);

}  // namespace licmove::testing
